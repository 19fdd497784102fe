"""Does `invoicebot run` keep its memory? Its resident set after 10,000 messages against its idle one.

    python bench/bench_rss.py [--messages 10000] [--senders 5] [--in-flight 20] [--database-url URL]

A real `invoicebot run` (python -m bot run) serves the Telegram webhook; the fake Bot API of the tests runs in this
process on 127.0.0.1 and takes its replies. Each sender is a user with a client; they send a mix of phrases (each
a new task, with varying durations and words) and commands (/tasks, /undo, /clients, /help), posted to the webhook
with at most ``--in-flight`` unanswered at a time (counted from the worker's own /metrics), so what is measured is
what the worker keeps, not a backlog waiting in it. RSS is read from /proc: once the worker answers /readyz and
one message per sender has warmed it up (idle), after the first tenth of the messages, and after all of them.
Goal: after ≤ idle + 30 MB.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.encryption import Cipher  # noqa: E402
from tests.telegram.fake_bot_api import FakeBotApi  # noqa: E402
from tests.telegram.test_invoicebot_run import free_port  # noqa: E402

GOAL_MB = 30
SECRET = "rss-bench-secret"
SETTLED = re.compile(r'^invoicebot_messages_total\{[^}]*platform="telegram"[^}]*\} (\S+)$', re.MULTILINE)
WORDS = ("logo design", "client call", "bug fixing", "code review", "workshop prep", "invoice chasing",
         "copy editing", "server setup", "user interviews", "sprint planning")
COMMANDS = ("/tasks", "/undo", "/clients", "/help")


def rss_mb(pid: int) -> float:
    """The process's resident set (VmRSS) in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"^VmRSS:\s+(\d+) kB$", status, re.MULTILINE)
    assert found is not None, status
    return int(found.group(1)) / 1024


def messages(count: int, senders: int) -> list[tuple[int, str]]:
    """(chat, text): phrases with varying durations and words, every tenth message a command."""
    lines = []
    for n in range(count):
        chat = 20_000 + n % senders
        if n % 10 == 9:
            lines.append((chat, COMMANDS[n // 10 % len(COMMANDS)]))
        else:
            minutes = 15 * (1 + n % 32)
            lines.append((chat, f"{minutes}m {WORDS[n % len(WORDS)]} #{n} for ACME"))
    return lines


class Worker:
    """`invoicebot run` on the webhook, and what the bench asks of it."""

    def __init__(self, api: FakeBotApi, folder: Path, database_url: str) -> None:
        self.api = api
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "SLACK_"))}
        env.update({"PYTHONPATH": str(ROOT), "INVOICEBOT_DATA_DIR": str(folder / "data"), "DATABASE_URL": database_url,
                    "INVOICEBOT_SECRET_KEYS": Cipher.new_key(), "TELEGRAM_BOT_TOKEN": api.token,
                    "TELEGRAM_API_BASE_URL": api.base_url, "PORT": str(self.port),
                    "TELEGRAM_WEBHOOK_URL": f"{self.base}/tg/hook", "TELEGRAM_WEBHOOK_SECRET": SECRET})
        self.process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=folder, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.http = requests.Session()
        self.posted = 0

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 120
        while True:
            try:
                if self.http.get(self.base + "/readyz", timeout=5).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit("invoicebot run did not become ready:\n" + self.log)
            time.sleep(0.1)

    def settled(self) -> int:
        """Messages the worker has finished with (answered, refused, duplicate or failed), by its /metrics."""
        body = self.http.get(self.base + "/metrics", timeout=10).text
        return sum(int(float(n)) for n in SETTLED.findall(body))

    def send(self, lines: list[tuple[int, str]], in_flight: int) -> None:
        """Post each message, keeping at most ``in_flight`` unanswered; return once all are handled."""
        done = self.settled()
        for chat, text in lines:
            while self.posted - done >= in_flight:
                time.sleep(0.005)
                done = self.settled()
            response = self.http.post(self.base + "/tg/hook", json=self.api.message_update(chat, text),
                                      headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}, timeout=60)
            response.raise_for_status()
            self.posted += 1
        deadline = time.monotonic() + 300
        while self.settled() < self.posted:
            if time.monotonic() > deadline:
                raise SystemExit(f"only {self.settled()} of {self.posted} messages handled")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log = self.process.stderr.read() if self.process.stderr else ""

    log = ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--senders", type=int, default=5)
    parser.add_argument("--in-flight", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    api = FakeBotApi().start_in_thread()
    with tempfile.TemporaryDirectory() as folder:
        worker = Worker(api, Path(folder), args.database_url or f"sqlite:///{folder}/bench.db")
        try:
            worker.wait_ready()
            senders = sorted({chat for chat, _ in messages(args.senders, args.senders)})
            worker.send([(chat, "/client add ACME rate 80") for chat in senders], args.in_flight)
            idle = rss_mb(worker.process.pid)
            lines = messages(args.messages, args.senders)
            tenth = max(1, len(lines) // 10)
            started = time.monotonic()
            worker.send(lines[:tenth], args.in_flight)
            early = rss_mb(worker.process.pid)
            worker.send(lines[tenth:], args.in_flight)
            elapsed = time.monotonic() - started
            after = rss_mb(worker.process.pid)
        finally:
            worker.stop()
            api.stop_in_thread()
    replies = sum(1 for call in api.calls("sendMessage"))
    errors = sum(1 for call in api.calls("sendMessage") if "went wrong" in str(call.params.get("text", "")))
    print(f"invoicebot run (Telegram webhook, {'PostgreSQL' if args.database_url else 'SQLite'}), {args.messages} "
          f"messages from {args.senders} senders in {elapsed:.0f} s ({args.messages / elapsed:.0f}/s), "
          f"{replies} replies, {errors} errors; RSS in MB")
    print(f"  idle {idle:7.1f}   after {tenth} {early:7.1f}   after {len(lines)} {after:7.1f}")
    print(f"  growth {after - idle:+.1f} MB (after the first tenth {after - early:+.1f} MB)   "
          f"goal: ≤ +{GOAL_MB} MB — {'met' if after - idle <= GOAL_MB else 'NOT met'}")
    if "Traceback" in worker.log:
        print(worker.log[-3000:])


if __name__ == "__main__":
    main()
