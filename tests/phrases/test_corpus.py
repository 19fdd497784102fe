"""The reference corpus (shared with the product owner) as a table: every line must read exactly as written."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.phrases import parse_result_json

_SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "phrases.jsonl"
# The product owner's copy beside the repository when it is there (it grows); the snapshot kept here otherwise.
CORPUS = _SHARED if _SHARED.exists() else Path(__file__).with_name("phrases.jsonl")
_LINES = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
REFERENCE, CASES = _LINES[0], _LINES[1:]


def test_corpus_has_every_line():
    assert len(CASES) >= 26


@pytest.mark.parametrize("case", CASES, ids=[case["text"] for case in CASES])
def test_corpus_line(case):
    now = datetime.fromisoformat(case.get("now", REFERENCE["now"]))
    tz = ZoneInfo(case.get("tz", REFERENCE["tz"]))
    result = parse_result_json(case["text"], now=now, tz=tz, clients=REFERENCE["clients"])
    expected = {key: value for key, value in case.items() if key not in ("text", "now", "tz")}
    assert {key: result.get(key) for key in expected} == expected
    if not case["ok"]:
        assert result["error"].strip().endswith((".", "?"))
