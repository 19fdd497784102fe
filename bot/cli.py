"""The command line: invoicebot chat | run | migrate | parse | reminders run-once | rotate-key (SPEC §3)."""
from __future__ import annotations

import argparse
import gc
import getpass
import json
import logging
import os
import sys
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.private_files import PRIVATE_UMASK, private_folder
from bot.settings import ConfigError, Settings

if TYPE_CHECKING:
    from bot.local import LocalChannel
    from bot.wiring import Runtime

log = logging.getLogger("invoicebot")
MAX_CLOCK_SKEW_MINUTES = 10
"""How far ``reminders run-once --now`` may be from the machine's clock without --force."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="invoicebot", description="Log billable work in plain words; bill with one command.")
    sub = parser.add_subparsers(dest="command", required=True)
    chat = sub.add_parser("chat", help="talk to the bot in this terminal (the local channel)")
    chat.add_argument("--as", dest="user", default=None, help="the user name to talk as (default: your login)")
    run = sub.add_parser("run", help="run the configured channels (Telegram, Slack) and the reminder scheduler")
    run.add_argument("--workers", type=_workers, default=1,
                     help="worker processes sharing PORT and the database (default 1; webhook / HTTP mode)")
    sub.add_parser("migrate", help="bring the database schema to the newest revision")
    parse = sub.add_parser("parse", help="parse work phrases: one a stdin line, one JSON object a stdout line")
    parse.add_argument("--now", required=True, help="the reference instant, ISO 8601 with offset")
    parse.add_argument("--tz", required=True, help="the user's timezone, e.g. Europe/Berlin")
    parse.add_argument("--client", action="append", default=[], help="a known client (repeat)")
    parse.add_argument("--locale", default=None,
                       help="a locale the user chose (de_DE, fr_FR, en_US): the language read first and the order of "
                            "numeric dates; without it the timezone's country orders them")
    reminders = sub.add_parser("reminders", help="reminders")
    reminders_sub = reminders.add_subparsers(dest="reminders_command", required=True)
    once = reminders_sub.add_parser("run-once", help="deliver every reminder due now and exit (for cron)")
    once.add_argument("--now", default=None, help="the instant to run at, ISO 8601 (default: now); more than "
                      f"{MAX_CLOCK_SKEW_MINUTES} minutes from this machine's clock needs --force")
    once.add_argument("--force", action="store_true", help="run at a --now far from this machine's clock")
    sub.add_parser("rotate-key", help="re-encrypt stored secrets under the newest key")
    sub.add_parser("new-key", help="print a new encryption key for INVOICEBOT_SECRET_KEYS")
    sub.add_parser("key-id", help="print the id of each key read from stdin (one a line)")
    return parser


def _workers(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a number of processes, like 4, not {text!r}") from None
    if not 1 <= number <= 64:
        raise argparse.ArgumentTypeError(f"between 1 and 64, not {number}")
    return number


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    os.umask(PRIVATE_UMASK)  # the database, key file and PDFs hold people's books: private to this user
    if args.command == "parse":
        return _parse(args)
    if args.command == "new-key":
        from core.encryption import Cipher

        print(Cipher.new_key())
        return 0
    if args.command == "key-id":
        return _key_ids()
    try:
        settings = Settings.from_env()
        from bot import redaction

        default_level = "INFO" if args.command == "run" else "WARNING"
        redaction.install(settings, getattr(logging, settings.log_level or default_level))
        if args.command == "chat":
            return _chat(settings, args.user)
        if args.command == "migrate":
            return _migrate(settings)
        if args.command == "run":
            from bot.run import run

            return run(settings, args.workers)
        if args.command == "rotate-key":
            return _rotate(settings)
        if args.command == "reminders":
            from bot.scheduler import run_once

            return run_once(settings, _run_once_instant(args.now, args.force) if args.now else None)
    except ConfigError as exc:
        print(f"invoicebot: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        if not _is_unreachable_database(exc):
            raise
        print(f"invoicebot: can't reach the database at {_shown_url(settings.database_url)} "
              f"({_first_line(exc)}). Check DATABASE_URL and that the server is running.", file=sys.stderr)
        return 2
    return 1


def _is_unreachable_database(exc: Exception) -> bool:
    """A refused or failed connection at start is a set-up mistake: say so in one line, not a traceback."""
    from sqlalchemy.exc import OperationalError

    return isinstance(exc, OperationalError) and exc.connection_invalidated is False and "connect" in str(exc).lower()


def _shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _first_line(exc: Exception) -> str:
    original = getattr(exc, "orig", None) or exc
    return str(original).strip().splitlines()[0]


def _chat(settings: Settings, user: str | None) -> int:
    gc.disable()  # the start's objects live as long as the process: see _settle
    try:
        runtime, channel = _start_chat(settings, user)
    finally:
        _settle()
    try:
        if sys.stdin.isatty():
            from bot.local import interactive_lines

            channel.greet()
            channel.run(interactive_lines(history=channel.history))
        else:
            channel.run(sys.stdin)
    finally:
        runtime.close()
        gc.freeze()  # the process ends here: its last collections needn't walk all it loaded once more
    return 0


def _start_chat(settings: Settings, user: str | None) -> tuple[Runtime, LocalChannel]:
    from bot.local import LocalChannel, terminal_files, terminal_locale, tolerate_undecodable_input
    from bot.wiring import build_runtime

    tolerate_undecodable_input(sys.stdin)
    sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]  # a real stream; a terminal that can't show a character gets ?

    runtime = build_runtime(settings)
    login = getpass.getuser()
    name = user or login
    files = terminal_files(settings.outbox, settings.data_dir, name, login)
    return runtime, LocalChannel(runtime.core, name, files.outbox, locale=terminal_locale(os.environ),
                                 history=files.history, own_outbox=files.own_outbox)


def _settle() -> None:
    """What a start loads (SQLAlchemy, the models, the command table: most of the objects a process holds) lives as
    long as the process. Collected while it piled up, it was walked by the collector again and again, and once more
    by the interpreter's collections at exit: over a quarter of a fresh ``invoicebot chat`` /invoice's CPU
    (bench/bench_invoice.py --fresh-only). So the start runs with the collector off, and what it made is then
    frozen (``gc.freeze``: kept out of every later collection); the collector sees only what the messages make."""
    gc.freeze()
    gc.enable()


def _migrate(settings: Settings) -> int:
    from core.storage import create_db_engine, migrate

    if settings.embedded:
        private_folder(settings.data_dir)
    engine = create_db_engine(settings.database_url)
    try:
        migrate(engine)
        _move_legacy_data(settings, engine)
    finally:
        engine.dispose()
    print("The database schema is up to date.")
    return 0


def _move_legacy_data(settings: Settings, engine) -> None:  # type: ignore[no-untyped-def]
    """Data steps that need the encryption keys, which migrations don't have; every start repeats them too."""
    from bot.keys import load_cipher, verify_keys
    from core.storage import session_factory
    from core.tax_ids import split_legacy_tax_ids

    sessions = session_factory(engine)
    cipher = load_cipher(settings)
    verify_keys(sessions, cipher)
    split_legacy_tax_ids(sessions, cipher)


def _rotate(settings: Settings) -> int:
    """Re-encrypt under the newest key; values no configured key opens are listed and left as they were."""
    from bot.keys import rotate_keys
    from bot.wiring import build_runtime

    runtime = build_runtime(settings, verify_keys=False)  # the point is to say what can't be read, not to refuse
    try:
        rotation = rotate_keys(runtime.sessions, runtime.core.cipher)
    finally:
        runtime.close()
    from core.i18n import ngettext

    print(ngettext("Re-encrypted {n} value under the newest key.", "Re-encrypted {n} values under the newest key.",
                   rotation.changed).format(n=rotation.changed))
    if rotation.unreadable:
        listed = "; ".join(f"{where}: {len(keys)} (rows {', '.join(str(k) for k in keys[:10])}"
                           f"{', …' if len(keys) > 10 else ''})" for where, keys in rotation.unreadable.items())
        unreadable = sum(len(k) for k in rotation.unreadable.values())
        print("invoicebot: " + ngettext(
            "{n} value can't be read with the configured keys and was left as it was — {listed}. Add the key it was "
            "written with to INVOICEBOT_SECRET_KEYS (after the newest) and run rotate-key again.",
            "{n} values can't be read with the configured keys and were left as they were — {listed}. Add the key "
            "they were written with to INVOICEBOT_SECRET_KEYS (after the newest) and run rotate-key again.",
            unreadable).format(n=unreadable, listed=listed), file=sys.stderr)
        return 1
    print("Older keys can be removed once every copy of this database is rotated.")
    return 0


def _key_ids() -> int:
    """``invoicebot key-id``: the id of each key given on stdin (one a line), to match the ids in messages."""
    from core.encryption import key_id

    for line in sys.stdin:
        key = line.strip()
        if key:
            try:
                print(key_id(key))
            except ValueError:
                print("not a key")
    return 0


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--now must be an ISO 8601 instant such as 2026-11-24T10:00:00+01:00, not {text!r}.") from None
    if value.tzinfo is None:
        raise ConfigError(f"--now needs a UTC offset, e.g. {text}+00:00.")
    return value


def _known_locale(code: str) -> bool:
    from babel.core import Locale, UnknownLocaleError

    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def _run_once_instant(text: str, force: bool) -> datetime:
    """A ``--now`` far from the real clock would move every reminder it sends past that instant, silencing them
    until the real clock catches up (3 days ahead: 3 silent days); it takes --force to mean it."""
    from bot.wiring import system_clock

    instant = _instant(text)
    skew = instant - system_clock()
    if abs(skew) > timedelta(minutes=MAX_CLOCK_SKEW_MINUTES) and not force:
        ahead = skew > timedelta(0)
        effect = ("later reminders would stay silent until this clock reaches it" if ahead
                  else "they would be sent again at their real time")
        raise ConfigError(
            f"--now {text} is {_duration(abs(skew))} {'ahead of' if ahead else 'behind'} this machine's clock. "
            f"Reminders sent at that instant are moved on to their next time after it, so {effect}. Leave out "
            "--now to use the clock, or add --force if that is really what you want."
        )
    return instant


def _duration(delta: timedelta) -> str:
    """About how long, rounded to the unit that reads best (``3 days``, ``5 hours``, ``25 minutes``)."""
    if delta >= timedelta(hours=36):
        return f"{round(delta / timedelta(days=1))} days"
    if delta >= timedelta(minutes=90):
        return f"{round(delta / timedelta(hours=1))} hours"
    return f"{round(delta / timedelta(minutes=1))} minutes"


def _parse(args: argparse.Namespace) -> int:
    from core.i18n import use_language

    try:
        now = _instant(args.now)
        tz = ZoneInfo(args.tz)
    except ConfigError as exc:
        print(f"invoicebot: {exc}", file=sys.stderr)
        return 2
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
        print(f"invoicebot: --tz {args.tz!r} is not a timezone; use a name like Europe/Berlin.", file=sys.stderr)
        return 2
    if args.locale is not None and not _known_locale(args.locale):
        print(f"invoicebot: --locale {args.locale!r} is not a locale; use a code like de_DE, fr_FR or en_US.",
              file=sys.stderr)
        return 2
    clients = tuple(args.client)
    if any(_undecodable(name) for name in clients):
        print("invoicebot: a --client name is not UTF-8 text; give it as your terminal's UTF-8.", file=sys.stderr)
        return 2
    with use_language(args.locale):  # questions and refusals in the chosen locale's language
        _parse_lines(args, now, tz, clients)
    return 0


def _parse_lines(args: argparse.Namespace, now: datetime, tz: ZoneInfo, clients: tuple[str, ...]) -> None:
    out = sys.stdout.buffer  # UTF-8 whatever the locale: the contract is JSON lines
    for number, raw in enumerate(sys.stdin.buffer, 1):
        result = _parse_line(raw, number, now, tz, clients, args.locale)
        out.write((json.dumps(result, ensure_ascii=False) + "\n").encode("utf-8"))
    out.flush()


def _parse_line(raw: bytes, number: int, now: datetime, tz: ZoneInfo, clients: tuple[str, ...],
                locale: str | None) -> dict:  # type: ignore[type-arg]
    """One stdin line's JSON answer. A line that isn't UTF-8 is refused as a whole (never guessed at, nor echoed
    back as the invalid bytes it holds)."""
    from core.phrases import parse_result_json

    try:
        line = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        return {"ok": False, "error": f"line {number} is not UTF-8 text (byte 0x{raw[exc.start]:02x} at "
                                      f"position {exc.start + 1}); nothing in it was read"}
    try:
        return parse_result_json(line, now=now, tz=tz, clients=clients, locale=locale)
    except Exception:  # one line out for every line in, even on a parser bug
        log.exception("parser failed on line %d", number)
        return {"ok": False, "error": f"internal error on line {number}"}


def _undecodable(text: str) -> bool:
    """Command-line arguments that weren't UTF-8 arrive with lone surrogates in them (PEP 383)."""
    return any("\udc80" <= char <= "\udcff" for char in text)
