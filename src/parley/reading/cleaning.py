"""Stage 2, cleaning: the metadata a pasted page carries, and the clutter around the article.

A page copied from a browser holds the article between a header (outlet, headline,
byline, publication time, share widgets, photo credits) and a tail (sign-offs,
e-mail addresses, feedback widgets, "Read more" links). `clean` reads the header
for title, outlet, byline and publication time, fills only what the input did not
give, and marks as `body` the character ranges of `text` that are the article
proper. `text` itself is never changed, so every offset stays valid.

Publication dates are taken only from the header (the lines before the article
proper, at most the first ~15 lines / ~1000 characters), never from the body, where
dates belong to events. An article whose header carries no date stays undated.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Iterator

from parley.records import Article, replace

__all__ = ["clean", "header_end", "find_published", "HeaderFacts", "read_header", "Dateline",
           "dateline_length"]

HEADER_MAX_LINES = 15
HEADER_MAX_CHARS = 1000

# ---------------------------------------------------------------------------
# General resources (not facts of any one article)

# The world's big news agencies and a few widely syndicated outlets: a name on
# its own line or in a byline is then an outlet, not a person or a headline.
KNOWN_OUTLETS = frozenset(s.casefold() for s in (
    "Reuters", "Reuter", "Associated Press", "AP", "Agence France-Presse", "AFP", "Bloomberg",
    "Bloomberg News", "Dow Jones", "UPI", "United Press International", "Yonhap",
    "Yonhap News Agency", "Kyodo", "Kyodo News", "Jiji Press", "Xinhua", "Xinhua News Agency",
    "China News Service", "TASS", "RIA Novosti", "Interfax", "ANSA", "EFE", "dpa",
    "Deutsche Presse-Agentur", "PTI", "Press Trust of India", "IANS", "ANI", "Anadolu Agency",
    "APA", "Belga", "ANP", "Lusa", "Europa Press", "PAP", "AAP", "Australian Associated Press",
    "The Canadian Press", "KCNA", "Antara", "Bernama", "Central News Agency", "IRNA", "WAM",
    "BBC", "BBC News", "CNN", "NPR", "Al Jazeera", "The New York Times", "The Washington Post",
    "The Wall Street Journal", "Financial Times", "The Guardian", "The Times", "The Economist",
    "Los Angeles Times", "USA Today", "Politico", "Axios", "NHK", "NHK World", "Deutsche Welle",
    "France 24", "Le Monde", "Der Spiegel", "Nikkei", "Nikkei Asia", "South China Morning Post",
    "The Straits Times", "The Hindu", "The Times of India", "Daily Mail", "The Telegraph",
    "The Independent", "Sky News", "ABC News", "CBS News", "NBC News", "Fox News", "CNBC",
))

# Last words that make a short Title-Case line a masthead rather than a headline.
OUTLET_WORDS = frozenset((
    "times", "herald", "news", "post", "journal", "daily", "tribune", "gazette", "telegraph",
    "guardian", "agency", "press", "review", "monitor", "observer", "chronicle", "express",
    "standard", "mail", "star", "sun", "mirror", "independent", "economist", "insider", "today",
    "wire", "online", "magazine", "weekly", "ilbo", "shimbun", "zeitung", "courier", "inquirer",
    "examiner", "record", "dispatch", "bulletin", "globe", "sentinel", "register", "network",
))

# Words that make a byline name an organisation ("By Reuters staff", "By Xinhua News Agency").
_DESK_WORDS = frozenset(("staff", "reporter", "reporters", "writer", "writers", "correspondent",
                         "correspondents", "desk", "newsroom", "team", "editors", "editorial"))
_ORG_WORDS = frozenset(("news", "agency", "press", "wire", "service", "services", "media",
                        "newswire", "group"))

# Navigation, share and feedback widgets: a line that is only one of these is clutter.
# Compared after _norm (lower case, letters and digits only).
WIDGETS = frozenset("""
go to contents go to navigation|go to contents|go to navigation|skip to content|skip to main content
skip navigation|link copied|copy link|copy url|copy|from|send to|share|share this|share this article
share this story|share on facebook|share on twitter|tweet|email|e mail|mail|print|save|home|home top
top|back to top|go to top|keywords|tags|topics|send feedback|feedback|how can we improve
thanks for your feedback|advertisement|advertising|ad|sponsored|sponsored content|subscribe
subscribe now|sign up|sign in|log in|login|register|newsletter|comments|comment|view comments
show comments|read more|read full story|more|related|related articles|related stories|related news
related content|recommended|most read|most viewed|most popular|trending|listen|listen to this article
font size|text size|a a|aa|facebook|twitter|linkedin|whatsapp|kakaotalk|kakao story|naver|band
reddit|telegram|pinterest|photo|photos|video|videos|gallery|menu|search|close|next|previous|prev
end|reuter|reuters|all news|latest news|top news|top stories|breaking news|you may also like
more stories|more on this story|more from|see also|also read|follow us|jump to|continue reading
""".replace("\n", "|").split("|")) - {""}

# A line that starts the page's tail: what follows is links and widgets, not article.
TAIL_MARKERS = frozenset((
    "end", "read more", "related", "related articles", "related stories", "related news",
    "related content", "recommended", "most read", "most viewed", "most popular", "keywords",
    "tags", "comments", "you may also like", "more stories", "more on this story", "more from",
    "see also", "also read", "reuter", "reuters", "follow us",
))

_SMALL_WORDS = frozenset(("of", "the", "and", "&", "de", "du", "la", "le", "el", "di", "del",
                          "des", "der", "für", "for", "on", "in", "at", "a", "y", "et", "und"))
_NAME_PARTICLES = frozenset(("de", "da", "del", "der", "den", "van", "von", "bin", "al", "la",
                             "le", "di", "du", "dos", "das", "ter", "ten", "el", "ibn", "y"))
# A wrapped paragraph's first line ends on one of these; a headline rarely does.
_CONNECTORS = frozenset(("of", "the", "a", "an", "and", "or", "to", "in", "on", "for", "with",
                         "by", "at", "from", "as", "that", "which", "its", "their", "his", "her",
                         "but", "than", "into", "over"))
_NOT_CITIES = frozenset(("note", "editor's note", "editors note", "update", "updated", "breaking",
                         "watch", "read", "photo", "video", "exclusive", "analysis", "opinion",
                         "correction", "advisory", "urgent", "flash", "alert", "live", "warning",
                         "q", "a", "faq", "ps", "nb", "tl;dr"))

# ---------------------------------------------------------------------------
# Dates: the header patterns, in the order they are tried.

_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
           "sep": 9, "oct": 10, "nov": 11, "dec": 12}
_MONTH = (r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_TIME = r"(?P<h>\d{1,2})[:.](?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d))?(?:\.\d+)?\s*(?P<ampm>[ap]\.?\s?m\b\.?)?"
# Unambiguous zone names only; "IST" and the like stay naive rather than guessed.
_ZONES = {"utc": 0, "gmt": 0, "z": 0, "kst": 9, "jst": 9, "hkt": 8, "sgt": 8, "est": -5,
          "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
          "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3, "msk": 3, "aest": 10, "aedt": 11}
_ZONE = (r"(?P<tz>(?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?\d\d)?|[+-]\d\d:?\d\d|Z\b|"
         + "|".join(sorted((z.upper() for z in _ZONES if z != "z"), key=len, reverse=True))
         + r")\b")
_TIME_AFTER = rf"(?:\s*(?:-|–|—|,|\||at|@)?\s*{_TIME}(?:\s*\(?{_ZONE}\)?)?)?"

DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 2020-05-06, 2020-05-06T15:40:00+09:00, 2020-01-17 17:04
    ("iso", re.compile(rf"\b{_YEAR}-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
                       rf"(?:[T ]{_TIME}(?:\s*{_ZONE})?)?")),
    # 2020.01.17 17:04, 2020/01/17
    ("ymd", re.compile(rf"\b{_YEAR}(?P<sep>[./])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)\b\.?"
                       rf"(?:\s+{_TIME}(?:\s*{_ZONE})?)?")),
    # 09:00 January 24, 2020 (time first, as on some wire pages)
    ("time month d, yyyy", re.compile(rf"\b{_TIME}\s+{_MONTH}\s+(?P<d>[0-3]?\d),?\s+{_YEAR}\b")),
    # March 3, 2021 - 10:05 / Feb. 9, 2021 / Sept. 3, 2020, 9:15 a.m. EDT
    ("month d, yyyy", re.compile(rf"\b{_MONTH}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+{_YEAR}\b"
                                 + _TIME_AFTER)),
    # 3 March 2021 10:05 BST
    ("d month yyyy", re.compile(rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b"
                                + _TIME_AFTER)),
)

_LABEL = re.compile(
    r"(?P<label>(?:first\s+)?published|posted|released|created|date|dated|issued|"
    r"(?:last\s+)?updated|(?:last\s+)?modified|edited|revised)\s*(?:on|at)?\s*[:：]?",
    re.IGNORECASE)
_UPDATE_LABELS = ("updated", "modified", "edited", "revised")

# Datelines, the place (and often the day) that opens a wire or newsroom story:
#   "GENEVA, Jan. 9 (Wirename) --"        "WASHINGTON, Jan 14 (Reuters) -"
#   "HAMBURG, 3 June 2024 —"              "SPRINGFIELD, Ohio, May 2, 1988 -"
#   "Seoul, Jan. 15 (Yonhap) --"          "NEW YORK, June 3, 2024 /PRNewswire/ --"
#   "June 3, 2024 /PRNewswire/ --"        "MOSCOW, June 3. /TASS/."
#   "TOKYO (Bloomberg) --", "OSLO --"     (a place only: no date)
# A place in capitals stands on its own; one in title case ("Seoul") only before a day
# or an agency, where a headline or a sentence cannot be.


def _unnamed(pattern: str) -> str:
    """The pattern without its group names, to use it twice in one expression."""
    return re.sub(r"\?P<\w+>", "?:", pattern)


_DATELINE_MONTH = _MONTH.replace("?P<mon>", "?P<mon2>")
_DATELINE_DAY = (rf"(?P<date>(?:{_MONTH}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
                 rf"|(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+{_DATELINE_MONTH})(?:,?\s+{_YEAR})?\.?)")
_DATELINE_AGENCY = r"(?:\((?P<agency>[A-Za-z][\w&.\- ]{0,30})\)|/(?P<wire>[A-Za-z][\w&.\- ]{0,30})/)"
_DATELINE_END = r"\s*(?:--|—|–|-|:|(?<=[/)])\s*\.)\s+(?=\S)"
_DATELINE = re.compile(
    r"(?:(?P<city>[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+){0,3})"
    rf"|(?P<tcity>[A-Z][a-z'’\-]+(?:\s+[A-Z][a-z'’\-]+){{0,2}})"
    rf"(?=,\s*{_unnamed(_DATELINE_DAY)}|\s*{_unnamed(_DATELINE_AGENCY)}))"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z'’.\-]+(?:\s+[A-Z][A-Za-z'’.\-]+){0,2}))?"
    rf"(?:,\s*{_DATELINE_DAY})?"
    rf"\s*{_DATELINE_AGENCY}?"
    + _DATELINE_END)
# The day first and no place: a press release's "June 3, 2024 /PRNewswire/ --".
_DATELINE_NO_PLACE = re.compile(rf"{_DATELINE_DAY}\s*{_DATELINE_AGENCY}" + _DATELINE_END)
# A year in a page's address: ".../2020/01/14/...", ".../20200114-...".
_URL_YEAR = re.compile(r"(?<![\d])((?:19|20)\d\d)(?:/[01]?\d/|[01]\d[0-3]\d(?!\d)|-[01]\d-)")

# ---------------------------------------------------------------------------
# Line shapes

_EDGE_CHARS = "".join(chr(i) for i in range(0x3001) if chr(i).isspace()) + "\ufeff\u200b\u200c\u200d\u2060"
_LINE = re.compile(r"[^\r\n]+")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_IMAGE_MD = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_CREDIT_GROUP = r"[(\[][^()\[\]\n]{1,40}[)\]]"
_CREDIT_ONLY = re.compile(rf"^(?:{_CREDIT_GROUP}\s*)+$")
_CREDITS_AT_END = re.compile(
    rf"(?<=[.!?\"”’)\]])(?P<credits>(?:\s*(?:{_CREDIT_GROUP}|/\s*(?:Courtesy\b|Photo\b|"
    rf"[A-Z][\w\-]+(?:\s+(?:Photo|Images))?\b)[^|()\n]{{0,60}}|\|))+)\s*$")
_CREDIT_LINE = re.compile(
    r"^(?:(?:photo|image|picture|photograph|graphic|video|illustration)s?\s*(?:by|credit|courtesy)?"
    r"\s*[:：/]|courtesy of\b|(?:[\w\- ]{0,30}\s)?via getty images$|getty images$|©|copyright\b|"
    r"all rights reserved)", re.IGNORECASE)
_WIRE_CREDITS = re.compile(
    r"^\(?\s*(?:reporting|writing|editing|additional reporting|compiled|translated|"
    r"produced|graphics?)\s+by\b.*\)?$", re.IGNORECASE)
_REPORTING_BY = re.compile(r"^\(?\s*(?:reporting|writing)\s+by\s+(?P<names>[^;)]+)", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:[Bb]y|BY)\s+(?P<rest>\S.*)$")
_BY_IN_LINE = re.compile(r"(?:^|[\s|,;–—-])(?:By|BY)\s+(?P<rest>[A-Z]\S*(?:\s+\S+){0,8})\s*$")
_SENTENCE_END = re.compile(r"[.…]['\"”’)\]]*$")
_QUESTION_END = re.compile(r"[!?]['\"”’)\]]*$")
_ABBREV_END = re.compile(r"(?:\b(?:[A-Z]\.){2,}|\b(?:Inc|Co|Corp|Ltd|Jr|Sr|St|Bros|Mr|Mrs|Ms|Dr)\.)$")
_YEAR_ANY = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", s.casefold()).split())


def _repeat_key(s: str) -> str:
    return " ".join(s.casefold().split())


def _words(s: str) -> list[str]:
    return s.split()


@dataclass
class _Line:
    start: int            # offsets of the line without surrounding blanks
    end: int
    text: str
    blank_before: bool    # a blank line (or the start of text) separates it from the line above
    kind: str = "body"    # body, clutter, title, outlet, date, byline, caption
    keep_end: int = -1    # end of the part kept in the body (credits trimmed off)


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    prev_end = 0
    for m in _LINE.finditer(text):
        raw = m.group()
        lead = len(raw) - len(raw.lstrip(_EDGE_CHARS))
        stripped = raw[lead:].rstrip(_EDGE_CHARS)
        if not stripped:
            continue
        start = m.start() + lead
        gap = text[prev_end:start]
        blank_before = not out or gap.count("\n") + gap.count("\r") - gap.count("\r\n") >= 2
        out.append(_Line(start, start + len(stripped), stripped, blank_before))
        out[-1].keep_end = out[-1].end
        prev_end = start + len(stripped)
    return out


# ---------------------------------------------------------------------------
# Dates


@dataclass(frozen=True)
class _DateHit:
    when: dt.datetime
    start: int
    end: int
    label: str  # "published", "updated" or "" (no label)


def _zone(tz: str | None) -> dt.tzinfo | None:
    if not tz:
        return None
    t = tz.strip()
    if t.casefold() in _ZONES:
        return dt.timezone(dt.timedelta(hours=_ZONES[t.casefold()]))
    m = re.fullmatch(r"(?:UTC|GMT)?\s*([+-])\s*(\d{1,2}):?(\d\d)?", t, re.IGNORECASE)
    if not m:
        return None
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if hours > 14 or minutes > 59:
        return None
    sign = -1 if m.group(1) == "-" else 1
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _datetime_from(m: re.Match[str]) -> dt.datetime | None:
    g = m.groupdict()
    try:
        month = _MONTHS[g["mon"][:3].casefold()] if g.get("mon") else int(g["m"])
        when = dt.datetime(int(g["y"]), month, int(g["d"]))
        if g.get("h") is not None:
            hour = int(g["h"])
            ampm = (g.get("ampm") or "").casefold()
            if ampm.startswith("p") and hour < 12:
                hour += 12
            elif ampm.startswith("a") and hour == 12:
                hour = 0
            when = when.replace(hour=hour, minute=int(g["mi"]), second=int(g.get("s") or 0))
            tz = _zone(g.get("tz"))
            if tz is not None:
                when = when.replace(tzinfo=tz)
    except (ValueError, KeyError, TypeError):
        return None
    return when


def _dates_in(line: str) -> list[_DateHit]:
    hits: list[_DateHit] = []
    for _, pattern in DATE_PATTERNS:
        for m in pattern.finditer(line):
            if any(m.start() < h.end and h.start < m.end() for h in hits):
                continue
            when = _datetime_from(m)
            if when is None:
                continue
            label = ""
            labels = list(_LABEL.finditer(line[:m.start()]))
            if labels:
                name = labels[-1].group("label").casefold()
                label = "updated" if any(w in name for w in _UPDATE_LABELS) else "published"
            hits.append(_DateHit(when, m.start(), m.end(), label))
    return sorted(hits, key=lambda h: h.start)


def _dateparser_hit(line: str) -> _DateHit | None:
    """For a labelled header line the table does not cover ("Published: 6 mai 2020")."""
    label = _LABEL.match(line)
    if not label:
        return None
    value = line[label.end():].strip(" :|-–—")
    if not value or len(value) > 60:
        return None
    try:
        import dateparser
        # Absolute dates only: a relative "2 hours ago" would be read against today.
        when = dateparser.parse(value, settings={
            "PARSERS": ["custom-formats", "absolute-time"], "STRICT_PARSING": True,
            "REQUIRE_PARTS": ["day", "month", "year"]})
    except Exception:  # a parse failure here only means "no date found"
        return None
    if when is None:
        return None
    kind = "updated" if any(w in label.group("label").casefold() for w in _UPDATE_LABELS) else "published"
    return _DateHit(when, label.end(), len(line), kind)


def _byline_part(line: str) -> re.Match[str] | None:
    return _BY_IN_LINE.search(line)


def _date_line(line: str) -> list[_DateHit]:
    """The dates of a line that is a date line (a timestamp with little else), else []."""
    if len(line) > 160:
        return []  # a paragraph, not a timestamp line
    hits = _dates_in(line)
    if not hits:
        hit = _dateparser_hit(line)
        return [hit] if hit else []
    rest = line
    by = _byline_part(line)
    if by and by.start() >= hits[-1].end:
        rest = rest[:by.start()]
    for h in reversed(hits):
        rest = rest[:h.start] + " " + rest[h.end:]
    rest = _LABEL.sub(" ", rest)
    rest = re.sub(r"(?i)\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b\.?|\b(?:KST|GMT|UTC)\b", " ", rest)
    if len(re.findall(r"[^\W\d_]{2,}", rest)) > 4:
        return []
    return hits


def _byline_in_date_line(line: str, hits: list[_DateHit]) -> _Byline | None:
    """"June 2, 2019 - 08:15 By Wirename" or "By Jane Doe | Published : March 3, 2021"."""
    after = _byline_part(line)
    if after and after.start() >= hits[-1].end - 1:
        return _parse_byline(after.group("rest"))
    before = _BYLINE.match(line[:hits[0].start])
    if before:
        rest = _LABEL.sub(" ", before.group("rest"))
        return _parse_byline(rest.strip(" |,;-–—"))
    return None


def find_published(text: str) -> dt.datetime | None:
    """The publication time given in the header of `text`, or None (never guessed)."""
    return read_header(text).published


# ---------------------------------------------------------------------------
# Names: outlets and bylines


def _title_case_name(s: str) -> bool:
    words = _words(s)
    if not 1 <= len(words) <= 6 or len(s) > 50 or re.search(r"[\d.!?:;,\"“”()|/]", s.replace(".com", "")):
        return False
    if not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w.casefold() in _SMALL_WORDS or not w[:1].isalpha() for w in words)


def _is_known_outlet(s: str) -> bool:
    return s.casefold().strip() in KNOWN_OUTLETS


def _looks_like_outlet(s: str) -> bool:
    if _is_known_outlet(s):
        return True
    words = _words(s)
    return _title_case_name(s) and words[-1].casefold().strip(".") in OUTLET_WORDS


def _person_name(s: str) -> str | None:
    s = s.strip(" .,;")
    tokens = s.split()
    if not 2 <= len(tokens) <= 5:
        return None
    for i, t in enumerate(tokens):
        if t.casefold() in _NAME_PARTICLES and 0 < i < len(tokens) - 1:
            continue
        if not re.fullmatch(r"[^\W\d_][\w'’.\-]*", t) or not t[0].isupper():
            return None
        if t.casefold() in _DESK_WORDS or t.casefold() in _ORG_WORDS:
            return None
    if s.isupper():  # "By JOHN SMITH"
        s = " ".join(t.capitalize() if t.casefold() not in _NAME_PARTICLES else t.lower() for t in tokens)
    return s


def _organisation(s: str) -> str | None:
    """The outlet named in a byline part ("Xinhua", "Reuters staff"), or None."""
    words = [w for w in s.strip(" .,;").split() if w.casefold() not in _DESK_WORDS]
    name = " ".join(words)
    if not name or not name[0].isupper() or re.search(r"[\d!?:;]", name):
        return None
    if _is_known_outlet(name) or len(words) == 1:
        return name
    if len(words) < len(s.split()) or any(w.casefold() in _ORG_WORDS | OUTLET_WORDS for w in words):
        return name if _title_case_name(name) else None
    return None


@dataclass(frozen=True)
class _Byline:
    authors: tuple[str, ...]
    outlet: str | None


def _parse_byline(rest: str) -> _Byline | None:
    rest = re.sub(r"\s*[(\[].*$", "", rest)   # "Jane Doe (" or "(jane@example.com)"
    rest = _EMAIL.sub(" ", rest).strip(" ,;|-–—")
    if not rest or len(rest.split()) > 12 or _SENTENCE_END.search(rest) and not _ABBREV_END.search(rest):
        return None
    authors: list[str] = []
    outlet: str | None = None
    for part in re.split(r"\s*(?:,|\band\b|&|\||/|\s-\s|–|—)\s*", rest):
        if not part:
            continue
        person = _person_name(part)
        if person:
            authors.append(person)
            continue
        org = _organisation(part)
        if org and outlet is None:
            outlet = org
            continue
        if part.casefold().split()[0] in _DESK_WORDS or part.casefold() in _DESK_WORDS:
            continue
        if not authors and outlet is None:
            return None  # "By the end of the talks": a sentence, not a byline
    if not authors and outlet is None:
        return None
    return _Byline(tuple(authors), outlet)


def _byline(line: str) -> _Byline | None:
    m = _BYLINE.match(line)
    return _parse_byline(m.group("rest")) if m else None


# ---------------------------------------------------------------------------
# Clutter


def _widget(line: str) -> bool:
    if len(line) > 60:
        return False
    n = _norm(line)
    return n in WIDGETS or (not n and not re.search(r"\w", line))


def _clutter(line: str) -> bool:
    """Clutter wherever it stands: widgets, credits, e-mail lines, breadcrumbs, hashtags."""
    if _widget(line):
        return True
    without_images = _IMAGE_MD.sub("", line)
    if without_images != line and not re.sub(r"[\s|]+", "", without_images):
        return True
    if _CREDIT_ONLY.match(line) and all(len(g.split()) <= 6 for g in re.findall(r"[(\[]([^)\]]*)[)\]]", line)):
        return True
    if _WIRE_CREDITS.match(line) or (_CREDIT_LINE.match(line) and len(line.split()) <= 14):
        return True
    if len(line) > 400:
        return False  # a paragraph: none of the shapes below is this long
    if len(line.split()) <= 10 and _EMAIL.search(line):
        return True
    parts = re.split(r"\s+(?:>|»|›|\|)\s+", line)
    if len(parts) >= 3 and all(len(p.split()) <= 4 for p in parts):
        return True
    tokens = line.split()
    return bool(tokens) and all(t.startswith("#") for t in tokens)


def _trim_credits(line: _Line) -> None:
    """Cut a trailing photo credit or agency sign-off ("... ministry. (Wirename)") from the kept part."""
    tail_start = max(0, len(line.text) - 300)  # credits are short; spare long paragraphs the search
    m = _CREDITS_AT_END.search(line.text, tail_start)
    if not m:
        return
    groups = re.findall(r"[(\[]([^)\]]*)[)\]]", m.group("credits"))
    if any(len(g.split()) > 6 or re.search(r"[.!?]\s", g) for g in groups):
        return
    keep = line.text[:m.start("credits")].rstrip()
    if keep:
        line.keep_end = line.start + len(keep)


def _is_caption(line: str) -> bool:
    if len(line) > 600:
        return False
    return bool(re.search(r"\s\|$|\(PHOTO NOT FOR SALE\)|\bin this (?:file )?photo\b|/\s*Courtesy of\b"
                          r"|\((?:AP|AFP|Reuters|EPA|Getty)[^)]*Photo[^)]*\)", line, re.IGNORECASE))


def _prose(text: str) -> bool:
    words = _words(text)
    if len(words) >= 30:
        return True
    tail = text[-40:]
    if _SENTENCE_END.search(tail):
        return not (_ABBREV_END.search(tail.rstrip("'\"”’)]")) and len(words) <= 20)
    return bool(_QUESTION_END.search(tail)) and len(words) >= 15


@dataclass(frozen=True)
class Dateline:
    """What a dateline says: its place, its agency, and the day when it gives one."""

    place: str | None
    agency: str | None
    month: int | None = None
    day: int | None = None
    year: int | None = None

    @property
    def dated(self) -> bool:
        return self.month is not None and self.day is not None


def _dateline(text: str) -> Dateline | None:
    m = _DATELINE.match(text)
    if m is not None:
        city = (m.group("city") or m.group("tcity")).strip()
        if city.casefold().strip(" .") in _NOT_CITIES or len(city.replace(" ", "").replace(".", "")) < 2:
            return None
        region = m.group("region")
        place = f"{city}, {region}" if region else city
    else:
        m = _DATELINE_NO_PLACE.match(text)
        if m is None:
            return None
        place = None
    agency = (m.group("agency") or m.group("wire") or "").strip() or None
    if not m.group("date"):
        return Dateline(place, agency)
    month = m.group("mon") or m.group("mon2")
    return Dateline(place, agency, _MONTHS[month[:3].casefold()], int(m.group("d") or m.group("d2")),
                    int(m.group("y")) if m.group("y") else None)


def dateline_length(text: str) -> int:
    """How many characters of `text` are its opening dateline, with the dash and the space
    after it ("OSLO, March 4 (Northwire) -- "); 0 when it opens with none."""
    m = _DATELINE.match(text) or _DATELINE_NO_PLACE.match(text)
    return m.end() if m is not None and _dateline(text) is not None else 0


def _headline_like(line: _Line, following: _Line | None) -> bool:
    words = _words(line.text)
    if not words or len(words) > 30 or _prose(line.text) or not re.search(r"[^\W\d_]{2}", line.text):
        return False
    last = words[-1].casefold().strip("'\"”’")
    if line.text[-1] in ",;-–—" or last in _CONNECTORS:
        return False  # the first line of a wrapped paragraph
    if following is not None and not following.blank_before and following.text[:1].islower():
        return False
    return True


def _same_title(line: str, title: str) -> bool:
    a, b = _norm(line), _norm(title)
    if not a or not b:
        return False
    if a == b:
        return True
    # Pasted and given headlines differ by a quote mark or a dash at most; short ones must match.
    return (len(a.split()) >= 5 and len(a) >= 25
            and difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.9)


def _same_name(line: str, name: str) -> bool:
    return " ".join(line.casefold().split()) == " ".join(name.casefold().split())


# ---------------------------------------------------------------------------
# The header


@dataclass
class HeaderFacts:
    """What the header of a text says, and where the article proper begins."""

    title: str | None = None
    source: str | None = None
    authors: tuple[str, ...] = ()
    published: dt.datetime | None = None
    updated: dt.datetime | None = None
    dateline: str | None = None
    dateline_day: tuple[int, int] | None = None  # (month, day) when the dateline gives one
    published_from: str | None = None  # how the publication time was found
    body_start: int = 0
    lines: list[_Line] = field(default_factory=list, repr=False)


def _in_header(index: int, line: _Line, first_start: int) -> bool:
    return index < HEADER_MAX_LINES and line.start - first_start < HEADER_MAX_CHARS


def read_header(text: str, *, title: str | None = None, source: str | None = None,
                url: str | None = None) -> HeaderFacts:
    """Classify the lines of `text` and read title, outlet, byline and dates from its header.

    `title` and `source`, when the input gave them, are used to recognise those lines
    and are never replaced by what the text says. `url` may give the year of a
    dateline that has only a day and a month.
    """
    lines = _lines(text)
    facts = HeaderFacts(lines=lines)
    if not lines:
        facts.body_start = len(text)
        return facts
    dates: list[_DateHit] = []
    header_years: set[int] = set()
    found_title: str | None = None
    outlet_seen = False
    first = lines[0].start
    body_index = len(lines)

    def candidates_after(i: int) -> Iterator[int]:
        for j in range(i + 1, len(lines)):
            nxt = lines[j]
            if not _in_header(j, nxt, first):
                return
            if _clutter(nxt.text) or _is_caption(nxt.text) or _byline(nxt.text) or _date_line(nxt.text):
                continue
            yield j

    standfirst: int | None = None  # a deck under the headline: body, but the header goes on
    for i, line in enumerate(lines):
        if not _in_header(i, line, first):
            body_index = i if standfirst is None else standfirst
            break
        t = line.text
        following = lines[i + 1] if i + 1 < len(lines) else None
        if _clutter(t):
            line.kind = "clutter"
            if not _widget(t):
                header_years.update(int(y) for y in _YEAR_ANY.findall(t))
            continue
        hits = _date_line(t)
        if hits:
            line.kind = "date"
            dates.extend(hits)
            header_years.update(h.when.year for h in hits)
            parsed = _byline_in_date_line(t, hits)
            if parsed:
                facts.authors = facts.authors or parsed.authors
                facts.source = facts.source or parsed.outlet
            continue
        parsed = _byline(t)
        if parsed:
            line.kind = "byline"
            facts.authors = facts.authors or parsed.authors
            facts.source = facts.source or parsed.outlet
            continue
        if _is_caption(t) and not _dateline(t):
            line.kind = "caption"
            continue
        if source is not None and found_title is None and not outlet_seen and _same_name(t, source):
            line.kind = "outlet"
            outlet_seen = True
            continue
        if title is not None and found_title is None and _same_title(t, title):
            line.kind = "title"
            found_title = t
            continue
        if _dateline(t) or _prose(t):
            body_index = i if standfirst is None else standfirst
            break
        if found_title is None and facts.source is None and _title_case_name(t):
            j = next(candidates_after(i), None)
            another_headline = j is not None and (
                _headline_like(lines[j], lines[j + 1] if j + 1 < len(lines) else None)
                or (title is not None and _same_title(lines[j].text, title)))
            if _looks_like_outlet(t) or another_headline:
                line.kind = "outlet"
                outlet_seen = True
                facts.source = t
                continue
        # With a given title this is the page's own wording of the headline: still not body.
        if found_title is None and _headline_like(line, following):
            line.kind = "title"
            found_title = t
            continue
        if (standfirst is None and found_title is not None and line.blank_before
                and (following is None or following.blank_before)):
            standfirst = i
            continue
        body_index = i if standfirst is None else standfirst
        break
    else:
        if standfirst is not None:
            body_index = standfirst

    facts.title = found_title
    published = [h for h in dates if h.label != "updated"]
    updated = [h for h in dates if h.label == "updated"]
    if published:
        facts.published = published[0].when
        facts.published_from = "header"
    if updated:
        facts.updated = updated[0].when
    if body_index < len(lines):
        facts.body_start = lines[body_index].start
        line = _dateline(lines[body_index].text)
        if line is not None:
            facts.dateline = line.place
            if line.agency and facts.source is None and _organisation(line.agency):
                facts.source = _organisation(line.agency)
            if line.dated:
                facts.dateline_day = (line.month, line.day)  # type: ignore[assignment]
                if facts.published is None:
                    _date_from_dateline(facts, line, header_years, url)
    else:
        facts.body_start = len(text)
    if facts.published is None and facts.updated is not None:
        facts.published = facts.updated  # the only time the page gives; later than publication
        facts.published_from = "header (updated)"
    return facts


def _date_from_dateline(facts: HeaderFacts, line: Dateline, header_years: set[int],
                        url: str | None) -> None:
    """The publication day from a dateline. A day and month without a year take the year
    the page states elsewhere: the one year of its header ("© 1988 ..."), else the year in
    its address (".../2020/01/14/..."). With neither, the year is not guessed: the article
    stays undated and `dateline_day` keeps the day and month for the corpus to place."""
    year, source = line.year, "dateline"
    if year is None and len(header_years) == 1:
        year, source = next(iter(header_years)), "dateline; year from the header"
    if year is None and url:
        years = set(_URL_YEAR.findall(url))
        if len(years) == 1:
            year, source = int(years.pop()), "dateline; year from the address"
    if year is None:
        return
    try:
        facts.published = dt.datetime(year, line.month, line.day)  # type: ignore[arg-type]
    except ValueError:
        return  # "Feb. 30": no such day
    facts.published_from = source


def header_end(text: str) -> int:
    """Offset in `text` where the article proper begins (after headline, byline, date, widgets)."""
    return read_header(text).body_start


# ---------------------------------------------------------------------------
# The body


def _mark_body(facts: HeaderFacts, source: str | None) -> None:
    lines = facts.lines
    start_index = next((i for i, ln in enumerate(lines) if ln.start >= facts.body_start), len(lines))
    seen: set[str] = set()
    for ln in lines[:start_index]:
        if ln.kind in ("title", "caption"):
            seen.add(_repeat_key(ln.text if ln.kind == "title" else _kept(ln)))
    # prose_after[i]: how many prose lines follow line i (decides whether a tail marker ends the article)
    prose_after = [0] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        prose_after[i] = prose_after[i + 1] + (1 if i + 1 < len(lines) and _prose(lines[i + 1].text) else 0)
    for i in range(start_index, len(lines)):
        ln = lines[i]
        t = ln.text
        n = _norm(t) if len(t) <= 60 else ""
        previous = lines[i - 1] if i > 0 else None
        if (previous is not None and not ln.blank_before and previous.kind == "body"
                and not _SENTENCE_END.search(previous.text[-20:])
                and not _QUESTION_END.search(previous.text[-20:])
                and not (len(t) < 200 and _EMAIL.search(t))):
            continue  # the rest of a hard-wrapped sentence ("... 80 dlrs a / share."), whatever it says
        credit = _REPORTING_BY.match(t)
        if credit and not facts.authors:
            parsed = _parse_byline(credit.group("names"))
            if parsed and parsed.authors:
                facts.authors = parsed.authors
        if n in TAIL_MARKERS and i > start_index:
            if prose_after[i] <= 2:
                for x in lines[i:]:
                    x.kind = "clutter"
                break
        if _clutter(t) or (source and _same_name(t, source)):
            ln.kind = "clutter"
        elif _date_line(t) and (_LABEL.match(t) or len(t.split()) <= 8):
            ln.kind = "date"
        elif len(t.split()) <= 10 and _byline(t):
            ln.kind = "byline"
    for ln in lines:
        if ln.kind in ("body", "caption"):
            _trim_credits(ln)
            key = _repeat_key(_kept(ln))
            if ln.start >= facts.body_start and len(key.split()) >= 5:
                if key in seen:
                    ln.kind = "clutter"  # a caption or paragraph pasted twice
                    continue
                seen.add(key)


def _kept(line: _Line) -> str:
    return line.text[:line.keep_end - line.start]


def _body_ranges(text: str, lines: list[_Line]) -> tuple[tuple[int, int], ...]:
    ranges: list[list[int]] = []
    open_run = False
    for ln in lines:
        if ln.kind in ("body", "caption") and ln.keep_end > ln.start:
            if open_run and ranges:
                ranges[-1][1] = ln.keep_end
            else:
                ranges.append([ln.start, ln.keep_end])
            # A trimmed credit ends the run so the credit stays outside the body.
            open_run = ln.keep_end == ln.end
        else:
            open_run = False
    if not ranges:
        return ((0, 0),) if text.strip() else ()
    return tuple((s, e) for s, e in ranges)


def clean(article: Article) -> Article:
    """Fill title, source, author and published from the text where the input did not give
    them, and set `body` to the ranges of `text` that are the article proper."""
    text = article.text or ""
    facts = read_header(text, title=article.title, source=article.source, url=article.url)
    source = article.source or facts.source
    _mark_body(facts, source)
    title = article.title or (facts.title.strip() if facts.title else None)
    metadata = dict(article.metadata)
    if facts.dateline and "dateline" not in metadata:
        metadata["dateline"] = facts.dateline
    if facts.updated is not None and "updated" not in metadata:
        metadata["updated"] = facts.updated.isoformat()
    if article.published is None and facts.published is not None and facts.published_from:
        metadata.setdefault("published_from", facts.published_from)
    if facts.published is None and article.published is None and facts.dateline_day:
        # "WASHINGTON, Jan 14 (Reuters) -" with no year anywhere: the day without its year.
        month, day = facts.dateline_day
        metadata.setdefault("dateline_day", f"--{month:02d}-{day:02d}")
    return replace(
        article,
        title=title,
        source=source,
        author=article.author or (" and ".join(facts.authors) if facts.authors else None),
        published=article.published or facts.published,
        body=_body_ranges(text, facts.lines),
        metadata=metadata,
    )
