"""Starts `kouzi serve` on a free port with its own data directory, and stops it."""

import os
import re
import signal
import subprocess
import time

TOKEN_LINE = re.compile(r"export KOUZI_TOKEN=(\S+)")
LISTEN_LINE = re.compile(r"kouzi serve: listening on (http://\S+)")
JOB_CHATTER = re.compile(r"\[KouziPlatform\] job (started|finished)$")


class ServerError(Exception):
    pass


class KouziServer:
    def __init__(self, binary, data_dir, log_path, workers=1):
        self.binary = binary
        self.data_dir = data_dir
        self.log_path = log_path
        self.workers = workers
        self.process = None
        self.log_file = None
        self.token = None
        self.url = None

    def start(self, timeout=60):
        """Starts the server and reads its URL (and, on a first start, its admin token) from its output."""
        if not os.access(self.binary, os.X_OK):
            raise ServerError(f"{self.binary} is not an executable; build it with `swift build -c release`")
        self.log_file = open(self.log_path, "ab")
        start_offset = self.log_file.tell()
        command = [self.binary, "serve", "--data", self.data_dir, "--port", "0", "--workers", str(self.workers)]
        # SQLite in the data directory (the seeding writes monitoring history into it), whatever the environment says.
        environment = {k: v for k, v in os.environ.items() if k not in ("KOUZI_DATABASE", "KOUZI_DATA")}
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self.log_file, stderr=subprocess.STDOUT,
                                        env=environment)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self._read_from(start_offset)
            token = TOKEN_LINE.search(text)
            if token:
                self.token = token.group(1)
            listening = LISTEN_LINE.search(text)
            if listening:
                self.url = listening.group(1).rstrip("/")
                return self
            if self.process.poll() is not None:
                raise ServerError(f"kouzi serve exited with status {self.process.returncode} before listening")
            time.sleep(0.05)
        raise ServerError(f"kouzi serve printed no 'listening on' line within {timeout} s")

    def _read_from(self, offset):
        with open(self.log_path, "rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    def running(self):
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout=15):
        """SIGTERM (the server finishes the requests in flight), then SIGKILL if it does not exit in time."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        if self.log_file:
            self.log_file.close()
            self.log_file = None

    def log_tail(self, lines=60):
        """The log's last lines, without the start and end of each seeded job (the whole log stays in the file)."""
        try:
            with open(self.log_path, "rb") as log:
                text = log.read().decode(errors="replace")
        except OSError:
            return "(no server log)"
        kept = [line for line in text.splitlines() if not JOB_CHATTER.search(line)]
        return "\n".join(kept[-lines:])
