"""What a fresh `invoicebot chat` costs to answer /help (and one phrase), beside a bare python importing the channel
libraries.

    python bench/bench_startup.py [--rounds 15] [--tree PATH]

Each round runs, in turn (interleaved, so machine load hits all alike):
  baseline   python -c "import telegram, slack_bolt, sqlalchemy"  — what any start of the bot pays at least
  /help      echo /help | python -m bot chat  — a start on an existing, up-to-date SQLite database: settings,
             schema check, key check, the core and its command table, one answer, exit
  phrase     echo "2h logo design for ACME yesterday" | python -m bot chat  — the same start, answering one logged
             phrase (the parser and the task services load for it)
Times are the child process's CPU (user + system), so a loaded machine's waiting doesn't count. It prints the
medians in milliseconds, the ratios to the baseline and the goal beside /help's (≤ 1.3×). ``--tree`` runs the bot
from another checkout (e.g. the previous release's) with the same interpreter, for a before/after figure in one
run. The database is made (and migrated, with the client ACME) by one untimed start first, which also writes the
bot's compiled modules (as installing it does), whatever PYTHONDONTWRITEBYTECODE says; ``--uncompiled`` instead
runs a copy of each tree's sources with PYTHONDONTWRITEBYTECODE=1, so the bot's own modules are compiled at every
start (a fresh checkout where that variable is set; the libraries keep their compiled modules).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 1.3
BASELINE = "import telegram, slack_bolt, sqlalchemy"
PHRASE = b"2h logo design for ACME yesterday\n"


def cpu_ms(argv: list[str], env: dict[str, str], cwd: Path, stdin: bytes = b"", expect: bytes = b"") -> float:
    """The CPU time of one child process, from the children's usage before and after it (one child at a time)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(argv, input=stdin, env=env, cwd=cwd, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0 or expect not in result.stdout:
        raise SystemExit(f"{argv} failed: {(result.stdout + result.stderr).decode(errors='replace')[-2000:]}")
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000


def copy_sources(tree: Path, to: Path) -> Path:
    """The tree's files without compiled modules (nor its virtualenv and git data)."""
    shutil.copytree(tree, to, ignore=shutil.ignore_patterns("__pycache__", ".venv", ".git", "*.egg-info", "tests"))
    return to


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--tree", type=Path, action="append", default=[],
                        help="also time the bot of this checkout (repeat)")
    parser.add_argument("--uncompiled", action="store_true",
                        help="compile the bot's own modules at every start (PYTHONDONTWRITEBYTECODE=1, no __pycache__)")
    args = parser.parse_args()
    trees = {"this tree": ROOT, **{str(tree): tree.resolve() for tree in args.tree}}
    chat = [sys.executable, "-m", "bot", "chat", "--as", "bench"]
    with tempfile.TemporaryDirectory() as folder:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("TELEGRAM_", "SLACK_", "DATABASE_URL", "INVOICEBOT_", "SENTRY_", "SMTP_"))
               and key != "PYTHONDONTWRITEBYTECODE"}  # an installed bot's modules are compiled once, as the libraries
        env["INVOICEBOT_SECRET_KEYS"] = "q9Q3bJ0H9s7vGQ1f3a0uC1mX1o2Q3c4Yb5Zr6Vt7Wu8="
        envs = {}
        for number, (name, tree) in enumerate(list(trees.items())):
            if args.uncompiled:
                tree = trees[name] = copy_sources(tree, Path(folder) / f"sources-{number}")
            envs[name] = {**env, "PYTHONPATH": str(tree), "INVOICEBOT_DATA_DIR": str(Path(folder) / f"data-{number}")}
            if args.uncompiled:
                envs[name]["PYTHONDONTWRITEBYTECODE"] = "1"
            cpu_ms(chat, envs[name], tree, b"/client add ACME rate 80\n", b"ACME")  # migrate, add the client
        baseline: list[float] = []
        helps: dict[str, list[float]] = {name: [] for name in trees}
        phrases: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(args.rounds):
            baseline.append(cpu_ms([sys.executable, "-c", BASELINE], env, Path(folder)))
            for name, tree in trees.items():
                helps[name].append(cpu_ms(chat, envs[name], tree, b"/help\n", b"/invoice"))
                phrases[name].append(cpu_ms(chat, envs[name], tree, PHRASE, b"ACME"))
    base = statistics.median(baseline)
    compiled = "compiled at every start" if args.uncompiled else "compiled once"
    print(f"{args.rounds} rounds, medians of the process's CPU time in ms (the bot's modules {compiled}); "
          f"load {os.getloadavg()[0]:.2f}")
    print(f"  baseline  {base:8.1f}   python -c {BASELINE!r}")
    for name in trees:
        help_median, phrase_median = statistics.median(helps[name]), statistics.median(phrases[name])
        print(f"  /help     {help_median:8.1f}   ratio {help_median / base:4.2f}×  (goal ≤ {GOAL}×)  {name}")
        print(f"  phrase    {phrase_median:8.1f}   ratio {phrase_median / base:4.2f}×  {name}")


if __name__ == "__main__":
    main()
