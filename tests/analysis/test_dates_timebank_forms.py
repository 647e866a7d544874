"""Date expressions as newswire writes them: values, tense, story time, quarters, references."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.analysis.date_expressions import clause_tense, is_reference
from parley.analysis.dates import find_dates
from parley.records import DateSpan

D = dt.date
# A Thursday in early November.
PUBLISHED = D(2021, 11, 4)


def spans(text: str, tense: str | None = None, window: bool = False) -> list[DateSpan]:
    found = find_dates(text, PUBLISHED, tense=tense, window=window)  # type: ignore[arg-type]
    for s in found:
        assert text[s.char_start:s.char_end] == s.text
    return found


def one(text: str, tense: str | None = None, window: bool = False) -> tuple[str, D | None, D | None]:
    found = spans(text, tense, window)
    assert len(found) == 1, found
    return found[0].text, found[0].start, found[0].end


# --- an expression's own value, and an event's window ------------------------------

@pytest.mark.parametrize("text, first, last", [
    ("Sales rose this year.", D(2021, 1, 1), D(2021, 12, 31)),
    ("The board met this week.", D(2021, 11, 1), D(2021, 11, 7)),
    ("Prices fell this month.", D(2021, 11, 1), D(2021, 11, 30)),
])
def test_a_current_period_is_the_whole_period(text: str, first: D, last: D) -> None:
    assert one(text)[1:] == (first, last)
    # As the window of a past event it ends on the publication day.
    assert one(text, "past", window=True)[1:] == (first, PUBLISHED)


# --- direction from the clause when no tense is given -----------------------------

def test_the_clause_decides_direction() -> None:
    assert one("The two sides will meet again on March 3.")[1] == D(2022, 3, 3)
    assert one("The two sides met on March 3.")[1] == D(2021, 3, 3)
    assert one("The plant is due to reopen in February.")[1] == D(2022, 2, 1)
    # A given tense still wins over the clause.
    assert one("The two sides will meet again on March 3.", "past")[1] == D(2021, 3, 3)


def test_without_a_cue_a_near_date_ahead_beats_one_long_past() -> None:
    assert one("The hearing is on Dec. 2.")[1] == D(2021, 12, 2)
    assert one("The union's vote on Nov. 20 matters.")[1] == D(2021, 11, 20)
    # Long past and far ahead: news looks back.
    assert one("Output peaked in June.")[1] == D(2021, 6, 1)


def test_clause_tense() -> None:
    text = "Ministers said talks would resume on Monday. They met on Friday."
    assert clause_tense(text, text.index("Monday")) == "future"
    assert clause_tense(text, text.index("Friday")) is None


# --- quarters, halves, years, decades -----------------------------------------------

@pytest.mark.parametrize("text, expression, first, last", [
    ("The firm posted third-quarter profit of $5 million.", "third-quarter",
     D(2021, 7, 1), D(2021, 9, 30)),
    ("Sales in the fourth quarter were flat.", "the fourth quarter", D(2021, 10, 1), D(2021, 12, 31)),
    ("Sales in the first quarter were flat.", "the first quarter", D(2021, 1, 1), D(2021, 3, 31)),
    ("Costs rose in the fiscal first half.", "the fiscal first half", D(2021, 1, 1), D(2021, 6, 30)),
    ("Losses in fiscal 2019 were large.", "2019", D(2019, 1, 1), D(2019, 12, 31)),
    ("Wages rose in the 1990s.", "1990s", D(1990, 1, 1), D(1999, 12, 31)),
    ("Wages fell in the late 1970s.", "late 1970s", D(1977, 1, 1), D(1979, 12, 31)),
    ("The 2015 agreement expired.", "2015", D(2015, 1, 1), D(2015, 12, 31)),
])
def test_periods(text: str, expression: str, first: D, last: D) -> None:
    assert one(text) == (expression, first, last)


def test_a_future_tense_points_to_the_coming_quarter() -> None:
    assert one("It reports first-quarter results.", "future")[1:] == (D(2022, 1, 1), D(2022, 3, 31))


def test_a_bare_half_is_not_a_date() -> None:
    assert spans("He said the first half was scrappy.") == []


def test_an_adjective_year_does_not_place_an_event() -> None:
    assert spans("They rejected the 2015 agreement.", "past", window=True) == []


# --- the story's own time ------------------------------------------------------------

def test_a_year_earlier_counts_from_the_story() -> None:
    text = "Profit rose in the third quarter of 2020. A year earlier it had fallen."
    found = spans(text)
    assert [s.text for s in found] == ["the third quarter of 2020", "A year earlier"]
    assert (found[1].start, found[1].end) == (D(2019, 7, 1), D(2019, 9, 30))


def test_the_quarter_is_the_story_quarter() -> None:
    text = "Results for the second quarter of 2021 were weak. In the quarter, sales fell."
    found = spans(text)
    assert (found[-1].text, found[-1].start, found[-1].end) == (
        "the quarter", D(2021, 4, 1), D(2021, 6, 30))
    # With no quarter in the story, the last one ended.
    assert one("In the quarter, sales fell.")[1:] == (D(2021, 7, 1), D(2021, 9, 30))


def test_year_ago_quarter() -> None:
    text = "Net fell in the third quarter of 2021 from the year-ago quarter."
    found = spans(text)
    assert (found[-1].start, found[-1].end) == (D(2020, 7, 1), D(2020, 9, 30))


def test_ago_is_the_calendar_period() -> None:
    assert one("The pact was signed two years ago.")[1:] == (D(2019, 1, 1), D(2019, 12, 31))
    assert one("The pact was signed three months ago.")[1:] == (D(2021, 8, 1), D(2021, 8, 31))


# --- present and past references ------------------------------------------------------

@pytest.mark.parametrize("text, expression, resolved", [
    ("The union is now ready to talk.", "now", True),
    ("The plant is currently idle.", "currently", True),
    ("The firm recently cut jobs.", "recently", False),
    ("In the past, strikes were rare.", "the past", False),
    ("Prices may rise in the future.", "the future", False),
])
def test_references(text: str, expression: str, resolved: bool) -> None:
    found = spans(text)
    assert [s.text for s in found] == [expression]
    assert is_reference(found[0])
    assert found[0].resolved is resolved
    if resolved:
        assert found[0].start == found[0].end == PUBLISHED


def test_a_named_period_is_not_a_reference() -> None:
    assert not is_reference(spans("The firm cut jobs last week.")[0])
    # "the past two weeks" is a period, not a reference to the past
    assert not is_reference(spans("Prices rose over the past two weeks.")[0])


# --- properties ----------------------------------------------------------------------

PIECES = ["now", "currently", "recently", "the quarter", "third-quarter", "a year earlier",
          "year-ago", "the 1990s", "fiscal 1998", "the 2015 accord", "will", "said", "on March 3",
          "Dec. 2", "this year", "the fiscal first half", "2020", "in", "the", ",", ".", "\n"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=14).map(" ".join),
       st.one_of(st.none(), st.dates(min_value=D(1900, 1, 1), max_value=D(2090, 12, 31))),
       st.sampled_from([None, "past", "future"]), st.booleans())
def test_never_crashes_and_offsets_hold(text: str, published: D | None, tense: str | None,
                                        window: bool) -> None:
    previous_end = 0
    for s in find_dates(text, published, tense=tense, window=window):  # type: ignore[arg-type]
        assert previous_end <= s.char_start < s.char_end <= len(text)
        assert text[s.char_start:s.char_end] == s.text
        assert (s.start is None) == (s.end is None)
        assert s.start is None or s.start <= s.end  # type: ignore[operator]
        previous_end = s.char_end
