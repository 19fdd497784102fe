"""One set of books, shown: issue 16's "Done when" as a transcript against ONE real `invoicebot run` serving the
Telegram webhook (the fake Bot API), Slack over HTTP (the fake Slack) and the REST API.

    python bench/demo_one_set_of_books.py CHART.png [--database-url URL]

A Telegram user links their Slack identity and makes an API token; with the event stream open (what
`curl -N "$IB/events"` holds open), "2h logo design for ACME" typed in Telegram arrives as a task.logged event, and
Slack's /tasks lists it. Then the REST API in use — each request printed as the curl command it is equivalent to,
with the server's real answer — the events those requests caused, with their arrival delay, and `/report month`'s
chart, saved to CHART.png. If curl is installed, the same API is then used with curl itself, `curl -N` included.

The database is a fresh SQLite file in a temporary folder unless --database-url names another (an empty one).
The token is a throwaway one of that database; the transcript still shows only its first characters.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.one_set_of_books import OneSetOfBooks, Stream, link_and_make_token  # noqa: E402

PROFILE = ("/profile set name Jane Doe Design", "/profile set address Hauptstr. 1 | 10115 Berlin",
           "/profile set country DE")
CONTRACT = 2.0
"""SPEC §10: a change reaches an open stream within 2 s."""


class Transcript:
    """Prints the demo's steps; keeps when each action happened, to give each event its delay after its cause."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.causes: dict[str, list[tuple[float, str]]] = {}
        """Event name -> (when, what) of the actions expected to cause one, in order."""

    def say(self, text: str = "") -> None:
        print(text.replace(self.token, self.token[:7] + "…"), flush=True)

    def heading(self, text: str) -> None:
        self.say()
        self.say(f"== {text}")

    def expect(self, event: str, what: str, at: float) -> None:
        """``what``, done at ``at``, should put an ``event`` on the stream."""
        self.causes.setdefault(event, []).append((at, what))

    def cause(self, event: str) -> tuple[float, str] | None:
        """The oldest action not yet matched that was expected to cause ``event``."""
        waiting = self.causes.get(event)
        return waiting.pop(0) if waiting else None

    def chat(self, who: str, text: str) -> None:
        """A chat turn, continuation lines indented under its first."""
        for n, line in enumerate(text.splitlines() or [""]):
            self.say(f"{who if n == 0 else ' ' * len(who)} {line}")


def curl_line(method: str, path: str, body: dict[str, Any] | None = None, *, auth: bool = True,
              output: str | None = None) -> str:
    parts = ["curl -s"]
    if method != "GET":
        parts.append(f"-X {method}")
    parts.append(f'"$IB{path}"')
    if auth:
        parts.append('-H "Authorization: Bearer $TOKEN"')
    if body is not None:
        parts.append(f"-H 'Content-Type: application/json' -d '{json.dumps(body)}'")
    if output:
        parts.append(f"-o {output}")
    return "$ " + " ".join(parts)


async def request(books: OneSetOfBooks, out: Transcript, token: str, method: str, path: str,
                  body: dict[str, Any] | None = None, *, auth: bool = True, save: Path | None = None,
                  causes: str | None = None) -> Any:
    """One API call, printed as its curl equivalent with the answer (status line, then the body); ``causes`` is
    the event it should put on the stream."""
    out.say(curl_line(method, path, body, auth=auth, output=save.name if save else None))
    headers = {"Authorization": f"Bearer {token}"} if auth else {}
    sent = time.monotonic()
    if causes is not None:
        out.expect(causes, f"{method} {path} was sent", sent)
    async with books.http.request(method, books.api + path, json=body, headers=headers) as response:
        content = await response.read()
        out.say(f"  HTTP {response.status} {response.content_type}   (answered in {time.monotonic() - sent:.3f} s)")
        if save is not None:
            save.write_bytes(content)
            out.say(f"  {len(content)} bytes saved to {save.name}, starting {content[:8]!r}")
            return None
        text = content.decode()
        out.say("  " + (json.dumps(json.loads(text), ensure_ascii=False) if text else "(no body)"))
        return json.loads(text) if text else None


def print_events(out: Transcript, stream: Stream, start: int) -> int:
    for event in stream.events[start:]:
        cause = out.cause(event.name)
        out.say(f"  {event.at - cause[0]:.3f} s after {cause[1]}:" if cause else "  (no cause expected):")
        for line in event.raw.splitlines():
            out.say(f"    {line}")
    return len(stream.events)


async def done_when(books: OneSetOfBooks, out: Transcript, token: str, stream: Stream) -> None:
    out.heading("the Telegram user types a task while `curl -N \"$IB/events\" -H \"Authorization: Bearer $TOKEN\"` "
                "is open")
    out.say('telegram > 2h logo design for ACME')
    await books.deliver("2h logo design for ACME")
    acknowledged = books.acknowledged_at
    out.expect("task.logged", "the Telegram webhook's 200", acknowledged)
    logged = await stream.first("task.logged", timeout=CONTRACT + 10)
    out.say(f"  (webhook answered 200; task.logged arrived on the stream {logged.at - acknowledged:.3f} s later — "
            f"the contract is ≤ {CONTRACT:.0f} s)")
    answers = await books.telegram_api.wait_for("sendMessage", chat_id=4242, timeout=30)
    out.chat("telegram <", answers[-1].params["text"])
    out.heading("Slack, the same user at the desk")
    out.chat("slack >", "/tasks")
    out.chat("slack <", await books.slack("/tasks"))


async def api_tour(books: OneSetOfBooks, out: Transcript, token: str, folder: Path) -> None:
    out.heading("the REST API (IB=http://127.0.0.1:PORT/api/v1)")
    await request(books, out, token, "GET", "/tasks")
    await request(books, out, token, "POST", "/tasks", {"text": "1h call for ACME"}, causes="task.logged")
    invoice = await request(books, out, token, "POST", "/invoices", {"client": "ACME"}, causes="invoice.issued")
    number = invoice["number"]
    await request(books, out, token, "GET", f"/invoices/{number}.pdf", save=folder / f"{number}.pdf")
    await request(books, out, token, "POST", f"/invoices/{number}/payments", {"amount": "100.00"},
                  causes="invoice.paid")
    await request(books, out, token, "GET", "/invoices/INV-1999-0001")
    await request(books, out, token, "GET", "/tasks", auth=False)


async def report(books: OneSetOfBooks, out: Transcript, chart: Path) -> None:
    out.heading("/report month in Telegram: the chart")
    out.say("telegram > /report month")
    photo = await books.telegram_photo("/report month")
    name, content = photo.files["photo"]
    chart.write_bytes(content)
    out.say(f"telegram < [photo {name}, {len(content)} bytes, saved to {chart}]")
    for line in photo.params.get("caption", "").splitlines():
        out.say(f"  {line}")


async def with_real_curl(books: OneSetOfBooks, out: Transcript, token: str) -> None:
    curl = shutil.which("curl")
    if curl is None:
        out.heading("curl itself: not installed on this machine, skipped")
        return
    out.heading("the same with curl itself")
    auth = f"Authorization: Bearer {token}"
    for args in (["-s", books.api + "/tasks?limit=2", "-H", auth],
                 ["-s", "-w", "\\nHTTP %{http_code}\\n", books.api + "/tasks"],
                 ["-s", "-w", "\\nHTTP %{http_code}\\n", books.api + "/clients/999", "-H", auth]):
        shown = " ".join(f'"{a}"' if " " in a or "%" in a or a.startswith("http") else a for a in args)
        out.say("$ curl " + shown.replace(books.api, "$IB").replace(token, "$TOKEN"))
        done = await asyncio.create_subprocess_exec(curl, *args, stdout=asyncio.subprocess.PIPE)
        stdout, _ = await done.communicate()
        out.say("  " + stdout.decode().strip().replace("\n", "\n  "))
    out.say('$ curl -N "$IB/events" -H "Authorization: Bearer $TOKEN"     # while Telegram gets "30m review for ACME"')
    follower = await asyncio.create_subprocess_exec(curl, "-N", "-s", books.api + "/events", "-H", auth,
                                                    stdout=asyncio.subprocess.PIPE)
    assert follower.stdout is not None
    try:
        first = await asyncio.wait_for(follower.stdout.readline(), 30)  # the retry line: the stream is open
        out.say(f"  {first.decode().rstrip()}")
        await follower.stdout.readline()
        await books.deliver("30m review for ACME")
        acknowledged = books.acknowledged_at
        event_seen = False
        while True:  # past heartbeats, up to the end of the first event
            line = (await asyncio.wait_for(follower.stdout.readline(), CONTRACT + 10)).decode().rstrip("\n")
            arrived = time.monotonic() - acknowledged
            event_seen = event_seen or line.startswith("event: ")
            late = f"      ← {arrived:.3f} s after the Telegram webhook's 200" if line.startswith("event: ") else ""
            out.say(f"  {line}{late}")
            if event_seen and not line:
                break
    finally:
        follower.terminate()
        await follower.wait()


async def demo(chart: Path, database_url: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="one-set-of-books-") as name:
        folder = Path(name)
        async with OneSetOfBooks(folder, database_url, migrate=True) as books:
            said, token = await link_and_make_token(books)
            out = Transcript(token)
            out.say("== one `invoicebot run`: Telegram webhook + Slack over HTTP + INVOICEBOT_API=on")
            for line in PROFILE:
                said.extend([("telegram >", line), ("telegram <", await books.telegram(line))])
            for who, text in said:
                out.chat(who, text)
            out.say(f"TOKEN={token}   # shown once by /token new; IB=http://127.0.0.1:PORT/api/v1")
            async with books.events(token) as stream:
                await done_when(books, out, token, stream)
                await api_tour(books, out, token, folder)
                await report(books, out, chart)
                await stream.first("invoice.paid", timeout=CONTRACT + 10)
                out.heading("what the open event stream received, each with its delay after what caused it")
                print_events(out, stream, 0)
            await with_real_curl(books, out, token)
        if books.exit_code != 0:
            raise SystemExit(f"invoicebot run exited {books.exit_code}:\n{books.log[-3000:]}")
        out.heading(f"invoicebot run stopped on SIGTERM, exit code {books.exit_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chart", type=Path, help="where to save /report month's chart (PNG)")
    parser.add_argument("--database-url", help="an empty database to use instead of a temporary SQLite file")
    options = parser.parse_args()
    asyncio.run(demo(options.chart.resolve(), options.database_url))


if __name__ == "__main__":
    main()
