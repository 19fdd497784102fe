"""`invoicebot chat` in a real terminal (a pseudo-terminal): keys are edited by readline, not typed into tasks."""
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LEFT, UP = "\x1b[D", "\x1b[A"

pytest.importorskip("readline", reason="line editing needs readline, which this platform lacks")


class Terminal:
    """The bot on the far side of a pty; ``expect`` waits for text to appear (the explicit signal), up to a
    deadline."""

    def __init__(self, data_dir: Path) -> None:
        self.master, slave = pty.openpty()
        environment = {k: v for k, v in os.environ.items()
                       if not k.startswith(("TELEGRAM_", "SLACK_", "DATABASE_URL", "LC_", "LANG"))}
        environment.update({"INVOICEBOT_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8",
                            "TERM": "xterm", "INPUTRC": "/dev/null"})
        self.process = subprocess.Popen([sys.executable, "-m", "bot", "chat", "--as", "alice"], stdin=slave,
                                        stdout=slave, stderr=slave, env=environment, cwd=data_dir,
                                        close_fds=True)
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{text!r} never appeared; the terminal showed:\n{self.seen}"
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the far side closed
                    chunk = b""
                assert chunk, f"the bot left before {text!r} appeared; it showed:\n{self.seen}"
                self.seen += chunk.decode("utf-8", errors="replace")
        shown, self.seen = self.seen, self.seen[self.seen.index(text) + len(text):]
        return shown

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def leave(self) -> int:
        self.type("\x04")  # Ctrl-D at an empty prompt
        code = self.process.wait(timeout=60)
        os.close(self.master)
        return code


def test_arrow_keys_edit_the_line_and_history_is_kept_in_the_data_dir(tmp_path: Path) -> None:
    term = Terminal(tmp_path)
    try:
        term.expect("> ")
        term.type("/client add ACME rate 80\r")
        term.expect("Added client ACME")
        term.expect("> ")
        # "reviw", then back past " for ACME" and the "w" to insert the missing "e"
        term.type("1h reviw for ACME" + LEFT * 10 + "e\r")
        logged = term.expect("> ")
        assert "Logged #1: 1h for ACME" in logged and "review" in logged
        term.type("/tasks\r")
        listed = term.expect("> ")
        assert "#1" in listed and "· review ·" in listed and "[D" not in listed
        term.type(UP + "\r")  # Up recalls /tasks
        again = term.expect("> ")
        assert "Unbilled work" in again
        assert term.leave() == 0
    finally:
        if term.process.poll() is None:
            term.process.kill()

    history = tmp_path / "chat_history-alice"  # each --as user keeps a history of their own
    assert "/tasks" in history.read_text().splitlines()
    assert history.stat().st_mode & 0o077 == 0  # what was typed stays private

    term = Terminal(tmp_path)  # a new run recalls the last one's lines
    try:
        term.expect("> ")
        term.type(UP + "\r")
        assert "Unbilled work" in term.expect("> ")
        assert term.leave() == 0
    finally:
        if term.process.poll() is None:
            term.process.kill()
