"""/import of a Toggl Track export with 100 to 5,000 entries: the preview, and the Import button's transaction
against the same entries logged one task at a time (each numbered, inserted and journaled on its own — how
/import stored them before its batch).

    python bench/bench_import.py [--sizes 100 1000 5000] [--rounds 5] [--database-url URL]

Each round imports the file into a fresh account twice, interleaved: through Core.handle (/import, then the
Import button) and, as the baseline, the preview's planned entries stored with ``log_task`` one by one in one
transaction. It prints medians in milliseconds of this thread's CPU time (SQLite does its work in-process, so a
loaded machine changes it little; on PostgreSQL the server's share is not counted), the ratio of the button to the
baseline measured in the same run, and the goal beside it (≤ 0.5×). The database is a fresh SQLite file unless
--database-url names an empty, migrated one.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from bot.wiring import build_core  # noqa: E402
from core.encryption import Cipher  # noqa: E402
from core.imports import IMPORT_KIND  # noqa: E402
from core.journal import change_group, record_change  # noqa: E402
from core.messages import Attachment, Incoming, Reply  # noqa: E402
from core.models import Account, Client, Identity, ImportedEntry, PendingChoice  # noqa: E402
from core.storage import create_db_engine, migrate, session_factory, transaction  # noqa: E402
from core.tasks import Work, log_task  # noqa: E402

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
KEY = "q9Q3bJ0H9s7vGQ1f3a0uC1mX1o2Q3c4Yb5Zr6Vt7Wu8="
GOAL = 0.5
HEADER = ("User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,"
          "Tags,Amount (EUR)\n")


def export(size: int) -> bytes:
    """``size`` distinct entries over the year before NOW, a few a day, some past midnight."""
    rows = []
    for n in range(size):
        day = date(2026, 11, 29) - timedelta(days=n // 12)
        hour = 8 + n % 12
        length = "03:30:00" if n % 12 == 11 else "00:45:00"  # 19:00 + 3:30 runs past midnight
        rows.append(f"Sam,sam@example.com,{'ACME' if n % 3 else 'Initech'},Web,,Work item {n},Yes,{day},"
                    f"{hour:02d}:00:00,{day},{hour:02d}:45:00,{length},,")
    return (HEADER + "\n".join(rows) + "\n").encode()


def say(core, user: str, text: str, attachment: Attachment | None = None) -> Reply:  # type: ignore[no-untyped-def]
    reply = core.handle(Incoming(platform="bench", user_id=user, chat_id=user, text=text, attachment=attachment))
    assert reply is not None
    return reply


def preview(core, user: str, content: bytes) -> tuple[Reply, float]:  # type: ignore[no-untyped-def]
    for line in ("/client add ACME rate 80", "/client add Initech rate 60"):
        say(core, user, line)
    started = time.thread_time()
    reply = say(core, user, "/import", Attachment("toggl.csv", content, len(content)))
    return reply, time.thread_time() - started


def through_the_button(core, user: str, content: bytes) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    shown, preview_time = preview(core, user, content)
    started = time.thread_time()
    done = say(core, user, shown.actions[0].command)
    elapsed = time.thread_time() - started
    assert done.text.startswith("Imported"), done.text
    return preview_time, elapsed


def one_by_one(core, sessions, user: str, content: bytes) -> float:  # type: ignore[no-untyped-def]
    shown, _preview_time = preview(core, user, content)
    question = int(shown.actions[0].command.split()[1])
    started = time.thread_time()
    with transaction(sessions) as session, change_group():
        account = session.get(Account, session.scalar(select(Identity.account_id).where(
            Identity.platform == "bench", Identity.platform_user_id == user)))
        assert account is not None
        planned = json.loads(session.get(PendingChoice, question).options)[0]["entries"]
        change_id = record_change(session, account, IMPORT_KIND, NOW)
        for item in planned:
            client = session.get(Client, item["client"])
            for day, minutes in item["days"]:
                log_task(session, account, Work(client, date.fromisoformat(day), minutes, None, None,
                                                item["description"]), NOW)
            session.add(ImportedEntry(account_id=account.id, key=item["key"], change_id=change_id,
                                        created_at=NOW))
    return time.thread_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = create_db_engine(url)
        migrate(engine)
        sessions = session_factory(engine)
        core = build_core(sessions, Cipher([KEY]), lambda: NOW, default_tz="Europe/Berlin")
        print(f"{'entries':>8} {'preview':>10} {'Import':>10} {'one by one':>11} {'ratio':>6}  goal ≤ {GOAL}×  (ms CPU)")
        for size in args.sizes:
            content = export(size)
            previews, button, baseline = [], [], []
            for n in range(args.rounds):
                shown_in, stored_in = through_the_button(core, f"button-{size}-{n}", content)
                previews.append(shown_in)
                button.append(stored_in)
                baseline.append(one_by_one(core, sessions, f"baseline-{size}-{n}", content))
            ratio = statistics.median(button) / statistics.median(baseline)
            print(f"{size:>8} {statistics.median(previews) * 1000:>10.0f} {statistics.median(button) * 1000:>10.0f} "
                  f"{statistics.median(baseline) * 1000:>11.0f} {ratio:>6.2f}  {'ok' if ratio <= GOAL else 'MISSED'}")
        engine.dispose()


if __name__ == "__main__":
    main()
