"""Phrase parser speed: median and p99 per phrase after warm-up, against dateparser.search_dates in the same run.

Plain script: `python bench/bench_parser.py [--baseline CHECKOUT]`. Also times 2,000 phrases through
parse_result_json + json.dumps in-process, and in a fresh interpreter (import included), which is what
`invoicebot parse` pays.

With the four languages loaded it times English phrases and German, French and Spanish ones (each with its
locale). ``--baseline`` names another checkout of the project (an earlier commit): the English phrases are then
timed in both, in fresh interpreters taking turns (A B A B …), and the ratio of the medians is printed.
"""
from __future__ import annotations

import contextlib
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.errors import UserError  # noqa: E402
from core.phrases import parse_phrase, parse_result_json, warm_up  # noqa: E402

NOW = datetime.fromisoformat("2026-11-24T10:00:00+01:00")
TZ = ZoneInfo("Europe/Berlin")
CLIENTS = ("Contoso", "Fabrikam", "Northwind Traders", "Tailspin", "Café Lumière", "Vandelay", "Dunder Mifflin",
           *(f"Studio {name}" for name in ("Alpha", "Beta", "Gamma", "Delta", "Epsilon")),
           *(f"Client {n:03d} GmbH" for n in range(200)))
DURATIONS = ("2h", "45m", "1h30", "1,5h", "2.5 hours", "an hour", "half an hour", "90 minutes", "1:15", "3 hrs",
             "two hours", "9:00-11:30", "10am-12pm", "from 14:00 to 17:15", "1h 20m")
DATES = ("", "yesterday", "on monday", "last friday", "2 days ago", "3 March", "Nov 18", "2026-11-02",
         "21.11.2026", "on 19 November", "today")
CLIENT_FORMS = ("for {c}", "{c}", "@{lc}", "with {c}", "#{lc}")
TASKS = ("logo design", "email triage", "bugfix", "call", "review", "workshop", "API design", "copy edits",
         "standup and review", "migration", "menu design", "proofreading", "release prep", "invoice chasing")


SPOKEN = {  # (durations, dates, client forms, tasks) of each language, as its speakers type them
    "de_DE": (("2 Std.", "45 Min.", "1,5 Std.", "anderthalb Stunden", "eine halbe Stunde", "zwei Stunden",
               "von 9 bis 11:30 Uhr", "1 Std. 20 Min."),
              ("", "gestern", "vorgestern", "am Montag", "letzten Freitag", "vor 3 Tagen", "am 18.11.", "am 3. März"),
              ("für {c}", "bei {c}", "{c}", "@{lc}"), ("Logo-Entwurf", "Beratung", "Telefonat", "Rechnung")),
    "fr_FR": (("2h", "45 min", "1,5 h", "une heure et demie", "une demi-heure", "deux heures", "de 9h à 11h30",
               "trois quarts d'heure"),
              ("", "hier", "avant-hier", "lundi", "vendredi dernier", "il y a 3 jours", "le 18/11", "le 1er nov"),
              ("pour {c}", "chez {c}", "{c}", "@{lc}"), ("maquette", "réunion", "appel", "refonte du site")),
    "es_ES": (("2h", "45 min", "1,5 h", "hora y media", "media hora", "dos horas", "de 9 a 11:30",
               "tres cuartos de hora"),
              ("", "ayer", "anteayer", "el lunes", "el viernes pasado", "hace 3 días", "el 18/11",
               "el 3 de marzo"),
              ("para {c}", "con {c}", "{c}", "@{lc}"), ("maqueta", "reunión", "llamada", "revisión del contrato")),
}


def make_spoken_phrases(count: int, seed: int = 13) -> list[tuple[str, str]]:
    """German, French and Spanish phrases with their locale, in shuffled orders; fixed seed."""
    rng = random.Random(seed)
    phrases = []
    for n in range(count):
        locale = list(SPOKEN)[n % len(SPOKEN)]
        durations, dates, forms, tasks = SPOKEN[locale]
        client = rng.choice(CLIENTS[:7])
        parts = [rng.choice(durations), rng.choice(tasks),
                 rng.choice(forms).format(c=client, lc=client.split()[0].lower()), rng.choice(dates)]
        rng.shuffle(parts[1:])
        phrases.append((" ".join(p for p in parts if p), locale))
    return phrases


def make_phrases(count: int, seed: int = 7) -> list[str]:
    """Realistic phrases in shuffled orders, like the corpus; fixed seed so runs compare."""
    rng = random.Random(seed)
    phrases = []
    for _ in range(count):
        client = rng.choice(CLIENTS[:7])
        parts = [rng.choice(DURATIONS), rng.choice(TASKS),
                 rng.choice(CLIENT_FORMS).format(c=client, lc=client.split()[0].lower()), rng.choice(DATES)]
        rng.shuffle(parts[1:])
        phrases.append(" ".join(p for p in parts if p))
    return phrases


def time_each(function, phrases: list[str], rounds: int) -> list[float]:
    """Seconds per call, every phrase `rounds` times; the garbage collector is off while timing, as in timeit."""
    samples = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(rounds):
            for phrase in phrases:
                start = time.perf_counter()
                function(phrase)
                samples.append(time.perf_counter() - start)
    finally:
        gc.enable()
    return samples


def ours(phrase: str) -> None:
    with contextlib.suppress(UserError):
        parse_phrase(phrase, now=NOW, tz=TZ, clients=CLIENTS)


def ours_spoken(phrase_and_locale: tuple[str, str]) -> None:
    phrase, locale = phrase_and_locale
    with contextlib.suppress(UserError):
        parse_phrase(phrase, now=NOW, tz=TZ, clients=CLIENTS, locale=locale)


def per_phrase_median(samples: list[float], count: int) -> float:
    """The median over phrases of each phrase's median run: robust to a run preempted by other work."""
    return statistics.median(statistics.median(samples[i::count]) for i in range(count))


_CHILD = """
import json, sys, time, gc, statistics
sys.path.insert(0, {root!r})
sys.path.insert(1, {bench!r})
from bench_parser import make_phrases, time_each, ours, per_phrase_median
from core.phrases import warm_up
warm_up()
phrases = make_phrases(500)
time_each(ours, phrases, 1)
print(json.dumps(per_phrase_median(time_each(ours, phrases, 5), len(phrases))))
"""


def english_in(root: Path) -> float:
    """The per-phrase median of the English phrases in a fresh interpreter reading the parser at ``root``."""
    script = _CHILD.format(root=str(root), bench=str(ROOT / "bench"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=root, check=True)
    return float(result.stdout.strip().splitlines()[-1])


def against_baseline(baseline: Path, turns: int = 3) -> None:
    ours_runs, base_runs = [], []
    for _ in range(turns):
        ours_runs.append(english_in(ROOT))
        base_runs.append(english_in(baseline))
    mine, theirs = statistics.median(ours_runs), statistics.median(base_runs)
    print(f"English phrases, per-phrase median in fresh interpreters taking turns ({turns} each): this checkout "
          f"{mine * 1e3:.3f} ms, baseline {theirs * 1e3:.3f} ms, ratio x{mine / theirs:.2f}")


def search_dates_baseline(phrase: str) -> None:
    """The obvious approach with the language fixed to English (its fastest setting)."""
    from dateparser.search import search_dates

    search_dates(phrase, languages=["en"], settings={"RELATIVE_BASE": NOW.replace(tzinfo=None),
                                                    "PREFER_DATES_FROM": "past"})


def search_dates_default(phrase: str) -> None:
    """The obvious approach as usually written: no language given, so dateparser detects it."""
    from dateparser.search import search_dates

    search_dates(phrase, settings={"RELATIVE_BASE": NOW.replace(tzinfo=None), "PREFER_DATES_FROM": "past"})


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def fresh_process_seconds(phrases: list[str]) -> float:
    """A new interpreter importing the parser and answering every phrase: the cost of `invoicebot parse`."""
    script = (
        "import sys, json\nfrom datetime import datetime\nfrom zoneinfo import ZoneInfo\n"
        "from core.phrases import parse_result_json\n"
        f"now = datetime.fromisoformat({NOW.isoformat()!r}); tz = ZoneInfo({TZ.key!r}); clients = {CLIENTS!r}\n"
        "out = [json.dumps(parse_result_json(line.rstrip('\\n'), now=now, tz=tz, clients=clients), "
        "ensure_ascii=False) for line in sys.stdin]\nsys.stdout.write('\\n'.join(out) + '\\n')\n"
    )
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", script], input="\n".join(phrases) + "\n", text=True,
                            capture_output=True, cwd=ROOT, check=True)
    elapsed = time.perf_counter() - start
    assert result.stdout.count("\n") == len(phrases), result.stderr
    return elapsed


def main() -> None:
    if "--baseline" in sys.argv:
        against_baseline(Path(sys.argv[sys.argv.index("--baseline") + 1]).resolve())
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (p99 is sensitive to other work)")
    phrases = make_phrases(500)
    start = time.perf_counter()
    warm_up()
    print(f"warm_up (dateparser import + first parse, babel): {(time.perf_counter() - start) * 1000:.0f} ms")
    time_each(ours, phrases, 1)  # warm caches

    spoken = make_spoken_phrases(600)
    time_each(ours_spoken, spoken, 1)
    spoken_samples = time_each(ours_spoken, spoken, 5)
    print(f"German, French and Spanish phrases (their locales, four languages loaded): per-phrase median "
          f"{per_phrase_median(spoken_samples, len(spoken)) * 1e3:.3f} ms, p99 "
          f"{percentile(spoken_samples, 0.99) * 1e3:.3f} ms")

    rounds = 10
    samples = time_each(ours, phrases, rounds)
    median, p99 = statistics.median(samples), percentile(samples, 0.99)
    per_phrase = [statistics.median(samples[i::len(phrases)]) for i in range(len(phrases))]
    print(f"parse_phrase: {len(samples)} calls, median {median * 1e3:.3f} ms, p99 {p99 * 1e3:.3f} ms, "
          f"max {max(samples) * 1e3:.3f} ms")
    print(f"  per phrase (median of its {rounds} runs, robust to preemption): median "
          f"{statistics.median(per_phrase) * 1e3:.3f} ms, p99 {percentile(per_phrase, 0.99) * 1e3:.3f} ms, "
          f"slowest {max(per_phrase) * 1e3:.3f} ms")

    for name, baseline_function, count in (("search_dates(languages=['en'])", search_dates_baseline, 40),
                                           ("search_dates (language detected)", search_dates_default, 10)):
        sample = phrases[:count]
        start = time.perf_counter()
        baseline_function(sample[0])
        first = time.perf_counter() - start
        baseline = time_each(baseline_function, sample, 1)
        base_median, base_p99 = statistics.median(baseline), percentile(baseline, 0.99)
        print(f"dateparser.{name}: first call {first * 1e3:.0f} ms, then {len(baseline)} calls, median "
              f"{base_median * 1e3:.2f} ms, p99 {base_p99 * 1e3:.2f} ms; ratio to parse_phrase: median "
              f"x{base_median / median:.0f}, p99 x{base_p99 / p99:.1f}")

    batch = make_phrases(2000, seed=11)
    start = time.perf_counter()
    lines = [json.dumps(parse_result_json(p, now=NOW, tz=TZ, clients=CLIENTS), ensure_ascii=False) for p in batch]
    in_process = time.perf_counter() - start
    accepted = sum(line.startswith('{"ok": true') for line in lines)
    print(f"2,000 phrases -> parse_result_json + json.dumps, in-process: {in_process * 1e3:.0f} ms ({accepted} ok)")
    print(f"2,000 phrases in a fresh interpreter (import included): {fresh_process_seconds(batch) * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
