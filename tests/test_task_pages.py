"""/tasks and /report at any number of tasks: pages of task lines, totals summed in SQL that match pricing every
task one by one, and a number of queries that doesn't grow with the tasks."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import event, insert, select

from core.models import Account, Client, Task
from core.money import totals_by_currency
from core.tasks import PAGE_SIZE, task_amount, total_tasks, unbilled_tasks, unbilled_totals
from tests.conftest import SELLER_PROFILE, Conversation

CREATED = datetime(2026, 11, 1, tzinfo=UTC)


def add_tasks(sessions, client_name: str, count: int, *, start: date = date(2026, 11, 1), **fields) -> None:  # type: ignore[no-untyped-def]
    """``count`` tasks for the client, one a day backwards from ``start``, numbered after the account's last."""
    with sessions.begin() as session:
        account = session.scalar(select(Account))
        client = session.scalar(select(Client).where(Client.name == client_name))
        first = account.last_task_number + 1
        account.last_task_number += count
        session.execute(insert(Task), [
            {"account_id": account.id, "number": first + n, "client_id": client.id,
             "work_date": start - timedelta(days=n % 400), "minutes": fields.get("minutes", 30 + n % 7 * 25),
             "rate": fields.get("rate"), "fixed_amount_minor": fields.get("fixed_amount_minor"),
             "fixed_currency": fields.get("fixed_currency"), "description": f"work {first + n}",
             "created_at": CREATED} for n in range(count)])


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"^  #(\d+) ", text, re.MULTILINE)]


def test_tasks_come_a_page_at_a_time_with_each_clients_totals(chat: Conversation, sessions) -> None:
    chat.say("/client add ACME rate 80")
    chat.say("/client add Zeta rate 100")
    add_tasks(sessions, "Zeta", 20)
    add_tasks(sessions, "ACME", 40)
    first = chat.say("/tasks")
    assert len(numbers(first.text)) == PAGE_SIZE
    assert "Page 1 of 3; the next one: /tasks page 2" in first.text
    assert [action.command for action in first.actions] == ["/tasks page 2"]
    pages = [first.text, chat.text("/tasks page 2"), chat.text("/tasks page 3")]
    listed = [n for page in pages for n in numbers(page)]
    with sessions() as session:
        account = session.scalar(select(Account))
        expected = [t.number for t in sorted(unbilled_tasks(session, account),
                                             key=lambda t: (t.client.name.casefold(), t.work_date, t.id))]
        acme = total_tasks(unbilled_tasks(session, account, session.scalar(select(Client).where(Client.name == "ACME"))))
    assert listed == expected  # every task once, by client, then date
    assert "Page 3 of 3" in pages[2] and "next" not in pages[2]
    acme_head = f"ACME — {acme.minutes // 60}h {acme.minutes % 60}m".replace(" 0m", "")
    assert all(acme_head in page for page in pages[:2])  # a client's totals cover all its work, on every page
    assert "Zeta —" in pages[1] and "Zeta —" in pages[2] and "Zeta —" not in pages[0]
    assert "There are only 3 pages of unbilled work: send /tasks page 3." in chat.text("/tasks page 4")
    assert "Pages start at 1" in chat.text("/tasks page 0")
    assert len(numbers(chat.text("/tasks Zeta page 1"))) == 20


def test_totals_in_sql_price_every_task_as_pricing_it_alone_does(chat: Conversation, sessions) -> None:
    chat.say("/client add ACME rate 80")
    chat.say("/client add Bern rate 95.50 currency CHF")
    chat.say("/client add NoRate")
    chat.say("/client set ACME rounding 15")
    add_tasks(sessions, "ACME", 30)
    add_tasks(sessions, "ACME", 5, rate=Decimal("112.35"))
    add_tasks(sessions, "ACME", 3, minutes=None, fixed_amount_minor=50_000)
    add_tasks(sessions, "ACME", 2, minutes=None, fixed_amount_minor=12_345, fixed_currency="USD")
    add_tasks(sessions, "Bern", 17, minutes=7)
    add_tasks(sessions, "NoRate", 4)
    with sessions() as session:
        account = session.scalar(select(Account))
        summed = {group.client.name: group.totals for group in unbilled_totals(session, account)}
        one_by_one = {}
        for client in session.scalars(select(Client)):
            tasks = unbilled_tasks(session, account, client)
            one_by_one[client.name] = total_tasks(tasks)
            assert summed[client.name].amounts == totals_by_currency(
                a for a in (task_amount(t) for t in tasks) if a is not None)
    assert summed == one_by_one
    assert summed["NoRate"].unpriced == 4 and summed["ACME"].billed_minutes > summed["ACME"].minutes


def test_the_report_sums_billed_work_at_its_invoice_and_unbilled_at_todays_rate(chat: Conversation,
                                                                                  sessions) -> None:
    for line in SELLER_PROFILE:
        chat.say(line)
    chat.say("/client add ACME rate 80")
    chat.say("2h design for ACME on Monday")
    chat.say("90m review for ACME on Tuesday")
    assert chat.invoice("/invoice ACME").document is not None
    chat.say("/client set ACME rate 100")  # billed work keeps the invoice's rate
    chat.say("1h call for ACME")
    chat.say("€300 logo for ACME")
    report = chat.text("/report")
    assert "ACME: unbilled 1h (€400.00) · billed 3h 30m (€280.00) · outstanding €280.00" in report, report


def test_tasks_and_report_cost_the_same_queries_at_30_and_3000_tasks(chat: Conversation, sessions, engine) -> None:
    chat.say("/client add ACME rate 80")
    chat.say("/client add Bern rate 90")
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    def queries(text: str) -> int:
        statements.clear()
        reply = chat.say(text)
        assert len(reply.text) < 4096  # one chat message (Telegram's limit), however many tasks
        return len(statements)

    add_tasks(sessions, "ACME", 15)
    add_tasks(sessions, "Bern", 15)
    small = queries("/tasks"), queries("/report month"), queries("/tasks page 2")
    add_tasks(sessions, "ACME", 1500)
    add_tasks(sessions, "Bern", 1500, start=date(2026, 11, 20))
    large = queries("/tasks"), queries("/report month"), queries("/tasks page 2")
    assert all(big <= few for big, few in zip(large, small, strict=True)), (small, large)
