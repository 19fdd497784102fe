"""Whole phrases as freelancers type them on a phone, each checked field by field (today is Tue 24 Nov 2026)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.phrases import AmbiguousPhrase, PhraseError
from tests.phrases.phrasebook import read


def row(text, minutes, client, day, description, amount=None, currency=None, rate=None, unknown=None):
    return pytest.param(text, minutes, client, date(2026, 11, day), description, amount, currency, rate, unknown,
                        id=text)


PHRASES = [
    row('2h logo design for ACME yesterday', 120, 'ACME', 23, 'logo design'),
    row('ACME: 45 minutes email triage', 45, 'ACME', 24, 'email triage'),
    row('1h30 call with Initech on monday', 90, 'Initech', 23, 'call'),
    row('half an hour review @acme', 30, 'ACME', 24, 'review'),
    row('9:00-11:30 workshop Initech', 150, 'Initech', 24, 'workshop'),
    row('2h rush job for ACME @ 120/h', 120, 'ACME', 24, 'rush job', rate='120'),
    row('€500 website for ACME', None, 'ACME', 24, 'website', amount='500', currency='EUR'),
    row('Contoso - 3h - wireframes', 180, 'Contoso', 24, 'wireframes'),
    row('contoso 3h wireframes!!', 180, 'Contoso', 24, 'wireframes'),
    row('3 hrs wireframes for contoso yday', 180, 'Contoso', 23, 'wireframes'),
    row('wireframes (3h) contoso', 180, 'Contoso', 24, 'wireframes'),
    row('wireframes, 3h, contoso, yesterday', 180, 'Contoso', 23, 'wireframes'),
    row('3h wireframes Contoso 🙂', 180, 'Contoso', 24, 'wireframes 🙂'),
    row('3h wireframes & prototypes contoso', 180, 'Contoso', 24, 'wireframes & prototypes'),
    row('3h wireframes + prototypes contoso', 180, 'Contoso', 24, 'wireframes + prototypes'),
    row('3h: wireframes @contoso', 180, 'Contoso', 24, 'wireframes'),
    row('#contoso 3h wireframes #design', 180, 'Contoso', 24, 'wireframes #design'),
    row('3h Contoso homepage wireframes v2', 180, 'Contoso', 24, 'homepage wireframes v2'),
    row('1h standup + sprint planning Fabrikam', 60, 'Fabrikam', 24, 'standup + sprint planning'),
    row('fabrikam 1h standup, then planning', 60, 'Fabrikam', 24, 'standup, then planning'),
    row('1H STANDUP FABRIKAM', 60, 'Fabrikam', 24, 'standup'),
    row('1 h standup fabrikam monday', 60, 'Fabrikam', 23, 'standup'),
    row('Standup Fabrikam 15min', 15, 'Fabrikam', 24, 'standup'),
    row('15 mins standup fabrikam this morning', 15, 'Fabrikam', 24, 'standup'),
    row('quick 10 min call with fabrikam', 10, 'Fabrikam', 24, 'quick call'),
    row('a quarter of an hour call fabrikam', 15, 'Fabrikam', 24, 'call'),
    row('fabrikam call 20 minutes yesterday afternoon', 20, 'Fabrikam', 23, 'call'),
    row('45m code review for Tailspin last thursday', 45, 'Tailspin', 19, 'code review'),
    row('code review tailspin 45m on thu', 45, 'Tailspin', 19, 'code review'),
    row('code review @tail 45 min', 45, 'Tailspin', 24, 'code review'),
    row('Code review - Tailspin - 0:45', 45, 'Tailspin', 24, 'code review'),
    row('Tailspin code review 0.75h', 45, 'Tailspin', 24, 'code review'),
    row('tailspin: code review .75h', 45, 'Tailspin', 24, 'code review'),
    row('2h 15m data migration vandelay 2 days ago', 135, 'Vandelay', 22, 'data migration'),
    row('vandelay data migration 2h15', 135, 'Vandelay', 24, 'data migration'),
    row('vandelay data migration 2:15 yesterday', 135, 'Vandelay', 23, 'data migration'),
    row('data migration vandelay from 13:00 to 15:15', 135, 'Vandelay', 24, 'data migration'),
    row('data migration vandelay 1pm-3:15pm', 135, 'Vandelay', 24, 'data migration'),
    row('6h onsite workshop dunder mifflin 18 Nov', 360, 'Dunder Mifflin', 18, 'onsite workshop'),
    row('onsite workshop Dunder Mifflin Nov 18th 6 hours', 360, 'Dunder Mifflin', 18, 'onsite workshop'),
    row('onsite workshop @dunder 6h on 18.11.', 360, 'Dunder Mifflin', 18, 'onsite workshop'),
    row('dunder mifflin onsite workshop 6h 18/11', 360, 'Dunder Mifflin', 18, 'onsite workshop'),
    row('Dunder Mifflin onsite 9am-3pm', 360, 'Dunder Mifflin', 24, 'onsite'),
    row('1.5h menu photos café lumière', 90, 'Café Lumière', 24, 'menu photos'),
    row('menu photos cafe lumiere 1,5h', 90, 'Café Lumière', 24, 'menu photos'),
    row('menu photos @cafe 90 min', 90, 'Café Lumière', 24, 'menu photos'),
    row('Café Lumière: menu photos, 1 and a half hours', 90, 'Café Lumière', 24, 'menu photos'),
    row('menu photos for Café Lumière an hour and a half last sat', 90, 'Café Lumière', 21, 'menu photos'),
    row('30 min invoice admin northwind', 30, 'Northwind Traders', 24, 'invoice admin'),
    row('invoice admin Northwind Traders 30m', 30, 'Northwind Traders', 24, 'invoice admin'),
    row('Northwind: invoice admin, half hour', 30, 'Northwind Traders', 24, 'invoice admin'),
    row('northwind traders invoice admin 0.5h', 30, 'Northwind Traders', 24, 'invoice admin'),
    row('invoice admin @north 30 min today', 30, 'Northwind Traders', 24, 'invoice admin'),
    row('2h meeting at 14:00 with Contoso', 120, 'Contoso', 24, 'meeting'),
    row('2h meeting with Contoso at 2pm', 120, 'Contoso', 24, 'meeting'),
    row('meeting 1:30 Contoso', 90, 'Contoso', 24, 'meeting'),
    row('1:30 meeting Contoso', 90, 'Contoso', 24, 'meeting'),
    row('meeting at 1:30 Contoso 1h', 60, 'Contoso', 24, 'meeting'),
    row('3h SEO audit for Globodyne', 180, None, 24, 'seo audit', unknown='Globodyne'),
    row('SEO audit 3h @globodyne', 180, None, 24, 'seo audit', unknown='globodyne'),
    row('Globodyne: SEO audit 3 hours', 180, None, 24, 'seo audit', unknown='Globodyne'),
    row('€1,200 website redesign for Fabrikam', None, 'Fabrikam', 24, 'website redesign', amount='1200', currency='EUR'),
    row('website redesign fabrikam 1200 EUR', None, 'Fabrikam', 24, 'website redesign', amount='1200', currency='EUR'),
    row('$800 landing page for Tailspin', None, 'Tailspin', 24, 'landing page', amount='800', currency='USD'),
    row('£350 logo for Vandelay', None, 'Vandelay', 24, 'logo', amount='350', currency='GBP'),
    row('fixed price 500€ app icons contoso', None, 'Contoso', 24, 'app icons', amount='500', currency='EUR'),
    row('2h consulting Contoso @ 150/h', 120, 'Contoso', 24, 'consulting', rate='150'),
    row('2h consulting Contoso at 150 per hour', 120, 'Contoso', 24, 'consulting', rate='150'),
    row('2h consulting Contoso rate 150', 120, 'Contoso', 24, 'consulting', rate='150'),
    row('2h consulting @ €150/h contoso', 120, 'Contoso', 24, 'consulting', rate='150'),
    row('worked 5h on the Fabrikam API yesterday', 300, 'Fabrikam', 23, 'api'),
    row('spent 2 hours fixing CI for contoso', 120, 'Contoso', 24, 'fixing ci'),
    row('I spent 45 minutes on emails for Tailspin', 45, 'Tailspin', 24, 'emails'),
    row('did 3h of QA for vandelay on friday', 180, 'Vandelay', 20, 'qa'),
    row('logged 1h of support for northwind', 60, 'Northwind Traders', 24, 'support'),
    row('2h design review 2026-11-20 contoso', 120, 'Contoso', 20, 'design review'),
    row('2h design review 20.11.2026 contoso', 120, 'Contoso', 20, 'design review'),
    row('2h design review 20/11/2026 contoso', 120, 'Contoso', 20, 'design review'),
    row('2h design review on 20 November contoso', 120, 'Contoso', 20, 'design review'),
    row('2h design review on the 20th contoso', 120, 'Contoso', 20, 'design review'),
    row('2h design review last friday contoso', 120, 'Contoso', 20, 'design review'),
    row('2h design review friday contoso', 120, 'Contoso', 20, 'design review'),
    row('2h design review 4 days ago contoso', 120, 'Contoso', 20, 'design review'),
    row('twelve hours crunch contoso', 720, 'Contoso', 24, 'crunch'),
    row('twenty minutes sync contoso', 20, 'Contoso', 24, 'sync'),
    row('ninety minutes sync contoso', 90, 'Contoso', 24, 'sync'),
    row('2 hours + 30 min sync contoso', 150, 'Contoso', 24, 'sync'),
    row('1 hour and a half sync contoso', 90, 'Contoso', 24, 'sync'),
    row('3/4 of an hour sync contoso', 45, 'Contoso', 24, 'sync'),
    row('Vandelay 5h', 300, 'Vandelay', 24, None),
    row('5h Vandelay', 300, 'Vandelay', 24, None),
    row(' vandelay   5H  ', 300, 'Vandelay', 24, None),
]


@pytest.mark.parametrize("text, minutes, client, day, description, amount, currency, rate, unknown", PHRASES)
def test_phrase(text, minutes, client, day, description, amount, currency, rate, unknown):
    work = read(text)
    assert (work.minutes, work.client, work.work_date, work.description) == (minutes, client, day, description)
    assert work.amount == (None if amount is None else Decimal(amount)) and work.currency == currency
    assert work.rate == (None if rate is None else Decimal(rate))
    assert work.unknown_client == unknown


@pytest.mark.parametrize("text", [
    "4h bug bash Contoso & Fabrikam", "2h review yesterday, 1h review today contoso", "1h call 2h call contoso",
    "2h planning 3/4 contoso northwind",
])
def test_phrases_that_read_two_ways_ask(text):
    with pytest.raises(AmbiguousPhrase):
        read(text)


@pytest.mark.parametrize("text", [
    "good morning", "Contoso meeting yesterday", "-1h cleanup Contoso", "3h layout Vandelay on 30 February",
    "thanks!", "contoso", "yesterday", "2 days ago contoso", "🙂", "design review 13:00 contoso", "0m contoso",
    "26 hours contoso", "1h review contoso tomorrow", "3h review 31/11 contoso",
])
def test_phrases_that_are_refused(text):
    with pytest.raises(PhraseError):
        read(text)
