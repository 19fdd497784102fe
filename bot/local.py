"""The local channel: talk to the bot in a terminal, or pipe one message a line through it."""
from __future__ import annotations

import hashlib
import logging
import shutil
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TextIO

from bot.private_files import private_file, private_folder, write_new
from core.app import Core
from core.i18n import _, use_language
from core.languages import chosen_language
from core.messages import Attachment, Document, Incoming, Reply, safe_file_name

log = logging.getLogger(__name__)


def receipt_from_path(text: str) -> tuple[str, Attachment | None]:
    """``/expense … receipt PATH``: the terminal's way of sending a receipt with the command (Telegram and Slack
    take a photo or file with the command as its caption). The file is read here, at the edge; the core checks it."""
    if not text.lstrip().lower().startswith("/expense"):
        return text, None
    head, found, path_text = text.rpartition(" receipt ")
    if not found or not path_text.strip():
        return text, None
    from core.receipts import MAX_RECEIPT_BYTES  # imported here: it loads the document model, for receipts only

    return head, read_attachment(path_text, MAX_RECEIPT_BYTES)


def import_from_path(text: str) -> tuple[str, Attachment | None]:
    """``/import PATH``: the terminal's way of sending a Toggl Track or Clockify export with the command."""
    command, _space, path_text = text.strip().partition(" ")
    if command.lower() != "/import" or not path_text.strip():
        return text, None
    from core.timesheets import MAX_IMPORT_BYTES  # imported here: it loads the importers, for /import only

    return command, read_attachment(path_text.strip().strip("\"'"), MAX_IMPORT_BYTES)


class UnreadableFile(Exception):
    """A path typed at the terminal that names no file it can read: the terminal says why and sends nothing (a chat
    app's "send it again" means nothing here)."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(f"{path}: {error}")
        self.path = path
        self.error = error

    def sentence(self) -> str:
        """Translated: call it under the channel's language."""
        if isinstance(self.error, FileNotFoundError):
            return _("There is no file at {path}, so nothing was done: check the path and type the command "
                     "again.").format(path=self.path)
        if isinstance(self.error, IsADirectoryError):
            return _("{path} is a folder, so nothing was done: type the path of a file in it.").format(path=self.path)
        return _("I couldn't read {path} ({reason}), so nothing was done.").format(
            path=self.path, reason=self.error.strerror or self.error)


def read_attachment(path_text: str, limit: int) -> Attachment:
    """The file at ``path_text``, read unless it is larger than ``limit`` (the core refuses it by its size);
    :class:`UnreadableFile` when there is none, or it can't be read."""
    path = Path(path_text.strip()).expanduser()
    try:
        size = path.stat().st_size
        if size > limit:
            return Attachment(path.name, None, size)
        return Attachment(path.name, path.read_bytes(), size)
    except OSError as exc:
        raise UnreadableFile(path, exc) from exc


class LocalChannel:
    name = "local"

    def __init__(self, core: Core, user: str, outbox: Path, out: TextIO = sys.stdout,
                 locale: str | None = None, history: Path | None = None, own_outbox: bool = False) -> None:
        """``locale`` is the terminal's (:func:`terminal_locale`): the bot answers in its language until the user
        chooses one with /language. ``history`` is the file typed lines are kept in (:func:`interactive_lines`).
        ``own_outbox``: the outbox is this user's alone (see :func:`terminal_files`)."""
        self.core = core
        self.user = user
        self.outbox = outbox
        self.own_outbox = own_outbox
        self.out = out
        self.locale = locale
        self.history = history
        self.language: str | None = None
        """The language of the last reply (the account's, or the terminal's): the channel's own sentences follow it."""

    def speaking(self) -> str | None:
        """The language the channel's own sentences are in: the last reply's; before any, the one the user chose
        with /language, else the terminal's."""
        if self.language is None:
            self.language = chosen_language(self.core.sessions, self.name, self.user) or self.locale
        return self.language

    def greet(self) -> None:
        """The first line of a session at a terminal."""
        with use_language(self.speaking()):
            print(_("invoicebot — talking as {name}. Type /help, or what you worked on; Ctrl-D to leave.")
                  .format(name=self.user), file=self.out)

    def send(self, text: str) -> None:
        try:
            text, attachment = receipt_from_path(text)
            if attachment is None:
                text, attachment = import_from_path(text)
        except UnreadableFile as exc:
            with use_language(self.speaking()):
                print(exc.sentence(), file=self.out)
            return
        reply = self.core.handle(Incoming(platform="local", user_id=self.user, chat_id=self.user, text=text,
                                          user_name=self.user, is_private=True, locale=self.locale,
                                          attachment=attachment))
        if reply is not None:
            self.show(reply)

    def show(self, reply: Reply) -> None:
        self.language = reply.language or self.language
        if reply.erased is not None:
            forget_files(self.outbox, () if self.own_outbox else reply.erased, self.history)
        print(reply.text, file=self.out)
        if reply.document is not None:
            saved = save_document(self.outbox, reply.document)
            with use_language(reply.language or self.locale):  # the path as written, whatever the name asked for
                print(_("Saved to {path}").format(path=saved), file=self.out)
        if reply.actions:
            print(format_actions(reply), file=self.out)
        self.out.flush()

    def run(self, lines: Iterable[str]) -> None:
        for line in lines:
            text, undecodable = replace_undecodable(line.rstrip("\n"))
            if undecodable:
                shown = " ".join(f"0x{byte:02X}" for byte in undecodable[:12]) + (" …" if len(undecodable) > 12 else "")
                with use_language(self.speaking()):
                    print(_("Part of that line wasn't UTF-8 (bytes {bytes}), so I read it as “{text}”. Set your "
                            "terminal to UTF-8 to type accents.").format(bytes=shown, text=text.strip()), file=self.out)
            if text.strip():
                self.send(text)


def replace_undecodable(line: str) -> tuple[str, bytes]:
    """A line read with ``errors="surrogateescape"`` (see :func:`tolerate_undecodable_input`): each byte that was not
    UTF-8 becomes U+FFFD, and the bytes are returned so the user is told rather than left guessing."""
    bad = bytes(ord(ch) - 0xDC00 for ch in line if 0xDC80 <= ord(ch) <= 0xDCFF)
    if not bad:
        return line, b""
    return "".join("\ufffd" if 0xDC80 <= ord(ch) <= 0xDCFF else ch for ch in line), bad


def tolerate_undecodable_input(stream: TextIO) -> None:
    """Read the terminal or pipe as UTF-8 whatever the locale says, keeping undecodable bytes (a Latin-1 terminal's
    é) as escapes for :func:`replace_undecodable` instead of failing with a traceback."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(encoding="utf-8", errors="surrogateescape")


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
    return write_new(outbox, safe_file_name(document.filename, "document.pdf"), document.content).resolve()


def forget_files(outbox: Path, names: Iterable[str], history: Path | None) -> None:
    """After /forget me: the documents saved for the erased account and the typed lines (this session's too:
    readline would write them back on exit) are deleted. ``names`` (glob patterns) pick the account's files in an
    outbox others keep folders in; empty, the whole outbox is the account's and goes."""
    patterns = tuple(names)
    if not patterns and outbox.is_symlink():
        outbox.unlink()  # the link only: what it points at was never saved by us
    elif not patterns and outbox.is_dir():
        shutil.rmtree(outbox)
    for pattern in patterns:
        for path in outbox.glob(pattern):
            if path.is_file() or path.is_symlink():
                path.unlink()
    readline = sys.modules.get("readline")
    if readline is not None:
        readline.clear_history()
    if history is not None:
        history.unlink(missing_ok=True)


HISTORY_FILE = "chat_history"
HISTORY_LENGTH = 1000


@dataclass(frozen=True)
class TerminalFiles:
    """Where the terminal keeps one user's saved documents and typed lines."""

    outbox: Path
    history: Path
    own_outbox: bool
    """The outbox folder holds this user's documents alone, so /forget me deletes it whole."""


def terminal_files(outbox: Path, data_dir: Path, user: str, login: str) -> TerminalFiles:
    """The computer's user (``invoicebot chat`` without ``--as``, named ``login``) keeps the outbox itself and
    ``chat_history``, where they always were; each ``--as NAME`` gets a folder of the outbox and a history file of
    its own, so one user's /forget me leaves the others' files alone."""
    if user == login:
        return TerminalFiles(outbox, data_dir / HISTORY_FILE, own_outbox=False)
    folder = user_folder(user)
    return TerminalFiles(outbox / folder, data_dir / f"{HISTORY_FILE}-{folder}", own_outbox=True)


def user_folder(user: str) -> str:
    """``user`` as a file name; a name that had to be changed for it (``a/b``, ``..``) gets a digest of itself, so
    two users never share one."""
    safe = safe_file_name(user, "user")
    return safe if safe == user else f"{safe}-{hashlib.sha256(user.encode()).hexdigest()[:8]}"


def interactive_lines(prompt: str = "> ", history: Path | None = None) -> Iterator[str]:
    """Lines typed at a terminal, edited with readline where Python has it (arrow keys move the cursor, Up recalls
    earlier lines) rather than landing in a task description as escape sequences; ``history`` (a file, private)
    keeps what was typed across runs."""
    editing = line_editing(history)
    try:
        while True:
            try:
                yield input(prompt)
            except (EOFError, KeyboardInterrupt):
                print()
                return
    finally:
        if editing is not None and history is not None:
            save_history(editing, history)


def line_editing(history: Path | None) -> ModuleType | None:
    """Turn on readline for :func:`input` (importing it is what does that) and load the history; None where the
    platform has no readline (input() still works, without editing)."""
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return None
    readline.set_history_length(HISTORY_LENGTH)
    readline.set_auto_history(True)
    if history is not None and history.is_file():
        try:
            readline.read_history_file(history)
        except OSError as exc:
            log.warning("couldn't read the chat history %s: %s", history, exc)
    return readline


def save_history(readline: ModuleType, history: Path) -> None:
    try:
        private_folder(history.parent)
        readline.write_history_file(history)
        private_file(history)
    except OSError as exc:
        log.warning("couldn't save the chat history %s: %s", history, exc)


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
