"""What the learned extractor sees of an article: sentences, the parties each could
be about, and the rule backend's reading, as plain feature dictionaries.

One analysed article becomes a list of `Unit`s, one per sentence. A unit holds
the sentence's features (lemmas, trigger words with their syntactic role,
negation and modality, money, the rule backend's events) and its candidate
parties, each with features of its own (syntactic role in the sentence, path to
the nearest trigger word of each event type, whether the rules chose it, how
prominent it is in the article). The classifiers in `model.py` read only these
dictionaries, so training and extraction see exactly the same thing.

Every feature is a general property of English news about negotiations: no
feature names a person, a figure or a headline of any article.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from parley.analysis.actors import Cast
from parley.analysis.gazetteer import is_state_code
from parley.records import Amount, Article, DateSpan, Event

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

TYPES = ("offer", "demand", "reject", "accept", "agree", "meet",
         "statement", "appoint", "expire", "impact")

# Words that can carry an event of each type: a general resource of negotiation
# news, used to locate the trigger a party relates to (the classifiers also read
# every lemma of the sentence, so the list need not be complete).
TRIGGERS: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in {
    "offer": "offer bid propose proposal tender counteroffer counterproposal raise sweeten improve "
             "pay buy acquire takeover approach pledge table submit increase valuation price",
    "demand": "demand ask seek want call insist claim urge request push press require wage "
              "ultimatum condition",
    "reject": "reject refuse turn dismiss spurn rebuff decline oppose snub veto inadequate "
              "rejection block",
    "accept": "accept approve endorse recommend back welcome ratify vote support acceptance",
    "agree": "agree deal agreement accord sign reach conclude settle settlement pact treaty "
             "merger contract truce clinch seal strike compromise",
    "meet": "talk talks meet meeting negotiate negotiation round discuss discussion summit call "
            "hold resume dialogue consultation visit",
    "statement": "say insist warn stress vow argue maintain state believe hope",
    "appoint": "appoint name lead negotiator replace resign head envoy nominate chief",
    "expire": "expire deadline lapse end run expiry",
    "impact": "strike walkout furlough layoff lay stoppage shutdown protest job idle lockout",
}.items()}

# word -> the types it can trigger, so that each token is looked up once
TRIGGER_INDEX: dict[str, tuple[str, ...]] = {}
for _kind, _words in TRIGGERS.items():
    for _word in _words:
        TRIGGER_INDEX[_word] = TRIGGER_INDEX.get(_word, ()) + (_kind,)

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
MODALS = {"would", "could", "might", "may", "should"}
REPORTED = {"reportedly", "sources", "source", "reports", "report", "understood", "rumour", "rumor"}
_WORD = re.compile(r"[a-z][a-z'-]*$")


@dataclass
class Party:
    """One party a sentence could be about, with what makes it likely."""

    code: str
    features: dict[str, float] = field(default_factory=dict)
    heads: list[int] = field(default_factory=list)  # token indices of its mentions in the sentence
    paths: dict[str, list[str]] = field(default_factory=dict)  # type -> dependency paths to its triggers


@dataclass
class Unit:
    """One sentence of an article, ready for the classifiers."""

    index: int
    start: int
    end: int
    features: dict[str, float]
    parties: list[Party]
    rule_events: list[Event]
    trigger_tokens: dict[str, list[int]]  # type -> token indices of its trigger words
    amounts: list[Amount] = field(default_factory=list)
    dates: list[DateSpan] = field(default_factory=list)


def _lemma(t: Token) -> str:
    return t.lemma_.lower()


def _mention_head(doc: Doc, start: int, end: int) -> Token:
    span = doc[start:end]
    for t in span:
        if not (span.start <= t.head.i < span.end) or t.head.i == t.i:
            return t
    return span[-1]


def _role(t: Token) -> str:
    dep = t.dep_
    if dep == "pobj":
        return f"pobj_{t.head.lower_}"
    if dep == "compound" or dep == "amod":
        return f"{dep}>{t.head.dep_}"
    if dep == "poss":
        return f"poss>{t.head.dep_}"
    return dep


def _path(a: Token, b: Token, limit: int = 4) -> str | None:
    """The dependency path from a to b through their lowest common ancestor."""
    up_a = [a]
    while up_a[-1].head.i != up_a[-1].i and len(up_a) <= limit:
        up_a.append(up_a[-1].head)
    idx_a = {t.i: n for n, t in enumerate(up_a)}
    node, steps_b = b, []
    for _ in range(limit + 1):
        if node.i in idx_a:
            n = idx_a[node.i]
            if n + len(steps_b) > limit:
                return None
            left = ">".join(t.dep_ for t in up_a[:n])
            right = "<".join(reversed(steps_b))
            return f"{left}^{right}"
        if node.head.i == node.i:
            return None
        steps_b.append(node.dep_)
        node = node.head
    return None


def _negated(t: Token) -> bool:
    if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in t.children):
        return True
    head = t.head
    return head.i != t.i and t.dep_ in ("xcomp", "dobj", "ccomp") and \
        any(c.dep_ == "neg" for c in head.children)


def _sentence_features(sent: Span, n: int, total: int, title_words: set[str],
                       rule_events: list[Event], amounts: list) -> tuple[dict[str, float], dict[str, list[int]]]:
    f: dict[str, float] = {"bias": 1.0}
    lemmas = [_lemma(t) for t in sent if not t.is_punct and not t.is_space]
    for lem in lemmas:
        if _WORD.match(lem):
            f[f"w={lem}"] = 1.0
    for a, b in zip(lemmas, lemmas[1:]):
        if _WORD.match(a) and _WORD.match(b):
            f[f"b={a}_{b}"] = 1.0
    triggers: dict[str, list[int]] = {k: [] for k in TYPES}
    for t in sent:
        lem = _lemma(t)
        kinds = TRIGGER_INDEX.get(lem, ()) + TRIGGER_INDEX.get(t.lower_, ())
        if not kinds:
            continue
        negated = _negated(t)
        aux = {c.lower_ for c in t.children if c.dep_ in ("aux", "auxpass")} | \
            ({c.lower_ for c in t.head.children if c.dep_ == "aux"} if t.dep_ in ("xcomp", "dobj") else set())
        modals = aux & MODALS
        f[f"trig:{lem}|{t.dep_}"] = 1.0
        if negated:
            f[f"neg:{lem}"] = 1.0
        for m in modals:
            f[f"modal={m}"] = 1.0
        for kind in TYPES:
            if kind not in kinds:
                continue
            triggers[kind].append(t.i)
            f[f"trig:{kind}"] = 1.0
            f[f"trig:{kind}|{t.pos_}"] = 1.0
            if negated:
                f[f"neg:{kind}"] = 1.0
            if modals:
                f[f"modal:{kind}"] = 1.0
            if "will" in aux or "'ll" in aux:
                f[f"will:{kind}"] = 1.0
            if t.tag_ in ("VBD", "VBN"):
                f[f"past:{kind}"] = 1.0
            if t.dep_ == "ROOT":
                f[f"root:{kind}"] = 1.0
    if any(t.lower_ in MODALS for t in sent):
        f["modal"] = 1.0
    if any(t.lower_ in ("if", "unless", "whether") for t in sent):
        f["conditional"] = 1.0
    if any(t.lower_ in REPORTED for t in sent):
        f["reported"] = 1.0
    if any(t.text in ('"', "“", "”", "'") for t in sent):
        f["quote"] = 1.0
    if "?" in sent.text:
        f["question"] = 1.0
    money = [a for a in amounts if a.value is not None]
    if money:
        f["money"] = 1.0
        if any(a.period == "share" for a in money):
            f["money:share"] = 1.0
        if any(a.period in ("year", "month") for a in money):
            f["money:period"] = 1.0
    if any(a.change is not None for a in amounts):
        f["change"] = 1.0
    if sent.doc.tensor is not None and sent.doc.tensor.shape[0] >= sent.end:
        # The parser's own contextual vectors, averaged: what the lemmas alone do not generalise.
        mean = sent.doc.tensor[sent.start:sent.end].mean(axis=0)
        for i, v in enumerate(mean):
            f[f"vec{i}"] = float(v)
    f[f"pos={min(n, 5)}"] = 1.0
    if n >= total - 2:
        f["pos=last"] = 1.0
    if title_words:
        shared = sum(1 for lem in set(lemmas) if lem in title_words)
        f["title_overlap"] = min(shared, 6) / 6
    words = len(lemmas)
    f[f"len={min(words // 10, 5)}"] = 1.0
    for e in rule_events:
        f[f"rule:{e.type}"] = 1.0
        f["rule:any"] = 1.0
        if e.amount is not None:
            f[f"rule:{e.type}|amount"] = 1.0
        if e.actor is None:
            f[f"rule:{e.type}|noactor"] = 1.0
    return f, triggers


def _add_party(parties: dict[str, Party], code: str | None, feature: str, head: int | None = None,
               value: float = 1.0) -> None:
    if not code:
        return
    p = parties.setdefault(code, Party(code))
    p.features[feature] = max(p.features.get(feature, 0.0), value)
    if head is not None and head not in p.heads:
        p.heads.append(head)


def _sentence_parties(sent: Span, cast: Cast, counts: Counter, title_codes: set[str],
                      previous: list[str], rule_events: list[Event]) -> list[Party]:
    doc = sent.doc
    parties: dict[str, Party] = {}
    order: list[str] = []
    for m in cast.mentions:
        if not (sent.start <= m.start < sent.end):
            continue
        code = cast.person_party(m.person) if m.kind == "person" else m.code
        head = _mention_head(doc, m.start, m.end)
        kind = m.kind if code == m.code or m.kind != "person" else "person_party"
        _add_party(parties, code, f"kind={kind}", head.i)
        _add_party(parties, code, f"role={_role(head)}")
        _add_party(parties, code, "in_sentence")
        if m.kind == "person":
            _add_party(parties, code, "via_person")
        if code not in order:
            order.append(code)
    # Pronouns and common nouns standing for a party: "it", "the company", "the union".
    for t in sent:
        if t.dep_ in SUBJECT_DEPS | {"poss", "pobj", "dobj", "agent"} and t.pos_ in ("PRON", "NOUN") \
                and cast.mention_at(t.i) is None:
            tokens = [x for x in t.subtree][:12]
            try:
                codes = cast.parties_in(tokens, before=t.i)
            except Exception:  # a resolution that fails leaves the sentence as it was
                codes = []
            for code in codes[:1]:
                _add_party(parties, code, f"ref_role={_role(t)}", t.i)
                _add_party(parties, code, f"ref={t.pos_}")
                _add_party(parties, code, "in_sentence")
                if code not in order:
                    order.append(code)
    for e in rule_events:
        _add_party(parties, e.actor, f"rule_actor:{e.type}")
        _add_party(parties, e.actor, "rule_actor")
        _add_party(parties, e.target, f"rule_target:{e.type}")
        _add_party(parties, e.target, "rule_target")
    for back, code in enumerate(previous[:4]):
        _add_party(parties, code, "previous", value=1.0 / (1 + back))
    for rank, code in enumerate(cast.principals[:3]):
        _add_party(parties, code, f"principal={rank}")
    total = sum(counts.values()) or 1
    out = []
    for code, p in parties.items():
        p.features["bias"] = 1.0
        p.features["share"] = counts.get(code, 0) / total
        p.features[f"count={min(counts.get(code, 0), 6)}"] = 1.0
        if code in title_codes:
            p.features["in_title"] = 1.0
        p.features["state" if is_state_code(code) else "org"] = 1.0
        if code in order:
            p.features[f"order={min(order.index(code), 3)}"] = 1.0
        if "-" not in code and code.islower() and len(code) <= 4:
            p.features["short_slug"] = 1.0
        out.append(p)
    return out


def party_features(party: Party, kind: str) -> dict[str, float]:
    """A party's features for one event type: its own, and the same crossed with the type."""
    f = dict(party.features)
    for k, v in party.features.items():
        f[f"{kind}|{k}"] = v
    side = "state" if "state" in party.features else "org"
    for k in party.features:
        if k.startswith(("role=", "ref_role=", "kind=")):
            f[f"{side}|{k}"] = 1.0
    for path in party.paths.get(kind, ()):
        f[f"{kind}|path={path}"] = 1.0
    f[f"{kind}|rule_actor_here"] = 1.0 if f"rule_actor:{kind}" in party.features else 0.0
    return f


def _paths(doc: Doc, party: Party, triggers: dict[str, list[int]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, idx in triggers.items():
        found = []
        for h in party.heads:
            for ti in idx:
                path = _path(doc[h], doc[ti])
                if path is not None:
                    found.append(path)
                    side = "before" if h < ti else "after"
                    found.append(side)
        if found:
            out[kind] = sorted(set(found))[:6]
    return out


def sentences(doc: Doc) -> list[Span]:
    return [s for s in doc.sents if s.text.strip()]


def analyse(doc: Doc, article: Article, cast: Cast, rule_events: list[Event],
            sentence_amounts: list[list[Amount]], sentence_dates: list[list[DateSpan]]) -> list[Unit]:
    """The units (one per sentence of `sentences(doc)`) of a parsed article."""
    sents = sentences(doc)
    counts: Counter = Counter()
    for m in cast.mentions:
        code = cast.person_party(m.person) if m.kind == "person" else m.code
        if code:
            counts[code] += 1
    title = article.title or ""
    title_words = {w.lower() for w in re.findall(r"[A-Za-z]+", title)}
    title_codes = {c for c in counts if c.lower() in title.lower() or c.replace("-", " ") in title.lower()}
    units: list[Unit] = []
    previous: list[str] = []
    for n, sent in enumerate(sents):
        here = [e for e in rule_events if any(sent.start_char <= ev.start < sent.end_char for ev in e.evidence)]
        feats, triggers = _sentence_features(sent, n, len(sents), title_words, here, sentence_amounts[n])
        parties = _sentence_parties(sent, cast, counts, title_codes, previous, here)
        for p in parties:
            p.paths = _paths(doc, p, triggers)
        units.append(Unit(n, sent.start_char, sent.end_char, feats, parties, here,
                          {k: v for k, v in triggers.items() if v}, sentence_amounts[n], sentence_dates[n]))
        in_sent = [p.code for p in parties if "in_sentence" in p.features]
        previous = in_sent + [c for c in previous if c not in in_sent]
    return units
