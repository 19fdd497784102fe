"""Every message in the code has a translation in every catalog: no English slips through to a German, French or
Spanish user, and no translation breaks a message's placeholders.

The messages are extracted from the code here, with the settings `pybabel extract` reads from pyproject.toml, so
a message added without running the README's "Translations" commands fails too. Every entry of
:data:`FAILURE_HELP` names the command that fixes it.
"""
from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.pofile import read_po

from core.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["babel"]["extract_messages"]
TRANSLATED = [language for language in LANGUAGES if language != "en"]
SAME_AS_ENGLISH = "same as English"
"""A translator comment (``# same as English``) on an entry whose translation is rightly the English text
(French "Total", a usage line of command words); any other copy of the English text is a message left untranslated."""
FAILURE_HELP = ("See README.md, “Translations”: pybabel extract, pybabel update, translate the new entries "
                "(no “#, fuzzy” left), then run this test again.")

Key = tuple[str | None, str]


def extracted_messages() -> dict[Key, tuple[str, ...]]:
    """Context and msgid → the msgid (and msgid_plural), as `pybabel extract` finds them in the code today."""
    keywords = parse_keywords(CONFIG["keywords"].split())
    found: dict[Key, tuple[str, ...]] = {}
    for folder in CONFIG["input_paths"]:
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=keywords,
        ):
            ids = (message,) if isinstance(message, str) else tuple(message)
            found[(context, ids[0])] = ids
    return found


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def entries(catalog: Catalog) -> Iterator[Message]:
    return (message for message in catalog if message.id)


def key_of(message: Message) -> Key:
    return (message.context, message.id[0] if isinstance(message.id, (tuple, list)) else message.id)


def placeholders(text: str) -> list[str]:
    """The ``{name}`` and ``{name:spec}`` fields of a format string, sorted (``{{`` is a literal brace)."""
    return sorted(f"{name}:{spec}" if spec else name
                  for _literal, name, spec, _conversion in string.Formatter().parse(text) if name is not None)


@pytest.fixture(scope="module")
def in_code() -> dict[Key, tuple[str, ...]]:
    return extracted_messages()


def test_the_template_holds_exactly_the_messages_in_the_code(in_code: dict[Key, tuple[str, ...]]) -> None:
    template = {key_of(m) for m in entries(read_catalog(ROOT / CONFIG["output_file"]))}
    assert sorted(set(in_code) - template, key=str) == [], "messages missing from the .pot. " + FAILURE_HELP
    assert sorted(template - set(in_code), key=str) == [], "the .pot lists messages no longer in the code. " + FAILURE_HELP


def test_messages_use_named_placeholders_only(in_code: dict[Key, tuple[str, ...]]) -> None:
    """``{}`` and ``{0}`` can't be moved around by a translator, and `.format()` needs named fields (an f-string
    inside ``_()`` would show up here as text with its braces already filled, so it is caught at review instead)."""
    unnamed = [ids for ids in in_code.values() for text in ids
               if any(not re.fullmatch(r"[A-Za-z_]\w*(:.*)?", field) for field in placeholders(text))]
    assert unnamed == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_has_a_checked_translation(language: str, in_code: dict[Key, tuple[str, ...]]) -> None:
    catalog = read_catalog(LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po", language)
    by_key = {key_of(m): m for m in entries(catalog)}
    problems: list[str] = []
    for key, ids in sorted(in_code.items(), key=str):
        message = by_key.get(key)
        if message is None:
            problems.append(f"not in the catalog: {key}")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy (check the translation, then remove the flag): {key}")
        forms = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        expected = placeholders(ids[-1])
        if len(ids) > 1 and len(forms) != catalog.num_plurals:
            problems.append(f"{len(forms)} plural forms where {language} has {catalog.num_plurals}: {key}")
        for form in forms:
            if not form or not form.strip():
                problems.append(f"untranslated: {key}")
            elif placeholders(form) != expected:
                problems.append(f"placeholders {placeholders(form)} instead of {expected}: {key}")
            elif form in ids and not any(SAME_AS_ENGLISH in comment for comment in message.user_comments):
                problems.append(f"still English (or add the comment “# {SAME_AS_ENGLISH}”): {key}")
    assert problems == [], f"{language}: {len(problems)} problems. {FAILURE_HELP}\n" + "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_translation_formats_with_its_message_s_fields(language: str) -> None:
    """`.format(**fields)` on each translation works: a stray brace would raise in front of the user."""
    catalog = read_catalog(LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po", language)
    broken = []
    for message in entries(catalog):
        forms = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        for form in forms:
            if not form:
                continue
            try:
                form.format_map(_AnyField())
            except (ValueError, IndexError, KeyError) as exc:
                broken.append(f"{key_of(message)}: {exc}")
    assert broken == []


class _AnyField(dict):  # type: ignore[type-arg]
    """Any field name formats as a number (a spec such as ``:02d`` needs one)."""

    def __missing__(self, key: str) -> int:
        return 1


FORMAL_GERMAN = re.compile(r"\b(Ihnen|Ihr|Ihre|Ihrem|Ihren|Ihrer|Ihres)\b|\b\w+(en|ern|eln) Sie\b|\b(für|an|bei|mit) Sie\b")
"""German's formal address: "Ihre Adresse", "schicken Sie", "für Sie" (not "sie"/"Sie" for they or it)."""
TO_THE_CLIENT = ("Please quote {number} with your payment.",)
"""Sentences printed on an invoice, beside its labels (context ``invoice``) and the e-mails that open with
"Hello {client}": they speak to the client, formally."""


def test_german_chat_sentences_say_du_and_only_what_the_client_reads_says_sie() -> None:
    catalog = read_catalog(LOCALE_DIR / "de" / "LC_MESSAGES" / f"{DOMAIN}.po", "de")
    formal = [message.id for message in entries(catalog)
              if message.context != "invoice" and message.id not in TO_THE_CLIENT
              and not str(key_of(message)[1]).startswith("Hello {client}")
              and any(FORMAL_GERMAN.search(text or "") for text in
                      (message.string if isinstance(message.string, tuple) else (message.string,)))]
    assert formal == [], "the German chat says du (see the catalog's header)"
