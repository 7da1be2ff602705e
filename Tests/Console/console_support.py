"""Shared pieces of the console test: check counting, waiting, and small output helpers."""

import sys
import time


class CheckFailed(AssertionError):
    """A check of the console test did not hold."""


class Checks:
    """Counts the checks that held; the first one that does not raises CheckFailed."""

    def __init__(self):
        self.passed = 0
        self.step = "start"

    def __call__(self, condition, message):
        if not condition:
            raise CheckFailed(f"[{self.step}] {message}")
        self.passed += 1

    def equal(self, actual, expected, message):
        self(actual == expected, f"{message}: expected {expected!r}, got {actual!r}")


checks = Checks()


def say(*parts):
    print(*parts, flush=True)


def wait_until(probe, timeout, what, interval=0.1):
    """Calls probe until it returns something truthy; returns that, or raises CheckFailed after timeout seconds."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = probe()
            if value:
                return value
        except CheckFailed:
            raise
        except Exception as error:  # the page may be between documents; try again until the deadline
            last_error = error
        if time.monotonic() >= deadline:
            detail = f" (last error: {type(last_error).__name__}: {last_error})" if last_error else ""
            raise CheckFailed(f"[{checks.step}] timed out after {timeout:g} s waiting for {what}{detail}")
        time.sleep(interval)


def fail(message):
    print(message, file=sys.stderr, flush=True)
