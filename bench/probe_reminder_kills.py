"""Kill reminder workers with SIGKILL mid-batch and count the reminders lost or repeated (SQLite and PostgreSQL).

Each worker is a real process running the scheduler's tick; it is killed after a few sends, and the next one runs a
lease later, as the next cron tick would. At the end one worker finishes. Expected: repeated 0, lost at most one
per kill (the message being sent when the kill landed).

    python bench/probe_reminder_kills.py [--reminders 3000] [--kills 10]
    INVOICEBOT_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1/test python bench/probe_reminder_kills.py
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from core.storage import create_db_engine, migrate, session_factory  # noqa: E402
from tests.reminder_kills import kill_workers  # noqa: E402


def probe(url: str, folder: Path, reminders: int, kills: int) -> None:
    engine = create_db_engine(url)
    migrate(engine)
    report = kill_workers(url, session_factory(engine), folder / f"sent-{uuid.uuid4().hex[:6]}.txt",
                          reminders=reminders, kills=kills, timeout=600)
    engine.dispose()
    print(f"{make_url(url).get_backend_name():10s} reminders {report.reminders:5d}  kills {report.kills:3d}  "
          f"delivered {report.delivered:5d}  lost {report.lost:3d} (in flight at a kill: {report.marked_unsent})  "
          f"sent twice {report.repeated}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=3000)
    parser.add_argument("--kills", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        probe(f"sqlite:///{folder}/probe.db", Path(folder), args.reminders, args.kills)
        base = os.environ.get("INVOICEBOT_TEST_DATABASE_URL")
        if base:
            base = base.replace("postgresql://", "postgresql+psycopg://", 1)
            admin = create_engine(base, isolation_level="AUTOCOMMIT")
            name = f"invoicebot_probe_{uuid.uuid4().hex[:8]}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                probe(make_url(base).set(database=name).render_as_string(hide_password=False), Path(folder),
                      args.reminders, args.kills)
            finally:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
