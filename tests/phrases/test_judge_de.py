"""German phrases (locale de_DE), written from SPEC §5 before the parser read German: the same rules as English.

Typed as people type on a phone: lower case, abbreviations ("Std.", "Min."), missing umlauts. Tuesday 24 Nov 2026,
10:00 in Berlin.
"""
from __future__ import annotations

import pytest

from tests.phrases.judging import VY, T, Y, ask, check, judge, no, ok

CLIENTS = ("ACME", "Contoso", "Fabrikam", "Café Müller", "Boulangerie Dupont", "Panadería Ruiz",
           "Northwind Traders", "Initech")

DURATIONS = [
    ok("2 Std. Logo für ACME gestern", 120, "ACME", Y, "logo"),
    ok("2 Std Logo ACME", 120, "ACME", T, "logo"),
    ok("2 std logo acme", 120, "ACME", T, "logo"),
    ok("2 Stunden Beratung für ACME", 120, "ACME", T, "beratung"),
    ok("1 Stunde Telefonat mit ACME", 60, "ACME", T, "telefonat"),
    ok("eine Stunde Telefonat mit ACME", 60, "ACME", T, "telefonat"),
    ok("zwei Stunden Workshop bei ACME", 120, "ACME", T, "workshop"),
    ok("drei Stunden Recherche für Contoso", 180, "Contoso", T, "recherche"),
    ok("vier Std. Recherche Contoso", 240, "Contoso", T, "recherche"),
    ok("45 Min. E-Mails für ACME", 45, "ACME", T, "e-mails"),
    ok("45 min Buchhaltung ACME", 45, "ACME", T, "buchhaltung"),
    ok("30 Minuten Abstimmung mit Fabrikam", 30, "Fabrikam", T, "abstimmung"),
    ok("zehn Minuten Rückruf ACME", 10, "ACME", T, "rückruf"),
    ok("zwanzig Minuten Rückruf ACME", 20, "ACME", T, "rückruf"),
    ok("1,5 Std. Konzept für ACME", 90, "ACME", T, "konzept"),
    ok("1,5h Bugfix ACME", 90, "ACME", T, "bugfix"),
    ok("1,5 Stunden Konzept ACME", 90, "ACME", T, "konzept"),
    ok("1h30 Meeting ACME", 90, "ACME", T, "meeting"),
    ok("1 Std. 30 Min. Meeting ACME", 90, "ACME", T, "meeting"),
    ok("1 Stunde 30 Minuten Meeting ACME", 90, "ACME", T, "meeting"),
    ok("1 Stunde und 15 Minuten Meeting ACME", 75, "ACME", T, "meeting"),
    ok("2 Std. 15 Min. Review ACME", 135, "ACME", T, "review"),
    ok("2 Stunden 15 Review ACME", 135, "ACME", T, "review"),
    ok("anderthalb Stunden Meeting ACME", 90, "ACME", T, "meeting"),
    ok("eineinhalb Stunden Meeting ACME", 90, "ACME", T, "meeting"),
    ok("zweieinhalb Stunden Meeting ACME", 150, "ACME", T, "meeting"),
    ok("2 1/2 Stunden Meeting ACME", 150, "ACME", T, "meeting"),
    ok("eine halbe Stunde Telefonat ACME", 30, "ACME", T, "telefonat"),
    ok("halbe Stunde Telefonat ACME", 30, "ACME", T, "telefonat"),
    ok("eine Viertelstunde Telefonat ACME", 15, "ACME", T, "telefonat"),
    ok("Viertelstunde Abstimmung ACME", 15, "ACME", T, "abstimmung"),
    ok("eine Dreiviertelstunde Abstimmung ACME", 45, "ACME", T, "abstimmung"),
    ok("dreiviertel Stunde Abstimmung ACME", 45, "ACME", T, "abstimmung"),
    ok("1:30 Std. Review ACME", 90, "ACME", T, "review"),
    ok("90 Minuten Workshop ACME", 90, "ACME", T, "workshop"),
    ok("2 Stunden und 30 Minuten Workshop ACME", 150, "ACME", T, "workshop"),
    ok("0,5 Std. Rechnung schreiben ACME", 30, "ACME", T, "rechnung schreiben"),
    ok("zwölf Stunden Messe ACME", 720, "ACME", T, "messe"),
    ok("zwoelf Stunden Messe ACME", 720, "ACME", T, "messe"),
    ok("3 Std Layout für Café Müller", 180, "Café Müller", T, "layout"),
    ok("2 Std. Logo für ACME", 120, "ACME", T, "logo"),
    ok("Logo für ACME 2 Std.", 120, "ACME", T, "logo"),
    ok("ca. 2 Std. Logo ACME", 120, "ACME", T, "logo"),
    no("25 Std. Workshop ACME", "over a day"),
    no("0 Std. Workshop ACME", "zero"),
    no("Workshop für ACME", "no duration"),
    ask("2 Std. 3 Std. Workshop ACME"),
]

RANGES = [
    ok("von 9 bis 11:30 Uhr Workshop bei ACME", 150, "ACME", T, "workshop"),
    ok("von 9:00 bis 11:30 Workshop ACME", 150, "ACME", T, "workshop"),
    ok("9-11 Uhr Workshop ACME", 120, "ACME", T, "workshop"),
    ok("9:00-11:30 Workshop ACME", 150, "ACME", T, "workshop"),
    ok("14 bis 17 Uhr Schulung ACME", 180, "ACME", T, "schulung"),
    ok("von 14.00 bis 17.15 Uhr Schulung ACME", 195, "ACME", T, "schulung"),
    ok("zwischen 9 und 11 Uhr Workshop ACME", 120, "ACME", T, "workshop"),
    ok("9 Uhr bis 11 Uhr Workshop ACME", 120, "ACME", T, "workshop"),
    ok("Workshop ACME von 10 bis 12 Uhr gestern", 120, "ACME", Y, "workshop"),
    ok("1h Meeting ACME um 14 Uhr", 60, "ACME", T, "meeting"),
    ok("1 Std. Meeting ACME um 14:00", 60, "ACME", T, "meeting"),
    ask("11:30-9:00 Workshop ACME"),
]

DATES = [
    ok("2 Std. Workshop ACME gestern", 120, "ACME", Y, "workshop"),
    ok("gestern 2 Std. Workshop ACME", 120, "ACME", Y, "workshop"),
    ok("Gestern: 2 Std. Workshop ACME", 120, "ACME", Y, "workshop"),
    ok("2 Std. Workshop ACME vorgestern", 120, "ACME", VY, "workshop"),
    ok("2 Std. Workshop ACME heute", 120, "ACME", T, "workshop"),
    ok("2 Std. Workshop ACME heute Morgen", 120, "ACME", T, "workshop"),
    ok("2 Std. Workshop ACME gestern Abend", 120, "ACME", Y, "workshop"),
    ok("2 Std. Workshop ACME gestern Nachmittag", 120, "ACME", Y, "workshop"),
    ok("2 Std. Workshop ACME letzten Freitag", 120, "ACME", "2026-11-20", "workshop"),
    ok("2 Std. Workshop ACME letzten freitag", 120, "ACME", "2026-11-20", "workshop"),
    ok("2 Std. Workshop ACME vergangenen Freitag", 120, "ACME", "2026-11-20", "workshop"),
    ok("2 Std. Workshop ACME am Montag", 120, "ACME", Y, "workshop"),
    ok("2 Std. Workshop ACME Montag", 120, "ACME", Y, "workshop"),
    ok("2 Std. Workshop ACME am Mo.", 120, "ACME", Y, "workshop"),
    ok("2 Std. Workshop ACME am Sonntag", 120, "ACME", VY, "workshop"),
    ok("2 Std. Workshop ACME am Samstag", 120, "ACME", "2026-11-21", "workshop"),
    ok("2 Std. Workshop ACME letzten Dienstag", 120, "ACME", "2026-11-17", "workshop"),
    ok("2 Std. Workshop ACME am Dienstag", 120, "ACME", T, "workshop"),
    ok("2 Std. Workshop ACME Mittwoch", 120, "ACME", "2026-11-18", "workshop"),
    ok("2 Std. Workshop ACME Donnerstag", 120, "ACME", "2026-11-19", "workshop"),
    ok("am Freitag 2 Std. Workshop ACME", 120, "ACME", "2026-11-20", "workshop"),
    ok("2 Std. Workshop ACME vor 3 Tagen", 120, "ACME", "2026-11-21", "workshop"),
    ok("2 Std. Workshop ACME vor drei Tagen", 120, "ACME", "2026-11-21", "workshop"),
    ok("2 Std. Workshop ACME vor einem Tag", 120, "ACME", Y, "workshop"),
    ok("2 Std. Workshop ACME vor einer Woche", 120, "ACME", "2026-11-17", "workshop"),
    ok("2 Std. Workshop ACME vor 2 Wochen", 120, "ACME", "2026-11-10", "workshop"),
    ok("2 Std. Workshop ACME vor zwei Wochen", 120, "ACME", "2026-11-10", "workshop"),
    ok("2 Std. Workshop ACME am 18.11.", 120, "ACME", "2026-11-18", "workshop"),
    ok("2 Std. Workshop ACME 18.11.2026", 120, "ACME", "2026-11-18", "workshop"),
    ok("2 Std. Workshop ACME am 18.11.26", 120, "ACME", "2026-11-18", "workshop"),
    ok("2 Std. Workshop ACME am 3. März", 120, "ACME", "2026-03-03", "workshop"),
    ok("2 Std. Workshop ACME 3. März", 120, "ACME", "2026-03-03", "workshop"),
    ok("2 Std. Workshop ACME am 3. Maerz", 120, "ACME", "2026-03-03", "workshop"),
    ok("2 Std. Workshop ACME am 3. Marz", 120, "ACME", "2026-03-03", "workshop"),
    ok("2 Std. Workshop ACME am 18. Nov.", 120, "ACME", "2026-11-18", "workshop"),
    ok("2 Std. Workshop ACME am 18. November", 120, "ACME", "2026-11-18", "workshop"),
    ok("2 Std. Workshop ACME am 18. November 2025", 120, "ACME", "2025-11-18", "workshop"),
    ok("2 Std. Workshop ACME am 1. Okt.", 120, "ACME", "2026-10-01", "workshop"),
    ok("2 Std. Workshop ACME 2026-11-02", 120, "ACME", "2026-11-02", "workshop"),
    ok("2 Std. Workshop ACME am Montag, 23.11.", 120, "ACME", Y, "workshop"),
    ok("2 Std. Workshop ACME Freitag letzter Woche", 120, "ACME", "2026-11-20", "workshop"),
    ok("2 Std. Workshop ACME am Dienstag letzter Woche", 120, "ACME", "2026-11-17", "workshop"),
    ok("2 Std. Workshop ACME letzten Mo.", 120, "ACME", Y, "workshop"),
    ok("2 Std. Meeting ACME Mo", 120, "ACME", Y, "meeting"),
    ok("fünfundvierzig Minuten Telefonat ACME", 45, "ACME", T, "telefonat"),
    ok("zwei Stunden zwanzig Minuten Logo ACME", 140, "ACME", T, "logo"),
    no("2 Std. Workshop ACME morgen", "not done yet"),
    no("2 Std. Workshop ACME übermorgen", "not done yet"),
    no("2 Std. Workshop ACME nächsten Montag", "not done yet"),
    no("2 Std. Workshop ACME naechsten Montag", "not done yet"),
    no("2 Std. Workshop ACME in 3 Tagen", "not done yet"),
    no("2 Std. Workshop ACME letzte Woche", "not one day"),
    no("2 Std. Workshop ACME am 31.11.", "no such date"),
    no("2 Std. Workshop ACME am 30. Februar", "no such date"),
    ask("2 Std. Workshop ACME am 5. Dezember"),
    ask("2 Std. Workshop ACME am 05.12.2026"),
]

CLIENT_MARKERS = [
    ok("2 Std. Logo für acme", 120, "ACME", T, "logo"),
    ok("2 Std. Logo fur acme", 120, "ACME", T, "logo"),
    ok("2 Std. Logo bei ACME", 120, "ACME", T, "logo"),
    ok("2 Std. Meeting mit ACME", 120, "ACME", T, "meeting"),
    ok("ACME: 2 Std. Logo", 120, "ACME", T, "logo"),
    ok("2 Std. Logo @acme", 120, "ACME", T, "logo"),
    ok("2 Std. Logo #acme", 120, "ACME", T, "logo"),
    ok("2 Std. Logo Kunde ACME", 120, "ACME", T, "logo"),
    ok("2 Std. Speisekarte für Café Müller", 120, "Café Müller", T, "speisekarte"),
    ok("2 Std. Speisekarte für cafe muller", 120, "Café Müller", T, "speisekarte"),
    ok("2 Std. Speisekarte für das Café", 120, "Café Müller", T, "speisekarte"),
    ok("2 Std. Inventur bei Northwind", 120, "Northwind Traders", T, "inventur"),
    ok("2 Std. Logo für Globex", 120, None, T, None),
    ok("Globex: 2 Std. Logo", 120, None, T, None),
    ok("2 Std. Logo", 120, None, T, "logo"),
]

MONEY = [
    ok("500 € Website für ACME", None, "ACME", T, "website", "500", "EUR"),
    ok("1.200 € Website für ACME", None, "ACME", T, "website", "1200", "EUR"),
    ok("1.250,50 € Website für ACME", None, "ACME", T, "website", "1250.50", "EUR"),
    ok("€ 1.200 Website ACME", None, "ACME", T, "website", "1200", "EUR"),
    ok("500 Euro Website ACME", None, "ACME", T, "website", "500", "EUR"),
    ok("49,90 € Plugin-Lizenz ACME", None, "ACME", T, "plugin-lizenz", "49.90", "EUR"),
    ok("CHF 1'200 Website ACME", None, "ACME", T, "website", "1200", "CHF"),
    ok("Pauschale 500 € Website ACME", None, "ACME", T, "website", "500", "EUR"),
    ok("pauschal 500 € Website ACME", None, "ACME", T, "website", "500", "EUR"),
    ok("2 Std. Eilauftrag für ACME zu 120 €/Std.", 120, "ACME", T, "eilauftrag", rate="120"),
    ok("2 Std. Eilauftrag ACME à 120 €/h", 120, "ACME", T, "eilauftrag", rate="120"),
    ok("2 Std. Eilauftrag ACME 120 € pro Stunde", 120, "ACME", T, "eilauftrag", rate="120"),
    ok("2 Std. Eilauftrag ACME 120 Euro die Stunde", 120, "ACME", T, "eilauftrag", rate="120"),
    ok("2 Std. Eilauftrag ACME @ 120/h", 120, "ACME", T, "eilauftrag", rate="120"),
    ok("2 Std. Beratung ACME zu 95,50 €/Std.", 120, "ACME", T, "beratung", rate="95.50"),
    ok("2 Std. Beratung ACME Stundensatz 110 €", 120, "ACME", T, "beratung", rate="110"),
    ok("500 € netto Website ACME", None, "ACME", T, "website", "500", "EUR"),
    ok("2 Std. Logo ACME 120 Euro pro Std.", 120, "ACME", T, "logo", rate="120"),
    ok("2 Std. Beratung ACME zu 90 €", 120, "ACME", T, "beratung", rate="90"),  # beside a duration: its rate
    ok("2 Std. Beratung ACME à 90 €", 120, "ACME", T, "beratung", rate="90"),
    no("0 € Website ACME", "zero price"),
]

DESCRIPTIONS = [
    ok("3h Beratung für Café Müller gestern", 180, "Café Müller", Y, "beratung"),
    ok("3h Beratung für Cafe Müller gestern", 180, "Café Müller", Y, "beratung"),
    ok("2 Std. Logo-Entwurf für ACME", 120, "ACME", T, "logo-entwurf"),
    ok("2 Std. Schulung für neue Mitarbeiter ACME", 120, "ACME", T, "schulung für neue mitarbeiter"),
    ok("2 Std. Arbeit an der Website ACME", 120, "ACME", T, "arbeit an der website"),
    ok("2 Std. Telefonat mit Anna (ACME)", 120, "ACME", T, "telefonat mit anna"),
    ok("2 Std. Überarbeitung Logo ACME", 120, "ACME", T, "überarbeitung logo"),
    ok("Workshop bei ACME 2 Std.", 120, "ACME", T, "workshop"),
    ok("ACME - 2 Std. - Workshop - gestern", 120, "ACME", Y, "workshop"),
    ok("2 Std. Korrekturen am Logo für ACME", 120, "ACME", T, "korrekturen am logo"),
    ok("2 Std. Fehlerbehebung im Checkout für ACME", 120, "ACME", T, "fehlerbehebung im checkout"),
    ok("2 Std. an der Website für ACME", 120, "ACME", T, "website"),
    ok("2 Std. Workshop mit dem Team von ACME", 120, "ACME", T, "workshop mit dem team"),
    ok("Habe 2 Std. Logo für ACME gemacht", 120, "ACME", T, "logo"),
    ok("2 Std. Planung für den Relaunch ACME", 120, "ACME", T, "planung für den relaunch"),
    ok("2 Std. 3 Entwürfe ACME", 120, "ACME", T, "3 entwürfe"),
]

TABLE = DURATIONS + RANGES + DATES + CLIENT_MARKERS + MONEY + DESCRIPTIONS


@pytest.mark.parametrize("text, expected", TABLE)
def test_german(text, expected):
    check(judge(text, CLIENTS, locale="de_DE"), expected)


def test_the_german_table_is_large():
    assert len(TABLE) >= 150
