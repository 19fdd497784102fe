"""The one copy of what both channels use to take messages in: repeats dropped, one conversation in order."""
import asyncio

from adapters.ordering import RecentIds, Turns


def test_a_repeat_is_dropped_and_only_the_last_ids_are_kept() -> None:
    recent: RecentIds[str] = RecentIds(size=2)
    assert [recent.first_sight(i) for i in ("a", "b", "a")] == [True, True, False]
    assert recent.first_sight("c")  # "a" falls out: the set stays bounded
    assert recent.first_sight("a") and not recent.first_sight("c")


async def test_one_conversation_waits_its_turn_another_does_not_and_idle_ones_are_forgotten() -> None:
    turns: Turns[str] = Turns()
    order: list[str] = []
    first_inside, release = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with turns.turn("alice"):
            order.append("alice 1")
            first_inside.set()
            await release.wait()

    async def second() -> None:
        async with turns.turn("alice"):
            order.append("alice 2")

    async def other() -> None:
        async with turns.turn("bob"):
            order.append("bob")

    one = asyncio.create_task(first())
    await first_inside.wait()
    two = asyncio.create_task(second())
    await other()  # bob is not held up by alice's turn
    assert order == ["alice 1", "bob"] and len(turns) == 1
    release.set()
    await asyncio.gather(one, two)
    assert order == ["alice 1", "bob", "alice 2"]
    assert len(turns) == 0
