"""The local channel: talk to the bot in a terminal, or pipe one message a line through it."""
from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TextIO

from bot.private_files import private_folder, write_new
from core.app import Core
from core.messages import Document, Incoming, Reply


class LocalChannel:
    name = "local"

    def __init__(self, core: Core, user: str, outbox: Path, out: TextIO = sys.stdout,
                 locale: str | None = None) -> None:
        """``locale`` is the terminal's (:func:`terminal_locale`): the bot answers in its language until the user
        chooses one with /language."""
        self.core = core
        self.user = user
        self.outbox = outbox
        self.out = out
        self.locale = locale

    def send(self, text: str) -> None:
        reply = self.core.handle(Incoming(platform="local", user_id=self.user, chat_id=self.user, text=text,
                                          user_name=self.user, is_private=True, locale=self.locale))
        if reply is not None:
            self.show(reply)

    def show(self, reply: Reply) -> None:
        print(reply.text, file=self.out)
        if reply.document is not None:
            print(f"Saved {reply.document.filename}: {save_document(self.outbox, reply.document)}", file=self.out)
        if reply.actions:
            print(format_actions(reply), file=self.out)
        self.out.flush()

    def run(self, lines: Iterable[str]) -> None:
        for line in lines:
            if line.strip():
                self.send(line.rstrip("\n"))


def terminal_locale(environ: Mapping[str, str]) -> str | None:
    """The locale the terminal is set to, as the C library reads it (LC_ALL, then LC_MESSAGES, then LANG):
    ``de_DE.UTF-8`` → ``de_DE``; None for the C/POSIX locale or none set."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "").strip()
        if value:
            code = value.split(".", 1)[0].split("@", 1)[0]
            return None if code in ("C", "POSIX") else code
    return None


def format_actions(reply: Reply) -> str:
    """Buttons as the commands they send: a terminal can't tap, so the user types them."""
    return "  " + "   ".join(f"[{a.label}: {a.command}]" for a in reply.actions)


def save_document(outbox: Path, document: Document) -> Path:
    """Write a document into the outbox under a safe file name, private (0600), never over an existing file nor
    through a symlink."""
    private_folder(outbox)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", document.filename).strip("._") or "document.pdf"
    return write_new(outbox, safe, document.content).resolve()


def interactive_lines(prompt: str = "> ") -> Iterable[str]:
    while True:
        try:
            yield input(prompt)
        except EOFError:
            print()
            return
        except KeyboardInterrupt:
            print()
            return


class LocalNotifier:
    """Reminders for local-channel users: printed where `invoicebot reminders run-once` runs."""

    platform = "local"

    def __init__(self, out: TextIO = sys.stdout) -> None:
        self.out = out

    def send(self, chat_id: str, reply: Reply) -> None:
        print(f"[to {chat_id}] {reply.text}", file=self.out)
        if reply.actions:  # the nudge's "Same as yesterday" is only reachable through its command
            print(format_actions(reply), file=self.out)
        self.out.flush()
