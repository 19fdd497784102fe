"""How long a fresh `invoicebot chat` takes to answer /help, beside a bare python importing the channel libraries.

    python bench/bench_startup.py [--rounds 15] [--tree PATH]

Each round runs, in turn (interleaved, so machine load hits both alike):
  baseline   python -c "import telegram, slack_bolt, sqlalchemy"  — what any start of the bot pays at least
  /help      echo /help | python -m bot chat  — a start on an existing, up-to-date SQLite database: settings,
             schema check, the core and its command table, one answer, exit
It prints the medians (wall clock, milliseconds), the ratio /help ÷ baseline and the goal beside it (≤ 1.3×).
``--tree`` runs the bot from another checkout (e.g. the previous release's) with the same interpreter, for a
before/after figure in one run. The database is made (and migrated) by one untimed start first.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 1.3
BASELINE = "import telegram, slack_bolt, sqlalchemy"


def timed(argv: list[str], env: dict[str, str], cwd: Path, stdin: bytes | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(argv, input=stdin, env=env, cwd=cwd, capture_output=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0 or (stdin and b"/invoice" not in result.stdout):
        raise SystemExit(f"{argv} failed: {result.stderr.decode(errors='replace')[-2000:]}")
    return elapsed * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--tree", type=Path, action="append", default=[],
                        help="also time the bot of this checkout (repeat)")
    args = parser.parse_args()
    trees = {"this tree": ROOT, **{str(tree): tree.resolve() for tree in args.tree}}
    with tempfile.TemporaryDirectory() as folder:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("TELEGRAM_", "SLACK_", "DATABASE_URL", "INVOICEBOT_", "SENTRY_"))}
        env["INVOICEBOT_SECRET_KEYS"] = "q9Q3bJ0H9s7vGQ1f3a0uC1mX1o2Q3c4Yb5Zr6Vt7Wu8="
        envs = {}
        for name, tree in trees.items():
            envs[name] = {**env, "PYTHONPATH": str(tree), "INVOICEBOT_DATA_DIR": str(Path(folder) / name.replace("/", "_"))}
            timed([sys.executable, "-m", "bot", "chat", "--as", "bench"], envs[name], tree, b"/help\n")  # migrate
        baseline: list[float] = []
        helps: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(args.rounds):
            baseline.append(timed([sys.executable, "-c", BASELINE], env, Path(folder)))
            for name, tree in trees.items():
                helps[name].append(timed([sys.executable, "-m", "bot", "chat", "--as", "bench"], envs[name], tree,
                                         b"/help\n"))
    base = statistics.median(baseline)
    print(f"{args.rounds} rounds, medians in ms (wall clock)")
    print(f"  baseline  {base:8.1f}   python -c {BASELINE!r}")
    for name, samples in helps.items():
        median = statistics.median(samples)
        print(f"  /help     {median:8.1f}   ratio {median / base:4.2f}×  (goal ≤ {GOAL}×)  {name}")


if __name__ == "__main__":
    main()
