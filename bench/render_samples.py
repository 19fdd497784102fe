"""The five invoices an accountant would look at, issued through the bot as a user would, in English and German.

    python bench/render_samples.py OUTPUT_FOLDER [--languages en de]

Writes, per language: a German domestic invoice (19 % VAT), an intra-EU reverse-charge invoice (both VAT ids),
a US export (no VAT, outside the EU), a small-business-exempt invoice (the § 19 UStG sentence) and the credit note
that cancels the domestic invoice — plus the domestic invoice re-rendered with its "Cancelled by" stamp. Each
with the e-invoice inside and, where something is to be paid in EUR, the payment QR. Look at them with
``pdftoppm -png -r 70 FILE.pdf PREFIX``, or add ``--png 70`` to get each page as a PNG beside its PDF (drawn with
pypdfium2, from the test extra). A fresh SQLite database in a temporary folder; the clock is fixed.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.wiring import build_core  # noqa: E402
from core.app import Core  # noqa: E402
from core.encryption import Cipher  # noqa: E402
from core.messages import Incoming, Reply  # noqa: E402
from core.storage import create_db_engine, migrate, session_factory  # noqa: E402

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
PROFILE = ("/profile set name Jana Schmidt Webdesign und Softwareentwicklung für kleine und mittlere Unternehmen",
           "/profile set address Torstraße 12 | 10119 Berlin", "/profile set email jana@example.com",
           "/profile set country DE", "/profile set vat_id DE123456788", "/profile set tax_number 21/815/08150",
           "/profile set payment IBAN DE89 3704 0044 0532 0130 00 | BIC COBADEFFXXX", "/profile set tax_rate 19")
WORK = ("3h 30m concept workshop with the marketing team, including preparation and a written summary for {c}",
        "1h 15m call about the Q1 roadmap for {c}", "hosting and domain for one year for {c} at 240 €",
        "5h frontend: checkout flow and the order confirmation page for {c}")
CLIENTS = {
    "domestic": ("Müller", ("/client set Müller address Markt 1 | 04109 Leipzig", "/client set Müller country DE",
                            "/client set Müller reference PO-4711")),
    "reverse-charge": ("Société", ("/client set Société address 12 rue de Rivoli | 75001 Paris",
                                   "/client set Société vat_id FR40303265045")),
    "export": ("Initech", ("/client set Initech address 350 Fifth Avenue | New York, NY 10118",
                           "/client set Initech country US")),
}


def say(core: Core, user: str, text: str) -> Reply:
    reply = core.handle(Incoming(platform="local", user_id=user, chat_id=user, text=text))
    assert reply is not None, text
    return reply


def issue(core: Core, user: str, name: str, setup: tuple[str, ...], language: str) -> Reply:
    say(core, user, f"/client add {name} rate 85")
    for line in (*setup, f"/client set {name} language {language}"):
        say(core, user, line)
    for line in WORK:
        say(core, user, line.format(c=name))
    reply = say(core, user, f"/invoice {name}")
    assert reply.document is not None, reply.text
    return reply


def render(folder: Path, languages: list[str]) -> list[Path]:
    written = []
    with tempfile.TemporaryDirectory() as database:
        engine = create_db_engine(f"sqlite:///{database}/samples.db")
        migrate(engine)
        core = build_core(session_factory(engine), Cipher([Cipher.new_key()]), lambda: NOW, default_tz="Europe/Berlin")
        for language in languages:
            for case, (name, setup) in CLIENTS.items():
                user = f"{case}-{language}"
                for line in PROFILE:
                    say(core, user, line)
                reply = issue(core, user, name, setup, language)
                written.append(_write(folder / f"{language}-{case}.pdf", reply))
                if case == "domestic":
                    number = reply.text.split()[1]
                    voided = say(core, user, f"/void {number}")
                    written.append(_write(folder / f"{language}-credit-note.pdf", voided))
                    written.append(_write(folder / f"{language}-domestic-cancelled.pdf",
                                          say(core, user, f"/invoice show {number}")))
            user = f"exempt-{language}"
            for line in (*PROFILE[:4], "/profile set tax_number 21/815/08150", PROFILE[6],
                         "/profile set vat_exempt Gemäß § 19 UStG wird keine Umsatzsteuer berechnet."):
                say(core, user, line)
            reply = issue(core, user, "Bäckerei Kühn", ("/client set Bäckerei address Hauptstr. 3 | 01067 Dresden",
                                                        "/client set Bäckerei country DE"), language)
            written.append(_write(folder / f"{language}-small-business-exempt.pdf", reply))
        engine.dispose()
    return written


def _write(path: Path, reply: Reply) -> Path:
    assert reply.document is not None, reply.text
    path.write_bytes(reply.document.content)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--languages", nargs="+", default=["en", "de"])
    parser.add_argument("--png", type=int, metavar="DPI", help="also write each page as a PNG at this resolution")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    for path in render(args.folder, args.languages):
        print(path)
        if args.png:
            for image in pages_as_png(path, args.png):
                print(image)


def pages_as_png(path: Path, dpi: int) -> list[Path]:
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        images = []
        for number, page in enumerate(document, 1):
            image = path.with_name(f"{path.stem}-{number}.png")
            page.render(scale=dpi / 72).to_pil().save(image)
            images.append(image)
        return images
    finally:
        document.close()


if __name__ == "__main__":
    main()
