"""Stage 6: who is who in one article.

Finds the parties an article names (states by ISO alpha-3 code whatever the
text calls them, organisations by slug), the people with the role and party
the text gives them, and resolves later mentions: surnames, pronouns and
generic nouns ("the club", "the two sides", "a department spokesperson").
Everything comes from general resources (gazetteer.py), never from lists of
any corpus's people.

The result, `Cast`, answers one question for the event stage: which parties
does this stretch of tokens stand for?
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from parley.analysis import gazetteer
from parley.analysis.language import load_model
from parley.records import Article, Person

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
GROUP_PRONOUNS = {"they", "them", "their", "theirs"}
THING_PRONOUNS = {"it", "its"}
FIRST_PERSON = {"we", "us", "our", "i", "my"}

# Common nouns that stand for a party mentioned elsewhere in the article.
ORG_NOUNS = {"club", "company", "firm", "group", "board", "union", "bank", "committee",
             "team", "side", "airline", "carrier", "brewer", "winemaker", "bidder",
             "buyer", "seller", "consortium", "investor", "syndicate", "lender",
             "creditor", "employer", "association", "federation", "organisation",
             "organization", "agency", "corporation", "conglomerate", "giant", "maker",
             "owner", "party", "management", "administration", "government", "ministry",
             "department", "office", "cabinet", "parliament", "congress", "camp"}
MEMBER_NOUNS = {"worker", "striker", "employee", "member", "seaman", "sailor", "miner",
                "teacher", "nurse", "driver", "pilot", "docker", "staff"}
GROUP_NOUNS = MEMBER_NOUNS | {"employer", "bank", "creditor", "lender", "shareholder", "investor",
                             "bondholder", "owner", "airline", "carrier", "producer", "exporter",
                             "importer", "manufacturer", "farmer", "democrat", "republican", "union",
                             "bidder", "supporter", "fan", "player", "club", "company", "power"}
# Messengers, not sides: wire services and outlets that "learnt" or "reported" a fact.
# Names that are also companies in deals (News Corp, Fox, The Times) are left out.
MEDIA = re.compile(r"(^|-)(sport|sports|journal|herald|tribune|gazette|reuters|bbc|cnn|cnbc|agency|press|tv|"
                   r"radio|television|daily|telegraph|guardian|mercantil|shimbun|yonhap|xinhua|bloomberg|"
                   r"afp|ap|roll-call|financial-times)(-|$)")
DESCRIBED_NOUNS = {"company", "firm", "group", "club", "bank", "carrier", "airline", "maker", "giant",
                   "conglomerate", "brewer", "winemaker", "bidder", "buyer", "investor", "lender", "insurer",
                   "manufacturer", "producer", "retailer", "team", "union"}
BODY_NOUNS = {"committee", "commission", "council", "panel", "consortium", "syndicate", "tribunal"}
PAIR_WORDS = {"two", "both", "allies", "sides", "parties", "neighbours", "neighbors"}
SPEAKER_NOUNS = {"spokesperson", "spokesman", "spokeswoman", "official", "officials",
                 "source", "sources", "negotiator", "negotiators", "representative",
                 "representatives", "envoy", "diplomat", "diplomats", "aide", "aides",
                 "adviser", "advisers", "advisor", "executive", "director", "chairman",
                 "chief", "head", "leader", "leaders", "minister", "secretary", "delegation"}
ORG_SUFFIXES = re.compile(r"\b(inc|corp|co|ltd|plc|group|holdings|sa|ag|nv|llc|union|club|"
                          r"bank|airlines?|fc|united|rovers|rangers|city|association|committee|"
                          r"wanderers|athletic|albion|hotspur|county|partners|capital|fund|na)\b", re.I)
ROLE_WORDS = {"counterpart", "negotiator", "negotiators", "envoy", "delegate", "delegation",
              "official", "officials", "diplomat", "ambassador", "spokesperson", "spokesman",
              "spokeswoman", "representative", "minister", "secretary"}


@dataclass
class Mention:
    start: int          # token index in the doc
    end: int
    code: str           # ISO alpha-3 or organisation slug
    kind: str           # "state", "org" or "person"
    person: str | None = None  # the person's full name for kind == "person"


@dataclass
class Cast:
    """The parties and people of one analysed article."""

    doc: Doc
    home: str | None
    mentions: list[Mention]
    people: dict[str, Person] = field(default_factory=dict)
    principals: tuple[str, ...] = ()
    _by_token: dict[int, Mention] = field(default_factory=dict)
    _surnames: dict[str, str] = field(default_factory=dict)
    _orgs: dict[str, str] = field(default_factory=dict)  # slug -> canonical slug
    _home_assumed: set[str] = field(default_factory=set)
    # Parties named by common nouns, in the order the article introduces them (a dict as an
    # ordered set: which group a later bare noun is must not depend on the hash seed).
    _groups: dict[str, None] = field(default_factory=dict)
    nationality: dict[str, str] = field(default_factory=dict)  # org slug -> state ("Taiwan's Foxconn")  # people given the home country for want of better

    # ---------------------------------------------------------------- lookup
    def mention_at(self, i: int) -> Mention | None:
        return self._by_token.get(i)

    def person_party(self, name: str | None) -> str | None:
        if not name:
            return None
        person = self.people.get(name)
        if person is None:
            return None
        return person.party or gazetteer.slug(person.name)

    def parties_in(self, tokens: Iterable[Token], *, before: int | None = None) -> list[str]:
        """The parties a stretch of tokens (a subject, an owner phrase) stands for.

        The head of the phrase decides: a person stands for their party, a
        state or organisation for itself, a pronoun or generic noun for what
        it refers back to (`before` is where to look back from).
        """
        tokens = sorted(tokens, key=lambda t: t.i)
        if not tokens:
            return []
        found: list[str] = []
        seen_mentions: set[int] = set()
        head = _phrase_head(tokens)
        if head.lemma_.lower() in ORG_NOUNS | SPEAKER_NOUNS and head.i not in self._by_token:
            # "the board of the football club", "the government of Japan": whose board it is.
            for p in head.children:
                if p.dep_ == "prep" and p.lower_ == "of":
                    for o in p.children:
                        if o.dep_ == "pobj":
                            owner = self.parties_in(list(o.subtree), before=before if before is not None else o.i)
                            if owner:
                                return owner
        if head.pos_ == "PROPN" and head.i not in self._by_token and head.text not in self._surnames \
                and head.ent_type_ not in ("DATE", "TIME", "NORP", "CARDINAL", "MONEY", "PERCENT") \
                and not (head.is_upper and head.i < 3) \
                and not head.is_stop and head.text[:1].isupper():
            # "Taiwan's Foxconn": the company the tagger missed, not the state that owns the name.
            chain = [t for t in head.subtree if t.dep_ == "compound" and t.pos_ == "PROPN"] + [head]
            found.append(self.canonical_org(gazetteer.slug(" ".join(t.text for t in sorted(chain, key=lambda x: x.i)))))
        # People first: "US President Donald Trump" is Trump, who stands for the US.
        for t in tokens:
            m = self._by_token.get(t.i)
            if m is None or id(m) in seen_mentions:
                continue
            seen_mentions.add(id(m))
            code = self.person_party(m.person) if m.kind == "person" else m.code
            if code and code not in found:
                found.append(code)
        if found and head.pos_ == "NOUN" and head.tag_ == "NNS" and head.lemma_.lower() in GROUP_NOUNS \
                and head.i not in self._by_token and any(c.dep_ == "poss" for c in head.children):
            # "Argentina's creditors": the creditors act, Argentina is whom they are creditors of.
            words = [t.lemma_.lower() for t in tokens if t.i <= head.i and t.pos_ in ("NOUN", "ADJ")
                     and not t.is_stop and t.i not in self._by_token]
            group = self.group(words) if words else None
            if group:
                return [group] + [c for c in found if c != group]
        if found and head.pos_ == "NOUN" and head.lemma_.lower() in DESCRIBED_NOUNS and head.i not in self._by_token \
                and all(self._by_token[t.i].kind == "state" and t.dep_ in ("amod", "compound", "nmod")
                        for t in tokens if t.i in self._by_token):
            # "the Taiwanese company": a nationality describes the company, it is not the party;
            # the company of that nationality named before, if the article gave one.
            states = {self._by_token[t.i].code for t in tokens if t.i in self._by_token}
            limit = before if before is not None else tokens[0].i
            same = [m for m in self.mentions if m.kind == "org" and m.start < limit
                    and self.nationality.get(m.code) in states]
            if same:
                return [same[-1].code]
            resolved = self._resolve_reference(head, tokens, limit)
            if resolved:
                return resolved
        if found:
            # Within "Seoul's top negotiator", prefer what the head stands for.
            head_m = self._by_token.get(head.i)
            if head_m is not None:
                code = self.person_party(head_m.person) if head_m.kind == "person" else head_m.code
                if code in found:
                    found.remove(code)
                    found.insert(0, code)
            return found
        return self._resolve_reference(head, tokens, before if before is not None else tokens[0].i)

    def _resolve_reference(self, head: Token, tokens: list[Token], before: int) -> list[str]:
        lower = head.lower_
        words = {t.lower_ for t in tokens}
        lemma = head.lemma_.lower()
        if words & PAIR_WORDS and (lemma in ORG_NOUNS or lemma in SPEAKER_NOUNS
                                   or lemma in {"side", "country", "ally", "nation", "government", "party"}
                                   or lower in PAIR_WORDS):
            return list(self.principals[:2])
        if lower in PERSON_PRONOUNS:
            m = self._previous(before, kinds={"person"})
            return [c for c in [self.person_party(m.person) if m else None] if c]
        if lower in THING_PRONOUNS:
            sent_start = self.doc[before].sent.start if before < len(self.doc) else before
            m = (self._previous(before, kinds={"org", "state"}, subjects_only=True, within=before - sent_start)
                 or self._previous(before, kinds={"org"}, subjects_only=True, within=400)
                 or self._previous(before, kinds={"org", "state"}, subjects_only=True)
                 or self._previous(before, kinds={"org", "state"}))
            return [m.code] if m else []
        if lower in GROUP_PRONOUNS:
            m = self._previous(before, kinds={"org", "state", "person"}, subjects_only=True)
            if m is None:
                return list(self.principals[:2])
            return [self.person_party(m.person) if m.kind == "person" else m.code]
        if lower in FIRST_PERSON:
            return []
        if lemma in MEMBER_NOUNS:
            # "the strikers": the union that speaks for them, else the group itself.
            m = self._previous(before, kinds={"org"}, name_has=("union",))
            if m is None:
                words = [t.lemma_.lower() for t in tokens if t.i <= head.i and t.pos_ in ("NOUN", "ADJ", "PROPN")
                         and not t.is_stop]
                return [self.group(words)] if words else []
            return [m.code]
        if lemma in ORG_NOUNS and any(t.lower_ in ("a", "an") for t in tokens if t.i < head.i):
            # "a 12-bank advisory committee": a party introduced here, named by what it is.
            words = [t.lemma_.lower() if t.i == head.i else t.lower_ for t in tokens
                     if t.i <= head.i and t.pos_ in ("NOUN", "PROPN", "ADJ") and not t.is_stop and not t.like_num]
            words = [w.split("-", 1)[1] if re.match(r"\d+-", w) else w for w in words]
            if words:
                return [self.group(words)]
        if lemma in BODY_NOUNS and not self._previous(before, kinds={"org"}, name_has=(lemma,)):
            # "the committee's proposal" with no committee named: the body by what it is.
            words = [t.lemma_.lower() if t.i == head.i else t.lower_ for t in tokens
                     if t.i <= head.i and t.pos_ in ("NOUN", "PROPN", "ADJ") and not t.is_stop and not t.like_num]
            return [self.group(words)] if words else []
        if lemma in SPEAKER_NOUNS or lemma in ORG_NOUNS:
            # "a department spokesperson", "the club": the nearest party of the right kind.
            hint = [t.lemma_.lower() for t in tokens if t.i != head.i and t.pos_ in ("NOUN", "PROPN")]
            if lemma in {"government", "ministry", "department", "administration", "cabinet",
                         "parliament", "congress", "office"} or any(h in {"government", "ministry", "department",
                                                                            "administration", "foreign"} for h in hint):
                m = self._previous(before, kinds={"state"})
                code = m.code if m else self.home
                return [code] if code else []
            m = None if head.tag_ == "NNS" and lemma in GROUP_NOUNS else self._previous(
                before, kinds={"org"}, name_has=tuple([lemma] + hint))
            if m is None and head.tag_ != "NNS" and lemma in DESCRIBED_NOUNS:
                # "the Taiwanese company": the company the article has been talking about.
                m = self._previous(before, kinds={"org"}, subjects_only=True)
            if m is None and head.tag_ == "NNS" and lemma in GROUP_NOUNS:
                # "the employers", "the banks": the group itself, not whoever was named last.
                words = [t.lemma_.lower() for t in tokens if t.i <= head.i and t.pos_ in ("NOUN", "ADJ", "PROPN")
                         and not t.is_stop]
                return [self.group(words)] if words else []
            if m is None and lemma not in SPEAKER_NOUNS:
                m = self._previous(before, kinds={"org"})
            if m is None and lemma in SPEAKER_NOUNS:
                m = self._previous(before, kinds={"org", "state"})
            if m is None and lemma in ("management", "union", "board", "employer", "company", "club"):
                return [self.group([lemma])]  # "management has offered 6%" with no company named
            return [m.code] if m else []
        # A surname the tagger did not mark as a person ("Trump rejected...").
        for t in tokens:
            full = self._surnames.get(t.text)
            if full and t.pos_ == "PROPN":
                code = self.person_party(full)
                return [code] if code else []
        # An unknown proper-noun subject ("Blackburn have rejected...") is an organisation.
        propn = [t for t in tokens if t.pos_ == "PROPN" and t.ent_type_ not in ("DATE", "TIME", "CARDINAL")]
        if propn and head.pos_ == "PROPN":
            name = " ".join(t.text for t in propn)
            return [self.canonical_org(gazetteer.slug(name))]
        if head.pos_ == "NOUN" and head.tag_ == "NNS" and lemma in GROUP_NOUNS:
            # "Engineering industry employers": a group named by what it is.
            words = [t.lemma_.lower() for t in tokens
                     if t.pos_ in ("NOUN", "PROPN", "ADJ") and t.i <= head.i and not t.is_stop]
            if words:
                return [self.group(words)]
        return []

    def _previous(self, before: int, kinds: set[str], *, subjects_only: bool = False,
                  name_has: tuple[str, ...] = (), within: int | None = None) -> Mention | None:
        best = None
        for m in self.mentions:
            if m.start >= before:
                break
            if within is not None and before - m.start > within:
                continue
            if m.kind not in kinds:
                continue
            if subjects_only and not _is_subjectish(self.doc[m.start:m.end]):
                continue
            if name_has and not any(h and any(part.rstrip("s") == h.rstrip("s") for part in m.code.split("-"))
                                    for h in name_has):
                continue
            if m.kind == "org" and MEDIA.search(m.code):
                continue  # "BBC Sport has learnt": the messenger is not a side
            best = m
        return best

    def group(self, words: list[str]) -> str:
        """A party named by what it is ("engineering industry employers", "the banks").
        A bare "employers" later is the same group; it is never a bank named before."""
        slug = gazetteer.slug(" ".join(words))
        if "-" not in slug:
            for known in reversed(self._groups):  # the latest introduced: the nearest referent
                if known.split("-")[-1] == slug:
                    return self.canonical_org(known)
        self._groups[slug] = None
        return self.canonical_org(slug)

    def canonical_org(self, slug: str) -> str:
        if not slug:
            return slug
        if slug in self._orgs:
            return self._orgs[slug]
        parts = slug.split("-")
        generic = len(parts) == 1 and (parts[0] in GROUP_NOUNS or parts[0] in ORG_NOUNS or parts[0] in BODY_NOUNS)
        for known, canon in list(self._orgs.items()):
            if generic:
                break  # "bank" alone is a group of banks, not the "Central Bank" named before
            kparts = known.split("-")
            initials = "".join(p[0] for p in kparts if p)
            if slug.rstrip("s") == known.rstrip("s"):
                self._orgs[slug] = canon  # "Dixon" and "Dixons"
                return canon
            if slug == initials and len(slug) >= 2:
                self._orgs[slug] = canon
                return canon
            if len(parts) != len(kparts) and (set(parts) <= set(kparts) or set(kparts) <= set(parts)):
                self._orgs[slug] = canon
                return canon
        self._orgs[slug] = slug
        return slug

    def known_org(self, slug: str) -> str | None:
        """The canonical slug of an organisation already named whose name starts with `slug`."""
        if not slug:
            return None
        if slug in self._orgs:
            return self._orgs[slug]
        for known, canon in self._orgs.items():
            if known.split("-")[0].rstrip("s") == slug.rstrip("s"):
                return canon
        return None

    def people_in(self, tokens: Iterable[Token]) -> list[str]:
        names: list[str] = []
        for t in tokens:
            m = self._by_token.get(t.i)
            if m is not None and m.kind == "person" and m.person and m.person not in names:
                names.append(m.person)
        return names

    def previous_person(self, before: int) -> str | None:
        m = self._previous(before, kinds={"person"})
        return m.person if m else None


def _is_subjectish(span: Span) -> bool:
    root = span.root
    while root.dep_ in ("compound", "poss", "amod", "nmod", "conj") and root.head.i != root.i:
        root = root.head
    return root.dep_ in ("nsubj", "nsubjpass", "pobj") and (root.dep_ != "pobj" or root.head.lower_ == "by")


def _phrase_head(tokens: list[Token]) -> Token:
    idx = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in idx or t.head.i == t.i:
            return t
    return tokens[0]


# -------------------------------------------------------------------- building
_MATCHER_CACHE: dict[int, object] = {}


def _state_matcher(nlp):  # type: ignore[no-untyped-def]
    key = id(nlp.vocab)
    if key not in _MATCHER_CACHE:
        from spacy.matcher import PhraseMatcher
        matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_code: dict[str, list[str]] = {}
        for surface, code, kind in gazetteer.surfaces():
            if code == "*":
                continue
            by_code.setdefault(code, []).append(surface)
            if kind in ("capital", "name", "alias") and surface.upper() != surface:
                by_code[code].append(surface.upper())  # datelines: "SEOUL, Jan. 24"
        for code, surfaces in by_code.items():
            matcher.add(code, [nlp.make_doc(s) for s in set(surfaces)])
        _MATCHER_CACHE[key] = matcher
    return _MATCHER_CACHE[key]


def build_cast(doc: Doc, article: Article) -> Cast:
    """Find every party and person mention in an analysed article."""
    nlp_vocab_owner = doc.vocab
    matcher = _state_matcher(load_model()) if doc.vocab is load_model().vocab else None
    mentions: list[Mention] = []
    taken: set[int] = set()
    if matcher is not None:
        spans = sorted(((s, e, doc.vocab.strings[mid]) for mid, s, e in matcher(doc)),
                       key=lambda x: (x[0], -(x[1] - x[0])))
        for s, e, code in spans:
            if any(i in taken for i in range(s, e)):
                continue
            surface = doc[s:e].text
            if surface in gazetteer.ambiguous_surfaces() and doc[s].ent_type_ == "PERSON":
                continue
            # A state named inside an organisation's name ("Bank of Korea", "London Interbank
            # Offered Rate") is the organisation.
            org = _org_entity_at(doc, s)
            if org is not None and (org.end - org.start) > (e - s) and not _is_institution(doc, s):
                continue
            mentions.append(Mention(s, e, code, "state"))
            taken.update(range(s, e))
    del nlp_vocab_owner
    home = _home_country(article, doc, mentions)
    cast = Cast(doc=doc, home=home, mentions=[])
    for ent in doc.ents:
        if any(i in taken for i in range(ent.start, ent.end)):
            continue
        if ent.label_ == "PERSON" and ORG_SUFFIXES.search(ent.text) and ent.text.split()[-1] not in cast._surnames:
            # "Manchester United", "Glasgow Rangers" tagged as people.
            slug = gazetteer.slug(re.sub(r"^(the|The)\s+", "", ent.text).removesuffix("'s").removesuffix("’s"))
            if slug:
                mentions.append(Mention(ent.start, ent.end, cast.canonical_org(slug), "org"))
                taken.update(range(ent.start, ent.end))
            continue
        if ent.label_ == "PERSON" and len(ent) <= 2 and cast.known_org(gazetteer.slug(_clean_name(ent))):
            # "Foster" after "Foster's Group": the company again, not a person.
            mentions.append(Mention(ent.start, ent.end, cast.known_org(gazetteer.slug(_clean_name(ent))), "org"))
            taken.update(range(ent.start, ent.end))
            continue
        if ent.label_ == "PERSON" and len(ent) == 1 and ent.text not in cast._surnames and _plural_subject(ent):
            # "Blackburn have rejected...": a team or company (plural agreement), not a person.
            mentions.append(Mention(ent.start, ent.end, cast.canonical_org(gazetteer.slug(ent.text)), "org"))
            taken.update(range(ent.start, ent.end))
            continue
        if ent.label_ == "PERSON":
            name = _clean_name(ent)
            if not name:
                continue
            full = cast._surnames.get(name) if len(name.split()) == 1 else None
            if full is None:
                full = _register_person(cast, ent, name, mentions)
            mentions.append(Mention(ent.start, ent.end, full, "person", person=full))
            taken.update(range(ent.start, ent.end))
        elif ent.label_ in ("ORG", "GPE", "NORP") and _clean_name(ent) in cast._surnames:
            # A known person's surname mislabelled as an organisation or place.
            full = cast._surnames[_clean_name(ent)]
            mentions.append(Mention(ent.start, ent.end, full, "person", person=full))
            taken.update(range(ent.start, ent.end))
        elif ent.label_ == "NORP" and ent.text[:1].isupper() and gazetteer.state_code(ent.text) is None:
            # Political and other groups: "Democrats", "Republicans", "the Tories".
            slug = gazetteer.slug(ent.text)
            if slug:
                mentions.append(Mention(ent.start, ent.end, cast.canonical_org(slug), "org"))
                taken.update(range(ent.start, ent.end))
        elif ent.label_ == "ORG" and ent.end < len(doc) and gazetteer.title_kind(doc[ent.end].text) \
                and gazetteer.title_kind(f"{ent.text} {doc[ent.end].text}"):
            continue  # "Finance Secretary", "Defense Minister": part of a title, not a party
        elif ent.label_ == "ORG" and any(t.text in cast._surnames and t.pos_ == "PROPN" for t in ent):
            # "following Mnuchin": a known person inside a mislabelled span.
            t = next(t for t in ent if t.text in cast._surnames and t.pos_ == "PROPN")
            full = cast._surnames[t.text]
            mentions.append(Mention(t.i, t.i + 1, full, "person", person=full))
            taken.add(t.i)
        elif ent.label_ in ("GPE", "LOC") and ent.root.dep_ in ("nsubj", "nsubjpass", "poss") \
                and gazetteer.state_code(ent.text) is None:
            # "Blackburn have rejected a bid", "Chicago's offer": a place that acts is a party.
            slug = gazetteer.slug(ent.text)
            if slug:
                mentions.append(Mention(ent.start, ent.end, cast.canonical_org(slug), "org"))
                taken.update(range(ent.start, ent.end))
        elif ent.label_ == "ORG":
            text = re.sub(r"^(the|The)\s+", "", ent.text).removesuffix("'s").removesuffix("’s")
            inst = gazetteer.institution(text)
            if inst is not None:
                code = inst[0] if inst[0] != "*" else (_qualifier_state(doc, ent, mentions) or home)
                if code:
                    mentions.append(Mention(ent.start, ent.end, code, "state"))
                    taken.update(range(ent.start, ent.end))
                continue
            inner = re.match(r"^(.*?)\s*\(\s*([A-Z][\w&.-]{2,})\s*\)?$", text)
            if inner:  # the tagger took "Corp of Canada (Stanvest)" as one name
                text = inner.group(1)
            slug = gazetteer.slug(text)
            if slug and ent.root.dep_ == "appos" and ent.root.head.pos_ == "NOUN" \
                    and ent.root.head.lemma_.lower() in ORG_NOUNS:
                # "The group, Cyacq Acquisition Corp, said...": another name of the group named before.
                earlier = [m for m in mentions if m.kind == "org" and m.start < ent.start and not MEDIA.search(m.code)]
                if earlier and slug not in cast._orgs:
                    cast._orgs[slug] = cast.canonical_org(earlier[-1].code)
            alias = gazetteer.slug(inner.group(2)) if inner else _parenthesised_alias(doc, ent.end)
            if slug and alias:
                # "National Union of Maritime Navigation Companies (Syndarma)": known by the short name.
                cast._orgs.setdefault(alias, alias)
                cast._orgs[slug] = cast._orgs[alias]
            if slug:
                mentions.append(Mention(ent.start, ent.end, cast.canonical_org(slug), "org"))
                taken.update(range(ent.start, ent.end))
    _unlabelled_orgs(doc, cast, mentions, taken)
    mentions.sort(key=lambda m: m.start)
    cast.mentions = mentions
    cast._by_token = {i: m for m in mentions for i in range(m.start, m.end)}
    _nationalities(cast)
    cast.principals = _principals(mentions, cast)
    if _travellers_are_guests(cast, _dateline_country(article, doc, mentions)):
        cast.principals = _principals(mentions, cast)
    return cast


_LEGAL_SUFFIXES = {"inc", "inc.", "corp", "corp.", "co", "co.", "ltd", "ltd.", "plc", "group", "holdings",
                   "corporation", "company", "llc", "ag", "sa", "nv", "airlines", "bank", "union"}


def _unlabelled_orgs(doc: Doc, cast: Cast, mentions: list[Mention], taken: set[int]) -> None:
    """Proper-noun runs ending in a legal suffix that the tagger missed: "USAir Group Inc"."""
    for t in doc:
        if t.i in taken or t.lower_ not in _LEGAL_SUFFIXES or t.pos_ != "PROPN":
            continue
        start = t.i
        while start - 1 >= 0 and doc[start - 1].pos_ == "PROPN" and (start - 1) not in taken and not doc[start - 1].is_space:
            start -= 1
        if start == t.i:
            continue
        end = t.i + 1
        while end < len(doc) and doc[end].lower_ in _LEGAL_SUFFIXES and end not in taken:
            end += 1
        slug = gazetteer.slug(doc[start:end].text)
        if slug:
            mentions.append(Mention(start, end, cast.canonical_org(slug), "org"))
            taken.update(range(start, end))


def _plural_subject(ent: Span) -> bool:
    root = ent.root
    if root.dep_ != "nsubj":
        return False
    verb = root.head
    return verb.tag_ == "VBP" or any(c.dep_ == "aux" and c.tag_ == "VBP" for c in verb.children)


def _parenthesised_alias(doc: Doc, i: int) -> str | None:
    """"... Companies (Syndarma)", "Innovation Network Corp of Japan (INCJ)": the short name."""
    k = i
    while k < len(doc) and k < i + 4 and (doc[k].lower_ == "of" or doc[k].pos_ == "PROPN") and doc[k].text != "(":
        k += 1
    if k + 2 < len(doc) and doc[k].text == "(" and doc[k + 2].text == ")" and doc[k + 1].is_alpha \
            and doc[k + 1].text[:1].isupper() and len(doc[k + 1].text) >= 3:
        return gazetteer.slug(doc[k + 1].text)
    return None


def _org_entity_at(doc: Doc, i: int) -> Span | None:
    if doc[i].ent_type_ != "ORG":
        return None
    return next((e for e in doc.ents if e.start <= i < e.end), None)


def _is_institution(doc: Doc, i: int) -> bool:
    ent = next((e for e in doc.ents if e.start <= i < e.end), None)
    return ent is not None and gazetteer.institution(ent.text.removeprefix("the ")) is not None


def _clean_name(ent: Span) -> str:
    toks = [t for t in ent if t.text not in ("'s", "’s", "'", "’")]
    # "Following Mnuchin's": a sentence-initial word swept into the name.
    while toks and (gazetteer.title_kind(toks[0].text) or toks[0].lower_ in ("mr", "mrs", "ms", "dr", "mr.", "mrs.", "ms.", "dr.")
                    or toks[0].pos_ in ("VERB", "ADP", "DET", "ADV", "SCONJ", "CCONJ", "PRON")):
        toks = toks[1:]
    if not toks:
        return ""
    # The text as written ("Jeong Eun-bo"), with line breaks folded.
    # (a span's own text: doc.text would rebuild the whole article for every name)
    raw = ent.doc[toks[0].i:toks[-1].i + 1].text
    name = " ".join(raw.split()).strip(" ,.")
    return name if re.search(r"[A-Za-z]", name) else ""


def _register_person(cast: Cast, ent: Span, name: str, states: list[Mention]) -> str:
    doc = ent.doc
    role, party = _role_and_party(doc, ent, states, cast)
    cast.people[name] = Person(name=name, role=role, party=party)
    parts = name.split()
    if len(parts) > 1:
        cast._surnames.setdefault(parts[-1], name)
        cast._surnames.setdefault(parts[0], name)  # Korean names: family name first
    cast._surnames.setdefault(name, name)
    return name


def _role_and_party(doc: Doc, ent: Span, states: list[Mention], cast: Cast) -> tuple[str | None, str | None]:
    """The role and party the text gives a person at their first mention."""
    state_at = {i: m.code for m in states for i in range(m.start, m.end)}
    # Title words right before the name: "US Secretary of State Mike Pompeo".
    left = []
    i = ent.start - 1
    while i >= 0 and i >= ent.start - 8:
        t = doc[i]
        if t.is_punct and t.text not in ("'s", "’s") or t.lower_ in ("said", "says", "and", "with", "by"):
            break
        if t.pos_ in ("VERB", "AUX", "DET", "SPACE") or t.ent_type_ == "PERSON" or "\n" in t.text:
            break
        left.insert(0, t)
        i -= 1
    appos_tokens = _apposition_after(doc, ent.end)
    if not left and ent.start >= 2 and doc[ent.start - 1].text == ",":
        left = _apposition_before(doc, ent.start - 1)
    appos = [t for t in appos_tokens if t.head.i not in {x.i for x in appos_tokens}]
    role_tokens = left or appos_tokens
    role = " ".join(" ".join(t.text for t in role_tokens).split()).strip(" ,") or None
    title = gazetteer.title_info(role) if role else None
    words = {t.lower_ for t in role_tokens}
    # A state stands behind a person only through an office or a negotiating role:
    # "US President X", "his US counterpart X"; not "US tycoon X".
    official = (title is not None and title.speaks_for_state in ("yes", "side")) or bool(words & ROLE_WORDS)
    party = None
    if official:
        role_ids = {t.i for t in role_tokens}
        for t in left + [t for t in appos_tokens if t.dep_ in ("poss", "compound", "amod", "nmod") or t.head in appos]:
            if t.i in state_at and not _in_for_phrase(t, role_ids):
                party = state_at[t.i]
                break
    if party is None and role and official:
        code = gazetteer.party_code(role, cast.home)
        if code and code != "*":
            party = code
    if party is None and role_tokens and title is not None and title.kind in ORG_TITLE_KINDS | {"head_of_state"}:
        # "chief executive of Southcorp", "Blackburn chief executive", "president of the employers'
        # federation": the organisation in the role; one the article names as a party first
        # ("External Relations Commissioner of the European Community": not "External Relations").
        named = [state_at[t.i] for t in role_tokens if t.i in state_at and not gazetteer.is_state_code(state_at[t.i])]
        orgs = [e for e in doc.ents if e.label_ == "ORG" and any(e.start <= t.i < e.end for t in role_tokens)]
        of_orgs = [e for e in orgs if e.start >= 1 and (doc[e.start - 1].lower_ == "of" or (
            e.start >= 2 and doc[e.start - 1].lower_ == "the" and doc[e.start - 2].lower_ == "of"))]
        if named:
            party = named[0]
        elif orgs:
            party = cast.canonical_org(gazetteer.slug((of_orgs or orgs)[0].text.removeprefix("the ")))
    if party is None and left and title is not None and title.kind in ORG_TITLE_KINDS:
        # "Facebook executive X", "Newcastle boss X", "Liberal leader X": the proper name before
        # the title is the organisation, whether or not the parser tagged it as one.
        name = _name_before_title(left, state_at)
        if name:
            party = cast.canonical_org(gazetteer.slug(name))
    if party is None and title is not None and title.kind in ("executive", "union", "other") and not (
            words & ROLE_WORDS):
        # "...Blackburn want £6m but chief executive John Williams...": the company just named.
        orgs = [m for m in states if m.kind == "org" and ent.sent.start - 40 <= m.start < ent.start
                and not MEDIA.search(m.code)]
        if orgs:
            party = orgs[-1].code
    if party is None and title is not None and cast.home and (
            title.speaks_for_state == "yes" or title.kind in ("head_of_state", "head_of_government", "minister",
                                                              "royal", "official")):
        party = cast.home
    if party is not None and party == cast.home and not any(t.i in state_at for t in role_tokens):
        cast._home_assumed.add(_clean_name(ent))
    return role, party


# Words that open a title without naming anyone's organisation ("Former chairman X").
ROLE_MODIFIERS = {"former", "acting", "interim", "outgoing", "incoming", "veteran", "new", "then", "ex",
                  "senior", "top", "joint", "retiring", "late", "current", "longtime", "long-time"}
ORG_TITLE_KINDS = {"executive", "union", "other", "official", "negotiator", "spokesperson"}
# Common nouns that say what an organisation is, not which one ("Union" in "Union leader X").
_KIND_NOUNS = ORG_NOUNS | GROUP_NOUNS | BODY_NOUNS


def _name_before_title(left: list[Token], state_at: dict[int, str]) -> str | None:
    """The proper name that opens a title ("Facebook" in "Facebook executive"), if any."""
    words: list[str] = []
    for t in left:  # (the parser often tags such a name a noun or an adjective: its capital decides)
        if not t.text[:1].isupper() or t.i in state_at or t.ent_type_ in ("PERSON", "NORP", "DATE") \
                or t.lower_ in ROLE_MODIFIERS or t.is_stop:
            break
        words.append(t.text)
    rest = left[len(words):]
    if not words or not rest or gazetteer.title_info(" ".join(words)) is not None or \
            all(w.lower() in _KIND_NOUNS for w in words):
        # the whole phrase a name ("Mr. X"), the name itself a title ("Chairman") or a common
        # noun that says what the organisation is, not which ("Union leader X")
        return None
    return " ".join(words)


def _apposition_before(doc: Doc, comma: int) -> list[Token]:
    """"his U.S. counterpart, James DeHart": the role phrase the name is apposed to."""
    out: list[Token] = []
    k = comma - 1
    while k >= 0 and comma - k <= 8:
        t = doc[k]
        if t.is_punct and t.text not in ("'s", "’s", ".") or t.pos_ in ("VERB", "AUX", "ADP", "SPACE") or t.ent_type_ == "PERSON":
            break
        out.insert(0, t)
        k -= 1
    words = {t.lower_ for t in out}
    return out if words & ROLE_WORDS or (out and gazetteer.title_kind(" ".join(t.text for t in out))) else []


def _apposition_after(doc: Doc, i: int) -> list[Token]:
    """", Seoul's top negotiator for the talks," after a name (skipping "(R)")."""
    n = len(doc)
    if i < n and doc[i].text == "(":
        close = next((k for k in range(i, min(n, i + 6)) if doc[k].text == ")"), None)
        if close is None:
            return []
        i = close + 1
    if i >= n or doc[i].text != ",":
        return []
    if i + 1 < n and doc[i + 1].pos_ in ("ADP", "VERB", "AUX", "SCONJ", "CCONJ"):
        return []  # ", at their talks": no apposition
    out = []
    for k in range(i + 1, min(n, i + 16)):
        t = doc[k]
        if t.text in (",", ";", ")", "(", ".", "--", "—") or t.pos_ in ("VERB", "AUX") or t.is_space and "\n\n" in t.text:
            break
        out.append(t)
    return out


def _in_for_phrase(t: Token, within: set[int]) -> bool:
    # "deputy assistant secretary of state for South Korea and Japan": a portfolio, not a party.
    for a in t.ancestors:
        if a.i not in within:
            break
        if a.dep_ == "prep" and a.lower_ in ("for", "on", "over", "about", "with", "in", "to"):
            return True
        if a.dep_ in ("appos", "nsubj", "ROOT"):
            break
    return False


def _qualifier_state(doc: Doc, ent: Span, mentions: list[Mention]) -> str | None:
    # "Seoul's foreign ministry", "the South Korean government"
    for m in mentions:
        if m.kind == "state" and m.end <= ent.start and ent.start - m.end <= 2:
            return m.code
    return None


def _nationalities(cast: Cast) -> None:
    """"Taiwan's Foxconn", "Australian winemaker Southcorp": the state an organisation is of."""
    doc = cast.doc
    for m in cast.mentions:
        if m.kind != "org" or m.code in cast.nationality:
            continue
        root = doc[m.start:m.end].root
        for k in range(max(0, m.start - 4), m.start):
            hit = cast._by_token.get(k)
            if hit is not None and hit.kind == "state" and (doc[k].head.i == root.i or doc[k].head.head.i == root.i
                                                            or doc[k].head.i in range(m.start, m.end)):
                cast.nationality[m.code] = hit.code


TRAVEL_WORDS = {"arrive", "visit", "travel", "fly", "trip", "tour", "land", "head"}


def _travellers_are_guests(cast: Cast, dateline: str | None) -> bool:
    """A leader who visits a country is not its leader: "Netanyahu cancelled a visit to
    the United States" in a US paper datelined Jerusalem makes him Israeli, while "Biden
    arrives in Israel" keeps him American."""
    changed = False
    for name in cast._home_assumed:
        person = cast.people.get(name)
        if person is None or person.party != cast.home:
            continue
        visited: set[str] = set()
        for m in cast.mentions:
            if m.kind != "person" or m.person != name:
                continue
            sent = cast.doc[m.start].sent
            own = set(range(m.start, m.end))
            for t in sent:
                if t.lemma_.lower() in TRAVEL_WORDS and _travels(t, own):
                    for x in t.subtree if t.pos_ == "NOUN" else [y for c in t.children for y in c.subtree]:
                        hit = cast._by_token.get(x.i)
                        if hit is not None and hit.kind == "state" and x.head.lower_ in ("to", "in", "for"):
                            visited.add(hit.code)
        if cast.home in visited:
            others = [c for c in [dateline, *cast.principals] if c and re.fullmatch(r"[A-Z]{3}", c) and c not in visited]
            if others:
                cast.people[name] = Person(name=person.name, role=person.role, party=others[0])
                changed = True
    return changed


def _travels(t: Token, person_tokens: set[int]) -> bool:
    """Whether the person (token indices) is the one who makes this trip."""
    verb = t.head if t.pos_ == "NOUN" else t
    if t.pos_ == "NOUN" and any(c.dep_ == "poss" and c.i in person_tokens for c in t.children):
        return True
    return any(c.dep_ in ("nsubj", "nsubjpass") and any(x.i in person_tokens for x in c.subtree)
               for c in verb.children)


def _dateline_country(article: Article, doc: Doc, mentions: list[Mention]) -> str | None:
    dateline = article.metadata.get("dateline") if isinstance(article.metadata, dict) else None
    if isinstance(dateline, str):
        for part in reversed([p.strip() for p in dateline.split(",")]):
            code = gazetteer.state_code(part) or gazetteer.state_code(part.title())
            if code:
                return code
    return None


def _home_country(article: Article, doc: Doc, mentions: list[Mention]) -> str | None:
    """The country of the article's point of view: its outlet, else its dateline."""
    if article.source:
        code = _state_in_text(article.source)
        if code:
            return code
    code = _dateline_country(article, doc, mentions)
    if code:
        return code
    # The dateline: a state mention in the first sentence's opening tokens.
    first = next(iter(doc.sents), None)
    if first is not None:
        for m in mentions:
            if m.start < first.start + 6 and m.start >= first.start:
                return m.code
    return None


def _state_in_text(text: str) -> str | None:
    words = re.findall(r"[A-Z][\w.]*", text)
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            code = gazetteer.state_code(" ".join(words[i:i + n]))
            if code:
                return code
    return None


def _principals(mentions: list[Mention], cast: Cast) -> tuple[str, ...]:
    counts: dict[str, float] = {}
    first = next(iter(cast.doc.sents), None)
    for rank, m in enumerate(mentions):
        code = cast.person_party(m.person) if m.kind == "person" else m.code
        if not code or (m.kind == "org" and MEDIA.search(code)):
            continue
        if first is not None and m.start < first.start + 3 and m.kind == "state" and cast.doc[m.start].is_upper:
            continue  # the dateline names where, not who
        span = cast.doc[m.start:m.end]
        weight = 1.5 if rank < 8 else 1.0  # the lead names the sides
        if _is_subjectish(span):
            weight *= 2
        elif span.root.head.lower_ in ("in", "at", "to", "from") and m.kind == "state":
            weight *= 0.5  # "talks in New York", "flew to Tokyo": places
        counts[code] = counts.get(code, 0.0) + weight
    return tuple(sorted(counts, key=lambda c: -counts[c]))
