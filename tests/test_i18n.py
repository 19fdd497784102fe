"""The translation layer: which language a code names, that a language holds only inside its block, its locale,
and where the catalogs come from (compiled by the build, or from the .po in a source checkout)."""
from __future__ import annotations

import gettext
import importlib.util
import os
from pathlib import Path

import pytest

from core import i18n
from core.i18n import (
    _,
    current_language,
    current_locale,
    format_number,
    language_of,
    locale_for,
    ngettext,
    use_language,
)

ROOT = Path(__file__).resolve().parents[1]


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


def test_german_french_and_spanish_come_from_their_catalogs() -> None:
    with use_language("de"):
        assert _("Commands:") == "Befehle:"
    with use_language("fr_CA"):
        assert _("Commands:") == "Commandes\u00a0:"
    with use_language("es"):
        assert _("Commands:") == "Comandos:"


def test_a_language_brings_its_usual_locale_unless_the_user_chose_one_of_it() -> None:
    with use_language("de"):
        assert current_locale() == "de_DE" and format_number(4000) == "4.000"
    with use_language("de", "de_AT"):
        assert current_locale() == "de_AT"
    with use_language("fr", "en_US"):
        assert current_locale() == "fr_FR"
    with use_language("en_US"):
        assert current_locale() == "en_US" and format_number(4000) == "4,000"
    assert locale_for("es") == "es_ES" and locale_for("en", "pt_BR") == "en_GB"


def _load_setup_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("invoicebot_setup", ROOT / "setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # setup() itself only runs as __main__
    return module


def test_the_build_compiles_every_catalog_into_the_package(tmp_path: Path) -> None:
    written = _load_setup_module().compile_catalogs(ROOT, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        f"core/locale/{lang}/LC_MESSAGES/invoicebot.mo" for lang in ("de", "es", "fr")]
    with (tmp_path / "core/locale/de/LC_MESSAGES/invoicebot.mo").open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext("Commands:") == "Befehle:"


def test_an_edited_catalog_wins_over_an_older_compiled_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A source checkout may hold a .mo someone compiled by hand: once the .po is edited, the .po is what counts."""
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "invoicebot.po"
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "Commands:"\nmsgstr "Alt:"\n')
    (folder / "invoicebot.mo").write_bytes(i18n.compile_catalog(po, "de"))
    po.write_text(po.read_text().replace("Alt:", "Neu:"))
    os.utime(folder / "invoicebot.mo", (1_000_000, 1_000_000))
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        with use_language("de"):
            assert _("Commands:") == "Neu:"
        os.utime(folder / "invoicebot.mo")  # now the compiled one is newer: a built package, it is used
        i18n.translations.cache_clear()
        with use_language("de"):
            assert _("Commands:") == "Alt:"
    finally:
        i18n.translations.cache_clear()
