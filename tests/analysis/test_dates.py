"""The dates stage: temporal expressions resolved against the publication day."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.analysis.dates import find_dates, is_future, resolve
from parley.records import DateSpan

D = dt.date
# A Wednesday.
PUBLISHED = D(2020, 5, 6)
SHARED = Path(__file__).resolve().parents[3] / "shared"


def only(sentence: str, tense: str | None = None,
         published: dt.date | None = PUBLISHED, window: bool = False) -> DateSpan:
    spans = find_dates(sentence, published, tense=tense, window=window)  # type: ignore[arg-type]
    assert len(spans) == 1, spans
    return spans[0]


# (sentence, expression as found, first day, last day): the days a past event told
# with the expression can fall on (the window; the expression's own value is in
# test_dates_timebank_forms.py)
PAST_CASES = [
    ("Negotiators met on Tuesday in Seoul.", "Tuesday", D(2020, 5, 5), D(2020, 5, 5)),
    ("The reports said Wednesday that talks stalled.", "Wednesday", D(2020, 5, 6), D(2020, 5, 6)),
    ("Talks were held Tuesday and Wednesday in Washington.", "Tuesday and Wednesday",
     D(2020, 5, 5), D(2020, 5, 6)),
    ("The envoy landed late Thursday night.", "late Thursday night",
     D(2020, 4, 30), D(2020, 4, 30)),
    ("They spoke by phone Wednesday afternoon.", "Wednesday afternoon",
     D(2020, 5, 6), D(2020, 5, 6)),
    ("The minister left on Friday.", "Friday", D(2020, 5, 1), D(2020, 5, 1)),
    ("The union said today it would strike.", "today", D(2020, 5, 6), D(2020, 5, 6)),
    ("The union said yesterday it would strike.", "yesterday", D(2020, 5, 5), D(2020, 5, 5)),
    ("The board met last night.", "last night", D(2020, 5, 5), D(2020, 5, 5)),
    ("The president spoke last week about the cost.", "last week", D(2020, 4, 27), D(2020, 5, 3)),
    ("The two sides met this week.", "this week", D(2020, 5, 4), D(2020, 5, 6)),
    ("Earlier this week the assembly voted.", "Earlier this week", D(2020, 5, 4), D(2020, 5, 6)),
    ("She took the post earlier this month.", "earlier this month", D(2020, 5, 1), D(2020, 5, 6)),
    ("They have talked from early this month.", "early this month", D(2020, 5, 1), D(2020, 5, 10)),
    ("He arrived early this month.", "early this month", D(2020, 5, 1), D(2020, 5, 10)),
    ("The pact expired late last year.", "late last year", D(2019, 9, 1), D(2019, 12, 31)),
    ("It paid the sum last year.", "last year", D(2019, 1, 1), D(2019, 12, 31)),
    ("Prices rose this year.", "this year", D(2020, 1, 1), D(2020, 5, 6)),
    ("There has been no progress since April.", "since April", D(2020, 4, 1), D(2020, 5, 6)),
    ("Workers were idle since April 1 because of the lapse.", "since April 1",
     D(2020, 4, 1), D(2020, 5, 6)),
    ("Seven rounds were held since September.", "since September", D(2019, 9, 1), D(2020, 5, 6)),
    ("Two bailouts since 2012 did little.", "since 2012", D(2012, 1, 1), D(2020, 5, 6)),
    ("The deal lapsed at the end of December.", "the end of December",
     D(2019, 12, 25), D(2019, 12, 31)),
    ("The deal lapsed at the end of last year.", "the end of last year",
     D(2019, 12, 1), D(2019, 12, 31)),
    ("The deal expired at the end of 2019.", "the end of 2019", D(2019, 12, 1), D(2019, 12, 31)),
    ("The accord expires in March 2021.", "March 2021", D(2021, 3, 1), D(2021, 3, 31)),
    ("It runs until March 2021 at the latest.", "March 2021", D(2021, 3, 1), D(2021, 3, 31)),
    ("He left the post in July.", "July", D(2019, 7, 1), D(2019, 7, 31)),
    ("He left the post in May.", "May", D(2020, 5, 1), D(2020, 5, 6)),
    ("The cabinet met in early February.", "early February", D(2020, 2, 1), D(2020, 2, 10)),
    ("The cabinet met in mid-March.", "mid-March", D(2020, 3, 11), D(2020, 3, 20)),
    ("The cabinet met in late March.", "late March", D(2020, 3, 21), D(2020, 3, 31)),
    ("They met on Jan. 14, 2020, in Washington.", "Jan. 14, 2020", D(2020, 1, 14), D(2020, 1, 14)),
    ("They met on January 14, 2020 in Washington.", "January 14, 2020",
     D(2020, 1, 14), D(2020, 1, 14)),
    ("They met on 14 January 2020 in Washington.", "14 January 2020",
     D(2020, 1, 14), D(2020, 1, 14)),
    ("The firm bought a stake on 13 January.", "13 January", D(2020, 1, 13), D(2020, 1, 13)),
    ("The stake was bought on 13 June.", "13 June", D(2019, 6, 13), D(2019, 6, 13)),
    ("The filing is dated 2020-01-14 and final.", "2020-01-14", D(2020, 1, 14), D(2020, 1, 14)),
    ("He moved north in 2003 for a fee.", "2003", D(2003, 1, 1), D(2003, 12, 31)),
    ("The strike of 1984 ended badly.", "1984", D(1984, 1, 1), D(1984, 12, 31)),
    ("Hours fall from July 1, 1988 under the offer.", "July 1, 1988", D(1988, 7, 1), D(1988, 7, 1)),
    ("Talks broke down over the weekend.", "the weekend", D(2020, 5, 2), D(2020, 5, 3)),
    ("Talks broke down at the weekend.", "the weekend", D(2020, 5, 2), D(2020, 5, 3)),
    ("Talks were held last weekend.", "last weekend", D(2020, 5, 2), D(2020, 5, 3)),
    ("Seoul has shown flexibility in recent weeks.", "recent weeks", D(2020, 4, 15), D(2020, 5, 6)),
    ("The talks have stalled for months.", "for months", D(2020, 2, 6), D(2020, 5, 6)),
    ("Exports fell last month.", "last month", D(2020, 4, 1), D(2020, 4, 30)),
    ("The offer came two weeks ago.", "two weeks ago", D(2020, 4, 20), D(2020, 4, 26)),
    ("The offer came three days ago.", "three days ago", D(2020, 5, 3), D(2020, 5, 3)),
    ("The offer came a week ago.", "a week ago", D(2020, 4, 27), D(2020, 5, 3)),
    ("Pay rises over the past two weeks were small.", "the past two weeks",
     D(2020, 4, 22), D(2020, 5, 6)),
    ("Spending soared in the past decade.", "the past decade", D(2010, 5, 6), D(2020, 5, 6)),
    ("Republicans proposed it this summer.", "this summer", D(2020, 6, 1), D(2020, 8, 31)),
    ("Sharp said late last month it would.", "late last month", D(2020, 4, 21), D(2020, 4, 30)),
    ("The union ended a week-old strike.", "week-old", D(2020, 4, 29), D(2020, 5, 6)),
    ("Output fell in the first half of 2019.", "the first half of 2019",
     D(2019, 1, 1), D(2019, 6, 30)),
    ("Output fell in the third quarter of last year.", "the third quarter of last year",
     D(2019, 7, 1), D(2019, 9, 30)),
    ("Output fell in Q1 2020 sharply.", "Q1 2020", D(2020, 1, 1), D(2020, 3, 31)),
    ("Talks ran from March to May before stalling.", "March to May", D(2020, 3, 1), D(2020, 5, 6)),
    ("Talks ran between 2012 and 2016 without result.", "between 2012 and 2016",
     D(2012, 1, 1), D(2016, 12, 31)),
    ("Biden visits on March 8-10, 2016 to patch up ties.", "March 8-10, 2016",
     D(2016, 3, 8), D(2016, 3, 10)),
    ("The talks ran Mar. 30-April 2 in Geneva.", "Mar. 30-April 2", D(2020, 3, 30), D(2020, 4, 2)),
    ("Spending grew in mid-2019.", "mid-2019", D(2019, 5, 1), D(2019, 8, 31)),
    ("The rally was held on Tuesday, April 28, 2020.", "Tuesday, April 28, 2020",
     D(2020, 4, 28), D(2020, 4, 28)),
    ("Shares jumped the day before yesterday.", "the day before yesterday",
     D(2020, 5, 4), D(2020, 5, 4)),
    ("The raise applies so far this year.", "so far this year", D(2020, 1, 1), D(2020, 5, 6)),
    ("Trump's December 2019 demand stood.", "December 2019", D(2019, 12, 1), D(2019, 12, 31)),
    ("The talks, held December last year, failed.", "December last year",
     D(2019, 12, 1), D(2019, 12, 31)),
]


@pytest.mark.parametrize("sentence, text, first, last", PAST_CASES)
def test_past_expressions(sentence: str, text: str, first: dt.date, last: dt.date) -> None:
    span = only(sentence, "past", window=True)
    assert (span.text, span.start, span.end) == (text, first, last)
    assert sentence[span.char_start:span.char_end] == span.text


FUTURE_CASES = [
    ("The envoy arrives on Tuesday.", "Tuesday", D(2020, 5, 12), D(2020, 5, 12)),
    ("The envoy arrives on Wednesday.", "Wednesday", D(2020, 5, 6), D(2020, 5, 6)),
    ("Talks resume Tuesday and Wednesday.", "Tuesday and Wednesday",
     D(2020, 5, 12), D(2020, 5, 13)),
    ("The panel will meet tomorrow.", "tomorrow", D(2020, 5, 7), D(2020, 5, 7)),
    ("They will meet tonight.", "tonight", D(2020, 5, 6), D(2020, 5, 6)),
    ("They will meet this week.", "this week", D(2020, 5, 6), D(2020, 5, 10)),
    ("They will meet next week.", "next week", D(2020, 5, 11), D(2020, 5, 17)),
    ("The talks kick off later this year.", "later this year", D(2020, 5, 6), D(2020, 12, 31)),
    ("The talks kick off later this month.", "later this month", D(2020, 5, 6), D(2020, 5, 31)),
    ("The next round opens early next month.", "early next month", D(2020, 6, 1), D(2020, 6, 10)),
    ("The next round opens next month.", "next month", D(2020, 6, 1), D(2020, 6, 30)),
    ("A deal is due next year.", "next year", D(2021, 1, 1), D(2021, 12, 31)),
    ("The tariffs take effect on April 17.", "April 17", D(2021, 4, 17), D(2021, 4, 17)),
    ("The tariffs take effect on May 17.", "May 17", D(2020, 5, 17), D(2020, 5, 17)),
    ("A vote is due in July.", "July", D(2020, 7, 1), D(2020, 7, 31)),
    ("A vote is due in two weeks.", "in two weeks", D(2020, 5, 17), D(2020, 5, 23)),
    ("A vote is due in three days.", "in three days", D(2020, 5, 9), D(2020, 5, 9)),
    ("Aid lasts through the end of the year.", "the end of the year",
     D(2020, 12, 1), D(2020, 12, 31)),
    ("The deadline is the end of the month.", "the end of the month",
     D(2020, 5, 25), D(2020, 5, 31)),
    ("The March-end deadline may slip.", "March-end", D(2021, 3, 25), D(2021, 3, 31)),
    ("They meet at the weekend.", "the weekend", D(2020, 5, 9), D(2020, 5, 10)),
    ("They meet in the coming weeks.", "the coming weeks", D(2020, 5, 6), D(2020, 5, 27)),
]


@pytest.mark.parametrize("sentence, text, first, last", FUTURE_CASES)
def test_future_expressions(sentence: str, text: str, first: dt.date, last: dt.date) -> None:
    span = only(sentence, tense="future", window=True)
    assert (span.text, span.start, span.end) == (text, first, last)


def test_tense_decides_direction_of_ambiguous_expressions() -> None:
    assert only("They met on Monday.", "past").start == D(2020, 5, 4)
    assert only("They meet on Monday.", "future").start == D(2020, 5, 11)
    assert only("It opened in July.", "past").start == D(2019, 7, 1)
    assert only("It opens in July.", "future").start == D(2020, 7, 1)
    # The default is past.
    assert only("They met on Monday.").start == D(2020, 5, 4)
    # "last" and "next" do not depend on tense.
    for tense in ("past", "future"):
        assert only("They met last Wednesday.", tense).start == D(2020, 4, 29)
        assert only("They meet next Wednesday.", tense).start == D(2020, 5, 13)
    # A past clause cannot be in two weeks: the duration stays unresolved.
    span = only("It was agreed in two weeks.", "past")
    assert span.text == "in two weeks" and not span.resolved


def test_current_periods_are_cut_at_the_publication_day() -> None:
    past = only("Sales rose this month.", "past", window=True)
    assert (past.start, past.end) == (D(2020, 5, 1), D(2020, 5, 6))
    future = only("Sales will rise this month.", "future", window=True)
    assert (future.start, future.end) == (D(2020, 5, 6), D(2020, 5, 31))
    # The expression itself means the whole month, whatever the tense.
    for tense in (None, "past", "future"):
        whole = only("Sales rose this month.", tense)
        assert (whole.start, whole.end) == (D(2020, 5, 1), D(2020, 5, 31))


def test_undated_article_leaves_relative_expressions_unresolved() -> None:
    for sentence in ["They met last week.", "The firm bought it on 13 January.",
                     "Talks stalled in July.", "He left on Tuesday.", "It ended yesterday.",
                     "There was no progress since 2012.", "It paid more last year.",
                     "It expired at the end of December.", "Talks went on for months."]:
        span = only(sentence, published=None)
        assert span.start is None and span.end is None, sentence
        assert span.text and sentence[span.char_start:span.char_end] == span.text
    for sentence, first, last in [("They met on Jan. 14, 2020.", D(2020, 1, 14), D(2020, 1, 14)),
                                  ("They met on the 14th of January, 2020.", D(2020, 1, 14),
                                   D(2020, 1, 14)),
                                  ("He moved in 2003 for a fee.", D(2003, 1, 1), D(2003, 12, 31)),
                                  ("The accord expires in March 2021.", D(2021, 3, 1),
                                   D(2021, 3, 31))]:
        span = only(sentence, published=None)
        assert (span.start, span.end) == (first, last)


def test_resolve_one_expression() -> None:
    span = resolve("last week", PUBLISHED)
    assert span is not None and (span.start, span.end) == (D(2020, 4, 27), D(2020, 5, 3))
    # A bare month or year counts when the caller says it is a date.
    july = resolve("July", PUBLISHED, "future")
    assert july is not None and (july.start, july.end) == (D(2020, 7, 1), D(2020, 7, 31))
    year = resolve("2003", None)
    assert year is not None and year.start == D(2003, 1, 1)
    assert resolve("the negotiators", PUBLISHED) is None
    assert resolve("", PUBLISHED) is None
    unresolved = resolve("last week", None)
    assert unresolved is not None and unresolved.text == "last week" and not unresolved.resolved
    unknown_year = resolve("in July", None)
    assert unknown_year is not None and not unknown_year.resolved


def test_datetime_publication_is_read_as_its_day() -> None:
    span = only("They met yesterday.", published=dt.datetime(2020, 5, 6, 23, 59))
    assert span.start == D(2020, 5, 5)


@pytest.mark.parametrize("sentence", [
    "Talks may be delayed, officials said.",
    "The deal May Be Delayed.",
    "Prime Minister Theresa May spoke to May about it.",
    "Thousands joined a protest march in the capital.",
    "Workers plan to March on parliament.",
    "The August body convened.",
    "An august institution agreed.",
    "The Sunday Times reported the offer.",
    "Fans celebrated Super Tuesday and Black Friday.",
    "The club sold 2000 shares and 14 tickets.",
    "The price rose 2019 percent, to 30 units.",
    "It offered $2012 for the lot.",
    "The vote was 31-12 in favour.",
    "April Smith, a negotiator, declined.",
    "They will fall back on the deal.",
    "The Spring Festival holiday delayed talks.",
    "He said the first half was scrappy.",
    "A 10 percent rise was offered in his last days.",
    "The year-end bonus was cut.",
    "Mr. Sunday declined to comment.",
    "Prices fall, and the fall of the regime came.",
    "It was the summer of discontent.",
])
def test_false_expressions(sentence: str) -> None:
    assert find_dates(sentence, PUBLISHED) == []


def test_year_possessive_does_not_swallow_the_amount() -> None:
    sentence = "Seoul raised its share from 2019's 1.04 trillion won."
    span = only(sentence)
    assert span.text == "2019" and (span.start, span.end) == (D(2019, 1, 1), D(2019, 12, 31))
    assert sentence[span.char_end:].startswith("'s 1.04 trillion won")


def test_several_expressions_in_order_with_offsets() -> None:
    text = ("On Monday the union rejected the offer made last week, and it will meet again "
            "next month, after talks that began in 2019.")
    spans = find_dates(text, PUBLISHED)
    assert [s.text for s in spans] == ["Monday", "last week", "next month", "2019"]
    assert all(text[s.char_start:s.char_end] == s.text for s in spans)
    assert [s.char_start for s in spans] == sorted(s.char_start for s in spans)


def test_window_limits_the_search_and_keeps_absolute_offsets() -> None:
    text = "Yesterday they met. On Friday they talked. Tomorrow they sign."
    start = text.index("On Friday")
    end = text.index("Tomorrow")
    spans = find_dates(text, PUBLISHED, start=start, end=end)
    assert [s.text for s in spans] == ["Friday"]
    assert spans[0].char_start == text.index("Friday")
    assert find_dates(text, PUBLISHED, start=len(text)) == []


def test_is_future() -> None:
    later = resolve("next week", PUBLISHED)
    earlier = resolve("last week", PUBLISHED)
    assert later is not None and earlier is not None
    assert is_future(later, PUBLISHED) is True
    assert is_future(earlier, PUBLISHED) is False
    assert is_future(DateSpan(None, None, "last week"), PUBLISHED) is None
    assert is_future(later, None) is None


def test_calendar_impossibilities_are_not_resolved() -> None:
    span = only("They met on February 30, 2020.")
    assert not span.resolved
    assert only("They met on Feb. 29, 2020.").start == D(2020, 2, 29)


# ------------------------------------------------------------------ properties

EXPRESSIONS = [text for _, text, _, _ in PAST_CASES + FUTURE_CASES] + [
    "since last week", "between March and April", "Monday to Friday", "last Tuesday",
    "the first week of March", "late 2019", "in the next two weeks", "within a month",
    "a few weeks ago", "several months ago", "the last 12 months", "next summer", "last winter",
    "this quarter", "year-end", "the 14th of January", "27-MAR-1987", "for several years",
]
FILLER = ["the talks", "Seoul", "said", "offer", "may", "March", "and", "to", "in", "on", "since",
          "13", "percent", "2019's", "1.04 trillion won", ",", ".", "-", "late", "the end of",
          "Theresa May", "Sunday Times", "last", "next", "this", "week", "\n", "’s"]
published_days = st.dates(min_value=D(1950, 1, 1), max_value=D(2050, 12, 31))
tenses = st.sampled_from([None, "past", "future"])
date_texts = st.lists(st.sampled_from(EXPRESSIONS + FILLER), max_size=12).map(" ".join)


_STORY_TIME = re.compile(r"(?i)\b(?:earlier|later)$|-ago\b|\bthe\s+(?:\w+\s+)?quarter$")


def _check_spans(text: str, spans: list[DateSpan], published: dt.date | None,
                 tense: str | None) -> None:
    previous_end = -1
    for span in spans:
        assert text[span.char_start:span.char_end] == span.text
        assert span.char_start >= previous_end, spans
        assert span.char_start < span.char_end
        previous_end = span.char_end
        assert (span.start is None) == (span.end is None)
        if span.start is not None:
            assert span.start <= span.end  # type: ignore[operator]
        again = resolve(span.text, published, tense)  # type: ignore[arg-type]
        assert again is not None, span
        if tense is not None and not _STORY_TIME.search(span.text):
            # Without a tense the clause around an expression decides, and "two weeks
            # earlier" counts from the story's time: out of their text they may read otherwise.
            assert (again.start, again.end) == (span.start, span.end), (span, again)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300), published=st.one_of(st.none(), published_days), tense=tenses)
def test_never_raises_on_arbitrary_text(text: str, published: dt.date | None,
                                        tense: str | None) -> None:
    spans = find_dates(text, published, tense=tense)  # type: ignore[arg-type]
    _check_spans(text, spans, published, tense)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=date_texts, published=st.one_of(st.none(), published_days), tense=tenses)
def test_spans_are_ordered_consistent_and_idempotent(text: str, published: dt.date | None,
                                                     tense: str | None) -> None:
    spans = find_dates(text, published, tense=tense)  # type: ignore[arg-type]
    _check_spans(text, spans, published, tense)


@settings(max_examples=200, deadline=None)
@given(expression=st.sampled_from(EXPRESSIONS), published=published_days, tense=tenses)
def test_every_known_expression_resolves_on_any_day(expression: str, published: dt.date,
                                                    tense: str | None) -> None:
    span = resolve(expression, published, tense)  # type: ignore[arg-type]
    assert span is not None
    if span.start is not None:
        assert span.start <= span.end  # type: ignore[operator]


# ------------------------------------------------------------------ corpus


def _shared_articles() -> list[tuple[str, dt.date | None]]:
    if not (SHARED / "corpus").is_dir():
        pytest.skip(f"the shared corpora are not at {SHARED}")
    articles = []
    for line in (SHARED / "corpus" / "dev-mixed.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        published = record.get("published")
        articles.append((record["text"], D.fromisoformat(published[:10]) if published else None))
    for path in sorted((SHARED / "corpus" / "sma-2020").glob("*.txt")):
        articles.append((path.read_text(encoding="utf-8"), None))
    return articles


def test_shared_corpus_spans_are_consistent() -> None:
    found = 0
    for text, published in _shared_articles():
        for tense in (None, "future"):
            spans = find_dates(text, published, tense=tense)  # type: ignore[arg-type]
            _check_spans(text, spans, published, tense)
            found += len(spans)
    assert found > 100


def test_numeric_dates_resolve_only_when_unambiguous() -> None:
    assert only("Filed on 27/03/2020 in Paris.").start == D(2020, 3, 27)
    assert only("Filed on 3/27/2020 in Ohio.").start == D(2020, 3, 27)
    assert only("Filed on 27.03.2020 in Bonn.").start == D(2020, 3, 27)
    ambiguous = only("Filed on 03/04/2020 somewhere.")
    assert ambiguous.text == "03/04/2020" and not ambiguous.resolved
    assert find_dates("The ratio was 1.5/2.5 overall.", PUBLISHED) == []
