"""Spanish phrases (locale es_ES), written from SPEC §5 before the parser read Spanish: the same rules as English.

Typed as people type on a phone: lower case, missing accents ("dias", "miercoles"), "1.200 €". Tuesday 24 Nov 2026,
10:00 in Berlin.
"""
from __future__ import annotations

import pytest

from tests.phrases.judging import VY, T, Y, ask, check, judge, no, ok

CLIENTS = ("ACME", "Contoso", "Fabrikam", "Café Müller", "Boulangerie Dupont", "Panadería Ruiz",
           "Northwind Traders", "Initech")

DURATIONS = [
    ok("2h reunión con ACME", 120, "ACME", T, "reunión"),
    ok("2 horas diseño para ACME", 120, "ACME", T, "diseño"),
    ok("2 hrs diseño para ACME", 120, "ACME", T, "diseño"),
    ok("1 hora llamada con ACME", 60, "ACME", T, "llamada"),
    ok("una hora llamada con ACME", 60, "ACME", T, "llamada"),
    ok("dos horas taller para ACME", 120, "ACME", T, "taller"),
    ok("tres horas investigación para ACME", 180, "ACME", T, "investigación"),
    ok("cuatro horas investigación ACME", 240, "ACME", T, "investigación"),
    ok("45 min correos para ACME", 45, "ACME", T, "correos"),
    ok("45 minutos contabilidad ACME", 45, "ACME", T, "contabilidad"),
    ok("diez minutos llamada ACME", 10, "ACME", T, "llamada"),
    ok("veinte minutos llamada ACME", 20, "ACME", T, "llamada"),
    ok("1,5 h maqueta para ACME", 90, "ACME", T, "maqueta"),
    ok("1,5 horas maqueta ACME", 90, "ACME", T, "maqueta"),
    ok("1h30 reunión ACME", 90, "ACME", T, "reunión"),
    ok("1 hora 30 minutos reunión ACME", 90, "ACME", T, "reunión"),
    ok("1 hora y 15 minutos reunión ACME", 75, "ACME", T, "reunión"),
    ok("hora y media revisión para ACME ayer", 90, "ACME", Y, "revisión"),
    ok("una hora y media revisión ACME", 90, "ACME", T, "revisión"),
    ok("dos horas y media revisión ACME", 150, "ACME", T, "revisión"),
    ok("2 horas y media revisión ACME", 150, "ACME", T, "revisión"),
    ok("2h y media revisión ACME", 150, "ACME", T, "revisión"),
    ok("media hora llamada ACME", 30, "ACME", T, "llamada"),
    ok("un cuarto de hora llamada ACME", 15, "ACME", T, "llamada"),
    ok("cuarto de hora llamada ACME", 15, "ACME", T, "llamada"),
    ok("tres cuartos de hora llamada ACME", 45, "ACME", T, "llamada"),
    ok("una hora y cuarto llamada ACME", 75, "ACME", T, "llamada"),
    ok("90 minutos taller ACME", 90, "ACME", T, "taller"),
    ok("0,5 h factura ACME", 30, "ACME", T, "factura"),
    ok("doce horas feria ACME", 720, "ACME", T, "feria"),
    ok("3h diseño web para Panadería Ruiz", 180, "Panadería Ruiz", T, "diseño web"),
    ok("unas 2 horas maqueta ACME", 120, "ACME", T, "maqueta"),
    ok("maqueta para ACME 2h", 120, "ACME", T, "maqueta"),
    no("25 horas taller ACME", "over a day"),
    no("0 horas taller ACME", "zero"),
    no("taller para ACME", "no duration"),
    ask("2h 3h taller ACME"),
]

RANGES = [
    ok("de 9 a 11:30 taller con ACME", 150, "ACME", T, "taller"),
    ok("de 9:00 a 11:30 taller ACME", 150, "ACME", T, "taller"),
    ok("9-11 taller ACME", 120, "ACME", T, "taller"),
    ok("de 14 a 17 h formación ACME", 180, "ACME", T, "formación"),
    ok("de 14:00 a 17:15 formación ACME", 195, "ACME", T, "formación"),
    ok("entre las 9 y las 11 taller ACME", 120, "ACME", T, "taller"),
    ok("desde las 9 hasta las 11 taller ACME", 120, "ACME", T, "taller"),
    ok("de 9h a 11h taller ACME", 120, "ACME", T, "taller"),
    ok("1h llamada ACME a las 14:00", 60, "ACME", T, "llamada"),
    ok("1h llamada ACME a las 4", 60, "ACME", T, "llamada"),
    ok("taller ACME de 10 a 12 ayer", 120, "ACME", Y, "taller"),
    ask("de 11:30 a 9:00 taller ACME"),
]

DATES = [
    ok("2h taller ACME ayer", 120, "ACME", Y, "taller"),
    ok("ayer 2h taller ACME", 120, "ACME", Y, "taller"),
    ok("Ayer: 2h taller ACME", 120, "ACME", Y, "taller"),
    ok("2h taller ACME anteayer", 120, "ACME", VY, "taller"),
    ok("2h taller ACME antes de ayer", 120, "ACME", VY, "taller"),
    ok("2h taller ACME antier", 120, "ACME", VY, "taller"),
    ok("2h taller ACME hoy", 120, "ACME", T, "taller"),
    ok("2h taller ACME esta mañana", 120, "ACME", T, "taller"),
    ok("2h taller ACME esta manana", 120, "ACME", T, "taller"),
    ok("2h taller ACME ayer por la tarde", 120, "ACME", Y, "taller"),
    ok("2h taller ACME ayer por la mañana", 120, "ACME", Y, "taller"),
    ok("2h taller ACME el viernes pasado", 120, "ACME", "2026-11-20", "taller"),
    ok("2h taller ACME el pasado viernes", 120, "ACME", "2026-11-20", "taller"),
    ok("2h taller ACME el lunes", 120, "ACME", Y, "taller"),
    ok("2h taller ACME lunes", 120, "ACME", Y, "taller"),
    ok("2h taller ACME el martes pasado", 120, "ACME", "2026-11-17", "taller"),
    ok("2h taller ACME el martes", 120, "ACME", T, "taller"),
    ok("2h taller ACME el domingo", 120, "ACME", VY, "taller"),
    ok("2h taller ACME el sábado", 120, "ACME", "2026-11-21", "taller"),
    ok("2h taller ACME el sabado", 120, "ACME", "2026-11-21", "taller"),
    ok("2h taller ACME el miércoles", 120, "ACME", "2026-11-18", "taller"),
    ok("2h taller ACME el miercoles", 120, "ACME", "2026-11-18", "taller"),
    ok("el jueves 2h taller ACME", 120, "ACME", "2026-11-19", "taller"),
    ok("2h taller ACME hace 3 días", 120, "ACME", "2026-11-21", "taller"),
    ok("2h taller ACME hace 3 dias", 120, "ACME", "2026-11-21", "taller"),
    ok("2h taller ACME hace tres días", 120, "ACME", "2026-11-21", "taller"),
    ok("2h taller ACME hace 2 semanas", 120, "ACME", "2026-11-10", "taller"),
    ok("2h taller ACME hace una semana", 120, "ACME", "2026-11-17", "taller"),
    ok("2h taller ACME hace un día", 120, "ACME", Y, "taller"),
    ok("2h taller ACME el 18 de noviembre", 120, "ACME", "2026-11-18", "taller"),
    ok("2h taller ACME 18 nov", 120, "ACME", "2026-11-18", "taller"),
    ok("2h taller ACME el 3 de marzo", 120, "ACME", "2026-03-03", "taller"),
    ok("2h taller ACME el 18/11", 120, "ACME", "2026-11-18", "taller"),
    ok("2h taller ACME el 18/11/2026", 120, "ACME", "2026-11-18", "taller"),
    ok("2h taller ACME el 18 de noviembre de 2025", 120, "ACME", "2025-11-18", "taller"),
    ok("2h taller ACME 2026-11-02", 120, "ACME", "2026-11-02", "taller"),
    ok("2h taller ACME el 1 de octubre", 120, "ACME", "2026-10-01", "taller"),
    ok("2h taller ACME el lunes 23 de noviembre", 120, "ACME", Y, "taller"),
    ok("2h taller ACME el lunes 23", 120, "ACME", Y, "taller"),
    ask("2h taller ACME el jueves 23"),  # the 23rd was a Monday
    ok("2h taller ACME el día 18", 120, "ACME", "2026-11-18", "taller"),
    no("2h taller ACME mañana", "not done yet"),
    no("2h taller ACME manana", "not done yet"),
    no("2h taller ACME pasado mañana", "not done yet"),
    no("2h taller ACME el próximo lunes", "not done yet"),
    no("2h taller ACME el lunes que viene", "not done yet"),
    no("2h taller ACME dentro de 3 días", "not done yet"),
    no("2h taller ACME la semana pasada", "not one day"),
    no("2h taller ACME el 31 de noviembre", "no such date"),
    ask("2h taller ACME el 5 de diciembre"),
]

CLIENT_MARKERS = [
    ok("2h logo para acme", 120, "ACME", T, "logo"),
    ok("2h logo con ACME", 120, "ACME", T, "logo"),
    ok("ACME: 2h logo", 120, "ACME", T, "logo"),
    ok("2h logo @acme", 120, "ACME", T, "logo"),
    ok("2h logo cliente ACME", 120, "ACME", T, "logo"),
    ok("2h web para Panadería Ruiz", 120, "Panadería Ruiz", T, "web"),
    ok("2h web para panaderia ruiz", 120, "Panadería Ruiz", T, "web"),
    ok("2h web para la panadería", 120, "Panadería Ruiz", T, "web"),
    ok("2h logo para Globex", 120, None, T, None),
    ok("Globex: 2h logo", 120, None, T, None),
    ok("2h logo", 120, None, T, "logo"),
]

MONEY = [
    ok("500 € web para ACME", None, "ACME", T, "web", "500", "EUR"),
    ok("1.200 € web para ACME", None, "ACME", T, "web", "1200", "EUR"),
    ok("1.250,50 € web para ACME", None, "ACME", T, "web", "1250.50", "EUR"),
    ok("500 euros web ACME", None, "ACME", T, "web", "500", "EUR"),
    ok("49,90 € licencia ACME", None, "ACME", T, "licencia", "49.90", "EUR"),
    ok("2h trabajo urgente para ACME a 120 €/h", 120, "ACME", T, "trabajo urgente", rate="120"),
    ok("2h trabajo urgente ACME a 120 € la hora", 120, "ACME", T, "trabajo urgente", rate="120"),
    ok("2h trabajo urgente ACME 120 €/hora", 120, "ACME", T, "trabajo urgente", rate="120"),
    ok("2h trabajo urgente ACME 120 € por hora", 120, "ACME", T, "trabajo urgente", rate="120"),
    ok("2h trabajo urgente ACME a 95,50 €/h", 120, "ACME", T, "trabajo urgente", rate="95.50"),
    ok("precio fijo 500 € web ACME", None, "ACME", T, "web", "500", "EUR"),
    ok("2h diseño ACME 80 €/h + IVA", 120, "ACME", T, "diseño", rate="80"),
    ok("2h consultoría ACME a 90 €", 120, "ACME", T, "consultoría", rate="90"),  # beside a duration: its rate
    ok("dos horas y cuarto reunión ACME", 135, "ACME", T, "reunión"),
    ok("cuarenta y cinco minutos llamada ACME", 45, "ACME", T, "llamada"),
    ok("1 hora y media reunión ACME el jueves", 90, "ACME", "2026-11-19", "reunión"),
    ok("reunión hora y media ACME", 90, "ACME", T, "reunión"),
    ok("$1,200 hosting ACME", None, "ACME", T, "hosting", "1200", "USD"),
    no("0 € web ACME", "zero price"),
]

DESCRIPTIONS = [
    ok("2h formación para nuevos empleados ACME", 120, "ACME", T, "formación para nuevos empleados"),
    ok("2h de desarrollo para ACME", 120, "ACME", T, "desarrollo"),
    ok("2h revisión del contrato ACME", 120, "ACME", T, "revisión del contrato"),
    ok("2h llamada con Marta (ACME)", 120, "ACME", T, "llamada con marta"),
    ok("trabajé 2h en la web para ACME", 120, "ACME", T, "web"),
    ok("2h correcciones en el logo para ACME", 120, "ACME", T, "correcciones en el logo"),
    ok("ACME - 2h - taller - ayer", 120, "ACME", Y, "taller"),
    ok("2h rediseño de la web para ACME ayer", 120, "ACME", Y, "rediseño de la web"),
    ok("2h 3 maquetas ACME", 120, "ACME", T, "3 maquetas"),
]

TABLE = DURATIONS + RANGES + DATES + CLIENT_MARKERS + MONEY + DESCRIPTIONS


@pytest.mark.parametrize("text, expected", TABLE)
def test_spanish(text, expected):
    check(judge(text, CLIENTS, locale="es_ES"), expected)


def test_the_spanish_table_is_large():
    assert len(TABLE) >= 125
