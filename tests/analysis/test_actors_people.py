"""Whom a person stands for (analysis/actors.py): the party their title names, so that an
event of "Soviet leader X" or "Acme executive Y" goes to the state or company, not the person."""
from __future__ import annotations

import datetime as dt

import pytest

from parley.analysis.actors import build_cast
from parley.analysis.language import load_model
from parley.records import Article


def _party(text: str, name: str) -> str | None:
    doc = load_model()(text)
    doc.user_data["parley_text"] = text
    cast = build_cast(doc, Article(id="a", text=text, published=dt.date(2020, 3, 2)))
    return cast.people[name].party


@pytest.mark.parametrize("text, name, party", [
    # a state's adjective before a leader's title
    ("Soviet leader Mikhail Petrov offered to cut the missiles in Europe.", "Mikhail Petrov", "SUN"),
    # a company's name before an executive's title, though the parser calls it a common noun
    ("Facebook executive Will Eastwood said the deal was off.", "Will Eastwood", "facebook"),
    # a party's or a club's name before a leader's or a manager's title
    ("Liberal leader Jeremy Thorne agreed to form a coalition.", "Jeremy Thorne", "liberal"),
    ("Newcastle manager Steve Brace said he wanted to sign the striker.", "Steve Brace", "newcastle"),
    # "president of" an organisation: the organisation, not a state
    ("Hiro Tanaka, president of the Japan Federation of Employers' Associations, said wages would rise.",
     "Hiro Tanaka", "japan-federation-of-employers-associations"),
    # the organisation after "of", not another name the parser took for one inside the title
    ("Willy Declerq, External Relations Commissioner of the European Community, said the EC would "
     "demand talks.", "Willy Declerq", "european-community"),
])
def test_a_title_names_the_party_a_person_stands_for(text: str, name: str, party: str) -> None:
    assert _party(text, name) == party


@pytest.mark.parametrize("text, name", [
    ("Former chairman Bill Reed rejected the offer.", "Bill Reed"),     # "Former" names no one
    ("Union leader Ray Buckton called a strike.", "Ray Buckton"),       # which union is not said
    ("Chairman Bill Reed rejected the offer.", "Bill Reed"),            # a title alone
])
def test_a_title_that_names_no_organisation_gives_none(text: str, name: str) -> None:
    assert _party(text, name) is None
