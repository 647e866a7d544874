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
6. merging (merging.py): mentions of one event in one article become one event.

The weights are a joblib file inside the package (`weights/`), written by
`make train`; nothing is downloaded at run time.
"""
from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any, Iterable

from parley import amounts as amounts_stage
from parley import dates as dates_stage
from parley.actors import build_cast
from parley.errors import ModelError
from parley.events import extract_from_doc, for_parser, parse_text
from parley.extractors import register
from parley.language import load_model
from parley.learned.features import TYPES, Unit, analyse, party_features, sentences
from parley.merging import merge_mentions
from parley.records import Article, DateSpan, Event, Evidence

if TYPE_CHECKING:
    from spacy.tokens import Doc

WEIGHTS_FILE = "learned-v1.joblib"
MONEY_TYPES = {"offer", "demand", "reject", "accept", "agree"}
SYMMETRIC = {"meet", "agree", "expire"}


@dataclass
class Weights:
    """Everything `make train` learns; pickled with joblib."""

    version: str
    sentence_vectorizer: Any
    type_models: dict[str, Any]
    thresholds: dict[str, float]
    party_vectorizer: Any
    actor_model: Any
    target_model: Any
    meta: dict[str, Any] = field(default_factory=dict)


@functools.lru_cache(maxsize=1)
def load_weights() -> Weights:
    try:
        import joblib
    except ImportError as exc:  # pragma: no cover - scikit-learn brings joblib
        raise ModelError("joblib is not installed: run `make setup` (pip install -e .)") from exc
    ref = resources.files("parley.learned").joinpath("weights", WEIGHTS_FILE)
    if not ref.is_file():
        raise ModelError(f"the learned extractor has no weights ({WEIGHTS_FILE}): run `make train`")
    with resources.as_file(ref) as path:
        try:
            return joblib.load(path)
        except Exception as exc:
            raise ModelError(f"the learned extractor's weights failed to load: {exc}") from exc


def read_units(doc: Doc, article: Article, text: str) -> tuple[list[Unit], list[Event]]:
    """Stages 1-2: the units of a parsed article and the rules' events."""
    doc.user_data["parley_text"] = text
    cast = build_cast(doc, article)
    rule_events = extract_from_doc(doc, article, text, cast)
    published = article.published_day
    sents = sentences(doc)
    sent_amounts = [amounts_stage.find_amounts(text, published, start=s.start_char, end=s.end_char) for s in sents]
    sent_dates = [dates_stage.find_dates(text, published, start=s.start_char, end=s.end_char) for s in sents]
    return analyse(doc, article, cast, rule_events, sent_amounts, sent_dates), rule_events


def _in_unit(e: Event, unit: Unit) -> Event:
    """A rule event as a mention of this sentence only (merging joins mentions again)."""
    return dataclasses.replace(e, evidence=tuple(x for x in e.evidence if unit.start <= x.start < unit.end))


def _sentence_evidence(article: Article, unit: Unit) -> Evidence:
    raw = article.text[unit.start:unit.end]
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip()
    return Evidence(text, unit.start + lead, unit.start + lead + len(text))


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
    X = weights.sentence_vectorizer.transform([u.features for u in units])
    columns = {kind: weights.type_models[kind].predict_proba(X)[:, 1] for kind in weights.type_models}
    return [{kind: float(columns[kind][i]) for kind in columns} for i in range(len(units))]


def _rank(weights: Weights, model: Any, unit: Unit, kind: str, exclude: str | None = None) -> list[tuple[float, str]]:
    parties = [p for p in unit.parties if p.code != exclude]
    if not parties:
        return []
    X = weights.party_vectorizer.transform([party_features(p, kind) for p in parties])
    scores = model.predict_proba(X)[:, 1]
    return sorted(((float(s), p.code) for s, p in zip(scores, parties)), reverse=True)


@dataclass
class Proposal:
    """The mentions a sentence would give for one event type, and how sure the model is."""

    unit: int
    kind: str
    score: float
    mentions: list[Event]


def propose(weights: Weights, article: Article, units: list[Unit], floor: float = 0.02) -> list[Proposal]:
    """Stages 3-5: every (sentence, type) scoring at least `floor`, with its mentions."""
    out: list[Proposal] = []
    for unit, scores in zip(units, type_scores(weights, units)):
        for kind in TYPES:
            if scores.get(kind, 0.0) < floor:
                continue
            out.append(Proposal(unit.index, kind, scores[kind], _mentions(weights, article, unit, kind, scores[kind])))
    return out


def _mentions(weights: Weights, article: Article, unit: Unit, kind: str, score: float) -> list[Event]:
    actors = _rank(weights, weights.actor_model, unit, kind)
    actor = actors[0][1] if actors else None
    ruled = [e for e in unit.rule_events if e.type == kind]
    if len(ruled) > 1:
        # Several events of one type in one sentence (two bids): the rules split them.
        return [_in_unit(dataclasses.replace(e, actor=e.actor or actor), unit) for e in ruled]
    targets = _rank(weights, weights.target_model, unit, kind, exclude=actor)
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
           published, scale: float = 1.0) -> list[Event]:  # type: ignore[no-untyped-def]
    """Stage 6: the proposals above their type's threshold, mentions merged into events."""
    mentions = [m for p in proposals if p.score >= min(thresholds.get(p.kind, 0.5) * scale, 0.95)
                for m in p.mentions]
    return merge_mentions(mentions, [u.start for u in units], published)


def decode(weights: Weights, article: Article, units: list[Unit]) -> list[Event]:
    """Stages 3-6 over an article's units."""
    return select(propose(weights, article, units), weights.thresholds, units, article.published_day)


@register("learned.v1")
class LearnedExtractor:
    """Logistic-regression classifiers over sentences and parties, trained on annotated news."""

    name = "learned.v1"

    def __init__(self, weights: Weights | None = None) -> None:
        self.nlp = load_model()
        self.weights = weights or load_weights()

    def extract(self, article: Article) -> list[Event]:
        text = parse_text(article)
        units, _ = read_units(self.nlp(for_parser(text)), article, text)
        return decode(self.weights, article, units)

    def extract_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterable[list[Event]]:
        items = [(a, parse_text(a)) for a in articles]
        docs = self.nlp.pipe((for_parser(text) for _, text in items), batch_size=batch_size)
        for (article, text), doc in zip(items, docs):
            units, _ = read_units(doc, article, text)
            yield decode(self.weights, article, units)
