"""Each language's forms beside each other: every duration with every date and a client form, in four orders.

A rule that reads a neighbour's words (a date word taken for a number, a range eating a date) shows up here.
Tuesday 24 Nov 2026, 10:00 in Berlin; the phrase's own locale chosen.
"""
from __future__ import annotations

import itertools

import pytest

from tests.phrases.judging import VY, T, Y, judge

CLIENTS = ("ACME", "Café Müller", "Boulangerie Dupont", "Panadería Ruiz", "Northwind Traders")
ORDERS = ("{d} {w} {c} {t}", "{name}: {d} {w} {t}", "{w} {c} {d} {t}", "{t} {d} {w} {c}")

SWEEPS = {
    "de_DE": {
        "durations": {"2 Std.": 120, "2 Stunden": 120, "zwei Stunden": 120, "1,5 Std.": 90, "1h30": 90,
                      "1 Std. 30 Min.": 90, "anderthalb Stunden": 90, "eine halbe Stunde": 30,
                      "eine Viertelstunde": 15, "eine Dreiviertelstunde": 45, "45 Min.": 45, "90 Minuten": 90,
                      "von 9 bis 11:30 Uhr": 150, "9-11 Uhr": 120, "zweieinhalb Stunden": 150},
        "dates": {"": T, "gestern": Y, "vorgestern": VY, "am Montag": Y, "letzten Freitag": "2026-11-20",
                  "vor 3 Tagen": "2026-11-21", "vor einer Woche": "2026-11-17", "am 18.11.": "2026-11-18",
                  "am 3. März": "2026-03-03", "18.11.2026": "2026-11-18", "heute": T},
        "clients": {"für ACME": "ACME", "bei ACME": "ACME", "@acme": "ACME", "für Café Müller": "Café Müller",
                    "mit Northwind": "Northwind Traders"},
        "words": ("Logo-Entwurf", "Beratung", "Abstimmung zum Angebot"),
    },
    "fr_FR": {
        "durations": {"2h": 120, "2 heures": 120, "deux heures": 120, "1,5 h": 90, "1h30": 90,
                      "une heure et demie": 90, "une demi-heure": 30, "un quart d'heure": 15,
                      "trois quarts d'heure": 45, "45 min": 45, "90 minutes": 90, "de 9h à 11h30": 150,
                      "deux heures et demie": 150, "1 heure 30": 90},
        "dates": {"": T, "hier": Y, "avant-hier": VY, "lundi": Y, "vendredi dernier": "2026-11-20",
                  "il y a 3 jours": "2026-11-21", "il y a une semaine": "2026-11-17", "le 18/11": "2026-11-18",
                  "le 3 mars": "2026-03-03", "le 1er nov": "2026-11-01", "aujourd'hui": T},
        "clients": {"pour ACME": "ACME", "chez ACME": "ACME", "@acme": "ACME",
                    "pour Boulangerie Dupont": "Boulangerie Dupont", "avec Northwind": "Northwind Traders"},
        "words": ("maquette", "réunion de suivi", "refonte du site"),
    },
    "es_ES": {
        "durations": {"2h": 120, "2 horas": 120, "dos horas": 120, "1,5 h": 90, "1h30": 90, "hora y media": 90,
                      "una hora y media": 90, "media hora": 30, "un cuarto de hora": 15,
                      "tres cuartos de hora": 45, "45 min": 45, "90 minutos": 90, "de 9 a 11:30": 150,
                      "dos horas y media": 150},
        "dates": {"": T, "ayer": Y, "anteayer": VY, "el lunes": Y, "el viernes pasado": "2026-11-20",
                  "hace 3 días": "2026-11-21", "hace una semana": "2026-11-17", "el 18/11": "2026-11-18",
                  "el 3 de marzo": "2026-03-03", "el 18 de noviembre": "2026-11-18", "hoy": T},
        "clients": {"para ACME": "ACME", "con ACME": "ACME", "@acme": "ACME",
                    "para Panadería Ruiz": "Panadería Ruiz", "con Northwind": "Northwind Traders"},
        "words": ("maqueta", "reunión de seguimiento", "revisión del contrato"),
    },
}


@pytest.mark.parametrize("locale", list(SWEEPS))
def test_every_duration_with_every_date_in_four_orders(locale):
    sweep = SWEEPS[locale]
    clients, words = list(sweep["clients"].items()), sweep["words"]
    wrong = []
    for n, ((written, minutes), (when, day)) in enumerate(
            itertools.product(sweep["durations"].items(), sweep["dates"].items())):
        marked, client = clients[n % len(clients)]
        description = words[n % len(words)]
        name = marked.split(" ", 1)[1] if " " in marked else marked
        for order in ORDERS:
            text = " ".join(order.format(d=written, w=description, c=marked, t=when, name=name).split())
            expected = {"ok": True, "client": client, "minutes": minutes, "amount": None, "currency": None,
                        "rate": None, "date": day, "description": description.lower()}
            answer = judge(text, CLIENTS, locale=locale)
            if answer != expected:
                wrong.append((text, answer))
    assert wrong == []
