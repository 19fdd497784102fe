"""/tasks and /report as an account's tasks grow from 10 to 100,000: the cost per page should stay flat.

    python bench/bench_tasks.py [--sizes 10 1000 100000] [--rounds 15] [--database-url URL] [--explain]

For each size, one account holds that many tasks (two thirds billed history spread over years, a third unbilled,
over 12 clients) and the bench times, through Core.handle, in rounds interleaved between the commands:
  /tasks          the first page of unbilled work, each client's totals summed over all of it
  /tasks page 3   a later page
  /report month   this month's figures per client and currency, as text (its chart left out: see below)
and, apart, the chart of that report (matplotlib, a fixed cost per report whatever the number of tasks).
It prints medians in milliseconds, the ratio to the smallest size (measured in the same run) and the goal beside
it (flat: ≤ 1.5× from 10 to 100,000). On SQLite the time is this thread's CPU time (all the work is in-process,
so a loaded machine changes it little); on PostgreSQL, where the server does part of the work, wall time.
``--explain`` (PostgreSQL) prints the plan of every statement /tasks and /report run at the largest size (EXPLAIN
ANALYZE), /report also over a year of billed history. The database is a fresh SQLite file unless --database-url is given (it must be an empty, migrated
database; the bench fills and reuses it).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, insert, select, text  # noqa: E402

from bot.wiring import build_core  # noqa: E402
from core.charts import report_chart  # noqa: E402
from core.commands import reports as report_command  # noqa: E402
from core.encryption import Cipher  # noqa: E402
from core.messages import Incoming, Reply  # noqa: E402
from core.models import Account, Client, Identity, Invoice, InvoiceLine, Payment, Task  # noqa: E402
from core.reports import build_report, period_bounds  # noqa: E402
from core.storage import create_db_engine, migrate, session_factory  # noqa: E402

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
COMMANDS = ("/tasks", "/tasks page 3", "/report month")
"""``/tasks page 3`` asks for the last page where there are fewer (10 tasks: one page)."""
CHART = "chart of it"
BILLED_YEAR = "/report 2018-01-01..2018-12-31"
"""A year of the billed history at 100,000 tasks (its invoices, their lines and payments): --explain shows its
plans too, where the month has no invoice yet."""
GOAL = 1.5
CLIENTS = 12


def fill(sessions, core, user: str, count: int, unbilled: int | None) -> None:  # type: ignore[no-untyped-def]
    """An account of ``user`` with CLIENTS clients and ``count`` tasks: ``unbilled`` of them (default a third) not
    billed yet (the newest), the rest billed as a freelancer bills — one invoice per client and month of work,
    issued on the 1st of the next month with a line per task, paid in full two weeks later — one task a day per
    client back in time. /report reads the period's invoices, their lines and payments among that history."""
    def say(message: str) -> None:
        core.handle(Incoming(platform="bench", user_id=user, chat_id=user, text=message, is_private=True))

    say("/profile set name Bench Design")
    for n in range(CLIENTS):
        say(f"/client add Client{n:02d} rate {60 + n * 5}")
    with sessions.begin() as session:
        account = session.scalar(select(Account).join(Identity, Identity.account_id == Account.id)
                                 .where(Identity.platform == "bench", Identity.platform_user_id == user))
        clients = list(session.scalars(select(Client).where(Client.account_id == account.id).order_by(Client.id)))
        unbilled = min(count, unbilled) if unbilled is not None else max(1, count // 3)
        rows = []
        for n in range(count):
            client = clients[n % CLIENTS]
            rows.append({"account_id": account.id, "number": n + 1, "client_id": client.id,
                         "work_date": date(2026, 11, 30) - timedelta(days=n // CLIENTS),
                         "minutes": 30 + n % 9 * 15, "description": f"work item {n}", "created_at": NOW,
                         "invoice_id": None})
        months: dict[tuple[int, date], list[dict]] = {}  # type: ignore[type-arg]
        for row in rows[unbilled:]:
            months.setdefault((row["client_id"], row["work_date"].replace(day=1)), []).append(row)
        rates = {client.id: client.rate for client in clients}
        invoices = []
        for number, ((client_id, month), tasks) in enumerate(sorted(months.items()), 1):
            issued = (month + timedelta(days=32)).replace(day=1)
            total = sum(int(rates[client_id] * task["minutes"] * 100 / 60) for task in tasks)
            invoices.append(Invoice(account_id=account.id, client_id=client_id, number=f"B-{number}", status="paid",
                                    issue_date=issued, due_date=issued + timedelta(days=30), currency="EUR",
                                    locale="en", language="en", subtotal_minor=total, tax_rate=Decimal(0),
                                    tax_minor=0, total_minor=total, seller_enc="", buyer="{}", notes=None,
                                    created_at=NOW))
        session.add_all(invoices)
        session.flush()
        lines, payments = [], []
        for invoice, tasks in zip(invoices, (months[key] for key in sorted(months)), strict=True):
            for position, task in enumerate(tasks, 1):
                task["invoice_id"] = invoice.id
                lines.append({"invoice_id": invoice.id, "position": position, "task_id": None,
                              "work_date": task["work_date"], "description": task["description"],
                              "minutes": task["minutes"], "rate": rates[invoice.client_id],
                              "amount_minor": int(rates[invoice.client_id] * task["minutes"] * 100 / 60)})
            payments.append({"account_id": account.id, "invoice_id": invoice.id, "amount_minor": invoice.total_minor,
                             "paid_on": invoice.issue_date + timedelta(days=14), "created_at": NOW})
        for table, values in ((Task, rows), (InvoiceLine, lines), (Payment, payments)):
            for start in range(0, len(values), 5000):
                session.execute(insert(table), values[start:start + 5000])
        account.last_task_number = count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000, 100_000])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--explain", action="store_true", help="print the PostgreSQL plans at the largest size")
    parser.add_argument("--unbilled", type=int, default=None,
                        help="unbilled tasks per account (default: a third of its tasks); the rest is billed history")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        engine = create_db_engine(url)
        migrate(engine)
        sessions = session_factory(engine)
        core = build_core(sessions, Cipher([Cipher.new_key()]), lambda: NOW)
        stamp = int(time.time())
        users = {size: f"bench-{stamp}-{size}" for size in args.sizes}
        for size, user in users.items():
            fill(sessions, core, user, size, args.unbilled)
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("ANALYZE"))
            else:
                connection.exec_driver_sql("ANALYZE")

        clock = time.thread_time if engine.dialect.name == "sqlite" else time.perf_counter
        # The text report alone: its chart is drawn after the transaction, and timed apart below.
        report_command._with_chart = lambda result, heading, text, locale: Reply(text)  # type: ignore[assignment]

        def handle(user: str, command: str) -> float:
            if command == "/tasks page 3":
                size = next(size for size, name in users.items() if name == user)
                unbilled = min(size, args.unbilled) if args.unbilled is not None else max(1, size // 3)
                command = f"/tasks page {min(3, -(-unbilled // 25))}"
            started = clock()
            reply = core.handle(Incoming(platform="bench", user_id=user, chat_id=user, text=command,
                                         is_private=True))
            elapsed = (clock() - started) * 1000
            assert reply is not None and "Sorry" not in reply.text, reply
            return elapsed

        reports = {}
        for size, user in users.items():
            with sessions() as session:
                account = session.scalar(select(Account).join(Identity, Identity.account_id == Account.id)
                                         .where(Identity.platform == "bench", Identity.platform_user_id == user))
                reports[size] = build_report(session, account, *period_bounds("month", NOW.date()))

        def chart(size: int) -> float:
            started = time.thread_time()
            assert report_chart(reports[size], "This month", "en_GB") is not None
            return (time.thread_time() - started) * 1000

        for size, user in users.items():  # warm-up (the first chart imports matplotlib)
            for command in COMMANDS:
                handle(user, command)
            chart(size)
        samples = {(size, command): [] for size in args.sizes for command in (*COMMANDS, CHART)}  # type: ignore[var-annotated]
        for _ in range(args.rounds):
            for command in COMMANDS:
                for size, user in users.items():
                    samples[size, command].append(handle(user, command))
            for size in args.sizes:
                samples[size, CHART].append(chart(size))

        share = f"{args.unbilled} unbilled" if args.unbilled is not None else "a third unbilled"
        print(f"{engine.dialect.name}, {share}, {args.rounds} rounds, medians in ms "
              f"({'thread CPU' if clock is time.thread_time else 'wall'} time; the chart: thread CPU); ratio to "
              f"{args.sizes[0]} tasks (goal ≤ {GOAL}×: flat)")
        for command in (*COMMANDS, CHART):
            base = statistics.median(samples[args.sizes[0], command])
            cells = []
            for size in args.sizes:
                median = statistics.median(samples[size, command])
                cells.append(f"{size:>7} tasks {median:7.2f} ({median / base:4.2f}×)")
            print(f"  {command:<15} " + "   ".join(cells))

        if args.explain and engine.dialect.name == "postgresql":
            largest = users[max(args.sizes)]
            statements: list[tuple[str, object]] = []

            def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
                statements.append((statement, parameters))

            for command in ("/tasks", "/report month", BILLED_YEAR):
                statements.clear()
                event.listen(engine, "before_cursor_execute", record)
                handle(largest, command)
                event.remove(engine, "before_cursor_execute", record)
                print(f"\n== {command} on {max(args.sizes)} tasks: the plans of its reads of tasks, invoices and "
                      "payments")
                with engine.connect() as connection:
                    raw = connection.connection.dbapi_connection
                    assert raw is not None
                    for statement, parameters in statements:
                        if not any(f"FROM {table}" in statement for table in ("tasks", "invoices", "payments")):
                            continue
                        cursor = raw.cursor()
                        cursor.execute("EXPLAIN ANALYZE " + statement, parameters)
                        print("-- " + " ".join(statement.split())[:300])
                        for (line,) in cursor.fetchall():
                            print("   " + line)
                    raw.rollback()
        engine.dispose()


if __name__ == "__main__":
    main()
