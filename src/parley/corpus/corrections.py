"""Corrections: what a person fixed in the extractor's events, kept in the store.

Every correction is one row of the store's `corrections` table (docs/STORE.md),
appended, never overwritten: when it was made, what changed and the values it
replaced. A correction is tied to the article's text and the event's evidence
span, not to a row id, so it survives re-ingest and re-extraction:

    edit      change type, actor, target, amount, date or status of one event
    reject    a false event: left out of every view and export
    restore   undo a rejection
    add       a missed event, anchored on a span of the article (its sentence)
    merge     two party codes are one party ("verdi" into "verdi-union")
    unmerge   undo a merge

Events are named by a stable id (`event_key`): a digest of the article id, the
extracted type and the first evidence span (offsets and quote). The same
article extracted again gives the same ids; a correction whose id no longer
matches (another extractor typed the event differently) still finds its event
by the evidence span when one event alone sits there.

`apply_corrections` is pure (events in, corrected events out); the store calls
it on every read. The operations (`edit_event`, `reject_event`, `add_event`,
`merge_parties`, `split_party`...) check and record one correction each; the
web app (`parley serve`), `parley correct` and notebooks call the same ones.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from parley.analysis.amounts import parse_amount
from parley.analysis.exchange import to_usd
from parley.errors import ConfigurationError, StoreError
from parley.records import EVENT_TYPES, PERIODS, STATUSES, Amount, DateSpan, Event, Evidence

if TYPE_CHECKING:  # the store calls apply_corrections: only its type is needed here
    from parley.corpus.store import Store

KINDS = ("edit", "reject", "restore", "add", "merge", "unmerge")
EDITABLE = ("type", "actor", "target", "amount", "date", "status")
_CODE = re.compile(r"^(?:[A-Z]{3}|EU|[a-z0-9]+(?:-[a-z0-9]+)*)$")


@dataclass(frozen=True)
class Correction:
    """One correction as stored: `changes` holds the new values, `previous` those replaced."""

    id: int
    kind: str
    event: str | None  # the stable id of the event corrected (or added)
    article: str | None
    start: int | None  # the evidence span the correction is tied to
    end: int | None
    quote: str | None
    original_type: str | None
    changes: dict[str, Any] = field(default_factory=dict)
    previous: dict[str, Any] = field(default_factory=dict)
    made: str = ""
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def event_key(article: str, type: str, evidence: Evidence | None, seq: int = 0) -> str:
    """The stable id of an event: article, extracted type and first evidence span."""
    anchor = f"{evidence.start}:{evidence.end}:{evidence.text}" if evidence else f"seq:{seq}"
    digest = hashlib.sha256(f"{article}\x1f{type}\x1f{anchor}".encode("utf-8")).hexdigest()
    return "e" + digest[:11]


def keyed(events: Iterable[Event]) -> list[tuple[str, Event]]:
    """Each event of one article with its stable id; two events on one span and type get -2, -3."""
    seen: dict[str, int] = {}
    out = []
    for seq, event in enumerate(events):
        key = event_key(event.article, event.type, event.evidence[0] if event.evidence else None, seq)
        seen[key] = seen.get(key, 0) + 1
        out.append((key if seen[key] == 1 else f"{key}-{seen[key]}", event))
    return out


def _span(event: Event) -> tuple[str, int, int, str] | None:
    if not event.evidence:
        return None
    first = event.evidence[0]
    return (event.article, first.start, first.end, first.text)


@dataclass
class _State:
    key: str
    event: Event
    corrected: bool = False
    rejected: bool = False
    added: int | None = None  # the correction id of an added event


def apply_corrections(events: Iterable[tuple[str, Event]], corrections: Sequence[Correction],
                      anchored: Any = None) -> list[tuple[str, Event, int | None]]:
    """The events as corrected, in their order, added events after their article's.

    Returns (stable id, event, added-by correction id or None). A corrected event
    carries `"id"` and `"corrected": true` in its extra fields, a rejected one
    `"rejected": true` (the caller leaves it out of views). `anchored(article,
    start, end, quote)` says whether an added event's span is still in its
    article's text (the article may have changed or gone); None accepts all.
    """
    states: list[_State] = []
    by_key: dict[str, _State] = {}
    by_span: dict[tuple[str, int, int, str], list[_State]] = {}
    for key, event in events:
        state = _State(key, dataclasses.replace(event, extra={**event.extra, "id": key, "corrected": False}))
        states.append(state)
        by_key[key] = state
        span = _span(event)
        if span is not None:
            by_span.setdefault(span, []).append(state)
    aliases: dict[str, str] = {}
    for c in sorted(corrections, key=lambda c: c.id):
        if c.kind == "merge":
            aliases[c.changes["party"]] = c.changes["into"]
            continue
        if c.kind == "unmerge":
            aliases.pop(c.changes["party"], None)
            continue
        if c.kind == "add":
            if c.article is None or c.start is None or c.end is None or c.quote is None:
                continue
            if anchored is not None and not anchored(c.article, c.start, c.end, c.quote):
                continue
            event = event_from_changes(c.article, c.changes, Evidence(c.quote, c.start, c.end))
            state = _State(c.event or f"a{c.id}", dataclasses.replace(
                event, extra={"id": c.event, "corrected": True, "added": True}), corrected=True, added=c.id)
            states.append(state)
            by_key[state.key] = state
            continue
        state = by_key.get(c.event or "")
        if state is None and c.article is not None and c.start is not None and c.quote is not None:
            # The id changed (another extractor typed the event differently): the span decides
            # when one event alone sits on it.
            at = by_span.get((c.article, c.start, c.end if c.end is not None else -1, c.quote), [])
            state = at[0] if len(at) == 1 else None
        if state is None:
            continue
        if c.kind == "reject":
            state.rejected, state.corrected = True, True
        elif c.kind == "restore":
            state.rejected = False
        elif c.kind == "edit":
            state.event = _edited(state.event, c.changes)
            state.corrected = True
    out = []
    for state in states:
        event = state.event
        merged = {role: _resolve(getattr(event, role), aliases) for role in ("actor", "target")}
        if merged["actor"] != event.actor or merged["target"] != event.target:
            event = dataclasses.replace(event, **merged)
            state.corrected = True
        extra = {**event.extra, "id": state.key, "corrected": state.corrected}
        if state.rejected:
            extra["rejected"] = True
        out.append((state.key, dataclasses.replace(event, extra=extra), state.added))
    return out


def _resolve(code: str | None, aliases: dict[str, str]) -> str | None:
    seen: set[str] = set()
    while code in aliases and code not in seen:
        seen.add(code)
        code = aliases[code]
    return code


def _edited(event: Event, changes: dict[str, Any]) -> Event:
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "amount":
            values["amount"] = Amount.from_dict(value) if value else None
        elif name == "date":
            values["date"] = DateSpan.from_dict(value) if value else None
        elif name in EDITABLE:
            values[name] = value
    return dataclasses.replace(event, **values)


def event_from_changes(article: str, changes: dict[str, Any], evidence: Evidence) -> Event:
    return Event(article=article, type=changes.get("type") or "statement", actor=changes.get("actor"),
                 target=changes.get("target"), people=tuple(changes.get("people") or ()),
                 amount=Amount.from_dict(changes.get("amount")),
                 date=DateSpan.from_dict(changes.get("date")), status=changes.get("status") or "asserted",
                 evidence=(evidence,))


def field_values(event: Event, names: Iterable[str]) -> dict[str, Any]:
    """The JSON form of some of an event's fields (what a correction stores as previous)."""
    values: dict[str, Any] = {}
    for name in names:
        if name == "amount":
            values[name] = event.amount.as_dict() if event.amount else None
        elif name == "date":
            values[name] = event.date.as_dict() if event.date and event.date.resolved else None
        else:
            values[name] = getattr(event, name)
    return values


# -- reading what a person typed --------------------------------------------

_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "m": 1e6, "mn": 1e6,
           "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}
_PERIOD_WORDS = {"year": "year", "yearly": "year", "annual": "year", "a year": "year", "per year": "year",
                 "month": "month", "monthly": "month", "a month": "month", "per month": "month",
                 "week": "week", "day": "day", "once": "once", "share": "share", "a share": "share",
                 "per share": "share"}
_TYPED_AMOUNT = re.compile(
    r"^\s*(?P<value>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<scale>[A-Za-z]+)?\s+(?P<currency>[A-Za-z]{3})"
    r"(?:\s*(?:/|per|a)?\s*(?P<period>[A-Za-z]+))?\s*$")


def read_amount(text: str, day: dt.date | None = None) -> Amount | None:
    """An amount as typed: "1.3 billion USD year", "870 million USD", "$5bn a year", or "" for none.

    The form VALUE [SCALE] CURRENCY [PERIOD] is read exactly; anything else goes to the
    amounts stage's reader. The US dollar value is at the ECB rate of `day`.
    """
    if not text.strip() or text.strip().lower() in ("none", "null", "-"):
        return None
    m = _TYPED_AMOUNT.match(text)
    amount: Amount | None = None
    if m and (m.group("scale") is None or m.group("scale").lower() in _SCALES):
        period = m.group("period")
        if period is not None and period.lower() not in _PERIOD_WORDS:
            raise ConfigurationError(f"unknown period {period!r} in amount {text!r}; "
                                     f"use one of {', '.join(PERIODS)}")
        value = float(m.group("value").replace(",", "")) * _SCALES.get((m.group("scale") or "").lower(), 1.0)
        amount = Amount(value=value, currency=m.group("currency").upper(),
                        period=_PERIOD_WORDS[period.lower()] if period else None, text=text.strip())
    else:
        amount = parse_amount(text, day)
        if amount is None:
            raise ConfigurationError(f"cannot read an amount in {text!r}; write it as "
                                     "VALUE [million|billion] CURRENCY [year|month|once|share], "
                                     "e.g. \"1.3 billion USD year\"")
        amount = dataclasses.replace(amount, start=-1, end=-1)
    if amount.value is not None and amount.currency:
        usd, used = to_usd(amount.value, amount.currency, day)
        amount = dataclasses.replace(amount, usd=usd, usd_rate_date=used)
    return amount


def read_date(text: str) -> DateSpan | None:
    """A date as typed: "2020-08-20", or a span "2020-08-01..2020-08-31"; "" for none."""
    if not text.strip() or text.strip().lower() in ("none", "null", "-"):
        return None
    start, _, end = text.strip().partition("..")
    try:
        first = dt.date.fromisoformat(start.strip())
        last = dt.date.fromisoformat(end.strip()) if end.strip() else first
    except ValueError as exc:
        raise ConfigurationError(f"cannot read the date {text!r}: write YYYY-MM-DD or "
                                 "YYYY-MM-DD..YYYY-MM-DD") from exc
    if last < first:
        raise ConfigurationError(f"the date span {text!r} ends before it starts")
    return DateSpan(first, last, text.strip())


def check_party(code: str | None, what: str) -> str | None:
    if code is None or code.strip() == "" or code.strip().lower() in ("none", "null", "-"):
        return None
    code = code.strip()
    if not _CODE.match(code):
        raise ConfigurationError(f"{what} {code!r} is not a party code: a state as ISO alpha-3 "
                                 "(USA, KOR), EU, or a lowercase-hyphenated slug (ig-metall)")
    return code


def _check_choice(value: str, choices: Sequence[str], what: str) -> str:
    if value not in choices:
        raise ConfigurationError(f"unknown {what} {value!r}; choose one of {', '.join(choices)}")
    return value


# -- operations ---------------------------------------------------------------

def find_event(store: Store, key: str, current: Event | None = None) -> Event:
    """The event with this stable id as the store shows it now (rejected ones too).

    `current` is that event as the caller already has it (the web app's views of this
    state of the store): reading every event of a large store again is then not needed."""
    if current is not None and current.extra.get("id") == key:
        return current
    for stored in store.events(rejected=True):
        if stored.key == key and stored.copy_of is None:
            return stored.event
    raise StoreError(f"no event {key!r} in {store.path}; the ids are in `parley export` "
                     "(field \"id\") and on the event pages of `parley serve`")


def edit_event(store: Store, key: str, *, type: str | None = None, actor: str | None = None,
               target: str | None = None, amount: str | Amount | None = None,
               date: str | DateSpan | None = None, status: str | None = None,
               unset: Iterable[str] = (), note: str | None = None, current: Event | None = None) -> Correction:
    """Change some fields of one event; the values replaced are kept with the correction.

    Strings are read as a person types them (`read_amount`, `read_date`); a field in
    `unset` ("target", "amount", "date") is cleared."""
    event = find_event(store, key, current)
    changes: dict[str, Any] = {}
    if type is not None:
        changes["type"] = _check_choice(type, EVENT_TYPES, "type")
    if status is not None:
        changes["status"] = _check_choice(status, STATUSES, "status")
    if actor is not None:
        changes["actor"] = check_party(actor, "actor")
    if target is not None:
        changes["target"] = check_party(target, "target")
    day = _day_of(store, event)
    if amount is not None:
        value = read_amount(amount, day) if isinstance(amount, str) else amount
        changes["amount"] = value.as_dict() if value else None
    if date is not None:
        span = read_date(date) if isinstance(date, str) else date
        changes["date"] = span.as_dict() if span else None
    for name in unset:
        changes[_check_choice(name, ("actor", "target", "amount", "date"), "field to clear")] = None
    changes = {k: v for k, v in changes.items() if field_values(event, [k])[k] != v}
    if not changes:
        raise ConfigurationError(f"nothing to change in {key}: give a new --type, --actor, --target, "
                                 "--amount, --date or --status")
    return store.record_correction("edit", key, event, changes, field_values(event, changes), note)


def reject_event(store: Store, key: str, note: str | None = None, current: Event | None = None) -> Correction:
    """A false event: left out of every view and export from now on (the record is kept)."""
    event = find_event(store, key, current)
    if event.extra.get("rejected"):
        raise ConfigurationError(f"{key} is already rejected")
    return store.record_correction("reject", key, event, {"rejected": True}, {"rejected": False}, note)


def restore_event(store: Store, key: str, note: str | None = None, current: Event | None = None) -> Correction:
    event = find_event(store, key, current)
    if not event.extra.get("rejected"):
        raise ConfigurationError(f"{key} is not rejected")
    return store.record_correction("restore", key, event, {"rejected": False}, {"rejected": True}, note)


def add_event(store: Store, article: str, start: int, end: int, *, type: str, actor: str | None = None,
              target: str | None = None, amount: str | Amount | None = None,
              date: str | DateSpan | None = None, status: str = "asserted",
              quote: str | None = None, note: str | None = None) -> Correction:
    """A missed event, anchored on article text [start, end) (its sentence).

    When `quote` is given (the text a person selected in a page) and the offsets do
    not hold it, the nearest place of the article that does is taken."""
    stored = store.article(article)
    text = stored.text
    if quote is not None and text[start:end] != quote:
        found = [m.start() for m in re.finditer(re.escape(quote), text)] if quote else []
        if not found:
            raise ConfigurationError(f"the selected text is not in article {article!r}")
        start = min(found, key=lambda s: abs(s - start))
        end = start + len(quote)
    if not 0 <= start < end <= len(text):
        raise ConfigurationError(f"the span {start}-{end} is not inside article {article!r} "
                                 f"({len(text)} characters)")
    # The sentence, not its surrounding blanks.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    day = stored.published_day
    span = read_date(date) if isinstance(date, str) else date
    value = read_amount(amount, (span.start if span else None) or day) if isinstance(amount, str) else amount
    changes: dict[str, Any] = {
        "type": _check_choice(type, EVENT_TYPES, "type"), "actor": check_party(actor, "actor"),
        "target": check_party(target, "target"), "amount": value.as_dict() if value else None,
        "date": span.as_dict() if span else None, "status": _check_choice(status, STATUSES, "status")}
    evidence = Evidence(text[start:end], start, end)
    key = event_key(article, "added:" + changes["type"], evidence)
    event = event_from_changes(article, changes, evidence)
    return store.record_correction("add", key, event, changes, {}, note)


def merge_parties(store: Store, party: str, into: str, note: str | None = None) -> Correction:
    """Two codes are one party: every `party` becomes `into` in every view and export."""
    party, into = check_party(party, "party"), check_party(into, "party")
    if party is None or into is None or party == into:
        raise ConfigurationError("merge needs two different party codes")
    return store.record_party_correction("merge", {"party": party, "into": into}, note)


def unmerge_party(store: Store, party: str, note: str | None = None) -> Correction:
    """Undo a merge: `party` is its own party again."""
    code = check_party(party, "party")
    merged = {c.changes["party"] for c in store.corrections() if c.kind == "merge"} - \
             {c.changes["party"] for c in store.corrections() if c.kind == "unmerge"}
    if code not in merged:
        raise ConfigurationError(f"{party!r} was not merged into another party")
    return store.record_party_correction("unmerge", {"party": code}, note)


def split_party(store: Store, party: str, new_party: str, keys: Iterable[str],
                note: str | None = None) -> list[Correction]:
    """One code wrongly given to two parties: in the events named, `party` becomes `new_party`."""
    party, new_party = check_party(party, "party"), check_party(new_party, "party")
    if party is None or new_party is None or party == new_party:
        raise ConfigurationError("split needs the party code and a different new code")
    made = []
    for key in keys:
        event = find_event(store, key)
        changes = {role: new_party for role in ("actor", "target") if getattr(event, role) == party}
        if not changes:
            raise ConfigurationError(f"{party!r} is neither actor nor target of {key}")
        made.append(store.record_correction("edit", key, event, changes, field_values(event, changes),
                                            note or f"split {party} -> {new_party}"))
    return made


def history(store: Store, key: str | None = None) -> list[Correction]:
    """Every correction, or those of one event, oldest first."""
    return [c for c in store.corrections() if key is None or c.event == key]


def _day_of(store: Store, event: Event) -> dt.date | None:
    if event.date is not None and event.date.start is not None:
        return event.date.start
    try:
        return store.article(event.article).published_day
    except StoreError:
        return None


def gold_records(store: Store) -> list[dict[str, Any]]:
    """The corrected and added events in the gold format of ../shared/ANNOTATION.md.

    One object per event: article, type, actor, target, people, amount (value,
    currency, period, change), date (start, end) or null, status, optional
    false, evidence (the quotes), a note saying what was corrected, and the id."""
    corrections = store.corrections()
    made = {c.event: c for c in corrections if c.event}
    kinds_of: dict[str, set[str]] = {}
    for c in corrections:
        if c.event:
            kinds_of.setdefault(c.event, set()).add(c.kind)
    out = []
    for stored in store.events():
        event = stored.event
        if not event.extra.get("corrected") or stored.copy_of is not None:
            continue
        amount = event.amount
        kinds = sorted(kinds_of.get(stored.key, ()))
        out.append({
            "article": event.article, "type": event.type, "actor": event.actor, "target": event.target,
            "people": list(event.people),
            "amount": None if amount is None else {
                "value": amount.value, "currency": amount.currency, "period": amount.period,
                "change": amount.change.as_dict() if amount.change else None},
            "date": ({"start": event.date.start.isoformat(), "end": event.date.end.isoformat()}
                     if event.date and event.date.start and event.date.end else None),
            "status": event.status, "optional": False,
            "evidence": [e.text for e in event.evidence],
            "note": "parley correction: " + (", ".join(kinds) or "party merge")
                    + (f" ({made[stored.key].note})" if stored.key in made and made[stored.key].note else ""),
            "id": stored.key,
        })
    return out


def to_json(values: dict[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, default=str)
