"""Reply → Telegram HTML, message-sized pieces and keyboards."""
from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.telegram.render import (
    CAPTION_LIMIT,
    MESSAGE_LIMIT,
    PRIVATE_ONLY,
    escape,
    keyboard,
    render_reply,
    split_html,
    telegram_length,
)
from core.messages import Action, Document, Reply


def test_escapes_only_what_telegram_html_needs():
    assert escape("A&B <b> \"q\" 'a'") == "A&amp;B &lt;b&gt; \"q\" 'a'"


@pytest.mark.parametrize("text, pieces", [
    ("short", 1),
    ("x" * 4096, 1),
    ("x" * 4097, 2),
    ("&" * 819, 1),            # 819 × "&amp;" = 4095 characters once escaped
    ("&" * 820, 2),
    ("😀" * 2048, 1),           # two UTF-16 units each
    ("😀" * 2049, 2),
])
def test_pieces_fit_the_limit(text, pieces):
    result = split_html(text)
    assert len(result) == pieces
    assert all(telegram_length(p) <= MESSAGE_LIMIT for p in result)
    assert "".join(html.unescape(p) for p in result).replace("\n", "") == text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab <&>\n😀é"), max_size=12000))
def test_splitting_loses_nothing_and_never_cuts_an_entity(text):
    result = split_html(text)
    assert all(0 < telegram_length(p) <= MESSAGE_LIMIT for p in result)
    for piece in result:
        assert html.escape(html.unescape(piece), quote=False) == piece, "an entity was cut in two"
    joined = "".join(html.unescape(p) for p in result)
    assert "".join(joined.split()) == "".join(text.split())


def test_lines_stay_whole_when_they_can():
    text = "\n".join(f"line {i:03} " + "y" * 50 for i in range(200))
    result = split_html(text)
    assert len(result) == 3
    for piece in result:
        assert all(line.startswith("line ") and len(line) == 59 for line in piece.split("\n"))


def test_keyboard_keeps_commands_as_callback_data_and_drops_oversized_ones():
    markup = keyboard((Action("Undo", "/undo 42"), Action("Edit", "/edit 42"),
                       Action("Too long", "/pick " + "9" * 70)))
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [["/undo 42", "/edit 42"]]
    long_labels = keyboard((Action("Create client Globodyne", "/client add Globodyne"), Action("ACME", "/pick 1 2")))
    assert [len(row) for row in long_labels.inline_keyboard] == [1, 1]
    assert keyboard(()) is None


def test_document_carries_the_answer_as_caption_with_its_buttons():
    reply = Reply("Invoice INV-1 for ACME: total €10.00.", document=Document("INV-1.pdf", b"%PDF", caption="Invoice INV-1"),
                  actions=(Action("Mark paid", "/paid INV-1"),))
    [doc] = render_reply(reply, private=True)
    assert doc.document == b"%PDF" and doc.filename == "INV-1.pdf"
    assert doc.html == "Invoice INV-1 for ACME: total €10.00." and doc.keyboard is not None


def test_a_text_too_long_for_a_caption_goes_first_with_the_buttons():
    long_text = "Invoice INV-1 for ACME.\n" + "a line of detail\n" * 100
    reply = Reply(long_text, document=Document("INV-1.pdf", b"%PDF", caption="Invoice INV-1 <ACME>"),
                  actions=(Action("Mark paid", "/paid INV-1"),))
    text, doc = render_reply(reply, private=True)
    assert text.html.startswith("Invoice INV-1 for ACME.") and text.keyboard is not None and text.document is None
    assert doc.html == "Invoice INV-1 &lt;ACME&gt;" and doc.keyboard is None


def test_caption_is_cut_to_telegram_limit():
    [doc] = render_reply(Reply("", document=Document("a.pdf", b"%PDF", caption="<" * 2000)), private=True)
    assert telegram_length(doc.html) <= CAPTION_LIMIT and doc.html.startswith("&lt;")


def test_sensitive_reply_in_a_group_becomes_a_pointer():
    reply = Reply("IBAN DE89", sensitive=True, actions=(Action("Edit", "/profile set payment"),))
    [piece] = render_reply(reply, private=False)
    assert piece.html == escape(PRIVATE_ONLY) and piece.keyboard is None
    [piece] = render_reply(reply, private=True)
    assert piece.html == "IBAN DE89"


def test_the_pointer_to_the_private_chat_speaks_the_reply_s_language():
    [piece] = render_reply(Reply("IBAN DE89", sensitive=True, language="es"), private=False)
    assert piece.html == ("Esa respuesta contiene datos privados (tu perfil, tus datos de pago o tu NIF), así que solo "
                          "la muestro en un chat privado conmigo.")
