"""Corrections a freelancer makes during the week: /edit changes only what the phrase names."""


def task_id_of(reply_text: str) -> str:
    return reply_text.split("#")[1].split(":")[0]


def test_edit_with_only_a_duration_keeps_the_description(chat) -> None:
    chat.say("/client add ACME rate 80")
    task_id = task_id_of(chat.text("1,5h bugfix ACME"))
    changed = chat.text(f"/edit {task_id} 2h")
    assert "2h for ACME" in changed and "— bugfix —" in changed and "€160.00" in changed
    assert "bugfix" in chat.text("/tasks")


def test_edit_with_a_new_description_replaces_it(chat) -> None:
    chat.say("/client add ACME rate 80")
    task_id = task_id_of(chat.text("1,5h bugfix ACME"))
    changed = chat.text(f"/edit {task_id} 2h code review")
    assert "code review" in changed and "bugfix" not in changed


def test_edit_of_the_hours_keeps_the_rate_typed_with_the_task(chat) -> None:
    chat.say("/client add ACME rate 80")
    task_id = task_id_of(chat.text("2h rush job for ACME @ 120/h"))
    changed = chat.text(f"/edit {task_id} 3h")
    assert "€360.00 at €120.00/h" in changed
    assert "€360.00" in chat.text("/tasks")


def test_edit_naming_a_new_rate_or_client_drops_the_old_rate(chat) -> None:
    chat.say("/client add ACME rate 80")
    chat.say("/client add Initech rate 70")
    task_id = task_id_of(chat.text("2h rush job for ACME @ 120/h"))
    assert "€300.00 at €100.00/h" in chat.text(f"/edit {task_id} 3h @ 100/h")
    assert "€210.00 at €70.00/h" in chat.text(f"/edit {task_id} 3h for Initech")


def test_edit_without_a_duration_keeps_the_tasks_duration(chat) -> None:
    chat.say("/client add ACME rate 80")
    chat.say("/client add Globex rate 100")
    task_id = task_id_of(chat.text("1h 30m bugfix ACME"))
    assert "1h 30m for ACME on 23 Nov 2026 — bugfix — €120.00" in chat.text(f"/edit {task_id} yesterday")
    assert "#1 23 Nov 2026 · 1h 30m · bugfix · €120.00" in chat.text("/tasks")
    moved = chat.text(f"/edit {task_id} for Globex")
    assert "1h 30m for Globex on 23 Nov 2026 — bugfix — €150.00" in moved
    assert "1h 30m for Globex on 23 Nov 2026 — code review" in chat.text(f"/edit {task_id} code review")


def test_edit_without_a_price_keeps_the_fixed_price(chat) -> None:
    chat.say("/client add ACME rate 80")
    task_id = task_id_of(chat.text("€500 website for ACME"))
    assert "fixed price for ACME on 23 Nov 2026 — website — €500.00" in chat.text(f"/edit {task_id} yesterday")


def test_edit_with_an_impossible_phrase_is_still_refused(chat) -> None:
    chat.say("/client add ACME rate 80")
    task_id = task_id_of(chat.text("2h design ACME"))
    assert "more than 24 hours" in chat.text(f"/edit {task_id} 30h")
