#!/usr/bin/env python3
"""Browser test of Kouzi's web console.

Starts `kouzi serve` on a free port with a fresh data directory, seeds it with realistic data through the JSON API
(plus a day of monitoring history written into its SQLite database), then walks the console in headless Chromium
(Selenium): login, datasets, upload, training with live curves, comparison, models and aliases, column importances,
deployment, try-it (predictions and explanations), A/B split, monitoring, and the load time of every page. Each step
saves a screenshot NN-step.png.

    python3 Tests/Console/console_test.py --kouzi .build/release/kouzi --screenshots .build/console-screenshots

Debugging:
    --seed-only --keep-server   seed, print the URL and token, and leave the server running until Ctrl-C
    --data DIR                  use (and keep) DIR as the data directory; the seeded ids are kept in DIR
    --skip-seed --data DIR      walk a directory seeded by an earlier run (add --seed-only --keep-server to only serve it)
    --steps login,upload        run only these steps of the walk (login always runs first)

Exit status 0 when every check held; the last line says how many browser checks passed.
"""

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from console_api import Api  # noqa: E402
from console_server import KouziServer  # noqa: E402
from console_support import CheckFailed, checks, fail, say  # noqa: E402

STATE_FILE = "console-test-state.json"


def parse_arguments():
    parser = argparse.ArgumentParser(description="Browser test of the Kouzi web console")
    parser.add_argument("--kouzi", default=".build/release/kouzi", help="the kouzi binary (default: %(default)s)")
    parser.add_argument("--screenshots", default=".build/console-screenshots", help="folder for NN-step.png files")
    parser.add_argument("--data", help="data directory to use and keep (default: a fresh temporary one, removed on success)")
    parser.add_argument("--seed-only", action="store_true",
                        help="no browser walk: seed (or with --skip-seed only start), then stop (with --keep-server: keep serving)")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the data seeded earlier into --data")
    parser.add_argument("--keep-server", action="store_true", help="leave the server running at the end until Ctrl-C")
    parser.add_argument("--steps", help="comma-separated steps of the walk to run (default: all)")
    parser.add_argument("--workers", type=int, default=2, help="job slots of the server (default: %(default)s)")
    parser.add_argument("--show-browser-log", action="store_true", help="print every browser console message")
    arguments = parser.parse_args()
    if arguments.skip_seed and not arguments.data:
        parser.error("--skip-seed needs --data DIR of an earlier run")
    return arguments


def on_signal(number, _frame):
    raise KeyboardInterrupt(f"signal {number}")


def main():
    arguments = parse_arguments()
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, on_signal)
    binary = os.path.abspath(arguments.kouzi)
    own_data = arguments.data is None
    data_dir = os.path.abspath(arguments.data) if arguments.data else tempfile.mkdtemp(prefix="kouzi-console-")
    os.makedirs(data_dir, exist_ok=True)
    log_path = os.path.join(data_dir, "server.log") if not own_data else os.path.join(
        tempfile.gettempdir(), f"kouzi-console-{os.getpid()}.log")
    server = KouziServer(binary, data_dir, log_path, workers=arguments.workers)
    state_path = os.path.join(data_dir, STATE_FILE)
    browser = None
    succeeded = False
    try:
        checks.step = "server"
        started = time.monotonic()
        server.start()
        say(f"console: server at {server.url} (data in {data_dir}, log {log_path}), up in {time.monotonic() - started:.1f} s")
        if arguments.skip_seed:
            if not os.path.exists(state_path):
                raise CheckFailed(f"[server] {data_dir} has no {STATE_FILE}; seed it first (--seed-only --data {data_dir})")
            with open(state_path) as file:
                state = json.load(file)
            token = state["token"]
            from console_seed import warm_up
            checks.step = "warm-up"
            warm_up(Api(server.url, token=token), state)
        else:
            if not server.token:
                raise CheckFailed(f"[server] no 'export KOUZI_TOKEN=' line: {data_dir} was not a fresh data directory "
                                  "(use --skip-seed to reuse it)")
            token = server.token
            from console_seed import seed
            checks.step = "seed"
            state = seed(Api(server.url, token=token), data_dir)
            state["token"] = token
            with open(state_path, "w") as file:
                json.dump(state, file, indent=1)
        say(f"console: KOUZI_URL={server.url} KOUZI_TOKEN={token} project {state['project']}")
        if not arguments.seed_only:
            from console_walk import Walk
            checks.step = "browser"
            browser = Walk(server.url, token, state, arguments.screenshots, arguments.show_browser_log)
            browser.run(arguments.steps.split(",") if arguments.steps else None)
        succeeded = True
        if arguments.keep_server:
            say("console: the server keeps running; Ctrl-C stops it")
            while server.running():
                time.sleep(1)
    except KeyboardInterrupt:
        fail("console: interrupted")
    except CheckFailed as error:
        fail(f"console: FAILED {error}")
    except Exception:
        fail(f"console: FAILED in step {checks.step} with an error:\n{traceback.format_exc()}")
    finally:
        if browser is not None:
            if not succeeded:
                browser.report_failure()
            browser.close()
        server.stop()
        if not succeeded:
            fail(f"console: last lines of the server log ({log_path}):\n{server.log_tail()}")
    if succeeded and own_data and arguments.seed_only:
        say(f"console: seeded data kept in {data_dir} (--skip-seed --data {data_dir} walks it)")
    elif succeeded and own_data:
        shutil.rmtree(data_dir, ignore_errors=True)
        if os.path.exists(log_path):
            os.remove(log_path)
    elif own_data:
        fail(f"console: kept the data directory {data_dir} for a look (--skip-seed --data {data_dir} walks it again)")
    if succeeded:
        say(f"console: {checks.passed} browser checks passed")
        return 0
    say(f"console: {checks.passed} browser checks passed before the failure")
    return 1


if __name__ == "__main__":
    sys.exit(main())
