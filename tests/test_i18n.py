"""The translation layer: which language a code names, and that a language holds only inside its block."""
from __future__ import annotations

import pytest

from core.i18n import _, current_language, language_of, ngettext, use_language


@pytest.mark.parametrize(("code", "language"), [
    ("de_DE", "de"), ("de-AT", "de"), ("FR", "fr"), ("es_419", "es"), ("en_US", "en"),
    ("pt_BR", None), ("", None), (None, None),
])
def test_a_locale_or_language_code_names_a_supported_language(code: str | None, language: str | None) -> None:
    assert language_of(code) == language


def test_a_language_holds_inside_its_block_only() -> None:
    assert current_language() == "en"
    with use_language("fr_FR"):
        assert current_language() == "fr"
        with use_language("xx"):
            assert current_language() == "en"
        assert current_language() == "fr"
    assert current_language() == "en"


def test_english_is_the_code_s_own_text_with_english_plurals() -> None:
    assert _("Nothing was saved.") == "Nothing was saved."
    assert ngettext("{n} task", "{n} tasks", 1).format(n=1) == "1 task"
    assert ngettext("{n} task", "{n} tasks", 3).format(n=3) == "3 tasks"
