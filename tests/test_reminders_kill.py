"""A reminder worker killed (SIGKILL) in the middle of its batch costs at most the message it was sending: another
worker takes over the rest of the batch once the lease expires, and no chat hears the same reminder twice."""
from tests.reminder_kills import kill_workers

REMINDERS = 40
KILLS = 3


def test_killed_workers_lose_at_most_the_message_in_flight(database_url, sessions, tmp_path) -> None:
    report = kill_workers(database_url, sessions, tmp_path / "sent.txt", reminders=REMINDERS, kills=KILLS)
    assert report.repeated == 0
    assert report.lost <= KILLS, report
    assert report.lost == report.marked_unsent  # each loss is a message that was on its way when a worker died
    assert report.delivered == REMINDERS - report.lost
