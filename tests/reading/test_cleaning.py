"""Cleaning: title, outlet, byline and publication date from a pasted page; clutter left out of body.

Every article here is made up (outlets, people, places and sentences).
"""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.reading.cleaning import clean, find_published, header_end
from parley.records import Article


def cleaned(text: str, **given_fields: object) -> Article:
    return clean(Article(id="t.txt", text=text, **given_fields))  # type: ignore[arg-type]


def body_of(article: Article) -> str:
    return "\n".join(article.text[s:e] for s, e in article.body_ranges())


def assert_ranges_sound(article: Article) -> None:
    previous_end = 0
    for start, end in article.body:
        assert 0 <= start <= end <= len(article.text)
        assert start >= previous_end
        previous_end = end


MASTHEAD_STYLE = """The Daily Meridian


Rivertown says ferry fee offer is final: reports

By Mira Castellan

Published : Mar. 3, 2021 - 10:05

    \u2022 Link copied

(Meridian) (Meridian)

Rivertown has told the ferry operator that its offer of a 4 percent rise is final, local reports said Wednesday.

The operator wants twice that, according to two officials familiar with the talks.

By Mira Castellan ("""


def test_masthead_headline_byline_and_published_label() -> None:
    a = cleaned(MASTHEAD_STYLE)
    assert a.source == "The Daily Meridian"
    assert a.title == "Rivertown says ferry fee offer is final: reports"
    assert a.author == "Mira Castellan"
    assert a.published == dt.datetime(2021, 3, 3, 10, 5)
    body = body_of(a)
    assert body.startswith("Rivertown has told the ferry operator")
    assert body.endswith("familiar with the talks.")
    for clutter in ("Link copied", "(Meridian)", "By Mira", "Published", "The Daily Meridian", "reports\n"):
        assert clutter not in body
    assert_ranges_sound(a)


AGENCY_STYLE = """From
Send to

Lakeland looking for more give from Norvia in water talks: ministry

June 2, 2019 - 08:15 By Northwire

(AFP-Northwire)

GENEVA -- Lakeland wants Norvia to move further in talks over the shared reservoir, its water ministry said Monday.

"We have shown flexibility and expect the same," a ministry spokesperson told Northwire. (Northwire)"""


def test_agency_byline_is_the_source_and_dateline_stays_in_body() -> None:
    a = cleaned(AGENCY_STYLE)
    assert a.source == "Northwire"
    assert a.author is None
    assert a.published == dt.datetime(2019, 6, 2, 8, 15)
    assert a.title == "Lakeland looking for more give from Norvia in water talks: ministry"
    assert a.metadata["dateline"] == "GENEVA"
    body = body_of(a)
    assert body.startswith("GENEVA -- Lakeland wants Norvia")
    assert body.endswith("told Northwire.")
    for clutter in ("From", "Send to", "AFP-Northwire", "By Northwire", "(Northwire)"):
        assert clutter not in body


CAPTION = ("Vell Amaro (L), Lakeland's chief negotiator, greets his Norvian counterpart at their talks "
           "in Geneva on Jan. 9, 2022, in this photo provided by the ministry. (PHOTO NOT FOR SALE) (Northwire)")

WIRE_PAGE_STYLE = f"""Go to Contents Go to Navigation

Lakeland, Norvia gear up for final round of reservoir talks

All News 09:00 January 21, 2022

OSLOVIK, Jan. 21 (Northwire) -- Lakeland and Norvia appear set for a decisive round of talks next month, observers said Friday.

Lakeland has insisted that the current framework should stay, while Norvia has demanded a larger share.

{CAPTION}

{CAPTION}

desk@northwire.example
(END)

Keywords
HOME TOP
Send Feedback
How can we improve?
Thanks for your feedback!"""


def test_wire_page_time_first_date_repeated_caption_and_tail_widgets() -> None:
    a = cleaned(WIRE_PAGE_STYLE)
    assert a.published == dt.datetime(2022, 1, 21, 9, 0)
    assert a.source == "Northwire"  # from the dateline's agency
    assert a.metadata["dateline"] == "OSLOVIK"
    assert a.title == "Lakeland, Norvia gear up for final round of reservoir talks"
    body = body_of(a)
    assert body.startswith("OSLOVIK, Jan. 21 (Northwire) -- Lakeland and Norvia")
    assert "Norvia has demanded a larger share." in body
    caption_text = CAPTION.split(" (PHOTO")[0]
    assert body.count(caption_text) == 1, "the caption is kept once, its repeat dropped"
    for clutter in ("PHOTO NOT FOR SALE", "(Northwire)\n", "desk@", "(END)", "Keywords", "HOME TOP",
                    "Feedback", "improve?", "Go to Contents", "All News"):
        assert clutter not in body
    first_caption = a.text.index(caption_text)
    assert any(s <= first_caption < e for s, e in a.body), "first caption occurrence is in the body"


IMAGE_STYLE = """![]() |
Tova Rennick, second from left, Lakeland's envoy, meets Norvian officials in Geneva, Tuesday. / Courtesy of water ministry |
By Pell Ostrand
The fifth round of reservoir talks ended without a deal, with both sides only confirming their differences.
"We are approaching a deal step by step," Rennick told reporters after the talks."""


def test_image_markdown_caption_credit_and_no_date_stays_undated() -> None:
    a = cleaned(IMAGE_STYLE)
    assert a.published is None
    assert a.title is None
    assert a.author == "Pell Ostrand"
    body = body_of(a)
    assert "The fifth round of reservoir talks ended without a deal" in body
    assert "Rennick told reporters after the talks." in body
    assert "Tova Rennick, second from left" in body  # the caption itself says what happened
    for clutter in ("![]()", "Courtesy of", "|", "By Pell"):
        assert clutter not in body


WRAPPED_STYLE = """Harbour pay talks break down

LISBOA, May 4 - Pay talks between dock workers and the port
authority broke down today after the authority refused to raise
its offer of a three pct increase, a union official said.
    The union had sought eight pct for its 4,000 members, he
said.
 Reuter
"""


def test_dateline_without_year_stays_undated_and_wrapped_lines_stay_body() -> None:
    a = cleaned(WRAPPED_STYLE)
    assert a.published is None, "May 4 has no year: never guessed"
    assert a.metadata["dateline"] == "LISBOA"
    assert a.title == "Harbour pay talks break down"
    body = body_of(a)
    assert body.startswith("LISBOA, May 4 - Pay talks")
    assert body.rstrip().endswith("members, he\nsaid.")
    assert "Reuter" not in body


def test_dateline_with_year_gives_the_publication_date() -> None:
    a = cleaned(WRAPPED_STYLE.replace("May 4 -", "May 4, 1988 -"))
    assert a.published == dt.datetime(1988, 5, 4)


def test_dateline_day_takes_the_only_year_of_the_header() -> None:
    text = "Harbour pay talks break down\n\n\u00a9 1988 Coastline Wire\n\n" + WRAPPED_STYLE.split("\n\n", 1)[1]
    assert cleaned(text).published == dt.datetime(1988, 5, 4)


def test_date_in_the_body_is_not_the_publication_date() -> None:
    text = ("Ferry talks to resume\n\nThe ferry operator and Rivertown will meet again on March 3, 2021, "
            "officials said, after talks on Feb. 2, 2021 ended without agreement.\n")
    a = cleaned(text)
    assert a.published is None
    assert a.title == "Ferry talks to resume"


@pytest.mark.parametrize("line, expected", [
    ("Posted : 2020-01-17 17:04", dt.datetime(2020, 1, 17, 17, 4)),
    ("Published: 6 May 2020", dt.datetime(2020, 5, 6)),
    ("2020.05.06 15:40", dt.datetime(2020, 5, 6, 15, 40)),
    ("Sept. 3, 2020", dt.datetime(2020, 9, 3)),
    ("Wednesday, May 6, 2020 3:40 p.m. EDT",
     dt.datetime(2020, 5, 6, 15, 40, tzinfo=dt.timezone(dt.timedelta(hours=-4)))),
    ("2020-05-06T15:40:00+09:00", dt.datetime(2020, 5, 6, 15, 40, tzinfo=dt.timezone(dt.timedelta(hours=9)))),
    ("Updated : Feb. 3, 2021 - 11:00", dt.datetime(2021, 2, 3, 11, 0)),
    ("Published : Feb. 2, 2021 - 09:30 | Updated : Feb. 3, 2021 - 11:00", dt.datetime(2021, 2, 2, 9, 30)),
    ("Published: 6th of May, 2020", dt.datetime(2020, 5, 6)),
])
def test_header_date_patterns(line: str, expected: dt.datetime) -> None:
    text = f"Rivertown Gazette\n\nFerry talks stall again\n\n{line}\n\nThe talks stalled on Tuesday, officials said.\n"
    assert find_published(text) == expected
    a = cleaned(text)
    assert a.published == expected
    assert line not in body_of(a)


def test_no_date_at_all_is_undated() -> None:
    a = cleaned("Ferry talks stall again\n\nThe talks stalled on Tuesday, officials said last week.\n")
    assert a.published is None


@pytest.mark.parametrize("byline, author, source", [
    ("By John Smith and Jane Doe", "John Smith and Jane Doe", None),
    ("By Kim Dal-rae", "Kim Dal-rae", None),
    ("BY ODA MERLE", "Oda Merle", None),
    ("By Northwire staff", None, "Northwire"),
    ("By Reuters", None, "Reuters"),
    ("By Ines Varga, Coastline News Agency", "Ines Varga", "Coastline News Agency"),
])
def test_bylines(byline: str, author: str | None, source: str | None) -> None:
    a = cleaned(f"Ferry talks stall again\n\n{byline}\n\nThe talks stalled on Tuesday, officials said.\n")
    assert a.author == author
    assert a.source == source
    assert a.title == "Ferry talks stall again"
    assert byline not in body_of(a)


def test_deck_under_the_headline_is_body_and_the_header_goes_on() -> None:
    text = ("Mill talks collapse\n\nUnion says the owners' offer falls short of inflation\n\n"
            "By Ines Varga | Published : Nov. 12, 2019 - 07:30\n\n"
            "The union rejected the offer on Tuesday, its leader said.\n")
    a = cleaned(text)
    assert a.title == "Mill talks collapse"
    assert a.author == "Ines Varga"
    assert a.published == dt.datetime(2019, 11, 12, 7, 30)
    body = body_of(a)
    assert body.startswith("Union says the owners' offer falls short")
    assert "By Ines" not in body and "Published" not in body
    assert body.endswith("its leader said.")


def test_wrapped_first_paragraph_is_not_a_headline_and_its_dates_are_not_publication() -> None:
    text = ("Senior officials tomorrow\nopen talks in a last-ditch effort on April 17, 1987,\n"
            "to avert tariffs, officials said.\n")
    a = cleaned(text)
    assert (a.title, a.published) == (None, None)
    assert body_of(a) == text.strip()


def test_sentence_starting_with_by_is_not_a_byline() -> None:
    a = cleaned("Ferry talks stall again\n\nBy the end of the day, both sides had left the table.\n")
    assert a.author is None
    assert "By the end of the day" in body_of(a)


def test_unknown_outlet_name_above_the_headline_is_the_source() -> None:
    a = cleaned("Gorvale Ledger\n\nMill owners reject union pay demand\n\nThe owners rejected the demand, "
                "a spokesman said.\n")
    assert a.source == "Gorvale Ledger"
    assert a.title == "Mill owners reject union pay demand"


def test_input_metadata_wins_and_the_given_title_is_kept_out_of_body() -> None:
    given_day = dt.datetime(2021, 3, 4, tzinfo=dt.timezone.utc)
    a = cleaned(MASTHEAD_STYLE, title="Ferry fee offer final", source="Meridian Online",
                published=given_day, author="Desk")
    assert (a.title, a.source, a.published, a.author) == ("Ferry fee offer final", "Meridian Online",
                                                          given_day, "Desk")
    text = "Ferry fee offer final\n\nRivertown has told the operator its offer is final, officials said.\n"
    b = cleaned(text, title="Ferry fee offer final")
    assert body_of(b) == "Rivertown has told the operator its offer is final, officials said."


def test_text_that_starts_with_the_article_keeps_its_first_paragraph() -> None:
    text = ("ROVANIEMI -- Forest owners rejected the mill's offer on Tuesday.\n\n"
            "Both sides will meet again next week.\n\nRead more:\n\nOther stories from our correspondents\n")
    a = cleaned(text, title="Forest owners reject mill offer", source="Northern Post")
    body = body_of(a)
    assert body.startswith("ROVANIEMI -- Forest owners")
    assert "Read more" not in body and "Other stories" not in body
    assert a.metadata["dateline"] == "ROVANIEMI"


def test_wire_credit_line_gives_the_author_and_is_clutter() -> None:
    text = ("Mill owners reject union pay demand\n\nThe owners rejected the demand, a spokesman said.\n\n"
            "(Reporting by Aino Lehto; Editing by Paul Brand)\n")
    a = cleaned(text)
    assert a.author == "Aino Lehto"
    assert "Reporting" not in body_of(a)


def test_header_end_is_where_the_article_begins() -> None:
    assert MASTHEAD_STYLE[header_end(MASTHEAD_STYLE):].startswith("Rivertown has told")
    assert header_end("") == 0


def test_body_offsets_index_the_text_unchanged() -> None:
    text = "\ufeffFerry talks stall again\r\n\r\nThe talks stalled on Tuesday, officials said.\r\n"
    a = cleaned(text)
    assert a.text == text
    assert a.title == "Ferry talks stall again"
    assert body_of(a) == "The talks stalled on Tuesday, officials said."


def test_empty_and_clutter_only_texts() -> None:
    assert cleaned("").body == ()
    a = cleaned("Link copied\nSend Feedback\n")
    assert body_of(a) == ""


line_pieces = st.sampled_from([
    "By Kim Dal-rae", "Published : Mar. 3, 2021 - 10:05", "(Northwire)", "![]() |", "Link copied",
    "GENEVA -- Talks resumed on Monday.", "(END)", "desk@example.org", "Read more:", "The Daily Meridian",
    "All News 09:00 January 21, 2022", "OSLOVIK, Jan. 21 (Northwire) --", "", " ", "\u00a0", "\ufeff", "|",
    "Ferry talks stall again", "The talks stalled, officials said.",
])
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(line_pieces, st.text(max_size=40)), max_size=25).map("\n".join),
    st.lists(line_pieces, max_size=25).map("\r\n".join),
)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_clean_never_raises_and_body_ranges_are_sound(text: str) -> None:
    a = cleaned(text)
    assert a.text == text
    assert_ranges_sound(a)
    assert all(start < end for start, end in a.body) or a.body == ((0, 0),)
    again = clean(a)
    assert again.body == a.body, "cleaning twice gives the same body"
    assert (again.title, again.source, again.author, again.published) == (a.title, a.source, a.author,
                                                                          a.published)
