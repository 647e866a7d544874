"""Dates: temporal expressions resolved against the publication day.

`find_dates` finds every temporal expression in a text and turns each into a
`DateSpan`, a closed interval of days. Relative expressions ("last week",
"on Tuesday", "since April") are read against the article's publication day
and never against today: an undated article gets them unresolved (start and
end None), while expressions that carry their own year ("Jan. 14, 2020",
"in 2003") still resolve.

Ambiguous expressions take their direction from the tense of the clause,
which the caller knows from the parse: "on Tuesday" is the Tuesday at or
before the publication day in past tense, the one at or after it in future
tense (news style names the current day too: "arrives on Tuesday" in a
Tuesday paper is that day). The default is past.

The grammar is one compiled regular expression whose alternatives are tried
most specific first; each match is checked (a bare "May" needs a cue such as
"in" or "since", "Sunday Times" is a newspaper) and then resolved. Adjacent
expressions joined by "to", "and" or a dash ("from March to May",
"Tuesday and Wednesday") become one span.

Conventions for the vague parts of a period, so that they stay predictable:

    month  early 1-10, mid 11-20, late 21-end, start 1-7, end last 7 days
    year   early Jan-Apr, mid May-Aug, late Sep-Dec, start Jan, end Dec
    week   early Mon-Wed, mid Tue-Thu, late Thu-Sun, start Mon-Tue, end Fri-Sun
    "recent weeks" 21 days, "recent days" 7, "recent months" 3 months,
    "recent years" 3 years; "a few" is 2-4, "several" 3-6.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from collections.abc import Callable
from typing import Literal

from parley.analysis.date_expressions import REFERENCE_PATTERN, clause_tense, is_reference, reference_kind
from parley.records import DateSpan

__all__ = ["Tense", "find_dates", "resolve", "is_future", "is_reference"]

Tense = Literal["past", "future"]

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_FULL_MONTHS = list(_MONTHS)[:12]
_ABBR_MONTHS = list(_MONTHS)[12:]
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
             "saturday": 5, "sunday": 6}
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
# Vague counts as (fewest, most).
_VAGUE_COUNTS = {"few": (2, 4), "several": (3, 6), "couple": (2, 2)}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
             "fourth": 4, "4th": 4, "final": 4, "last": 4}

# Words after a weekday that make it a name, not a day: newspapers, TV shows.
_WEEKDAY_NAMES_AFTER = ("Times", "Telegraph", "Express", "Mirror", "Post", "Herald", "Mail",
                        "Star", "Sport", "Independent", "Tribune", "Journal", "Business",
                        "Review", "Magazine", "Observer", "Record", "Club", "Group", "Sun",
                        "Age", "People", "Edition", "Night Live", "Night Football")
# Words before a weekday that make it a holiday or an idiom, not a date we can place.
_WEEKDAY_NAMES_BEFORE = frozenset({"super", "black", "good", "bloody", "easter", "ash",
                                   "cyber", "palm", "holy", "maundy", "shrove", "whit",
                                   "giving", "man", "girl", "blue", "manic", "mr", "mr.", "mrs",
                                   "mrs.", "ms", "ms.", "dr", "dr."})
# Words after a month that show it is the modal verb "may" or another word.
_NOT_A_MONTH_AFTER = ("be", "been", "have", "has", "not", "also", "well", "never", "still",
                      "soon", "need", "seem", "want", "take", "make", "get", "come", "go",
                      "cause", "include", "lead", "face", "prove", "help", "require",
                      "become", "continue", "remain", "appear", "change", "only", "even",
                      "yet", "already", "just", "I", "we", "you", "he", "she", "they")
# Nouns after a number that show it is a count, not a year ("by 2000 troops").
_COUNT_NOUNS = ("percent", "per", "troops", "soldiers", "people", "workers", "employees",
                "jobs", "members", "won", "yen", "dollars", "dlrs", "euros", "pounds",
                "yuan", "rupees", "shares", "units", "tons", "tonnes", "barrels", "votes",
                "seats", "cars", "ships", "miles", "km", "kilometres", "kilometers",
                "meters", "metres", "feet", "points", "times", "hours", "minutes")
# Cues that let a bare month or year stand as a date ("in May", "since 2012").
_MONTH_CUES = frozenset({"in", "since", "from", "until", "till", "by", "through",
                         "throughout", "during", "before", "after", "between", "of", "as of",
                         "over"})
# "May" is also a name and a verb: only the cues that a person cannot follow.
_MAY_CUES = frozenset({"in", "since", "until", "till", "through", "throughout", "during",
                       "before", "between", "as of"})
_CONNECTORS = frozenset({"and", "or", "&", "to", "through", "thru", "until", "till", "-", "–",
                         "—"})


def _cased(words: list[str] | tuple[str, ...]) -> str:
    """Title case and upper case only: "may" and "march" in lower case are words."""
    forms = {w.capitalize() for w in words} | {w.upper() for w in words}
    return "(?:" + "|".join(sorted(forms, key=len, reverse=True)) + ")"


def _words(words: tuple[str, ...] | list[str]) -> str:
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + ")"


_NOT_VERB = r"(?!\s+" + _words(_NOT_A_MONTH_AFTER) + r"\b)"
_MON_FULL = _cased(_FULL_MONTHS) + r"\b" + _NOT_VERB
_MON_ABBR_DOT = _cased(_ABBR_MONTHS) + r"\."
_MON = f"(?:{_MON_FULL}|{_MON_ABBR_DOT})"
# An abbreviation without a dot only before a day number ("Jan 14").
_MON_BEFORE_DAY = f"(?:{_MON_FULL}|{_MON_ABBR_DOT}|{_cased(_ABBR_MONTHS)}\\b)"
_WEEKDAY = (_cased(list(_WEEKDAYS)) + r"\b(?!\s+" + _words(_WEEKDAY_NAMES_AFTER) + r"\b)")
_DAY = (r"(?<![\d.,$€£¥])(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
        r"(?![\d%]|[.,:]\d|\s*(?:%|percent\b|per\s+cent\b))")
_YEAR = r"(?<![\d.,$€£¥#])(?:1[89]\d\d|20\d\d)(?![\d%]|[.,]\d)"
_NUM = (r"(?i:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
        r"|a\s+few|few|several|a\s+couple\s+of|couple\s+of|a\s+couple)")
_UNITS = r"(?i:days?|weeks?|months?|years?|decades?)"
# Each form ends with its own separator: "mid-March", "end-2019", "early February".
_PART = (r"(?i:early\s+|late\s+|mid-\s*|mid\s+|end-|(?:the\s+)?(?:very\s+)?(?:end|beginning|start"
         r"|middle|(?:first|second)\s+half|(?:first|second|third|fourth|last|final)\s+week"
         r"|(?:first|last)\s+(?:few\s+)?days)\s+of\s+)")
_RANGE_SEP = r"\s*(?:[-–]|(?i:to|through|and|&))\s*"
_PREPOSITION = (r"(?:(?P<prep>(?i:since|as\s+of|from|in|on|at|during|over|of|by|until|till"
                r"|through|throughout|before|after|between|to|and|or|&))\s+"
                r"|(?P<dash>[-–—])\s*)?")
_WEEKDAY_PHRASE = (r"(?:(?P<wmod{i}>(?i:early|late|last|next|this\s+past|this|past|coming))\s+)?"
                   r"(?P<wd{i}>{weekday})"
                   r"(?:\s+(?P<tod{i}>(?i:morning|afternoon|evening|night)\b))?")

# Alternatives, most specific first: at one position the first that matches wins.
# Each is a named group; its sub-groups carry its name as a prefix and the
# `_Reader` method of the same name resolves it.
_GRAMMAR = [
    # 2020-01-14
    r"(?P<iso>(?P<iso_y>{year})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01]))(?!\d)",
    # 27/03/2020, 3/27/2020: resolved only when the order of day and month shows
    r"(?P<numeric>(?<![\d.,/])(?P<numeric_a>\d{1,2})(?P<numeric_sep>[/.])(?P<numeric_b>\d{1,2})"
    r"(?P=numeric_sep)(?P<numeric_y>(?:1[89]|20)\d\d)(?![/.]?\d))",
    # 27-MAR-1987, a wire-service form
    r"(?P<dateline>(?P<dateline_d>3[01]|[12]\d|0?[1-9])-(?P<dateline_m>(?i:{abbr}|may))"
    r"-(?P<dateline_y>{year}))",
    # (Tuesday,) Jan. 14(-16)(, 2020)
    r"(?P<month_day>(?:{weekday},?\s+)?(?P<month_day_m>{month_before_day})\s*"
    r"(?P<month_day_d1>{day})(?:{range}(?P<month_day_d2>{day}))?(?:,?\s+(?P<month_day_y>{year}))?)",
    # (Tuesday,) 14(th)(-16) (of) January (2020)
    r"(?P<day_month>(?:{weekday},?\s+)?(?P<day_month_d1>{day})(?:{range}(?P<day_month_d2>{day}))?"
    r"\s+(?:(?i:of)\s+)?(?P<day_month_m>{month_before_day})(?:,?\s+(?P<day_month_y>{year}))?)",
    # (late) (last) March(-end) (2021 | last year)
    r"(?P<month>(?P<month_part>{part})?(?:(?P<month_rel>(?i:last|this|next|this\s+past))\s+)?"
    r"(?P<month_m>{month})(?P<month_end>-end\b)?(?:,?\s+(?:(?i:of)\s+)?(?P<month_y>{year})"
    r"|\s+(?P<month_yrel>(?i:last|this|next))\s+(?i:year)\b)?)",
    # the first half of 2019, the third quarter of last year
    r"(?P<quarter>(?:(?i:the)\s+)?(?P<quarter_n>(?i:first|second|third|fourth|final|last"
    r"|1st|2nd|3rd|4th))[-\s]+(?P<quarter_u>(?i:quarter|half))\b(?:\s+(?i:of)\s+"
    r"(?:(?i:fiscal\s+)?(?P<quarter_y>{year})"
    r"|(?P<quarter_rel>(?i:last|this|next|the))\s+(?i:year)\b)"
    r"|,?\s+(?P<quarter_y2>{year})))",
    # third-quarter (profit), the fiscal first half: the nearest one, or the one the tense
    # points to. A bare "the first half" is a match's as often as a year's: left alone.
    r"(?P<quarter_bare>(?:(?i:the)\s+)?(?:(?P<quarter_bare_f>(?i:fiscal))[-\s]+)?"
    r"(?P<quarter_bare_n>(?i:first|second|third|fourth|1st|2nd|3rd|4th))[-\s]+"
    r"(?P<quarter_bare_u>(?i:quarter|half))\b)",
    # the quarter, the latest quarter: the story's own quarter
    r"(?P<story_quarter>(?i:the)\s+(?:(?i:latest|most\s+recent|same|comparable|recent)\s+)?"
    r"(?i:quarter)\b(?![-‐]))",
    # Q1 2020
    r"(?P<quarter_code>\bQ(?P<quarter_code_n>[1-4])(?:\s*|-)(?P<quarter_code_y>{year})?)\b",
    # the 1990s, the late 1970s, mid-1980s
    r"(?P<decade>(?P<decade_part>{part})?(?P<decade_y>(?:1[89]|20)\d0)['’]?s\b)",
    # (late) 2019(-2020), 2019's
    r"(?P<year>(?P<year_part>{part})?(?P<year_y>{year})(?P<year_end>-end\b)?"
    r"(?:\s*[-–]\s*(?P<year_y2>(?:1[89]|20)?\d\d)\b|\s+(?i:to)\s+(?P<year_y3>{year}))?"
    r"(?P<year_poss>(?=['’]s\b))?(?!\s*(?:%|(?i:{count_nouns})\b)))",
    # (late) (this) summer (of 2019)
    r"(?P<season>(?P<season_part>{part})?(?:(?P<season_rel>(?i:last|this|next|this\s+past|the"
    r"|the\s+coming|the\s+past|coming|past))\s+)?"
    r"(?P<season_s>(?i:spring|summer|autumn|fall|winter))\b"
    r"(?:\s+(?:(?i:of)\s+)?(?P<season_y>{year}))?)",
    # late last year, earlier this week, the end of the month
    r"(?P<period>(?P<period_part>{part}|(?i:earlier|later|so\s+far)\s+)?"
    r"(?:(?P<period_which>(?i:last|this|next|the\s+current|current|this\s+past|the))\s+)?"
    r"(?P<period_unit>(?i:week|month|year|quarter))\b(?![-‐]))",
    # the weekend
    r"(?P<weekend>(?P<weekend_rel>(?i:this\s+past|the\s+past|last|this|next|the\s+coming|the))"
    r"\s+(?i:week-?end)\b)",
    # year-end, month-end
    r"(?P<period_end>(?:(?i:the)\s+)?(?P<period_end_u>(?i:year|month))"
    r"(?:[-\s](?i:end)|['’]s\s+(?i:end))\b)",
    # today, yesterday
    r"(?P<day_word>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow"
    r"|earlier\s+today|later\s+today|today|tonight|yesterday|tomorrow|last\s+night"
    r"|this\s+(?:morning|afternoon|evening))\b)",
    # late Tuesday night (and early Wednesday)
    r"(?P<weekdays>{weekday_1}"
    r"(?:\s*(?:[-–]|(?i:and|to|through|or|until|till|&))\s*{weekday_2})?)",
    # the past two weeks, recent weeks, the coming months
    r"(?P<rolling>(?P<rolling_the>(?i:the)\s+)?(?P<rolling_w>(?i:past|last|recent|coming|next))\s+"
    r"(?:(?P<rolling_n>{num})\s+)?(?P<rolling_u>{units})\b)",
    # two weeks ago
    r"(?P<ago>(?P<ago_n>{num})\s+(?P<ago_u>{units})\s+(?i:ago)\b)",
    # a year earlier, two days later, the year-ago quarter: from the story's own time
    r"(?P<earlier>(?:(?P<earlier_n>{num})\s+)?(?P<earlier_u>(?i:year|month|quarter|week|day)s?)"
    r"(?:-|\s+)(?P<earlier_w>(?i:earlier|later|ago))\b)",
    # now, currently, recently, in the future
    r"(?P<reference>(?i:{references})\b)",
    # in two weeks('s time), within a month
    r"(?P<in_time>(?P<in_time_w>(?i:in|within))\s+(?P<in_time_next>(?i:the\s+next)\s+)?"
    r"(?P<in_time_n>{num})\s+(?P<in_time_u>{units})\b(?:['’]s?\s+(?i:time)\b)?)",
    # for months
    r"(?P<duration>(?i:for)\s+(?:(?P<duration_n>(?i:a\s+few|few|several|a\s+couple\s+of|many))\s+)?"
    r"(?P<duration_u>(?i:days|weeks|months|years))\b(?!\s+(?i:to\s+come|ago)))",
    # a week-old strike
    r"(?P<age>(?:(?P<age_n>{num})-)?(?P<age_u>(?i:day|week|month))s?-(?i:old)\b)",
]


def _master_pattern() -> str:
    pieces = {
        "year": _YEAR, "day": _DAY, "month": _MON, "month_before_day": _MON_BEFORE_DAY,
        "weekday": _WEEKDAY, "abbr": "|".join(_ABBR_MONTHS), "range": _RANGE_SEP,
        "part": _PART, "num": _NUM, "units": _UNITS, "count_nouns": "|".join(_COUNT_NOUNS),
        "references": REFERENCE_PATTERN,
        "weekday_1": _WEEKDAY_PHRASE.replace("{i}", "1").replace("{weekday}", _WEEKDAY),
        "weekday_2": _WEEKDAY_PHRASE.replace("{i}", "2").replace("{weekday}", _WEEKDAY),
    }
    # Plain replacement, not str.format: the patterns are full of braces.
    alternatives = []
    for alternative in _GRAMMAR:
        for name, piece in pieces.items():
            alternative = alternative.replace("{" + name + "}", piece)
        alternatives.append(alternative)
    return r"(?<![\w'’])" + _PREPOSITION + "(?:" + "|".join(alternatives) + ")"


_MASTER = re.compile(_master_pattern())
# Every expression holds one of these words within its first few words; the
# grammar is only tried near them, which keeps date-free sentences cheap.
_TRIGGER_WORDS = frozenset(
    "day days week weeks weekend weekends month months year years decade decades quarter half "
    "spring summer autumn fall winter today tonight yesterday tomorrow night morning afternoon "
    "evening quarter quarters now currently recently lately previously formerly presently nowadays "
    "moment present future past soon current recent".split())
_CASED_TRIGGERS = frozenset(w for name in list(_MONTHS) + list(_WEEKDAYS)
                            for w in (name.capitalize(), name.upper()))
_TRIGGER_REACH = 60  # characters from the start of an expression to its first trigger
_TOKEN = re.compile(r"\w+|[-–—&]")
# The words an expression can begin with (prepositions, modifiers, counts).
_FIRST_WORDS = (frozenset(
    "since as from in on at during over of by until till through throughout before after "
    "between to and or the very end beginning start middle first second third fourth final "
    "last early late mid this next earlier later so current coming past recent year month week "
    "quarter day today tonight yesterday tomorrow a an one two three four five six seven eight "
    "nine ten eleven twelve few several couple within for spring summer autumn fall winter "
    "1st 2nd 3rd 4th & - – — fiscal latest most same comparable now currently recently lately "
    "previously formerly presently nowadays right just these soon future current recent".split())
    | frozenset(_MONTHS) | frozenset(_WEEKDAYS))


def _is_trigger(word: str) -> bool:
    return (word in _CASED_TRIGGERS or not word.isalpha() and word.isalnum()
            or word.lower() in _TRIGGER_WORDS)


def _may_start(word: str) -> bool:
    return (word[0].isdigit() or word.lower() in _FIRST_WORDS
            or word[0] == "Q" and word[1:2].isdigit())


_PREVIOUS_WORD = re.compile(r"([A-Za-z][\w'’.]*)\W*$")
_CONNECTOR_TEXT = re.compile(r"\s*(?:[-–—]|and|or|&|to|through|thru|until|till)\s*",
                             re.IGNORECASE)


@dataclass(frozen=True)
class _Hit:
    start: dt.date | None
    end: dt.date | None
    char_start: int
    char_end: int
    prep: str | None
    prep_start: int


class _Reject(Exception):
    """A match that reads as a date but is not one here ("Theresa May")."""


class _Unresolved(Exception):
    """A temporal expression that cannot be placed without guessing."""


# ---------------------------------------------------------------- calendar


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), _month_end(year, month)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _is_quarter(start: dt.date, end: dt.date) -> bool:
    return (start.day == 1 and start.month % 3 == 1 and end == _month_end(end.year, end.month)
            and _add_months(start, 2).month == end.month and start.year == end.year)


def _month_end_if(old_end: dt.date, new_end: dt.date) -> dt.date:
    """A period that ended on a month's last day still does after a shift (Feb. 29)."""
    if old_end == _month_end(old_end.year, old_end.month):
        return _month_end(new_end.year, new_end.month)
    return new_end


def _shift(day: dt.date, count: int, unit: str) -> dt.date:
    """`day` moved by `count` units (negative: back in time)."""
    unit = unit.lower().rstrip("s")
    if unit == "day":
        return day + dt.timedelta(days=count)
    if unit == "week":
        return day + dt.timedelta(weeks=count)
    if unit == "month":
        return _add_months(day, count)
    if unit == "year":
        return _add_months(day, 12 * count)
    if unit == "decade":
        return _add_months(day, 120 * count)
    raise ValueError(unit)


def _season_span(name: str, year: int) -> tuple[dt.date, dt.date]:
    """The season named, ending in `year` for winter (Dec of the year before to Feb)."""
    first = _SEASONS[name]
    if first == 12:
        return dt.date(year - 1, 12, 1), _month_end(year, 2)
    return dt.date(year, first, 1), _month_end(year, first + 2)


def _part_of(start: dt.date, end: dt.date, unit: str, part: str | None) -> tuple[dt.date, dt.date]:
    """The part of a period named by "early", "mid", "the end of"..."""
    if part is None:
        return start, end
    if unit == "month":
        last = end.day
        days = {"early": (1, 10), "mid": (11, 20), "late": (21, last), "start": (1, 7),
                "end": (last - 6, last), "h1": (1, 15), "h2": (16, last), "w1": (1, 7),
                "w2": (8, 14), "w3": (15, 21), "w4": (22, 28), "wl": (last - 6, last)}[part]
        return start.replace(day=days[0]), start.replace(day=days[1])
    if unit == "year":
        year = start.year
        if part == "w1":
            return dt.date(year, 1, 1), dt.date(year, 1, 7)
        if part == "wl":
            return dt.date(year, 12, 25), dt.date(year, 12, 31)
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12), "start": (1, 1),
                  "end": (12, 12), "h1": (1, 6), "h2": (7, 12)}.get(part, (1, 12))
        return dt.date(year, months[0], 1), _month_end(year, months[1])
    if unit == "week":
        offsets = {"early": (0, 2), "mid": (1, 3), "late": (3, 6), "start": (0, 1), "end": (4, 6),
                   "h1": (0, 3), "h2": (3, 6)}.get(part, (0, 6))
        return start + dt.timedelta(days=offsets[0]), start + dt.timedelta(days=offsets[1])
    # Seasons and quarters: three months each.
    if part in ("w1", "start") and unit == "quarter":
        return start, start + dt.timedelta(days=6)
    if part in ("wl", "end") and unit == "quarter":
        return end - dt.timedelta(days=6), end
    third = {"early": 0, "start": 0, "w1": 0, "mid": 1, "late": 2, "end": 2, "wl": 2}.get(part)
    if third is None:
        return start, end
    first = _add_months(start, third)
    return first, _month_end(first.year, first.month)


_PART_KEYS = {"early": "early", "late": "late", "mid": "mid", "middle": "mid", "end": "end",
              "beginning": "start", "start": "start", "first half": "h1", "second half": "h2",
              "first week": "w1", "second week": "w2", "third week": "w3", "fourth week": "w4",
              "last week": "wl", "final week": "wl", "first days": "start",
              "first few days": "start", "last days": "end", "last few days": "end",
              "earlier": "earlier", "later": "later", "so far": "earlier"}


def _part_key(raw: str | None) -> str | None:
    if not raw:
        return None
    words = " ".join(raw.lower().replace("-", " ").split())
    words = words.removeprefix("the ").removeprefix("very ").removesuffix(" of").strip()
    return _PART_KEYS[words]


_NEAR = dt.timedelta(days=92)  # "soon" for an expression with no tense: about three months


def _choose(candidates: list[tuple[dt.date, dt.date]], published: dt.date,
            direction: str) -> tuple[dt.date, dt.date]:
    """One occurrence of a recurring period, picked by direction from the publication day."""
    if direction == "past":
        found = [c for c in candidates if c[0] <= published]
        return found[-1]
    if direction == "future":
        return next(c for c in candidates if c[1] >= published)
    if direction == "last":
        return [c for c in candidates if c[1] < published][-1]
    if direction == "next":
        return next(c for c in candidates if c[0] > published)
    if direction == "news":
        # No tense to go by: the latest occurrence at or before the publication day, as
        # news mostly looks back, unless it is long past and the next one is near
        # ("Nov. 17" in a late-October story, "December" in a November one).
        past = [c for c in candidates if c[0] <= published]
        ahead = [c for c in candidates if c[0] > published]
        if not past:
            return ahead[0]
        if (ahead and past[-1][1] < published - _NEAR
                and ahead[0][0] - published <= _NEAR):
            return ahead[0]
        return past[-1]
    # "this": the occurrence that holds the publication day, else the nearest.
    holding = [c for c in candidates if c[0] <= published <= c[1]]
    if holding:
        return holding[0]
    return min(candidates, key=lambda c: min(abs((c[0] - published).days),
                                             abs((c[1] - published).days)))


def _clip(span: tuple[dt.date, dt.date], published: dt.date, tense: str) -> tuple[dt.date, dt.date]:
    """A current period cut at the publication day: past events cannot be after it."""
    start, end = span
    if not start <= published <= end:
        return span
    return (start, published) if tense == "past" else (published, end)


def _count(raw: str) -> tuple[int, int]:
    word = " ".join(raw.lower().split())
    if word.isdigit():
        return int(word), int(word)
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word], _NUMBER_WORDS[word]
    for vague, counts in _VAGUE_COUNTS.items():
        if vague in word:
            return counts
    if word == "many":
        return 3, 6
    raise _Reject(raw)


# --------------------------------------------------------------- resolvers


# Expressions counted from the story's time or the telling's: they do not move the story's time.
_NOT_ANCHORS = frozenset({"earlier", "story_quarter", "reference", "ago", "rolling", "duration",
                          "age", "in_time"})


class _Reader:
    """Resolves the matches of one text against one publication day and tense."""

    def __init__(self, text: str, published: dt.date | None, tense: str | None, bare_ok: bool,
                 window: bool = False):
        self.text = text
        self.published = published
        self.given_tense = tense
        self.bare_ok = bare_ok
        self.window = window
        self.hits: list[_Hit] = []
        # The story's own time: the periods the text named itself, latest last
        # (not those counted from it, "a year earlier", nor "since" spans).
        self.anchors: list[tuple[dt.date, dt.date]] = []

    @property
    def tense(self) -> str:
        """The tense the caller gave, else the one the clause shows, else past."""
        return self.given_tense or self.clause_tense or "past"

    @property
    def clause_tense(self) -> str | None:
        return clause_tense(self.text, self.match.start())

    def _clip(self, span: tuple[dt.date, dt.date], direction: str) -> tuple[dt.date, dt.date]:
        """A current period is cut at the publication day only for an event's window:
        the expression itself ("this year") means the whole period."""
        return _clip(span, self.day, direction) if self.window else span

    # The publication day, or the signal that a relative expression cannot be placed.
    @property
    def day(self) -> dt.date:
        if self.published is None:
            raise _Unresolved
        return self.published

    def read(self, m: re.Match[str]) -> _Hit:
        kind = m.lastgroup
        prep = (m.group("prep") or m.group("dash") or "").lower() or None
        if prep:
            prep = " ".join(prep.split())
        body_start = m.start(kind)  # type: ignore[arg-type]
        self.match, self.prep = m, prep
        try:
            span = getattr(self, "_" + kind)(m)  # type: ignore[operator]
        except _Unresolved:
            span = None
        except (ValueError, OverflowError, StopIteration, IndexError):
            # A calendar impossibility (Feb. 30) or a period out of range: not a date we can place.
            span = None
        if prep == "since":
            char_start = m.start()
            if span is not None and self.published is not None and span[0] <= self.published:
                span = (span[0], self.published)
            else:
                span = None
        else:
            char_start = body_start
        start, end = span if span is not None else (None, None)
        if span is not None and prep != "since" and kind not in _NOT_ANCHORS:
            self.anchors.append(span)
        return _Hit(start, end, char_start, m.end(), prep, m.start())

    # ---- helpers shared by the handlers

    def _has_cue(self, cues: frozenset[str]) -> bool:
        if self.bare_ok:
            return True
        if self.prep in cues:
            return True
        if self.prep in _CONNECTORS and self.hits:
            between = self.text[self.hits[-1].char_end:self.match.start()]
            return not between.strip()
        return False

    def _previous_word(self, pos: int) -> str:
        found = _PREVIOUS_WORD.search(self.text, max(0, pos - 40), pos)
        return found.group(1) if found else ""

    def _direction(self) -> str:
        # "since" always looks back, whatever the tense of the clause.
        return "past" if self.prep == "since" else self.tense

    def _pick_year(self, make: Callable[[int], tuple[dt.date, dt.date]],
                   rel: str | None = None) -> tuple[dt.date, dt.date]:
        published = self.day
        candidates = []
        for year in range(published.year - 2, published.year + 3):
            try:
                candidates.append(make(year))
            except ValueError:  # Feb. 29 in a common year
                continue
        return _choose(candidates, published, rel or self._occurrence())

    def _occurrence(self) -> str:
        """How to pick among a recurring period's occurrences: by the tense given or shown,
        else the way news reads ("news" in `_choose`)."""
        if self.given_tense is None and self.prep != "since" and self.clause_tense is None:
            return "news"
        return self._direction()

    # ---- absolute and day-month forms

    def _iso(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        day = dt.date(int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"]))
        return day, day

    def _numeric(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        first, second, year = int(m["numeric_a"]), int(m["numeric_b"]), int(m["numeric_y"])
        if first > 12 >= second:
            day = dt.date(year, second, first)
        elif second > 12 >= first:
            day = dt.date(year, first, second)
        elif first == second:
            day = dt.date(year, first, first)
        else:
            raise _Unresolved  # 03/04/2020: March 4 in the US, April 3 elsewhere
        return day, day

    def _dateline(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        day = dt.date(int(m["dateline_y"]), _MONTHS[m["dateline_m"].lower()], int(m["dateline_d"]))
        return day, day

    def _day_and_month(self, month_word: str, d1: str, d2: str | None, year: str | None
                   ) -> tuple[dt.date, dt.date]:
        month = _MONTHS[month_word.lower().rstrip(".")]
        first = int(re.match(r"\d+", d1).group())  # type: ignore[union-attr]
        last = int(re.match(r"\d+", d2).group()) if d2 else first  # type: ignore[union-attr]
        if last < first:
            raise _Reject(d2)
        if year:
            return dt.date(int(year), month, first), dt.date(int(year), month, last)
        return self._pick_year(lambda y: (dt.date(y, month, first), dt.date(y, month, last)))

    def _month_day(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        return self._day_and_month(m["month_day_m"], m["month_day_d1"], m["month_day_d2"],
                                   m["month_day_y"])

    def _day_month(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        return self._day_and_month(m["day_month_m"], m["day_month_d1"], m["day_month_d2"],
                                   m["day_month_y"])

    # ---- months

    def _month(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        month_word = m["month_m"]
        month = _MONTHS[month_word.lower().rstrip(".")]
        part = "end" if m["month_end"] else _part_key(m["month_part"])
        rel = (m["month_rel"] or "").lower().replace("this past", "last") or None
        bare = not (part or rel or m["month_y"] or m["month_yrel"])
        if not (part or rel or self.prep or m["month_y"]):
            # "Theresa May", "Prime Minister May last year": a name, not a month.
            previous = self._previous_word(m.start("month"))
            if previous[:1].isupper() and previous.lower() not in _MONTH_CUES:
                raise _Reject(month_word)
        if bare and not self._has_cue(_MAY_CUES if month == 5 else _MONTH_CUES):
            raise _Reject(month_word)
        if part in ("earlier", "later"):
            raise _Reject(month_word)  # "earlier March" is not English; leave it alone

        def occurrence(year: int) -> tuple[dt.date, dt.date]:
            return _part_of(*_month_span(year, month), "month", part)

        if m["month_y"]:
            return occurrence(int(m["month_y"]))
        if m["month_yrel"]:
            offset = {"last": -1, "this": 0, "next": 1}[m["month_yrel"].lower()]
            return occurrence(self.day.year + offset)
        if rel == "this":
            return occurrence(self.day.year)
        span = self._pick_year(occurrence, rel)
        if part is None and rel is None:
            span = self._clip(span, self._direction())
        return span

    # ---- quarters and halves

    def _quarter(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        number = _ORDINALS[m["quarter_n"].lower()]
        half = m["quarter_u"].lower() == "half"
        if half and number > 2:
            raise _Reject(m["quarter"])
        year_text = m["quarter_y"] or m["quarter_y2"]
        if year_text:
            year = int(year_text)
        else:
            rel = m["quarter_rel"].lower()
            if rel == "the":
                raise _Reject(m["quarter"])  # "the first half of the year": which year is a guess
            year = self.day.year + {"last": -1, "this": 0, "next": 1}[rel]
        if half:
            return dt.date(year, 6 * number - 5, 1), _month_end(year, 6 * number)
        return dt.date(year, 3 * number - 2, 1), _month_end(year, 3 * number)

    def _quarter_code(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        number = int(m["quarter_code_n"])

        def quarter(year: int) -> tuple[dt.date, dt.date]:
            return dt.date(year, 3 * number - 2, 1), _month_end(year, 3 * number)

        if m["quarter_code_y"]:
            return quarter(int(m["quarter_code_y"]))
        return self._pick_year(quarter)

    def _quarter_bare(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        number = _ORDINALS[m["quarter_bare_n"].lower()]
        half = m["quarter_bare_u"].lower() == "half"
        if half and (number > 2 or not m["quarter_bare_f"]):
            raise _Reject(m["quarter_bare"])
        months = 6 if half else 3

        def period(year: int) -> tuple[dt.date, dt.date]:
            return dt.date(year, months * number - months + 1, 1), _month_end(year, months * number)

        # A quarter is reported on after it has begun, often in the future tense ("will
        # report third-quarter results"): the latest begun, unless the caller says future.
        return self._pick_year(period, "future" if self.given_tense == "future" else "past")

    def _story_quarter(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        """"the quarter": the one the story last named, else (and "the latest quarter")
        the last one ended."""
        latest = re.search(r"(?i)latest|recent", m["story_quarter"])
        for start, end in reversed(self.anchors if not latest else []):
            if _is_quarter(start, end):
                return start, end
        published = self.day
        first = _add_months(published.replace(day=1, month=(published.month - 1) // 3 * 3 + 1), -3)
        last = _add_months(first, 2)
        return first, _month_end(last.year, last.month)

    def _earlier(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        """"a year earlier", "a few days later": counted from the story's own time, the last
        period the text named itself. With none, "earlier" counts back from the
        publication day; "later" then has nothing to count from and stays unresolved."""
        fewest, most = _count(m["earlier_n"]) if m["earlier_n"] else (1, 1)
        unit = m["earlier_u"].lower().rstrip("s")
        if unit == "quarter":
            fewest, most, unit = 3 * fewest, 3 * most, "month"
        later = m["earlier_w"].lower() == "later"
        if not self.anchors and later:
            raise _Unresolved
        anchor = self.anchors[-1] if self.anchors else (self.day, self.day)
        if "-" in m["earlier"] and unit == "year":
            # "the year-earlier quarter", "year-ago results": the story's quarter a year
            # back, else the year before the publication's.
            quarters = [a for a in self.anchors if _is_quarter(*a)]
            if not quarters:
                year = self.day.year - most
                return dt.date(year, 1, 1), dt.date(year, 12, 31)
            anchor = quarters[-1]
        first, last = (fewest, most) if later else (-most, -fewest)
        return (_shift(anchor[0], first, unit),
                _month_end_if(anchor[1], _shift(anchor[1], last, unit)))

    def _reference(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        if reference_kind(m["reference"]) != "present":
            raise _Unresolved  # "recently", "in the future": found, but no period is named
        return self.day, self.day

    # ---- decades

    def _decade(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        first = int(m["decade_y"])
        part = _part_key(m["decade_part"])
        if part in ("earlier", "later"):
            raise _Reject(m["decade_y"])
        thirds = {"early": (0, 3), "mid": (3, 6), "late": (7, 9), "start": (0, 1), "end": (8, 9),
                  "h1": (0, 4), "h2": (5, 9)}.get(part or "", (0, 9))
        return dt.date(first + thirds[0], 1, 1), dt.date(first + thirds[1], 12, 31)

    # ---- years

    def _year(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        year = int(m["year_y"])
        part = "end" if m["year_end"] else _part_key(m["year_part"])
        last_year = year
        if m["year_y2"] or m["year_y3"]:
            second = m["year_y2"] or m["year_y3"]
            last_year = int(second) if len(second) == 4 else year // 100 * 100 + int(second)
            if last_year <= year:
                raise _Reject(second)
        bare = not (part or m["year_poss"] is not None)
        previous = self._previous_word(m.start("year")).lower()
        if bare and not (self._has_cue(_MONTH_CUES) or previous in ("fiscal", "calendar")
                         and not self.prep or self._names_a_thing(m)):
            raise _Reject(m["year_y"])
        if part in ("earlier", "later"):
            raise _Reject(m["year_y"])
        start, end = _part_of(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", part)
        if last_year > year:
            end = dt.date(last_year, 12, 31)
        return start, end

    def _names_a_thing(self, m: re.Match[str]) -> bool:
        """"the 1987 crash", "its 2019 offer", "for 1988,": a year the text dates something
        by. Such a year does not place an event (`window`): "rejected the 2015 deal" says
        nothing of when it was rejected."""
        if self.window:
            return False
        if self.prep in ("for", "into", "due"):
            return True
        before = self.text[max(0, m.start("year") - 12):m.start("year")]
        after = self.text[m.end("year"):m.end("year") + 2]
        return (re.search(r"(?i)\b(?:the|a|an|its|his|her|their|our|this|that|both|due|for|into)\s+$"
                          r"|['’]s\s+$", before) is not None
                and re.match(r"\s[A-Za-z]|[,.]\s|\s*$", after) is not None)

    # ---- seasons

    def _season(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        name = m["season_s"].lower()
        part = _part_key(m["season_part"])
        rel_raw = " ".join((m["season_rel"] or "").lower().split())
        rel = {"this past": "last", "the past": "last", "the coming": "next", "coming": "next",
               "past": "last", "the": None, "": None}.get(rel_raw, rel_raw)
        if m["season_s"][0].isupper() and m["season_s"][1:].islower():
            following = self.text[m.end("season"):m.end("season") + 2]
            if following[:1] == " " and following[1:2].isupper():
                raise _Reject(name)  # "Spring Festival", "Summer Olympics"
        if not m["season_y"] and self.text.startswith(" of ", m.end("season")):
            raise _Reject(name)  # "the fall of the government", "the summer of discontent"
        if name == "fall" and not (m["season_y"] or rel_raw not in ("", "the")
                                   or rel_raw == "the" and self._has_cue(_MONTH_CUES)):
            raise _Reject(name)  # the verb and the noun
        if not (rel_raw or m["season_y"] or part) and not self._has_cue(_MONTH_CUES):
            raise _Reject(name)
        if part in ("earlier", "later"):
            raise _Reject(name)

        def occurrence(year: int) -> tuple[dt.date, dt.date]:
            return _part_of(*_season_span(name, year), "season", part)

        if m["season_y"]:
            if name == "winter":
                raise _Unresolved  # winter 2019 may be Jan-Feb 2019 or the winter of 2019-20
            return occurrence(int(m["season_y"]))
        if rel == "this":
            published = self.day
            span = _choose([occurrence(y) for y in range(published.year - 1, published.year + 2)],
                           published, "this")
        else:
            span = self._pick_year(occurrence, rel)
        if part is None and rel in (None, "this"):
            span = self._clip(span, self._direction())
        return span

    # ---- last week, earlier this month, late last year

    def _unit_span(self, unit: str, offset: int) -> tuple[dt.date, dt.date]:
        published = self.day
        if unit == "week":
            monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=offset)
            return monday, monday + dt.timedelta(days=6)
        if unit == "month":
            first = _add_months(published.replace(day=1), offset)
            return first, _month_end(first.year, first.month)
        if unit == "quarter":
            first = _add_months(published.replace(day=1, month=(published.month - 1) // 3 * 3 + 1),
                                3 * offset)
            last = _add_months(first, 2)
            return first, _month_end(last.year, last.month)
        year = published.year + offset
        return dt.date(year, 1, 1), dt.date(year, 12, 31)

    def _period(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        unit = m["period_unit"].lower()
        which = " ".join((m["period_which"] or "").lower().split())
        part = _part_key(m["period_part"])
        if not which and not part:
            raise _Reject(unit)
        if which in ("the", "") and not part:
            raise _Reject(unit)
        if which in ("the", "") and (unit in ("week", "quarter") or part in ("earlier", "later")):
            raise _Reject(unit)  # "the end of the week" from a past story: which week?
        if which in ("", "the"):
            # "the end of the year": this year's, or last year's when that is past.
            published = self.day
            candidates = [_part_of(*self._unit_span(unit, k), unit, part) for k in (-1, 0, 1)]
            if self._occurrence() == "news":
                return candidates[1]  # no tense to go by: the current month's or year's
            return _choose(candidates, published, self._direction())
        offset = {"last": -1, "this past": -1, "this": 0, "current": 0, "the current": 0,
                  "next": 1}[which]
        span = self._unit_span(unit, offset)
        published = self.day
        if part == "earlier":
            return (span[0], published) if offset == 0 else span
        if part == "later":
            return (published, span[1]) if offset == 0 else span
        if part is not None:
            return _part_of(*span, unit, part)
        return self._clip(span, self._direction()) if offset == 0 else span

    def _weekend(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        rel = " ".join(m["weekend_rel"].lower().split())
        published = self.day
        saturday = published - dt.timedelta(days=(published.weekday() - 5) % 7)
        candidates = [(saturday + dt.timedelta(weeks=k), saturday + dt.timedelta(weeks=k, days=1))
                      for k in (-2, -1, 0, 1, 2)]
        if rel in ("last", "this past", "the past"):
            return _choose(candidates, published, "last")
        if rel in ("next", "the coming"):
            return _choose(candidates, published, "next")
        return self._clip(_choose(candidates, published, self._direction()), self._direction())

    def _period_end(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        if not (self.prep or self.bare_ok):
            raise _Reject(m["period_end"])  # "the year-end bonus": an adjective
        unit = m["period_end_u"].lower()
        candidates = [_part_of(*self._unit_span(unit, k), unit, "end") for k in (-1, 0, 1)]
        if self._occurrence() == "news":
            return candidates[1]
        return _choose(candidates, self.day, self._direction())

    # ---- days

    def _day_word(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        word = " ".join(m["day_word"].lower().split())
        if word == "today" and m["day_word"][0] == "T":
            previous = self._previous_word(m.start("day_word"))
            if previous in ("USA", "the", "The"):
                raise _Reject(word)  # a newspaper, a programme
        offset = {"the day before yesterday": -2, "yesterday": -1, "last night": -1,
                  "tomorrow": 1, "the day after tomorrow": 2}.get(word, 0)
        day = self.day + dt.timedelta(days=offset)
        return day, day

    def _weekday(self, index: str, anchor: dt.date | None = None) -> dt.date:
        m = self.match
        weekday = _WEEKDAYS[m["wd" + index].lower()]
        mod = " ".join((m["wmod" + index] or "").lower().split())
        if anchor is not None:
            return anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7)
        published = self.day
        back = (published.weekday() - weekday) % 7
        ahead = (weekday - published.weekday()) % 7
        if mod in ("last", "past", "this past"):
            return published - dt.timedelta(days=back or 7)
        if mod == "next":
            return published + dt.timedelta(days=ahead or 7)
        if self._direction() == "future":
            return published + dt.timedelta(days=ahead)
        return published - dt.timedelta(days=back)

    def _weekdays(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        previous = self._previous_word(m.start("weekdays")).lower()
        if previous in _WEEKDAY_NAMES_BEFORE and not m["wmod1"]:
            raise _Reject(m["wd1"])
        if not m["wd2"]:
            day = self._weekday("1")
            return day, day
        # Resolve the pair together so that "Tuesday and Wednesday" stays in order.
        if self._direction() == "future" or (m["wmod1"] or "").lower() == "next":
            first = self._weekday("1")
            return first, self._weekday("2", anchor=first)
        weekday1 = _WEEKDAYS[m["wd1"].lower()]
        if m["wmod1"]:
            first = self._weekday("1")
            return first, self._weekday("2", anchor=first)
        last = self._weekday("2")
        first = last - dt.timedelta(days=(last.weekday() - weekday1) % 7)
        return first, last

    # ---- counted spans of time

    def _rolling(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        word = m["rolling_w"].lower()
        unit = m["rolling_u"].lower()
        plural = unit.endswith("s")
        if m["rolling_n"]:
            count = _count(m["rolling_n"])[1]
        elif plural:
            count = {"day": 7, "week": 3, "month": 3, "year": 3, "decade": 2}[unit.rstrip("s")]
        else:
            count = 1
        if word in ("past", "last"):
            if not m["rolling_the"] and not m["rolling_n"] and not plural:
                raise _Reject(word)  # "last week" is the calendar week, read elsewhere
            if not m["rolling_the"] and word == "last" and not m["rolling_n"]:
                raise _Reject(word)  # "his last days"
            return _shift(self.day, -count, unit), self.day
        if word == "recent":
            if not plural or m["rolling_n"]:
                raise _Reject(word)
            return _shift(self.day, -count, unit), self.day
        if word == "next" and not m["rolling_the"] and not m["rolling_n"]:
            raise _Reject(word)
        if word == "next" and self.tense != "future":
            raise _Unresolved  # "the next day" in a past story follows the event, not the paper
        return self.day, _shift(self.day, count, unit)

    def _slack(self, unit: str) -> int:
        return {"day": 0, "week": 3, "month": 15, "year": 90, "decade": 365}[unit.rstrip("s")]

    def _ago(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        fewest, most = _count(m["ago_n"])
        unit = m["ago_u"].lower()
        if fewest == most and unit.rstrip("s") in ("year", "month", "week"):
            # "two years ago" is 2018 in a 2020 story; an earnings story's "a year ago"
            # is its own quarter a year back.
            base = unit.rstrip("s")
            if base == "year" and self.anchors and _is_quarter(*self.anchors[-1]):
                first, last = self.anchors[-1]
                return _shift(first, -most, "year"), _month_end_if(last, _shift(last, -most, "year"))
            day = _shift(self.day, -most, base)
            offset = {"year": day.year - self.day.year,
                      "month": (day.year - self.day.year) * 12 + day.month - self.day.month,
                      "week": ((day - dt.timedelta(days=day.weekday()))
                               - (self.day - dt.timedelta(days=self.day.weekday()))).days // 7}[base]
            return self._unit_span(base, offset)
        slack = dt.timedelta(days=self._slack(unit))
        start = _shift(self.day, -most, unit) - slack
        end = min(_shift(self.day, -fewest, unit) + slack, self.day)
        return start, end

    def _in_time(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        fewest, most = _count(m["in_time_n"])
        unit = m["in_time_u"].lower()
        if self.tense != "future":
            raise _Unresolved  # "agreed in two weeks" is a duration, not a day
        if m["in_time_w"].lower() == "within" or m["in_time_next"]:
            return self.day, _shift(self.day, most, unit)
        slack = dt.timedelta(days=self._slack(unit))
        start = max(_shift(self.day, fewest, unit) - slack, self.day)
        return start, _shift(self.day, most, unit) + slack

    def _duration(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        unit = m["duration_u"].lower()
        if m["duration_n"]:
            count = _count(m["duration_n"])[1]
        else:
            count = {"days": 7, "weeks": 3, "months": 3, "years": 3}[unit]
        if self.tense == "future":
            return self.day, _shift(self.day, count, unit)
        return _shift(self.day, -count, unit), self.day

    def _age(self, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        count = _count(m["age_n"])[1] if m["age_n"] else 1
        return _shift(self.day, -count, m["age_u"]), self.day


# ------------------------------------------------------------------ scanning


def _as_day(published: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(published, dt.datetime):
        return published.date()
    return published


def _merge(text: str, hits: list[_Hit]) -> list[_Hit]:
    """Joins "from March to May", "Tuesday and Wednesday" into one span."""
    merged: list[_Hit] = []
    for hit in hits:
        if merged:
            before = merged[-1]
            between = text[before.char_end:hit.char_start]
            joined = _joined(before, hit, between)
            if joined is not None:
                merged[-1] = joined
                continue
        merged.append(hit)
    return merged


def _joined(first: _Hit, second: _Hit, between: str) -> _Hit | None:
    if "since" in (first.prep, second.prep) or not _CONNECTOR_TEXT.fullmatch(between):
        return None
    if first.start is None or second.start is None or first.end is None or second.end is None:
        return None
    if not (first.start <= second.start and first.end <= second.end):
        return None
    char_start = first.char_start
    if between.strip().lower() in ("and", "or", "&") and (second.start - first.end).days > 7:
        # "in 2003 and 2007" are two dates; "between 2003 and 2007" is one span,
        # and the preposition that joins the ends stays in its text.
        if first.prep not in ("between", "from"):
            return None
        char_start = first.prep_start
    return _Hit(first.start, second.end, char_start, second.char_end, first.prep,
                first.prep_start)


def _scan(text: str, published: dt.date | None, tense: str | None, lo: int, hi: int,
          bare_ok: bool, window: bool = False) -> list[_Hit]:
    tokens = [(t.start(), t.group()) for t in _TOKEN.finditer(text, lo, hi)]
    triggers = [start for start, word in tokens if _is_trigger(word)]
    if not triggers:
        return []
    reader = _Reader(text, published, tense, bare_ok, window)
    pos, next_trigger = lo, 0
    for candidate, word in tokens:
        if candidate < pos:
            continue
        while next_trigger < len(triggers) and triggers[next_trigger] < candidate:
            next_trigger += 1
        if next_trigger == len(triggers):
            break
        if triggers[next_trigger] - candidate > _TRIGGER_REACH or not _may_start(word):
            continue
        m = _MASTER.match(text, candidate, hi)
        if m is None:
            continue
        try:
            hit = reader.read(m)
        except _Reject:
            continue
        reader.hits.append(hit)
        pos = m.end()
    return _merge(text, reader.hits)


def find_dates(text: str, published: dt.date | dt.datetime | None = None,
               tense: Tense | None = None, *, start: int = 0, end: int | None = None,
               window: bool = False) -> list[DateSpan]:
    """Every temporal expression in ``text[start:end]``, resolved against `published`.

    Offsets are absolute (into `text`); spans are sorted and do not overlap.
    `tense` is the tense of the clause and decides the direction of ambiguous
    expressions; without it each expression's own clause decides ("will meet
    on April 7" looks ahead) and, with no cue there, the occurrence nearest
    the publication day is taken (a bare weekday still looks back). With
    `published` None, relative expressions come back unresolved (start and
    end None); dated ones still resolve.

    Each span is the expression's own value: "this year" is the whole year.
    `window` True gives instead the days an event told in `tense` can fall
    on: a current period cut at the publication day ("this year" in the past
    tense ends on it).
    """
    if not isinstance(text, str):
        return []
    hi = len(text) if end is None else max(0, min(end, len(text)))
    lo = max(0, min(start, hi))
    hits = _scan(text, _as_day(published), tense, lo, hi, bare_ok=False, window=window)
    return [DateSpan(h.start, h.end, text[h.char_start:h.char_end], h.char_start, h.char_end)
            for h in hits]


def resolve(expression: str, published: dt.date | dt.datetime | None, tense: Tense | None = None,
            *, window: bool = False) -> DateSpan | None:
    """One temporal expression resolved, or None when `expression` holds none.

    A bare month or year counts here ("July", "2003"): the caller says this is
    a date. When `expression` holds several, the first one is returned.
    Offsets are into `expression`. `tense` and `window` as for `find_dates`.
    """
    hits = _scan(expression, _as_day(published), tense, 0, len(expression),
                 bare_ok=True, window=window)
    if not hits:
        return None
    hit = hits[0]
    return DateSpan(hit.start, hit.end, expression[hit.char_start:hit.char_end],
                    hit.char_start, hit.char_end)


def is_future(span: DateSpan, published: dt.date | None) -> bool | None:
    """Whether the whole span lies after the publication day; None when unknown."""
    day = _as_day(published)
    if span.start is None or day is None:
        return None
    return span.start > day
