"""Every example /help shows reaches its command; unknown commands are answered, not dropped."""
import pytest

from core.app import Core, split_command
from core.commands import COMMANDS, PLAIN_TEXT
from core.context import Context
from core.messages import Incoming, Reply

EXAMPLES = [(command.name, example) for command in COMMANDS for example in command.examples]


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[e for _, e in EXAMPLES])
def test_every_documented_example_reaches_its_command(name, example, sessions, cipher, clock) -> None:
    reached: list[tuple[str, str]] = []

    def spy(command_name):  # type: ignore[no-untyped-def]
        def handler(ctx: Context, args: str) -> Reply:
            reached.append((command_name, args))
            return Reply("ok")
        return handler

    from dataclasses import replace

    table = [replace(c, handler=spy(c.name)) for c in COMMANDS]
    core = Core(sessions, cipher, clock, commands=table, plain_text=PLAIN_TEXT)
    reply = core.handle(Incoming("local", "alice", "alice", example))
    assert reply == Reply("ok")
    assert [n for n, _ in reached] == [name]


def test_plain_text_goes_to_the_plain_text_handler_whatever_the_table_calls_its_commands(
        sessions, cipher, clock) -> None:
    """Plain text is routed to the handler the wiring gives, not looked up by the name "log" in the table."""
    got: list[str] = []

    def plain(ctx: Context, args: str) -> Reply:
        got.append(args)
        return Reply("plain")

    table = [c for c in COMMANDS if c.name != "log"]  # a table without /log still logs plain text
    core = Core(sessions, cipher, clock, commands=table, plain_text=plain)
    assert core.handle(Incoming("local", "alice", "alice", "2h design for ACME")) == Reply("plain")
    assert got == ["2h design for ACME"]
    assert "don't know the command /log" in core.handle(Incoming("local", "alice", "alice", "/log 2h x")).text


def test_help_lists_every_user_command_and_three_examples(chat) -> None:
    text = chat.text("/help")
    for command in COMMANDS:
        if command.name != "pick":
            assert command.usage in text
    assert text.count("\n• ") == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [("/invoice ACME", ("invoice", "ACME")), ("/Tasks@invoice_bot ACME Corp", ("tasks", "ACME Corp")),
     ("/tasks", ("tasks", "")), ("2h design", None)],
)
def test_split_command(text, expected) -> None:
    assert split_command(text) == expected


def test_command_names_are_unique_and_lowercase() -> None:
    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names))
    assert all(n == n.lower() and n.isidentifier() for n in names)
