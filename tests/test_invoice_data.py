"""The data an EU invoice needs: countries, VAT ids (checked), tax number, exemption sentence, buyer reference,
checked IBANs, postcode and city found in addresses, and the old single tax id split where the keys are."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text

from core.addresses import postal_address
from core.countries import parse_country
from core.errors import UserError
from core.payment_details import BankAccount, bank_account, check_payment_details
from core.storage import alembic_config, session_factory
from core.tax_ids import check_vat_id, split_legacy_tax_ids, vat_id_country


@pytest.mark.parametrize(("typed", "stored"), [
    ("DE123456788", "DE123456788"), ("de 123 456 788", "DE123456788"), ("ATU13585627", "ATU13585627"),
    ("FR40303265045", "FR40303265045"), ("EL094259216", "EL094259216"), ("NL004495445B01", "NL004495445B01"),
    ("GB980780684", "GB980780684"), ("CHE-116.281.710 MWST", "CHE116281710MWST"),
])
def test_a_valid_vat_id_is_stored_compact(typed: str, stored: str) -> None:
    assert check_vat_id(typed) == stored


@pytest.mark.parametrize(("typed", "why"), [
    ("DE123456789", "check digit"), ("DE12345678", "length or format"), ("123456788", "starts with its country"),
    ("XX123456", "can't check VAT ids of XX"),
])
def test_a_wrong_vat_id_is_refused_with_the_reason(typed: str, why: str) -> None:
    with pytest.raises(UserError, match=why):
        check_vat_id(typed)


def test_the_vat_prefix_names_the_country() -> None:
    assert [vat_id_country(v) for v in ("DE123456788", "EL094259216", "CHE116281710MWST")] == ["DE", "GR", "CH"]


@pytest.mark.parametrize(("typed", "code"), [("de", "DE"), ("Germany", "DE"), ("Deutschland", "DE"),
                                              ("  united   states ", "US"), ("España", "ES"), ("GB", "GB")])
def test_a_country_is_read_from_its_code_or_its_name(typed: str, code: str) -> None:
    assert parse_country(typed) == code


@pytest.mark.parametrize("typed", ["Germ", "EU", "ZZ", "123"])
def test_what_is_no_country_is_refused(typed: str) -> None:
    with pytest.raises(UserError, match="two-letter ISO code"):
        parse_country(typed)


@pytest.mark.parametrize(("address", "postcode", "city", "lines"), [
    ("Hauptstr. 1\n10115 Berlin", "10115", "Berlin", ("Hauptstr. 1",)),
    ("Hauptstr. 1\nD-10115 Berlin\nGermany", "10115", "Berlin", ("Hauptstr. 1", "Germany")),
    ("Keizersgracht 1\n1015 CJ Amsterdam", "1015 CJ", "Amsterdam", ("Keizersgracht 1",)),
    ("Rua Augusta 1\n1100-048 Lisboa", "1100-048", "Lisboa", ("Rua Augusta 1",)),
    ("Drottninggatan 1\n114 51 Stockholm", "114 51", "Stockholm", ("Drottninggatan 1",)),
    ("10 Downing Street\nLondon SW1A 2AA", "SW1A 2AA", "London", ("10 Downing Street",)),
    ("10 Downing St\nLondon\nSW1A 2AA", "SW1A 2AA", "London", ("10 Downing St",)),
    ("350 Fifth Avenue\nNew York, NY 10118", "10118", "New York", ("350 Fifth Avenue",)),
    ("1 Main St\nDublin D02 X285", "D02 X285", "Dublin", ("1 Main St",)),
    ("Somewhere only", None, None, ("Somewhere only",)),
])
def test_postcode_and_city_are_found_in_an_address(address: str, postcode: str | None, city: str | None,
                                                   lines: tuple[str, ...]) -> None:
    found = postal_address(address)
    assert (found.postcode, found.city, found.lines) == (postcode, city, lines)


def test_the_iban_and_bic_in_payment_instructions_are_read_and_checked() -> None:
    text = "Commerzbank | IBAN: DE89 3704 0044 0532 0130 00 | BIC: COBADEFFXXX"
    assert check_payment_details(text) == text
    assert bank_account(text) == BankAccount("DE89370400440532013000", "COBADEFFXXX")
    assert bank_account("DE89370400440532013000") == BankAccount("DE89370400440532013000", None)
    assert bank_account("PayPal: jane@example.com") is None
    for wrong, why in (("IBAN DE89 3704 0044 0532 0130 01", "check digits"), ("IBAN: see website", "can't find"),
                       ("IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFF1", "BIC COBADEFF1 is not valid")):
        with pytest.raises(UserError, match=why):
            check_payment_details(wrong)


def test_profile_fields_for_the_tax_data_are_checked_echoed_and_shown(chat) -> None:  # type: ignore[no-untyped-def]
    assert chat.text("/profile set country Deutschland") == "Saved your country: DE."
    assert chat.text("/profile set vat_id de 123 456 788") == "Saved your VAT id: DE123456788."
    assert "check digit" in chat.text("/profile set vat_id DE123456789")
    assert chat.text("/profile set tax_number 21/815/08150") == "Saved your tax number: 21/815/08150."
    assert chat.text("/profile set vat_exempt Gemäß § 19 UStG wird keine Umsatzsteuer berechnet.").startswith(
        "Saved your VAT exemption: Gemäß § 19 UStG wird keine Umsatzsteuer berechnet. Your invoices now charge no VAT")
    assert chat.text("/profile set credit_note_format GS-{year}-{seq:03}") == \
        "Saved your credit note format: GS-{year}-{seq:03}."
    shown = chat.text("/profile")
    for row in ("Country: DE", "VAT id: DE123456788", "Tax number: 21/815/08150", "Credit note format: GS-{year}",
                "VAT exemption: Gemäß § 19 UStG"):
        assert row in shown
    assert chat.text("/profile set vat_exempt off") == "Saved your VAT exemption: none."
    assert "VAT exemption: —" in chat.text("/profile")
    assert "different number formats" in chat.text("/profile set credit_note_format INV-{year}-{seq:04}")
    assert "Credit note format: GS-{year}-{seq:03}" in chat.text("/profile")


def test_the_old_tax_id_field_goes_to_vat_id_or_tax_number_and_says_which(chat) -> None:  # type: ignore[no-untyped-def]
    assert chat.text("/profile set tax_id ATU13585627") == "Saved your VAT id: ATU13585627."
    assert chat.text("/profile set tax_id 123/456/78901") == "Saved your tax number: 123/456/78901."


def test_an_address_without_postcode_and_city_is_saved_and_the_user_is_told(chat) -> None:  # type: ignore[no-untyped-def]
    assert "can't find a postcode and city" in chat.text("/profile set address Somewhere nice")
    assert "can't find" not in chat.text("/profile set address Hauptstr. 1 | 10115 Berlin")


def test_client_country_vat_id_and_reference(chat) -> None:  # type: ignore[no-untyped-def]
    chat.text("/client add Société Générale rate 90")
    assert chat.text("/client set Société vat_id FR 40 303265045") == \
        "Updated VAT id of Société Générale: FR40303265045. Country: FR."
    assert chat.text("/client set Société reference PO-4711") == "Updated buyer reference of Société Générale: PO-4711."
    assert "not a valid VAT id" in chat.text("/client set Société vat_id FR40303265046")
    details = chat.text("/client Société")
    assert "Country: FR" in details and "VAT id: FR40303265045" in details and "Buyer reference: PO-4711" in details
    assert chat.text("/client set Société vat_id none") == "Updated VAT id of Société Générale: none."
    assert chat.text("/client set Société country us") == "Updated country of Société Générale: US."


def test_the_old_tax_id_is_split_after_the_schema_migration_and_only_once(engine, cipher) -> None:  # type: ignore[no-untyped-def]
    """Rows written by the previous schema, upgraded, then moved where the keys are; a second run changes nothing."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    rows = [(1, "DE123456788", None), (2, "21/815/08150", None), (3, "ATU13585627", "kept")]
    with engine.begin() as connection:
        for account_id, tax_id, _ in rows:
            connection.execute(text("INSERT INTO accounts (id, timezone, created_at) VALUES (:id, 'UTC', :at)"),
                               {"id": account_id, "at": "2026-01-01 00:00:00"})
            connection.execute(text(
                "INSERT INTO profiles (account_id, currency, tax_rate, terms_days, number_format, locale, tax_id_enc) "
                "VALUES (:id, 'EUR', '19', 30, 'INV-{year}-{seq:04}', 'de_DE', :tax)"),
                {"id": account_id, "tax": cipher.encrypt(tax_id)})
        connection.execute(text(  # an issued invoice with a line: upgrading in place must keep both
            "INSERT INTO clients (id, account_id, name, name_key, currency, archived, created_at) "
            "VALUES (1, 1, 'ACME', 'acme', 'EUR', false, '2026-01-01 00:00:00')"))
        connection.execute(text(
            "INSERT INTO invoices (id, account_id, client_id, number, status, issue_date, due_date, currency, locale, "
            "subtotal_minor, tax_rate, tax_minor, total_minor, seller_enc, buyer, created_at) VALUES (1, 1, 1, "
            "'INV-2026-0001', 'open', '2026-01-02', '2026-02-01', 'EUR', 'de_DE', 8000, '19', 1520, 9520, 'x', '{}', "
            "'2026-01-02 00:00:00')"))
        connection.execute(text(
            "INSERT INTO invoice_lines (invoice_id, position, work_date, description, minutes, rate, amount_minor) "
            "VALUES (1, 1, '2026-01-01', 'work', 60, '80', 8000)"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT kind, corrects_id FROM invoices")).one() == ("invoice", None)
        assert connection.execute(text("SELECT count(*) FROM invoice_lines")).scalar() == 1
    with engine.begin() as connection:  # a VAT id the user set since the upgrade is never overwritten
        connection.execute(text("UPDATE profiles SET vat_id_enc = :v WHERE account_id = 3"),
                           {"v": cipher.encrypt("DE123456788")})
    sessions = session_factory(engine)
    assert split_legacy_tax_ids(sessions, cipher) == 3
    assert split_legacy_tax_ids(sessions, cipher) == 0
    with engine.connect() as connection:
        stored = {row.account_id: row for row in connection.execute(text(
            "SELECT account_id, tax_id_enc, vat_id_enc, tax_number_enc, credit_note_format FROM profiles"))}
    plain = {k: (cipher.decrypt(r.vat_id_enc), cipher.decrypt(r.tax_number_enc)) for k, r in stored.items()}
    assert plain == {1: ("DE123456788", None), 2: (None, "21/815/08150"), 3: ("DE123456788", None)}
    assert all(r.tax_id_enc is None and r.credit_note_format == "CN-{year}-{seq:04}" for r in stored.values())
