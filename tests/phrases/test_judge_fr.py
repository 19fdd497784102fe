"""French phrases (locale fr_FR), written from SPEC §5 before the parser read French: the same rules as English.

Typed as people type on a phone: lower case, missing accents ("decembre", "aout"), "1 200 €" with a space.
Tuesday 24 Nov 2026, 10:00 in Berlin.
"""
from __future__ import annotations

import pytest

from tests.phrases.judging import VY, T, Y, ask, check, judge, no, ok

CLIENTS = ("ACME", "Contoso", "Fabrikam", "Café Müller", "Boulangerie Dupont", "Panadería Ruiz",
           "Northwind Traders", "Initech")

DURATIONS = [
    ok("2h réunion chez ACME", 120, "ACME", T, "réunion"),
    ok("2 h réunion chez ACME", 120, "ACME", T, "réunion"),
    ok("2 heures réunion avec ACME", 120, "ACME", T, "réunion"),
    ok("1 heure appel avec ACME", 60, "ACME", T, "appel"),
    ok("une heure appel ACME", 60, "ACME", T, "appel"),
    ok("deux heures atelier pour ACME", 120, "ACME", T, "atelier"),
    ok("trois heures recherche pour ACME", 180, "ACME", T, "recherche"),
    ok("quatre heures recherche ACME", 240, "ACME", T, "recherche"),
    ok("45 min emails pour ACME", 45, "ACME", T, "emails"),
    ok("45 minutes comptabilité ACME", 45, "ACME", T, "comptabilité"),
    ok("dix minutes rappel ACME", 10, "ACME", T, "rappel"),
    ok("vingt minutes rappel ACME", 20, "ACME", T, "rappel"),
    ok("1,5 h maquette pour ACME", 90, "ACME", T, "maquette"),
    ok("1,5 heure maquette ACME", 90, "ACME", T, "maquette"),
    ok("1h30 réunion chez ACME hier", 90, "ACME", Y, "réunion"),
    ok("1 h 30 réunion ACME", 90, "ACME", T, "réunion"),
    ok("1h 30min réunion ACME", 90, "ACME", T, "réunion"),
    ok("1 heure 30 réunion ACME", 90, "ACME", T, "réunion"),
    ok("1 heure 30 minutes réunion ACME", 90, "ACME", T, "réunion"),
    ok("1 heure et 15 minutes réunion ACME", 75, "ACME", T, "réunion"),
    ok("une heure et demie réunion ACME", 90, "ACME", T, "réunion"),
    ok("une heure et demi réunion ACME", 90, "ACME", T, "réunion"),
    ok("deux heures et demie réunion ACME", 150, "ACME", T, "réunion"),
    ok("2 heures et demie réunion ACME", 150, "ACME", T, "réunion"),
    ok("2h et demie réunion ACME", 150, "ACME", T, "réunion"),
    ok("une demi-heure appel ACME", 30, "ACME", T, "appel"),
    ok("une demi heure appel ACME", 30, "ACME", T, "appel"),
    ok("demi-heure appel ACME", 30, "ACME", T, "appel"),
    ok("un quart d'heure appel ACME", 15, "ACME", T, "appel"),
    ok("un quart d’heure appel ACME", 15, "ACME", T, "appel"),
    ok("trois quarts d'heure appel ACME", 45, "ACME", T, "appel"),
    ok("une heure et quart appel ACME", 75, "ACME", T, "appel"),
    ok("90 minutes atelier ACME", 90, "ACME", T, "atelier"),
    ok("0,5 h facture ACME", 30, "ACME", T, "facture"),
    ok("douze heures salon ACME", 720, "ACME", T, "salon"),
    ok("3h mise en page pour Boulangerie Dupont", 180, "Boulangerie Dupont", T, "mise en page"),
    ok("environ 2h maquette ACME", 120, "ACME", T, "maquette"),
    ok("maquette pour ACME 2h", 120, "ACME", T, "maquette"),
    no("25 heures atelier ACME", "over a day"),
    no("0 h atelier ACME", "zero"),
    no("atelier pour ACME", "no duration"),
    ask("2h 3h atelier ACME"),
]

RANGES = [
    ok("de 9h à 11h30 atelier chez ACME", 150, "ACME", T, "atelier"),
    ok("de 9h00 à 11h30 atelier ACME", 150, "ACME", T, "atelier"),
    ok("de 9h a 11h30 atelier ACME", 150, "ACME", T, "atelier"),
    ok("9h-11h atelier ACME", 120, "ACME", T, "atelier"),
    ok("9h - 11h30 atelier ACME", 150, "ACME", T, "atelier"),
    ok("de 14h à 17h15 formation ACME", 195, "ACME", T, "formation"),
    ok("entre 9h et 11h atelier ACME", 120, "ACME", T, "atelier"),
    ok("de 9:00 à 11:30 atelier ACME", 150, "ACME", T, "atelier"),
    ok("9:00-11:30 atelier ACME", 150, "ACME", T, "atelier"),
    ok("1h appel ACME à 14h", 60, "ACME", T, "appel"),
    ok("1h appel ACME à 14h30", 60, "ACME", T, "appel"),
    ok("atelier ACME de 10h à 12h hier", 120, "ACME", Y, "atelier"),
    ask("de 11h30 à 9h atelier ACME"),
]

DATES = [
    ok("2h atelier ACME hier", 120, "ACME", Y, "atelier"),
    ok("hier 2h atelier ACME", 120, "ACME", Y, "atelier"),
    ok("Hier : 2h atelier ACME", 120, "ACME", Y, "atelier"),
    ok("2h atelier ACME avant-hier", 120, "ACME", VY, "atelier"),
    ok("2h atelier ACME avant hier", 120, "ACME", VY, "atelier"),
    ok("2h atelier ACME aujourd'hui", 120, "ACME", T, "atelier"),
    ok("2h atelier ACME aujourd’hui", 120, "ACME", T, "atelier"),
    ok("2h atelier ACME ce matin", 120, "ACME", T, "atelier"),
    ok("2h atelier ACME hier soir", 120, "ACME", Y, "atelier"),
    ok("2h atelier ACME hier après-midi", 120, "ACME", Y, "atelier"),
    ok("2h atelier ACME vendredi dernier", 120, "ACME", "2026-11-20", "atelier"),
    ok("2h atelier ACME lundi", 120, "ACME", Y, "atelier"),
    ok("2h atelier ACME lundi dernier", 120, "ACME", Y, "atelier"),
    ok("2h atelier ACME mardi dernier", 120, "ACME", "2026-11-17", "atelier"),
    ok("2h atelier ACME mardi", 120, "ACME", T, "atelier"),
    ok("2h atelier ACME dimanche", 120, "ACME", VY, "atelier"),
    ok("2h atelier ACME samedi", 120, "ACME", "2026-11-21", "atelier"),
    ok("2h atelier ACME mercredi", 120, "ACME", "2026-11-18", "atelier"),
    ok("2h atelier ACME jeudi dernier", 120, "ACME", "2026-11-19", "atelier"),
    ok("vendredi 2h atelier ACME", 120, "ACME", "2026-11-20", "atelier"),
    ok("2h atelier ACME il y a 3 jours", 120, "ACME", "2026-11-21", "atelier"),
    ok("2h atelier ACME il y a trois jours", 120, "ACME", "2026-11-21", "atelier"),
    ok("2h atelier ACME il y a 2 semaines", 120, "ACME", "2026-11-10", "atelier"),
    ok("2h atelier ACME il y a une semaine", 120, "ACME", "2026-11-17", "atelier"),
    ok("2h atelier ACME il y a un jour", 120, "ACME", Y, "atelier"),
    ok("2h atelier ACME le 1er nov", 120, "ACME", "2026-11-01", "atelier"),
    ok("2h atelier ACME le 1er novembre", 120, "ACME", "2026-11-01", "atelier"),
    ok("2h atelier ACME le 18 novembre", 120, "ACME", "2026-11-18", "atelier"),
    ok("2h atelier ACME 18 nov.", 120, "ACME", "2026-11-18", "atelier"),
    ok("2h atelier ACME le 3 mars", 120, "ACME", "2026-03-03", "atelier"),
    ok("2h atelier ACME le 18/11", 120, "ACME", "2026-11-18", "atelier"),
    ok("2h atelier ACME le 18/11/2026", 120, "ACME", "2026-11-18", "atelier"),
    ok("2h atelier ACME le 18 novembre 2025", 120, "ACME", "2025-11-18", "atelier"),
    ok("2h atelier ACME 2026-11-02", 120, "ACME", "2026-11-02", "atelier"),
    ok("2h atelier ACME le 4 fevrier", 120, "ACME", "2026-02-04", "atelier"),
    ok("2h atelier ACME le 4 février", 120, "ACME", "2026-02-04", "atelier"),
    ok("2h atelier ACME le 15 août", 120, "ACME", "2026-08-15", "atelier"),
    ok("2h atelier ACME le 15 aout", 120, "ACME", "2026-08-15", "atelier"),
    ok("2h atelier ACME le 2 juil.", 120, "ACME", "2026-07-02", "atelier"),
    ok("2h atelier ACME lundi 23 novembre", 120, "ACME", Y, "atelier"),
    ok("2h atelier ACME le lundi 23", 120, "ACME", Y, "atelier"),
    ask("2h atelier ACME le jeudi 23"),  # the 23rd was a Monday
    ok("2h atelier ACME mer.", 120, "ACME", "2026-11-18", "atelier"),
    no("2h atelier ACME demain", "not done yet"),
    no("2h atelier ACME après-demain", "not done yet"),
    no("2h atelier ACME lundi prochain", "not done yet"),
    no("2h atelier ACME dans 3 jours", "not done yet"),
    no("2h atelier ACME la semaine dernière", "not one day"),
    no("2h atelier ACME le 31 novembre", "no such date"),
    ask("2h atelier ACME le 5 décembre"),
    ask("2h atelier ACME le 5 decembre"),
]

CLIENT_MARKERS = [
    ok("2h logo pour acme", 120, "ACME", T, "logo"),
    ok("2h logo chez ACME", 120, "ACME", T, "logo"),
    ok("2h réunion avec ACME", 120, "ACME", T, "réunion"),
    ok("ACME : 2h logo", 120, "ACME", T, "logo"),
    ok("ACME: 2h logo", 120, "ACME", T, "logo"),
    ok("2h logo @acme", 120, "ACME", T, "logo"),
    ok("2h logo client ACME", 120, "ACME", T, "logo"),
    ok("2h site web pour Boulangerie Dupont", 120, "Boulangerie Dupont", T, "site web"),
    ok("2h site web pour la boulangerie", 120, "Boulangerie Dupont", T, "site web"),
    ok("2h carte chez Café Müller", 120, "Café Müller", T, "carte"),
    ok("2h logo pour Globex", 120, None, T, None),
    ok("Globex : 2h logo", 120, None, T, None),
    ok("2h logo", 120, None, T, "logo"),
]

MONEY = [
    ok("500 € site web pour ACME", None, "ACME", T, "site web", "500", "EUR"),
    ok("1 200 € site web pour ACME", None, "ACME", T, "site web", "1200", "EUR"),
    ok("1\u00a0200 € site web pour ACME", None, "ACME", T, "site web", "1200", "EUR"),
    ok("1\u202f200 € site web pour ACME", None, "ACME", T, "site web", "1200", "EUR"),
    ok("1 250,50 € site web pour ACME", None, "ACME", T, "site web", "1250.50", "EUR"),
    ok("500 euros site web ACME", None, "ACME", T, "site web", "500", "EUR"),
    ok("49,90 € licence ACME", None, "ACME", T, "licence", "49.90", "EUR"),
    ok("CHF 1'200 site web ACME", None, "ACME", T, "site web", "1200", "CHF"),
    ok("forfait 500 € site web ACME", None, "ACME", T, "site web", "500", "EUR"),
    ok("2h travail urgent pour ACME à 120 €/h", 120, "ACME", T, "travail urgent", rate="120"),
    ok("2h travail urgent ACME à 120 € de l'heure", 120, "ACME", T, "travail urgent", rate="120"),
    ok("2h travail urgent ACME 120 €/heure", 120, "ACME", T, "travail urgent", rate="120"),
    ok("2h travail urgent ACME 120 € par heure", 120, "ACME", T, "travail urgent", rate="120"),
    ok("2h travail urgent ACME à 95,50 €/h", 120, "ACME", T, "travail urgent", rate="95.50"),
    ok("2h conseil ACME taux horaire 110 €", 120, "ACME", T, "conseil", rate="110"),
    ok("2h travail ACME 80 €/h HT", 120, "ACME", T, "travail", rate="80"),
    ok("2h conseil ACME à 90 €", 120, "ACME", T, "conseil", rate="90"),  # beside a duration: its rate
    ok("site web ACME à 800 €", None, "ACME", T, "site web", "800", "EUR"),  # no duration: a fixed price
    ok("2h réunion ACME le 20 novembre dernier", 120, "ACME", "2026-11-20", "réunion"),
    ok("500 € HT site web ACME", None, "ACME", T, "site web", "500", "EUR"),
    ok("quarante-cinq minutes appel ACME", 45, "ACME", T, "appel"),
    no("0 € site web ACME", "zero price"),
]

DESCRIPTIONS = [
    ok("2h formation pour les nouveaux employés ACME", 120, "ACME", T, "formation pour les nouveaux employés"),
    ok("2h réunion de lancement ACME", 120, "ACME", T, "réunion de lancement"),
    ok("2h de développement pour ACME", 120, "ACME", T, "développement"),
    ok("2h d'analyse pour ACME", 120, "ACME", T, "analyse"),
    ok("j'ai passé 2h sur la maquette pour ACME", 120, "ACME", T, "maquette"),
    ok("2h révision du contrat ACME", 120, "ACME", T, "révision du contrat"),
    ok("2h appel avec Marie (ACME)", 120, "ACME", T, "appel avec marie"),
    ok("2h corrections sur le logo pour ACME", 120, "ACME", T, "corrections sur le logo"),
    ok("ACME - 2h - atelier - hier", 120, "ACME", Y, "atelier"),
    ok("2h refonte du site pour ACME hier", 120, "ACME", Y, "refonte du site"),
    ok("2h 3 maquettes ACME", 120, "ACME", T, "3 maquettes"),
]

TABLE = DURATIONS + RANGES + DATES + CLIENT_MARKERS + MONEY + DESCRIPTIONS


@pytest.mark.parametrize("text, expected", TABLE)
def test_french(text, expected):
    check(judge(text, CLIENTS, locale="fr_FR"), expected)


def test_the_french_table_is_large():
    assert len(TABLE) >= 140
