"""The learned extractor ("learned.v1"): classifiers over the sentences of an article.

Stages, for one article:

1. language: the same parse, cast of parties and rule reading as `rules.v1`
   (the rules are one source of features, not the answer);
2. units (features.py): one per sentence, with its candidate parties;
3. event types: one logistic regression per type says whether the sentence
   reports an event of that type (threshold per type, chosen on held-out folds
   of the training data);
4. roles: a ranker scores each candidate party as the actor (and another as
   the target) of that event;
5. terms: amount, date and status from the rules' reading of the sentence when
   they found the same event there, else from parley's amount and date readers
   over the sentence;
6. merging: mentions of one event in one article become one event (one party, or
   both sides of a meeting, agreement or expiry), and weaker sentences about a chosen
   event join it as further evidence.

The weights are plain arrays (`weights/learned-v1.npz`, no pickle) inside the
package, written by `make train`; nothing is downloaded at run time.
"""
from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import numpy as np

from parley.analysis import amounts as amounts_stage
from parley.analysis import dates as dates_stage
from parley.analysis.actors import build_cast
from parley.analysis.language import load_model
from parley.errors import ModelError
from parley.extract.learned.features import TYPES, Unit, analyse, party_features, sentences
from parley.extract.merging import amounts_compatible, evidence_overlaps
from parley.extract.pieces import PIECE_CHARS, parsed, piece_of, pieces, shifted
from parley.extract.registry import ExtractorBase
from parley.extract.rules.extractor import extract_from_doc
from parley.extract.text import for_parser, parse_text, quote
from parley.records import Article, DateSpan, Event, Evidence

if TYPE_CHECKING:
    from spacy.tokens import Doc

WEIGHTS_FILE = "learned-v1.npz"
MONEY_TYPES = {"offer", "demand", "reject", "accept", "agree"}
SYMMETRIC = {"meet", "agree", "expire"}
ACTORLESS = {"impact"}  # the scorer does not ask who


class LinearScorer:
    """Logistic regressions over named features (one row of weights per output),
    kept as plain arrays so that the shipped weights need no pickle and no
    particular scikit-learn version to load."""

    def __init__(self, features: list[str], coef: np.ndarray, intercept: np.ndarray,
                 outputs: list[str]) -> None:
        self.features = list(features)
        self.index = {f: i for i, f in enumerate(self.features)}
        self.coef = np.asarray(coef, dtype=np.float64).reshape(len(outputs), len(self.features))
        self.intercept = np.asarray(intercept, dtype=np.float64).reshape(len(outputs))
        self.outputs = list(outputs)

    @classmethod
    def from_sklearn(cls, vectorizer: Any, models: dict[str, Any]) -> LinearScorer:
        names = list(vectorizer.get_feature_names_out())
        outputs = list(models)
        coef = np.vstack([models[o].coef_.ravel() for o in outputs])
        intercept = np.array([float(models[o].intercept_[0]) for o in outputs])
        return cls(names, coef, intercept, outputs)

    def proba(self, rows: list[dict[str, float]]) -> np.ndarray:
        """P(output) for each row: an array of shape (rows, outputs)."""
        z = np.tile(self.intercept, (len(rows), 1))
        for i, row in enumerate(rows):
            pairs = [(self.index[k], v) for k, v in row.items() if k in self.index]
            if pairs:
                idx, vals = zip(*pairs)
                z[i] += self.coef[:, list(idx)] @ np.asarray(vals, dtype=np.float64)
        return 1.0 / (1.0 + np.exp(-z))


@dataclass
class Weights:
    """Everything `make train` learns."""

    version: str
    sentences: LinearScorer     # outputs: event types
    parties: LinearScorer       # outputs: "actor", "target"
    thresholds: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path, sentence_features=np.array(self.sentences.features), sentence_coef=self.sentences.coef,
            sentence_intercept=self.sentences.intercept, sentence_outputs=np.array(self.sentences.outputs),
            party_features=np.array(self.parties.features), party_coef=self.parties.coef,
            party_intercept=self.parties.intercept, party_outputs=np.array(self.parties.outputs),
            header=np.array(json.dumps({"version": self.version, "thresholds": self.thresholds, "meta": self.meta})))

    @classmethod
    def load(cls, path: Path | Any) -> Weights:
        with np.load(path, allow_pickle=False) as z:
            header = json.loads(str(z["header"]))
            sentences = LinearScorer(z["sentence_features"].tolist(), z["sentence_coef"], z["sentence_intercept"],
                                     z["sentence_outputs"].tolist())
            parties = LinearScorer(z["party_features"].tolist(), z["party_coef"], z["party_intercept"],
                                   z["party_outputs"].tolist())
        return cls(header["version"], sentences, parties, header["thresholds"], header.get("meta", {}))


@functools.lru_cache(maxsize=1)
def load_weights() -> Weights:
    ref = resources.files("parley.extract.learned").joinpath("weights", WEIGHTS_FILE)
    if not ref.is_file():
        raise ModelError(f"the learned extractor has no weights ({WEIGHTS_FILE}): run `make train`")
    with resources.as_file(ref) as path:
        try:
            return Weights.load(path)
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"the learned extractor's weights failed to load: {exc}") from exc


def read_units(doc: Doc, article: Article, text: str) -> tuple[list[Unit], list[Event]]:
    """Stages 1-2: the units of a parsed article and the rules' events."""
    doc.user_data["parley_text"] = text
    cast = build_cast(doc, article)
    rule_events = extract_from_doc(doc, article, text, cast)
    published = article.published_day
    sents = sentences(doc)
    sent_amounts = [amounts_stage.find_amounts(text, published, start=s.start_char, end=s.end_char) for s in sents]
    sent_dates = [dates_stage.find_dates(text, published, start=s.start_char, end=s.end_char, window=True)
                  for s in sents]
    return analyse(doc, article, cast, rule_events, sent_amounts, sent_dates), rule_events


def _in_unit(e: Event, unit: Unit) -> Event:
    """A rule event as a mention of this sentence only (merging joins mentions again)."""
    return dataclasses.replace(e, evidence=tuple(x for x in e.evidence if unit.start <= x.start < unit.end))


def _sentence_evidence(article: Article, unit: Unit) -> Evidence:
    return quote(article, unit.start, unit.end)


def _amount(unit: Unit, kind: str):  # type: ignore[no-untyped-def]
    if kind not in MONEY_TYPES:
        return None
    for a in unit.amounts:
        if a.value is not None or a.change is not None:
            return a
    return None


def _date(unit: Unit) -> DateSpan | None:
    money = [(a.start, a.end) for a in unit.amounts]
    for d in unit.dates:
        if d.resolved and not any(lo <= d.char_start < hi for lo, hi in money):
            return d
    return None


def _status(unit: Unit, kind: str) -> str:
    f = unit.features
    if f.get(f"will:{kind}"):
        return "planned"
    if f.get("reported"):
        return "reported"
    return "asserted"


def type_scores(weights: Weights, units: list[Unit]) -> list[dict[str, float]]:
    if not units:
        return []
    p = weights.sentences.proba([u.features for u in units])
    kinds = weights.sentences.outputs
    return [{kind: float(p[i, j]) for j, kind in enumerate(kinds)} for i in range(len(units))]


def _rank(weights: Weights, role: str, unit: Unit, kind: str, exclude: str | None = None) -> list[tuple[float, str]]:
    """The candidate parties of a sentence as the `role` ("actor" or "target") of an event, best first."""
    parties = [p for p in unit.parties if p.code != exclude]
    if not parties:
        return []
    column = weights.parties.outputs.index(role)
    scores = weights.parties.proba([party_features(p, kind) for p in parties])[:, column]
    return sorted(((float(s), p.code) for s, p in zip(scores, parties)), reverse=True)


@dataclass
class Proposal:
    """The mentions a sentence would give for one event type, and how sure the model is."""

    unit: int
    kind: str
    score: float
    mentions: list[Event]
    actor_score: float = 1.0
    actors: list[tuple[float, str]] = field(default_factory=list)  # every candidate actor, best first


def propose(weights: Weights, article: Article, units: list[Unit], floor: float = 0.02) -> list[Proposal]:
    """Stages 3-5: every (sentence, type) scoring at least `floor`, with its mentions."""
    out: list[Proposal] = []
    for unit, scores in zip(units, type_scores(weights, units)):
        for kind in TYPES:
            if scores.get(kind, 0.0) < floor:
                continue
            actors = _rank(weights, "actor", unit, kind)
            mentions = _mentions(weights, article, unit, kind, scores[kind], actors)
            out.append(Proposal(unit.index, kind, scores[kind], mentions, actors[0][0] if actors else 0.0, actors))
    return out


def _mentions(weights: Weights, article: Article, unit: Unit, kind: str, score: float,
              actors: list[tuple[float, str]]) -> list[Event]:
    actor = actors[0][1] if actors else None
    ruled = [e for e in unit.rule_events if e.type == kind]
    if len(ruled) > 1:
        # Several events of one type in one sentence (two bids): the rules split them.
        return [_in_unit(dataclasses.replace(e, actor=e.actor or actor), unit) for e in ruled]
    targets = _rank(weights, "target", unit, kind, exclude=actor)
    target = targets[0][1] if targets else None
    if ruled:
        e = ruled[0]
        return [_in_unit(dataclasses.replace(
            e, actor=actor or e.actor, target=e.target if e.target and e.target != actor else target), unit)]
    return [Event(article=article.id, type=kind, actor=actor, target=target,
                  amount=_amount(unit, kind), date=_date(unit), status=_status(unit, kind),
                  evidence=(_sentence_evidence(article, unit),),
                  extra={"confidence": round(score, 3)})]


def select(proposals: list[Proposal], thresholds: dict[str, float], units: list[Unit],
           published, scale: float = 1.0, support: float | None = None) -> list[Event]:  # type: ignore[no-untyped-def]
    """Stage 6: the proposals above their type's threshold whose actor is sure enough
    (`thresholds["actor"]`), mentions merged into events. Then every other sentence that
    scores at least `support` times the threshold for a type joins, as one more mention
    (evidence only: it neither makes an event of its own nor changes the event's terms),
    the event of that type whose party it most likely has as actor: its best actor, else
    the best-scoring of its candidates. The spec's evidence is every mention of the event."""
    floor = thresholds.get("actor", 0.0)
    support = thresholds.get("support", 1.0) if support is None else support
    chosen: list[Event] = []
    extra: list[tuple[Event, dict[str, float]]] = []
    for p in proposals:
        cut = min(thresholds.get(p.kind, 0.5) * scale, 0.95)
        if p.score >= cut and (p.actor_score >= floor or p.kind in ACTORLESS):
            chosen.extend(p.mentions)
        elif p.score >= cut * support:
            candidates = {code: score for score, code in p.actors}
            extra.extend((m, candidates) for m in p.mentions)
    events = merge_by_party(chosen)
    if not extra:
        return events
    evidence = [list(e.evidence) for e in events]
    for m, candidates in extra:
        # The event of this type whose party the sentence most likely has as its actor.
        fits = [(candidates.get(e.actor or "", 0.0) if e.actor != m.actor else 2.0, i)
                for i, e in enumerate(events) if e.type == m.type and
                (e.actor == m.actor or e.actor in candidates or _party_key(m) == _party_key(e))]
        if not fits:
            continue
        i = max(fits)[1]
        for x in m.evidence:
            if not any(evidence_overlaps(x, y) for y in evidence[i]):
                evidence[i].append(x)
    # The chosen mentions first (the first of them anchors the event's stable id, which a
    # weaker mention must not move), then the further ones in text order.
    return [e if len(ev) == len(e.evidence) else
            dataclasses.replace(e, evidence=e.evidence + tuple(sorted(ev[len(e.evidence):], key=lambda x: x.start)))
            for e, ev in zip(events, evidence)]


def merge_by_party(mentions: list[Event]) -> list[Event]:
    """One event per real-world event per article: the mentions of one type by one party
    are one event, unless their figures (or round numbers) say they are different ones.

    Mentions that state a figure form one event per compatible figure; mentions
    without one join the first of them (the event the article is about). Looser
    than the rules' merging (merging.py), because a classifier's mentions are whole
    sentences whose targets and days vary more than the event does.
    """
    groups: dict[tuple, list[Event]] = {}
    for m in mentions:
        groups.setdefault(_party_key(m), []).append(m)
    out: list[Event] = []
    for group in _join_symmetric(groups):
        clusters: list[list[Event]] = []
        bare: list[Event] = []
        for m in group:
            if not ((m.amount is not None and m.amount.value is not None) or m.round is not None):
                bare.append(m)
                continue
            for cluster in clusters:
                if all(amounts_compatible(m.amount, x.amount) for x in cluster) and \
                        all(m.round == x.round for x in cluster if x.round is not None and m.round is not None):
                    cluster.append(m)
                    break
            else:
                clusters.append([m])
        if clusters:
            clusters[0].extend(bare)
        else:
            clusters = [bare]
        out.extend(_one_event(c) for c in clusters)
    return sorted(out, key=lambda e: (e.evidence[0].start if e.evidence else 0, e.type))


def _party_key(m: Event) -> tuple:
    """Who an event is of: its actor; for a meeting, an agreement or an expiry, both
    sides, whichever is named first ("talks between A and B", "B's talks with A")."""
    if m.type in SYMMETRIC:
        return (m.type, frozenset(p for p in (m.actor, m.target) if p))
    return (m.type, m.actor)


def _join_symmetric(groups: dict[tuple, list[Event]]) -> list[list[Event]]:
    """A meeting of one named side joins the one meeting of that side with another
    ("the talks" after "talks between A and B"); with two or more such, it stays apart."""
    out = dict(groups)
    for key in list(groups):
        kind, who = key
        if kind not in SYMMETRIC or len(who) != 1:
            continue  # (a symmetric type's key holds a frozenset of its sides: _party_key)
        wider = [k for k in groups if k[0] == kind and who < k[1]]
        if len(wider) == 1:
            out[wider[0]] = out[wider[0]] + out.pop(key)
    return list(out.values())


def _one_event(mentions: list[Event]) -> Event:
    mentions = sorted(mentions, key=lambda m: m.evidence[0].start if m.evidence else 0)
    targets = [m.target for m in mentions if m.target]
    evidence: list[Evidence] = []
    for m in mentions:
        for e in m.evidence:
            if not any(evidence_overlaps(e, x) for x in evidence):
                evidence.append(e)
    return dataclasses.replace(
        mentions[0],
        target=max(targets, key=targets.count) if targets else None,
        amount=next((m.amount for m in mentions if m.amount is not None), None),
        date=next((m.date for m in mentions if m.date is not None and m.date.resolved), None),
        round=next((m.round for m in mentions if m.round is not None), None),
        evidence=tuple(sorted(evidence, key=lambda e: e.start)))


def decode(weights: Weights, article: Article, units: list[Unit]) -> list[Event]:
    """Stages 3-6 over an article's units."""
    # Nothing under the lowest type threshold can be selected: not proposing it saves the ranking.
    floor = min((v for k, v in weights.thresholds.items() if k in TYPES), default=0.02) * \
        weights.thresholds.get("support", 1.0)
    return select(propose(weights, article, units, floor), weights.thresholds, units, article.published_day)


class LearnedExtractor(ExtractorBase):
    """Logistic-regression classifiers over sentences and parties, trained on annotated news."""

    name = "learned.v1"

    def __init__(self, weights: Weights | None = None) -> None:
        self.nlp = load_model()
        self.weights = weights or load_weights()

    def extract(self, article: Article) -> list[Event]:
        text = parse_text(article)
        if len(text) > PIECE_CHARS:
            return self._extract_in_pieces(article, text)
        units, _ = read_units(self.nlp(for_parser(text)), article, text)
        return decode(self.weights, article, units)

    def extract_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterable[list[Event]]:
        for article, text, doc in parsed(self.nlp, articles, batch_size):
            if doc is None:
                yield self._extract_in_pieces(article, text)
                continue
            units, _ = read_units(doc, article, text)
            yield decode(self.weights, article, units)

    def _extract_in_pieces(self, article: Article, text: str) -> list[Event]:
        """An article too long to parse at once: each piece alone (memory bounded by the
        piece), events back at the article's offsets, one event per party and figure."""
        events: list[Event] = []
        for start, end in pieces(text):
            piece = piece_of(article, start, end)
            units, _ = read_units(self.nlp(for_parser(text[start:end])), piece, text[start:end])
            events.extend(shifted(e, start) for e in decode(self.weights, piece, units))
        return merge_by_party(events)
