"""Stage 7: the rule-based extractor ("rules.v1").

Reads one article's parse and finds the negotiation events in it:

1. triggers: verbs from a lexicon of negotiation verbs (reject, demand,
   hold talks...) and event nouns (offer, bid, talks, round) that fire only
   when something makes them an event (an owner and terms, a verb that acts
   on them, a count of rounds) -- a noun that merely mentions talks is not one;
2. filters: negated, hypothetical and conditional triggers are dropped;
3. roles: the actor from the subject (or the agent of a passive), the target
   from the object, the owner of the offer acted on, or the other side;
4. amounts and dates inside the trigger's own clause, so that a sentence
   with several events gives each its own figure and day;
5. status: planned (future), reported (unnamed sources), denied, asserted;
6. merging (extract/merging.py): mentions of the same event in one article become one
   event with several evidence entries.

The vocabulary (trigger verbs and nouns, negating and reporting words) is in
lexicon.py; the text the parser reads is prepared by extract/text.py, which
every backend may share.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from parley.analysis import amounts as amounts_stage
from parley.analysis import dates as dates_stage
from parley.analysis.actors import Cast, build_cast
from parley.analysis.gazetteer import slug
from parley.analysis.language import load_model
from parley.extract.rules.lexicon import (
    VERB_TRIGGERS, SUPPORT_VERBS, MOVE_VERBS,
    OFFER_NOUNS, DEMAND_NOUNS, MEET_NOUNS, DEAL_NOUNS,
    IMPACT_NOUNS, ASPECT_VERBS, TERM_NOUNS, DESCRIBING_VERBS,
    SANCTION_NOUNS, MODIFY_VERBS, WILLING_WORDS, PAY_VERBS,
    NOT_A_DEAL_VERBS, EXPIRE_SUBJECTS, REPORT_NOUNS, UNNAMED_MARKERS,
    FUTURE_GOVERNORS, NEGATING_GOVERNORS, HYPOTHETICAL_MARKS, HYPOTHETICAL_MODALS,
    PROMISE_VERBS, INTENTION_VERBS, REPORTING_VERBS, WEEKDAYS,
    ORDINALS, CARDINALS,
)
from parley.extract.merging import merge_mentions
from parley.extract.pieces import PIECE_CHARS, parsed, piece_of, pieces, shifted
from parley.extract.text import for_parser, parse_text, quote
from parley.records import Amount, Article, Change, DateSpan, Event, Evidence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

@dataclass
class Candidate:
    type: str
    trigger: Token
    actor: list[str]
    target: list[str]
    people: list[str]
    tokens: list[Token]           # the clause: evidence, amount and date come from here
    amount_tokens: list[Token] | None = None
    status: str = "asserted"
    round: int | None = None
    amount: Amount | None = None
    date: DateSpan | None = None
    extra: dict = field(default_factory=dict)
    sent_amounts: list[Amount] = field(default_factory=list)
    # An offer someone refused to endorse was still made: its own negation only.
    inherited_negation: bool = True


class RuleExtractor:
    """Dependency-parse rules over spaCy's English pipeline."""

    name = "rules.v1"

    def __init__(self) -> None:
        self.nlp = load_model()

    def extract(self, article: Article) -> list[Event]:
        text = parse_text(article)
        if len(text) > PIECE_CHARS:
            return self._extract_in_pieces(article, text)
        return extract_from_doc(self.nlp(for_parser(text)), article, text)

    def extract_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterable[list[Event]]:
        for article, text, doc in parsed(self.nlp, articles, batch_size):
            yield self._extract_in_pieces(article, text) if doc is None else extract_from_doc(doc, article, text)

    def _extract_in_pieces(self, article: Article, text: str) -> list[Event]:
        """An article too long to parse at once: each piece alone, events back at the article's
        offsets, and the mentions of one event in different pieces merged as in one parse."""
        events: list[Event] = []
        sentence_starts: list[int] = []
        for start, end in pieces(text):
            doc = self.nlp(for_parser(text[start:end]))
            found = extract_from_doc(doc, piece_of(article, start, end), text[start:end])
            events.extend(shifted(event, start) for event in found)
            sentence_starts.extend(sent.start_char + start for sent in doc.sents)
            del doc  # one piece's parse in memory at a time
        return merge_mentions(events, sentence_starts, article.published_day)


def extract_from_doc(doc: Doc, article: Article, text: str | None = None,
                     cast: Cast | None = None) -> list[Event]:
    """Events of one parsed article; `text` is what the parser's input was made from
    (parse_text), where amounts and dates are read. A backend that builds the
    article's cast itself passes it in, so that it is built once."""
    doc.user_data["parley_text"] = text if text is not None else doc.text
    if cast is None:
        cast = build_cast(doc, article)
    published = article.published_day
    candidates: list[Candidate] = []
    for sent in doc.sents:
        if not sent.text.strip():
            continue
        found = _sentence_candidates(sent, cast)
        sent_amounts = amounts_stage.find_amounts(_source(doc), published, start=sent.start_char, end=sent.end_char)
        for cand in found:
            cand.sent_amounts = sent_amounts
            _attach_amount(cand, sent_amounts)
            _attach_date(cand, published)
            cand.status = _status(cand, sent, published)
        candidates.extend(found)
    candidates = _moves(candidates)
    _carry_relative_amounts(candidates)
    _owners_from_context(candidates)
    events = [_to_event(c, article, cast) for c in candidates if c.actor or c.type in ("impact", "expire", "meet")]
    return merge_mentions(events, [sent.start_char for sent in doc.sents], published)


# ------------------------------------------------------------ sentence rules
def _sentence_candidates(sent: Span, cast: Cast) -> list[Candidate]:
    out: list[Candidate] = []
    consumed: set[int] = set()   # event nouns already handled by a governing verb
    for tok in sent:
        if (tok.pos_ in ("VERB", "AUX") and tok.dep_ != "amod") or (tok.pos_ == "ADJ" and tok.lemma_ == "due"):
            out.extend(_verb_candidates(tok, cast, consumed))
    for tok in sent:
        if tok.pos_ in ("NOUN", "PROPN") and tok.i not in consumed:
            out.extend(_noun_candidates(tok, cast, consumed))
    return [c for c in out if (not _negated(c.trigger) if c.inherited_negation else not _self_negated(c.trigger))
            and (not c.inherited_negation or (not _hypothetical(c.trigger) and not _intention(c.trigger)))]


def _self_negated(t: Token) -> bool:
    return any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in t.children)


def _lemma(t: Token) -> str:
    return t.lemma_.lower()


def _children(t: Token, *deps: str) -> list[Token]:
    return [c for c in t.children if c.dep_ in deps]


def _subtree(t: Token) -> list[Token]:
    return list(t.subtree)


def _prep_objects(t: Token, *preps: str) -> list[Token]:
    out = []
    for p in t.children:
        if p.dep_ in ("prep", "dative", "agent") and p.lower_ in preps:
            out.extend(c for c in p.children if c.dep_ == "pobj")
    return out


def _subject(verb: Token) -> tuple[list[Token], bool]:
    """The subject phrase of a verb, climbing through xcomp, conj and relative clauses."""
    v = verb
    for _ in range(6):
        subj = _children(v, "nsubj", "nsubjpass", "csubj")
        if subj:
            s = subj[0]
            if s.lower_ in ("which", "that", "who") and v.dep_ == "relcl":
                return [x for x in v.head.subtree if x.i < v.i and x.i not in {y.i for y in v.subtree}] or [v.head], False
            return _subtree(s), s.dep_ == "nsubjpass"
        if v.dep_ == "relcl" or v.dep_ == "acl":
            return [v.head], False
        if v.dep_ in ("xcomp", "conj", "advcl", "ccomp", "pcomp", "acomp") and v.head.i != v.i:
            v = v.head
            continue
        break
    return [], False




def _reporting_subject(verb: Token) -> list[Token]:
    node = verb
    for _ in range(3):
        if node.dep_ in ("ccomp",) and _lemma(node.head) in REPORTING_VERBS:
            subj = _children(node.head, "nsubj")
            return _subtree(subj[0]) if subj else []
        if node.dep_ not in ("conj", "xcomp") or node.head.i == node.i:
            return []
        node = node.head
    return []


def _is_anaphor(tokens: list[Token]) -> bool:
    words = [t for t in tokens if not t.is_punct]
    if len(words) == 1 and words[0].lower_ in ("he", "she", "it", "they", "we"):
        return True
    # "its board", "the company", "the group": the speaker's own side
    return len(words) <= 3 and words[-1].lemma_.lower() in ("board", "company", "group", "firm", "club", "union",
                                                             "government", "management", "side") and \
        words[0].lower_ in ("its", "their", "the", "his", "her", "our")


def _agent(verb: Token) -> list[Token]:
    """The doer of a passive or participle ("offered by Seoul"), not a "by" of degree
    ("lower its offer by 100 billion yen")."""
    if verb.tag_ != "VBN":
        return []
    for o in _prep_objects(verb, "by"):
        if o.ent_type_ in ("MONEY", "PERCENT", "CARDINAL", "QUANTITY") or o.like_num:
            continue
        return _subtree(o)
    return []


def _actor_tokens(verb: Token) -> list[Token]:
    subj, passive = _subject(verb)
    reporter = _reporting_subject(verb)
    if reporter and subj and _is_anaphor(subj):
        # "USAir said its board has rejected...", "employers said they made an offer"
        subj = reporter
    agent = _agent(verb)
    if agent:
        return agent
    if verb.dep_ == "acl":
        # "Democrats demanding $225 billion": the noun does it; "the hike offered by X": it is done to it.
        return [verb.head] if verb.tag_ == "VBG" else []
    if passive:
        return subj if verb.lemma_ in ("expire", "lapse") else []
    return subj


def _object_nouns(verb: Token) -> list[Token]:
    objs = _children(verb, "dobj", "attr", "oprd")
    for p in _children(verb, "prep", "dative"):
        objs.extend(c for c in p.children if c.dep_ == "pobj")
    for p in _children(verb, "prt"):
        objs.extend(_children(p, "pobj"))
    subj, passive = _subject(verb)
    if passive and subj:
        objs.append(next((t for t in subj if t.head.i == verb.i or t.dep_ == "nsubjpass"), subj[0]))
    expanded = []
    for o in objs:
        expanded.append(o)
        expanded.extend(c for c in o.children if c.dep_ == "conj")
    return expanded


def _verb_candidates(verb: Token, cast: Cast, consumed: set[int]) -> list[Candidate]:
    lemma = _lemma(verb)
    out: list[Candidate] = []
    objects = _object_nouns(verb)
    if (lemma == "push" and any(c.lower_ == "back" for c in verb.children)) or lemma == "balk":
        # "Sharp pushed back against a cut proposed by Foxconn", "balked at the price"
        objs = [o for p in _children(verb, "prep") if p.lower_ in ("against", "at", "on") for o in _children(p, "pobj")]
        if objs:
            actor = cast.parties_in(_actor_tokens(verb))
            target = next(([x for x in _owner(o, cast) if x not in actor] for o in objs if _owner(o, cast)), [])
            out.append(_cand("reject", verb, actor, target, cast, _clause(verb), None))
            return out
    if lemma in ("refuse", "decline"):
        # "refused to endorse the committee's proposal" rejects the proposal.
        for x in _children(verb, "xcomp"):
            if _lemma(x) in ("accept", "endorse", "approve", "back", "support", "sign", "take", "consider"):
                objects = objects + _object_nouns(x)
    obj_lemmas = {_lemma(o) for o in objects}

    # A verb acting on an event noun: "rejected the offer", "held talks", "signed a deal".
    for noun in objects:
        nl = _lemma(noun)
        if nl in OFFER_NOUNS | DEMAND_NOUNS and lemma in {"reject", "rebuff", "spurn", "dismiss", "decline",
                                                          "refuse", "turn", "accept", "welcome", "approve"}:
            if lemma == "turn" and not _children(verb, "prt"):
                continue
            kind = "accept" if lemma in ("accept", "welcome", "approve") else "reject"
            consumed.add(noun.i)
            actor = cast.parties_in(_actor_tokens(verb))
            owner_type = "offer" if nl in OFFER_NOUNS else "demand"
            # "rejected offers of a 100 pct raise from A and an 80 pct increase from B":
            # one rejection and one offer per set of terms.
            terms = _pobj_conjuncts(noun) + [c for c in noun.conjuncts if c.i > noun.i and _lemma(c) in TERM_NOUNS]
            parts = [(noun, _owner(noun, cast))] if not terms else [
                (t, _owner(t, cast) or _owner(noun, cast)) for t in [_of_object(noun)] + terms]
            for part, owner in parts:
                target = owner or _other(cast, actor)
                c = _cand(kind, verb, actor, target, cast, _clause(verb), part)
                if terms:
                    c.amount_tokens = _subtree_without_conj(part)
                out.append(c)
                if owner:
                    o = _cand(owner_type, noun, owner, actor, cast, _subtree_without_conj(part) if terms
                              else _noun_clause(noun), part)
                    o.inherited_negation = False
                    if terms:
                        o.amount_tokens = _subtree_without_conj(part)
                    out.append(o)
        elif nl in OFFER_NOUNS | DEMAND_NOUNS and lemma in SUPPORT_VERBS["offer"] | SUPPORT_VERBS["demand"]:
            consumed.add(noun.i)
            kind = "offer" if nl in OFFER_NOUNS else "demand"
            if lemma == "receive":  # "revealed it had received an offer": the owner offered
                owner = _owner(noun, cast)
                recipient = cast.parties_in(_actor_tokens(verb))
                if owner:
                    out.append(_cand(kind, verb, owner, recipient, cast, _clause(verb), noun))
                continue
            actor = cast.parties_in(_actor_tokens(verb)) or _owner(noun, cast)
            target = _target(verb, cast, actor) or _target(noun, cast, actor)
            out.append(_cand(kind, verb, actor, target, cast, _clause(verb), noun))
            if lemma in MODIFY_VERBS:
                # "would not be increasing their offer of £4m": the offer stands whatever
                # happens to it next.
                standing = _cand(kind, noun, _owner(noun, cast) or actor, target, cast, _noun_clause(noun), noun)
                standing.inherited_negation = False
                out.append(standing)
        elif nl in MEET_NOUNS and lemma in SUPPORT_VERBS["meet"]:
            consumed.add(noun.i)
            parties = _meet_parties(verb, noun, cast)
            c = _cand("meet", verb, parties[:1], parties[1:2], cast, _clause(verb), None)
            c.round = _round_number(noun)
            out.append(c)
        elif nl in DEAL_NOUNS and lemma in SUPPORT_VERBS["agree"]:
            consumed.add(noun.i)
            parties = cast.parties_in(_actor_tokens(verb)) or list(cast.principals[:2])
            target = _target(verb, cast, parties) or [p for p in cast.principals if p not in parties][:1]
            out.append(_cand("agree", verb, parties[:1], parties[1:2] or target, cast, _clause(verb), noun))
    if out:
        return out

    kind = VERB_TRIGGERS.get(lemma)
    if lemma in PAY_VERBS and verb.dep_ == "xcomp" and _lemma(verb.head) in WILLING_WORDS and _has_money_like(_clause(verb)):
        kind = "offer"  # "was now willing to pay a spread of 7/8 points"
    if lemma == "put" and any(t.lower_ == "work" and t.head.lower_ == "of" for t in verb.subtree):
        kind = "impact"  # "put 4,000 workers out of work"
    if lemma == "place" and "leave" in obj_lemmas:
        kind = "impact"
    if (lemma == "walk" and any(c.lower_ == "out" for c in verb.children)) or (
            lemma == "go" and any(_lemma(o) in ("strike", "furlough", "leave") for o in objects)):
        kind = "impact"  # "teachers walked out", "went on strike"
    if lemma in ("impose", "slap", "levy") and ({_subject_lemma(verb)} | obj_lemmas) & SANCTION_NOUNS:
        kind = "impact"  # "tariffs to be imposed on Japanese exports"
    if lemma == "extend" and obj_lemmas & (OFFER_NOUNS | {"deadline", "tender", "ultimatum"}) and any(
            p.lower_ in ("until", "till", "to", "through") for p in _children(verb, "prep")):
        kind = "expire"  # "extended the offer until April 3": a new deadline
    if lemma in ("secure", "obtain", "win", "clinch", "land", "strike") and obj_lemmas & {
            "loan", "bailout", "credit", "aid", "package", "deal", "agreement", "contract", "settlement"}:
        kind = "agree"  # "Pakistan secured a $6 billion loan from the IMF"
    if lemma in ("suspend", "halt") and _subject_lemma(verb) in ("share", "trading", "stock", "dealing"):
        kind = "impact"  # "shares in both companies were suspended"
    if lemma in ("leave", "quit") and obj_lemmas & {"post", "job", "office", "position", "role"}:
        kind = "appoint"
    if lemma in ("step",) and any(c.lower_ == "down" for c in verb.children):
        kind = "appoint"
    if lemma in ("shut", "close", "end", "run") and _subject_lemma(verb) in {"window", "deadline", "deal",
                                                                             "agreement", "pact", "contract"}:
        kind = "expire"
    if lemma in MOVE_VERBS and (_prep_objects(verb, "from") or any(
            c.dep_ in ("dobj", "prep") and _lemma(c) in ("needle", "from") for c in verb.children)):
        # "Pelosi has moved from $3.4 trillion to $2.2 trillion": a side's position moving.
        # Whether it is an offer or a demand is read from the direction, once amounts are known.
        c = _cand("offer", verb, cast.parties_in(_actor_tokens(verb)), [], cast, _clause(verb), None)
        c.extra["_move"] = True
        return out + [c] if c.actor else out
    if lemma == "sit" and any(c.lower_ == "down" for c in verb.children) and _prep_objects(verb, "with"):
        kind = "meet"
    if lemma in ("speak", "confer", "phone", "call") and (
            any(_lemma(o) in ("phone", "telephone", "video", "videoconference") for o in objects)
            or _prep_objects(verb, "with")
            or any(c.dep_ == "conj" for s_ in _children(verb, "nsubj") for c in s_.children)):
        kind = "meet"  # "X and Y spoke by phone", "X spoke with Y"
    if kind is None:
        return out

    actor_toks = _actor_tokens(verb)
    actor = cast.parties_in(actor_toks)
    clause = _clause(verb)
    if kind in ("offer", "demand", "reject", "accept") and {t.lower_ for t in actor_toks} & {"two", "both"}:
        return out  # "the two sides were asking for more than the other": no one side's terms

    if kind == "offer":
        if lemma == "pledge" and not _has_money_like(clause):
            return out
        if _subject_lemma(verb) in OFFER_NOUNS:
            return out  # "the proposal offered an excellent strategic fit": offered = provided
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            clause = _noun_clause(verb.head)
    elif kind == "demand":
        if lemma in ("want", "seek", "press", "urge") and not (_has_money_like(clause) or obj_lemmas & (OFFER_NOUNS | DEMAND_NOUNS | {"increase", "rise", "hike", "raise", "share", "compromise", "concession"})):
            return out
        if lemma == "ask" and not (_children(verb, "xcomp") or _prep_objects(verb, "for")):
            return out
        if lemma == "insist" and not _has_money_like(clause):
            return out
        if lemma == "request" and verb.dep_ == "amod":
            return out
    elif kind == "reject":
        if lemma in ("decline", "refuse"):
            return out  # only with an offer as object (handled above): "declined to comment" is no event
        if lemma == "dismiss" and not objects:
            return out
    elif kind == "accept":
        if lemma in ("approve", "endorse") and not obj_lemmas & (OFFER_NOUNS | DEAL_NOUNS):
            return out
        if not obj_lemmas & (OFFER_NOUNS | DEMAND_NOUNS | DEAL_NOUNS | {"term", "terms", "plan"}):
            return out
    elif kind == "agree":
        xcomp = _children(verb, "xcomp")
        if lemma == "agree":
            if xcomp and _lemma(xcomp[0]) in NOT_A_DEAL_VERBS:
                kind = "statement"
            elif xcomp:
                pass  # "agreed to pay $870 million", "agreed to deploy troops": a commitment made
            elif obj_lemmas & DEAL_NOUNS or _prep_objects(verb, "on", "to") and not obj_lemmas & {"consultation", "consultations", "need", "importance"}:
                pass
            else:
                kind = "statement"
        elif lemma in ("sign", "seal", "clinch", "settle") and not (obj_lemmas & DEAL_NOUNS or lemma == "settle"):
            return out
        if lemma in ("secure", "obtain", "win", "land", "strike"):
            lender = _target(verb, cast, actor)
            if lender:
                out.append(_cand("agree", verb, actor, lender, cast, clause, None))
                return out
        if not actor and verb.dep_ == "acl" and _lemma(verb.head) in DEAL_NOUNS:
            actor = list(cast.principals[:2])
    elif kind == "meet":
        if lemma == "discuss" and (verb.dep_ in ("xcomp", "advcl") or not _prep_objects(verb, "with")):
            return out
        if lemma == "negotiate" and not _prep_objects(verb, "with"):
            return out
        if lemma in ("call", "phone") and not _prep_objects(verb, "with") and not any(
                _lemma(o) in ("phone", "telephone") for o in objects):
            return out
        if lemma == "talk" and verb.dep_ in ("xcomp",) and _lemma(verb.head) in ("sit", "look"):
            return out
        parties = _meet_parties(verb, None, cast)
        actor, target = parties[:1], parties[1:2]
        c = _cand("meet", verb, actor, target, cast, clause, None)
        return out + [c]
    elif kind == "appoint":
        if lemma in ("name", "tap", "replace", "nominate", "appoint") and not _mentions_negotiator_role(
                clause + [t for x in _children(verb, "xcomp", "advcl") for t in x.subtree]):
            return out
        subj, _ = _subject(verb)
        people = cast.people_in(subj) or cast.people_in(clause)
        party = [p for p in (cast.person_party(n) for n in people) if p and "-" not in p]
        if not party:
            # "Her predecessor": the party of whoever "her" is.
            poss = [t for t in actor_toks if t.dep_ == "poss" and t.lower_ in ("her", "his")]
            if poss:
                party = cast.parties_in(poss, before=poss[0].i)
        party = party or actor
        c = _cand("appoint", verb, party, [], cast, clause, None)
        c.people = people
        return out + [c]
    elif kind == "expire":
        subj_lemma = _subject_lemma(verb)
        if verb.dep_ == "relcl":
            subj_lemma = _lemma(verb.head)
        if lemma == "extend":
            subj_lemma = "deadline"
        if subj_lemma not in EXPIRE_SUBJECTS and not (verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("PROPN", "NOUN")):
            return out
        pair = list(cast.principals[:2])
        return out + [_cand("expire", verb, pair[:1], pair[1:2], cast, clause, None)]
    elif kind == "impact":
        if lemma in ("suspend", "halt", "impose", "slap", "levy", "walk", "go", "put", "place", "furlough", "idle"):
            pass
        elif lemma == "strike" and not (_subject_lemma(verb) in {"worker", "union", "employee", "member", "staff", "seaman", "driver", "miner"}):
            return out
        return out + [_cand("impact", verb, actor or list(cast.principals[:1]), [], cast, clause, None)]

    if kind in ("offer", "demand", "reject", "accept", "statement", "agree"):
        if not actor and kind == "agree":
            actor = list(cast.principals[:1])
        target = _target(verb, cast, actor)
        if not target and kind in ("reject", "accept"):
            # "rejected the 13 percent hike offered by Seoul": whose terms they were.
            for noun in objects:
                target = [p for p in _owner(noun, cast) if p not in actor]
                if target:
                    break
        if not target and kind in ("offer", "demand", "reject", "accept"):
            target = _other(cast, actor)
        if kind == "agree" and len(actor) > 1:
            actor, target = actor[:1], actor[1:2]
        out.append(_cand(kind, verb, actor, target, cast, clause, None))
    return out


def _noun_candidates(noun: Token, cast: Cast, consumed: set[int]) -> list[Candidate]:
    nl = _lemma(noun)
    if noun.lower_ == "talks":
        nl = "talks"
    out: list[Candidate] = []
    if nl in OFFER_NOUNS | DEMAND_NOUNS:
        if nl in ("approach", "pledge", "claim") and not _has_money_like(_noun_clause(noun)):
            return out
        owner = _owner(noun, cast)
        if _owned_by_pair(noun):
            return out
        if not owner:
            # "the latest proposal, which values the club at £800m": the bid in play, whoever
            # made the last one; settled once the whole article is read.
            if any(c.lower_ in ("the", "this", "that") for c in noun.children if c.dep_ == "det") \
                    and _has_money_like(list(noun.subtree)) and noun.dep_ not in ("pobj",):
                c = _cand("offer" if nl in OFFER_NOUNS else "demand", noun, [], [], cast, list(noun.subtree), None)
                c.amount_tokens = list(noun.subtree)
                c.extra["_owner_from_context"] = True
                out.append(c)
            return out
        clause = _noun_clause(noun)
        # Coordinated offers each have their own owner and terms:
        # "offers of a 100 pct raise from A and an 80 pct increase from B".
        parts = [noun] + [c for c in _pobj_conjuncts(noun)]
        kind = "offer" if nl in OFFER_NOUNS else "demand"
        if len(parts) > 1:
            for part in parts:
                part_owner = _owner(part, cast) or owner
                out.append(_cand(kind, noun, part_owner, _other(cast, part_owner), cast,
                                 _subtree_without_conj(part), part))
            return out
        c = _cand(kind, noun, owner, _target(noun, cast, owner) or _other(cast, owner), cast, clause, noun)
        if noun.dep_ in ("nsubj", "nsubjpass") and _lemma(noun.head) in DESCRIBING_VERBS:
            # "Mnuchin's latest proposal includes a $400 per week benefit": the terms follow the verb.
            described = [t for x in noun.head.children if x.dep_ in ("dobj", "attr", "prep", "acomp", "oprd")
                         for t in x.subtree]
            c.amount_tokens = sorted(set(_noun_clause(noun) + described), key=lambda t: t.i)
            c.tokens = sorted(set(c.tokens + [noun.head] + described), key=lambda t: t.i)
        out.append(c)
    elif nl in MEET_NOUNS:
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and _lemma(noun.head.head) == "round":
            return out  # "rounds of talks": the round is the event
        if nl == "round" and any(_lemma(o) not in MEET_NOUNS and o.lower_ != "talks"
                                 for p in _children(noun, "prep") if p.lower_ == "of" for o in _children(p, "pobj")):
            return out  # "a round of layoffs", "the second round of loans"
        rnd = _round_number(noun)
        head = noun.head
        is_event = False
        if rnd is not None:
            is_event = True
        elif noun.dep_ in ("nsubj", "nsubjpass") and _lemma(head) in ASPECT_VERBS:
            is_event = True
        elif noun.dep_ == "pobj" and head.lower_ in ("in",) and nl in ("dialogue", "talks", "negotiations") and head.head.pos_ in ("AUX", "VERB") and _lemma(head.head) == "be" \
                and not any(c.dep_ in ("acomp", "attr") for c in head.head.children):
            # "the clubs are still in dialogue with Rangers" (not "had been flexible in the talks")
            is_event = True
        elif len(_between_parties(noun, cast)) >= 2 or (_prep_objects(noun, "with") and _has_specific_day(noun)):
            is_event = True
        elif _has_specific_day(noun):
            is_event = True
        elif any(c.dep_ == "amod" and _lemma(c) in SUPPORT_VERBS["meet"] for c in noun.children):
            is_event = True  # "officials tomorrow open talks": the tagger took the verb for an adjective
        if not is_event:
            return out
        parties = _meet_parties(head if noun.dep_ in ("nsubj", "dobj") else noun, noun, cast)
        clause = _clause(head) if noun.dep_ in ("nsubj", "nsubjpass") and head.pos_ in ("VERB", "AUX") else _noun_clause(noun)
        c = _cand("meet", noun, parties[:1], parties[1:2], cast, clause, None)
        c.round = rnd
        round_token = noun if _lemma(noun) == "round" else noun.head.head
        if rnd is not None and round_token.tag_ == "NNS":
            c.extra["aggregate"] = True  # "seven rounds of talks": a tally, not one meeting
        out.append(c)
    elif nl in DEAL_NOUNS and nl not in ("package", "compromise", "settlement") and any(
            c.ent_type_ == "DATE" and c.dep_ in ("compound", "nmod", "amod", "npadvmod") and re.search(r"\d{4}", c.text)
            for c in noun.children) and noun.i not in consumed:
        # "the July 1986 U.S.-Japanese semiconductor pact": a deal concluded then.
        parties = [p for c in noun.children if c.dep_ in ("amod", "compound", "nmod", "poss")
                   for p in cast.parties_in([c])] or list(cast.principals[:2])
        c = _cand("agree", noun, parties[:1], parties[1:2] or _other(cast, parties[:1]), cast, _noun_clause(noun), None)
        out.append(c)
    elif nl in IMPACT_NOUNS:
        if noun.dep_ in ("nsubj",) and head_is_event_verb(noun) or _has_number(noun):
            out.append(_cand("impact", noun, list(cast.principals[:1]), [], cast, _noun_clause(noun), None))
    return out


def _between_parties(t: Token, cast: Cast) -> list[str]:
    parties: list[str] = []
    for o in _prep_objects(t, "between"):
        for x in [o] + list(o.conjuncts):
            for p in cast.parties_in(_subtree_without_conj(x), before=x.i):
                if p not in parties:
                    parties.append(p)
    return parties


def head_is_event_verb(noun: Token) -> bool:
    return _lemma(noun.head) in ASPECT_VERBS | {"idle", "hit", "halt", "cripple", "paralyse", "paralyze", "cost"}


def _has_number(noun: Token) -> bool:
    return any(t.like_num for t in noun.subtree if t.i != noun.i)


def _has_specific_day(noun: Token) -> bool:
    return any(t.ent_type_ in ("DATE",) and (t.like_num or t.lower_ in WEEKDAYS) for t in noun.subtree)




def _of_object(noun: Token) -> Token:
    for p in _children(noun, "prep"):
        if p.lower_ == "of":
            objs = _children(p, "pobj")
            if objs:
                return objs[0]
    return noun


def _pobj_conjuncts(noun: Token) -> list[Token]:
    """Coordinated terms under "offers of X and Y": the conjuncts of X."""
    out = []
    for p in _children(noun, "prep"):
        if p.lower_ == "of":
            for o in _children(p, "pobj"):
                out.extend(c for c in o.children if c.dep_ == "conj")
    return out


def _subtree_without_conj(t: Token) -> list[Token]:
    skip = {x.i for c in t.children if c.dep_ in ("conj", "cc") for x in c.subtree}
    return [x for x in t.subtree if x.i not in skip]


def _subject_lemma(verb: Token) -> str | None:
    subj = _children(verb, "nsubj", "nsubjpass")
    return _lemma(subj[0]) if subj else None


def _mentions_negotiator_role(tokens: list[Token]) -> bool:
    words = {t.lower_ for t in tokens}
    return bool(words & {"negotiator", "envoy", "team", "negotiating", "representative", "delegation",
                         "adviser", "advisor", "mediator", "chief", "head"})


def _source(doc: Doc) -> str:
    """The text as read: what the parser's input was made from."""
    # Not .get(key, doc.text): that default would rebuild the whole text at every call,
    # which made long articles quadratic.
    text = doc.user_data.get("parley_text")
    if text is None:
        text = doc.user_data["parley_text"] = doc.text
    return text


def _has_money_like(tokens: list[Token]) -> bool:
    return any(t.ent_type_ in ("MONEY", "PERCENT") or t.text in ("$", "£", "€", "¥") or t.lower_ in ("pct", "percent", "percentage", "dlrs", "points")
               for t in tokens)


def _from_or_by(t: Token, cast: Cast, preps: tuple[str, ...]) -> list[str]:
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            for o in _children(c, "pobj")[:1]:
                parties = cast.parties_in(_subtree_without_conj(o), before=o.i)
                if parties:
                    return parties[:1]
    return []


def _within_phrase(t: Token, noun: Token) -> bool:
    """No verb or clause between t and the noun that heads its phrase."""
    node = t.head
    while node.i != noun.i:
        if node.pos_ in ("VERB", "AUX") or node.dep_ in ("relcl", "acl", "advcl", "ccomp"):
            return False
        node = node.head
    return True


def _owner(noun: Token, cast: Cast) -> list[str]:
    """Whose offer (or demand) this is: "Seoul's proposal", "a South Korean offer", "bid from Rangers"."""
    for c in noun.children:
        if c.dep_ == "poss":
            parties = cast.parties_in(list(c.subtree), before=c.i)
            if parties:
                return parties[:1]
    for c in noun.children:
        if c.dep_ in ("amod", "compound", "nmod") and cast.mention_at(c.i):
            parties = cast.parties_in([c])
            if parties:
                return parties[:1]
    parties = _from_or_by(noun, cast, ("from", "by"))
    if parties:
        return parties
    for c in noun.subtree:
        # "the hike offered by Seoul", "a cut of 5 percent proposed by X"
        if c.dep_ == "acl" and _lemma(c) in ("offer", "make", "propose", "table", "submit", "put") and (
                c.head.i == noun.i or _within_phrase(c, noun)):
            parties = cast.parties_in(_agent(c))
            if parties:
                return parties[:1]
    # "offers of a 9 pct raise from A", "a £5m offer for Ferguson from Everton", "an offer
    # worth 3.1bn dollars from Foster's": a "from" deeper in the offer's own phrase.
    for t in noun.subtree:
        if t.dep_ == "prep" and t.lower_ == "from" and t.head.i != noun.i and _within_phrase(t, noun):
            parties = _from_or_by(t.head, cast, ("from",))
            if parties:
                return parties
    # "what Seoul called its best offer": the subject of the verb that names the offer.
    head = noun.head
    if head.pos_ in ("VERB",) and _lemma(head) in ("call", "describe", "term", "dub"):
        subj, _ = _subject(head)
        parties = cast.parties_in(subj)
        if parties:
            return parties[:1]
    return []


def _owned_by_pair(noun: Token) -> bool:
    """"the two sides' demands": no one side's terms."""
    return any(x.lower_ in ("two", "both", "sides", "allies", "parties", "respective")
               for c in noun.children if c.dep_ == "poss" for x in c.subtree)


def _target(t: Token, cast: Cast, actor: list[str]) -> list[str]:
    """The other party named in the clause: dative, "to X", "from X", "for X", "with X"."""
    cands: list[Token] = []
    cands.extend(c for c in t.children if c.dep_ in ("dative", "iobj"))
    if _lemma(t) in ("ask", "urge", "press", "present", "offer", "give", "tell"):
        cands.extend(_children(t, "dobj"))
    preps = ("to", "for", "with", "against", "on") if t.pos_ in ("NOUN", "PROPN") else (
        "to", "from", "for", "with", "against", "on")
    cands.extend(_prep_objects(t, *preps))
    for x in _children(t, "xcomp", "ccomp"):
        cands.extend(_children(x, "nsubj"))
    for c in cands:
        parties = [p for p in cast.parties_in(_subtree_without_conj(c), before=c.i) if p not in actor]
        if parties:
            return parties[:1]
    return []


def _other(cast: Cast, actor: list[str]) -> list[str]:
    return [p for p in cast.principals if p not in actor][:1]


def _meet_parties(verb: Token, noun: Token | None, cast: Cast) -> list[str]:
    parties: list[str] = []
    anchors = [x for x in (noun, verb) if x is not None]
    for a in anchors:
        for o in _prep_objects(a, "between"):
            parties.extend(cast.parties_in(_subtree_without_conj(o), before=o.i))
            for conj in o.conjuncts:
                parties.extend(cast.parties_in(_subtree_without_conj(conj), before=conj.i))
    if verb.pos_ in ("VERB", "AUX"):
        subj, _ = _subject(verb)
        if subj:
            head = next((t for t in subj if t.dep_ in ("nsubj", "nsubjpass")), subj[0])
            parties.extend(cast.parties_in(_subtree_without_conj(head), before=head.i))
            for conj in head.conjuncts:
                parties.extend(cast.parties_in(_subtree_without_conj(conj), before=conj.i))
            if not parties:
                parties.extend(cast.parties_in(subj))
    for a in anchors:
        for o in _prep_objects(a, "with"):
            parties.extend(cast.parties_in(_subtree_without_conj(o), before=o.i))
    if noun is not None:
        for c in noun.children:
            if c.dep_ == "poss":
                parties.extend(cast.parties_in([c], before=c.i))
    uniq: list[str] = []
    for p in parties:
        if p not in uniq:
            uniq.append(p)
    # States and organisations before people named only by themselves.
    people = _person_slugs(cast)
    uniq.sort(key=lambda p: 0 if re.fullmatch(r"[A-Z]{3}", p) else 1 if p not in people else 2)
    for p in cast.principals:
        if len(uniq) >= 2:
            break
        if p not in uniq:
            uniq.append(p)
    return uniq


def _person_slugs(cast: Cast) -> set[str]:
    return {slug(name) for name in cast.people}




def _round_number(noun: Token) -> int | None:
    """"the sixth round", "seven rounds of talks", "more than 50 rounds" -> the number.
    "The second round of forgivable loans" is no meeting: None."""
    if _lemma(noun) == "round":
        of_what = [o for p in _children(noun, "prep") if p.lower_ == "of" for o in _children(p, "pobj")]
        if of_what and not any(_lemma(o) in MEET_NOUNS or o.lower_ == "talks" for o in of_what):
            return None
    rnd = noun
    if _lemma(noun) != "round":
        if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and _lemma(noun.head.head) == "round":
            rnd = noun.head.head
        else:
            return None
    for c in rnd.children:
        w = c.lower_
        if w in ORDINALS:
            return ORDINALS[w]
        m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", w)
        if m and c.dep_ in ("nummod", "amod"):
            return int(m.group(1))
        if w in CARDINALS:
            return CARDINALS[w]
    return None


def _clause(verb: Token) -> list[Token]:
    """The trigger's own clause: subject, verb and complements, without nested clauses."""
    subj, _ = _subject(verb)
    if verb.dep_ in ("relcl", "acl"):
        # "the $600 per week Democrats want": the antecedent phrase up to the clause.
        inner = {t.i for t in verb.subtree}
        subj = [t for t in verb.head.subtree if t.i not in inner and t.i <= verb.i
                and t.i >= verb.head.left_edge.i] or [verb.head]
    keep = [verb] + list(subj)
    takes_clause = _lemma(verb) in VERB_TRIGGERS and VERB_TRIGGERS[_lemma(verb)] in ("reject", "accept", "demand")
    for c in verb.children:
        if c.dep_ in ("advcl", "conj", "cc", "parataxis", "mark") or (c.dep_ == "punct" and c.i > verb.i):
            continue
        if c.dep_ == "ccomp" and not takes_clause:
            continue
        if c.dep_ == "relcl":
            continue
        keep.extend(_pruned_subtree(c))
    return sorted(set(keep), key=lambda t: t.i)


def _pruned_subtree(t: Token) -> list[Token]:
    """A subtree without the clauses nested in it ("with some reports saying X has requested...")."""
    out = [t]
    for c in t.children:
        if c.dep_ in ("relcl", "advcl", "ccomp", "acl", "parataxis") and c.pos_ in ("VERB", "AUX") and (
                _children(c, "nsubj", "nsubjpass", "ccomp") or c.tag_ == "VBG"):
            continue
        out.extend(_pruned_subtree(c))
    return out


def _noun_clause(noun: Token) -> list[Token]:
    keep = [noun]
    for c in noun.children:
        if c.dep_ in ("relcl", "cc", "conj", "punct") and c.i > noun.i:
            continue
        keep.extend(c.subtree)
    return sorted(set(keep), key=lambda t: t.i)


def _cand(kind: str, trigger: Token, actor: list[str], target: list[str], cast: Cast,
          tokens: list[Token], amount_anchor: Token | None) -> Candidate:
    tokens = tokens or [trigger]
    people = cast.people_in(tokens)
    for t in tokens:
        if t.lower_ in ("he", "she") and t.dep_ in ("nsubj", "nsubjpass"):
            name = cast.previous_person(t.i)
            if name and name not in people:
                people.append(name)
    return Candidate(type=kind, trigger=trigger, actor=actor[:1], target=[t for t in target if t not in actor[:1]][:1],
                     people=people, tokens=tokens,
                     amount_tokens=_noun_clause(amount_anchor) if amount_anchor is not None else None)


# ------------------------------------------------------------------ filters
def _negated(t: Token) -> bool:
    node, prev = t, None
    for depth in range(6):
        if any(c.dep_ == "neg" for c in node.children):
            return True
        if any(c.dep_ == "det" and c.lower_ in ("no",) for c in node.children):
            return True
        if node.dep_ == "conj" and any(c.dep_ == "neg" for c in node.head.children):
            return True  # "will not confirm or comment on ..."
        if prev is not None and _lemma(node) in NEGATING_GOVERNORS.get(prev.dep_, ()):
            # "failed to clinch a deal", "finished without compromise"; but
            # "refused to confirm a report that..." keeps the reported event.
            if not any(a.lower_ == "report" for a in t.ancestors if a.i > node.i):
                return True
        if node.head.i == node.i:
            break
        # A relative or subordinate clause is an event of its own: what governs
        # its antecedent ("failed to clinch a deal, which lapsed") does not negate it.
        if node.dep_ in ("ccomp", "advcl", "relcl", "parataxis") or (node.dep_ == "conj" and depth > 0):
            break
        prev, node = node, node.head
    return False


def _intention(t: Token) -> bool:
    """An infinitive of purpose or of a noun ("ways to sit down and talk", "a team to seal a
    deal", "efforts to reach a deal", "trying to strike a deal") is no event yet."""
    node = t
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    if node.dep_ == "pcomp" and node.head.lower_ not in ("after", "since", "before", "by", "following", "despite"):
        return True  # "tasked with striking a deal", "aimed at reaching a deal"
    has_to = any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
    if not has_to:
        return False
    if any(c.lower_ in ("when", "how", "where", "whether", "what") for c in node.children):
        return True  # "will discuss when to hold the next round"
    if node.dep_ in ("acl", "relcl") and node.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return True
    if node.dep_ == "advcl":
        return True
    if node.dep_ == "xcomp" and _lemma(node.head) in INTENTION_VERBS:
        return True
    if node.dep_ == "xcomp" and _lemma(node.head) in PROMISE_VERBS and any(
            _lemma(c) in DEAL_NOUNS for c in node.children if c.dep_ == "dobj"):
        return True
    if node.dep_ == "xcomp" and node.head.i != node.i and _intention(node.head):
        return True  # "to spearhead the team to seal a deal"
    return False


def _hypothetical(t: Token) -> bool:
    if t.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_MODALS for c in t.children):
        return True
    # "a delay could force employees hired by X to go on unpaid leave": the modal of the
    # clause above reaches down through its objects, up to a clause of saying.
    for depth, a in enumerate(t.ancestors):
        if depth >= 4 or (a.pos_ in ("VERB", "AUX") and a.dep_ in ("ROOT",) and a.lemma_.lower() in REPORTING_VERBS):
            break
        if a.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.lower_ in ("could", "would", "might")
                                              for c in a.children):
            return True
        if a.dep_ in ("ccomp", "advcl") and (a.head.lemma_.lower() in REPORTING_VERBS or a.dep_ == "advcl"):
            break
    node = t
    for _ in range(6):
        for c in node.children:
            if c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS:
                return True
        if node.head.i == node.i:
            break
        if node.dep_ in ("ccomp",) and _lemma(node.head) in ("say", "tell", "report", "add"):
            break
        node = node.head
    return False


# ----------------------------------------------------------- amounts, dates
def _attach_amount(c: Candidate, sent_amounts: list[Amount]) -> None:
    if c.type in ("meet", "appoint", "expire", "statement"):
        return
    pool = c.amount_tokens or _without_subject(c)
    lo, hi = pool[0].idx, pool[-1].idx + len(pool[-1])
    idx = {t.idx for t in pool}
    if pool[-1].lower_ in ("of", "at", "worth", "to", "for"):
        # "their offer of £4m" where the parser hung the figure elsewhere.
        nxt = pool[-1].nbor(1) if pool[-1].i + 1 < len(pool[-1].doc) else None
        if nxt is not None:
            pool = pool + [nxt]
            idx.add(nxt.idx)
            hi = nxt.idx + len(nxt)
    # An amount belongs to the clause it starts in (the parser may hang its tail elsewhere).
    inside = [a for a in sent_amounts if lo <= a.start < hi and _starts_in(a, idx, pool)]
    if not inside and c.amount_tokens is not None:
        rest = _without_subject(c)
        lo2, hi2 = rest[0].idx, rest[-1].idx + len(rest[-1])
        idx2 = {t.idx for t in rest}
        inside = [a for a in sent_amounts if lo2 <= a.start < hi2 and _starts_in(a, idx2, rest)]
    if c.type == "impact":
        inside = [a for a in inside if a.is_money]
    # "increase its contribution from 2019's 1.04 trillion won": the base, not the terms.
    doc_text = _source(c.trigger.doc)
    inside = [a for a in inside if a.change is not None or a.previous is not None
              or not re.search(r"\bfrom\s+(?:\S+\s+){0,2}$", doc_text[max(0, a.start - 30):a.start])]
    if not inside:
        return
    # Money with a value beats a bare percent; the first such in the clause wins.
    inside.sort(key=lambda a: (not a.is_money, a.start))
    c.amount = inside[0]


def _without_subject(c: Candidate) -> list[Token]:
    """The terms of "X rejected Y" are in what was rejected, not in who rejected it."""
    t = c.trigger
    if t.pos_ not in ("VERB", "AUX") or t.dep_ in ("relcl", "acl"):
        return c.tokens
    subj = {x.i for s in _children(t, "nsubj", "nsubjpass") for x in s.subtree}
    rest = [x for x in c.tokens if x.i not in subj]
    return rest or c.tokens


def _starts_in(a: Amount, idx: set[int], pool: list[Token]) -> bool:
    return any(t.idx <= a.start < t.idx + len(t) + 1 for t in pool)


def _attach_date(c: Candidate, published) -> None:  # type: ignore[no-untyped-def]
    tokens = c.tokens
    tense = "future" if _is_future(c.trigger) else "past"
    doc = c.trigger.doc
    spans: list[DateSpan] = []
    for lo, hi in _runs(tokens):
        spans.extend(dates_stage.find_dates(_source(doc), published, start=doc[lo].idx,
                                            end=doc[hi].idx + len(doc[hi]), tense=tense,
                                            window=True))
    if not spans:
        # "X said Monday that it rejected...": the day of the saying dates the event.
        gov = c.trigger
        for _ in range(3):
            if gov.dep_ in ("ccomp",) and _lemma(gov.head) in ("say", "tell", "announce", "add"):
                sayer = gov.head
                for ch in sayer.children:
                    if ch.dep_ in ("npadvmod", "prep", "advmod", "tmod") and ch.i != gov.i:
                        sub = sorted(ch.subtree, key=lambda t: t.i)
                        spans.extend(dates_stage.find_dates(_source(doc), published, start=sub[0].idx,
                                                            end=sub[-1].idx + len(sub[-1]), tense="past",
                                                            window=True))
                break
            if gov.head.i == gov.i:
                break
            gov = gov.head
    # "13 percent from last year", "2019's 1.04 trillion won": a date inside the terms
    # dates the base of a figure, not the event.
    money = [(a.start, a.end) for a in c.sent_amounts]
    # "now", "recently": the time of the telling, not a day the event can be placed on.
    spans = [s for s in spans if not dates_stage.is_reference(s)]
    spans = [s for s in spans if not any(lo <= s.char_start < hi for lo, hi in money)
             and not _is_base_reference(doc, s)
             and not (c.type in ("offer", "demand", "agree", "accept", "reject") and _is_term_date(doc, s))]
    if not spans:
        return
    if not c.extra.get("aggregate"):
        # "out of work since April": the event began then; a tally of rounds
        # "since September" spans the whole stretch.
        spans = [_since_start(s, published) for s in spans]
    resolved = [s for s in spans if s.resolved]
    if resolved:
        c.date = min(resolved, key=lambda s: (s.days or 10**6))
    else:
        c.date = spans[0]


def _since_start(span: DateSpan, published) -> DateSpan:  # type: ignore[no-untyped-def]
    m = re.match(r"(?i)since\s+(.+)$", span.text)
    if not m or not span.resolved:
        return span
    start = dates_stage.resolve(m.group(1), published, "past", window=True)
    if start is None or not start.resolved:
        return span
    return DateSpan(start.start, start.end, span.text, span.char_start, span.char_end)


def _is_term_date(doc: Doc, span: DateSpan) -> bool:
    """"a 2.7 pct rise from April 1", "extended until March 24": when terms apply, not when
    they were put forward."""
    before = _source(doc)[max(0, span.char_start - 14):span.char_start].lower()
    return bool(re.search(r"\b(from|until|till|through|effective|starting|beginning|by|to|over|for)\s+$", before))


def _is_base_reference(doc: Doc, span: DateSpan) -> bool:
    if span.resolved and (span.days or 0) < 28:
        return False  # a base is a year, a month, a quarter; "on Jan. 14, 2020" dates an event
    before = _source(doc)[max(0, span.char_start - 16):span.char_start].lower()
    return bool(re.search(r"\b(from|over|than|compared with|compared to|on)\s+$", before)) and bool(
        re.search(r"\b(year|month|quarter|week|\d{4})\b", span.text.lower())) and not re.search(r"\bsince\b", before)


def _runs(tokens: list[Token]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for t in tokens:
        if runs and t.i == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], t.i)
        else:
            runs.append((t.i, t.i))
    return runs


def _is_future(t: Token) -> bool:
    node = t
    for _ in range(4):
        for c in node.children:
            if c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll", "wo"):
                return True
        if _lemma(node) in FUTURE_GOVERNORS and node.i != t.i:
            return True
        if node.dep_ == "xcomp" and node.head.lemma_ == "be":
            return True
        if node.dep_ not in ("xcomp", "pobj", "dobj", "prep", "pcomp", "acl", "nsubj", "nsubjpass", "compound"):
            break
        node = node.head
    return False


def _status(c: Candidate, sent: Span, published) -> str:  # type: ignore[no-untyped-def]
    if c.type not in ("statement",) and _is_future(c.trigger) and c.type in ("meet", "expire", "agree", "offer", "impact"):
        return "planned"
    if c.date and c.date.resolved and published and c.date.start and c.date.start > published:
        return "planned"
    clause_text = " ".join(t.text for t in c.tokens)
    for a in c.trigger.ancestors:
        if _lemma(a) in REPORT_NOUNS and a.pos_ == "NOUN":
            return "reported"
        if a.pos_ == "VERB" and _lemma(a) in ("say", "report", "cite", "tell", "suggest", "indicate"):
            subj = _children(a, "nsubj")
            if subj and _lemma(subj[0]) in REPORT_NOUNS:
                return "reported"
    governing = " ".join(" ".join(x.text for x in a.lefts if x.dep_ in ("nsubj", "advmod", "prep")) + " " + a.text
                         for a in c.trigger.ancestors)
    if UNNAMED_MARKERS.search(clause_text) or UNNAMED_MARKERS.search(governing):
        return "reported"
    return "asserted"


def _moves(cands: list[Candidate]) -> list[Candidate]:
    """A position that moved from X to Y: coming up is the payer's offer, coming down the
    asker's demand; the old position is kept as an event of its own."""
    out = []
    for c in cands:
        if not c.extra.pop("_move", False):
            out.append(c)
            continue
        a = c.amount
        if a is None or a.previous is None or a.value is None or a.previous.value is None or a.value == a.previous.value:
            continue
        c.type = "offer" if a.value > a.previous.value else "demand"
        c.target = c.target or []
        old = Candidate(type=c.type, trigger=c.trigger, actor=list(c.actor), target=list(c.target),
                        people=list(c.people), tokens=c.tokens, status=c.status, amount=a.previous,
                        date=None, extra=dict(c.extra))
        out.extend([c, old])
    return out


def _owners_from_context(cands: list[Candidate]) -> None:
    last: dict[str, Candidate] = {}
    for c in cands:
        if c.extra.pop("_owner_from_context", False):
            prev = last.get(c.type)
            if prev is not None:
                c.actor, c.target = list(prev.actor), list(prev.target)
            continue
        if c.actor and c.type in ("offer", "demand"):
            last[c.type] = c


def _carry_relative_amounts(cands: list[Candidate]) -> None:
    """A bare "13 percent hike" takes the absolute value the article gave the same rise elsewhere."""
    resolved = [c.amount for c in cands if c.amount and c.amount.value is not None and c.amount.change
                and c.amount.change.percent is not None]
    for c in cands:
        a = c.amount
        if a is None or a.value is not None or not a.change or a.change.percent is None:
            continue
        same = [r for r in resolved if abs(r.change.percent - a.change.percent) < 1e-9]  # type: ignore[union-attr]
        if same:
            r = same[0]
            c.amount = Amount(value=r.value, currency=r.currency, period=r.period or a.period,
                              change=Change(percent=a.change.percent, base=r.change.base if r.change else None),
                              usd=r.usd, usd_rate_date=r.usd_rate_date, text=a.text, start=a.start, end=a.end,
                              approximate=a.approximate)


# ------------------------------------------------------------------ records
def _to_event(c: Candidate, article: Article, cast: Cast) -> Event:
    doc = c.trigger.doc
    toks = c.tokens
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
    # Evidence is an exact substring of the article as read.
    text = article.text[start:end]
    stripped = text.rstrip(" ,;:-–—")
    end = start + len(stripped)
    lead = len(stripped) - len(stripped.lstrip(" ,;:-–—\"“'‘"))
    start += lead
    # The parser read the body with the header and dateline blanked: the quote keeps to that.
    evidence = quote(article, start, end, visible=doc.text)
    del doc
    people = list(c.people)
    return Event(article=article.id, type=c.type, actor=c.actor[0] if c.actor else None,
                 target=c.target[0] if c.target else None, people=tuple(people), amount=c.amount,
                 date=c.date, status=c.status, evidence=(evidence,), round=c.round, extra=dict(c.extra))


