"""Wire copies: one agency story republished by several outlets, with small edits.

Counts of "how many sources report this" are only honest when the copies of
one wire story count once. This module finds them: each article's body text
becomes a set of word 5-grams ("shingles"), summarised by a MinHash; an LSH
index proposes earlier articles that may share most shingles, and the
MinHash estimate decides.

Two articles are copies of one story when either

* the Jaccard similarity of their shingle sets is at least `threshold`
  (default 0.5): a copy with a new headline, a changed dateline, a sentence
  added or cut still shares well over half its 5-grams, while two outlets'
  own stories on the same talks, with the same names and figures, share
  almost none (typically < 0.1), or
* at least `containment` (default 0.8) of the shorter article's shingles are
  in the longer: an outlet that ran only the first paragraphs of the story.

Articles with fewer than `min_shingles` shingles (about 25 words) are never
called copies: too short to tell a copy from a shared stock phrase.

The first article seen of each story is its canonical copy. Only canonical
articles are indexed, so memory grows with the number of distinct stories
(about 1.5 KB each), not with the number of copies.

    index = WireCopyIndex()
    for article in articles:
        canonical = index.add(article)   # None: a new story
    index.groups()                       # [{"a1", "b7", "c2"}, ...]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from parley.errors import ConfigurationError
from parley.records import Article

DEFAULT_THRESHOLD = 0.5
DEFAULT_CONTAINMENT = 0.8
SHINGLE_WORDS = 5
MIN_SHINGLES = 20
NUM_PERM = 128

_WORD = re.compile(r"\w+")


def shingles(text: str, words: int = SHINGLE_WORDS) -> set[str]:
    """The set of lower-cased word n-grams of `text`: what two copies share."""
    tokens = _WORD.findall(text.lower())
    if len(tokens) < words:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + words]) for i in range(len(tokens) - words + 1)}


def similarity(a: Article, b: Article, words: int = SHINGLE_WORDS) -> float:
    """Exact Jaccard similarity of two articles' body shingles (what the index estimates)."""
    sa, sb = shingles(a.body_text(), words), shingles(b.body_text(), words)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


@dataclass(frozen=True)
class _Story:
    minhash: object  # datasketch.LeanMinHash
    size: int        # number of shingles, for the containment estimate


class WireCopyIndex:
    """Streaming wire-copy detection: `add` each article once, in reading order."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, containment: float = DEFAULT_CONTAINMENT,
                 shingle_words: int = SHINGLE_WORDS, min_shingles: int = MIN_SHINGLES,
                 num_perm: int = NUM_PERM) -> None:
        if not 0.0 < threshold <= 1.0 or not 0.0 < containment <= 1.0:
            raise ConfigurationError("wire-copy threshold and containment must be in (0, 1]")
        try:
            from datasketch import LeanMinHash, MinHash, MinHashLSH
        except ImportError as exc:
            raise ConfigurationError(
                "wire-copy detection needs datasketch: pip install datasketch") from exc
        self.threshold, self.containment = threshold, containment
        self.shingle_words, self.min_shingles = shingle_words, min_shingles
        self._MinHash, self._LeanMinHash = MinHash, LeanMinHash
        # Generating the permutations is the slow part of a MinHash; do it once.
        template = MinHash(num_perm=num_perm)
        self._permutations, self._scheme = template.permutations, template.scheme
        self._num_perm = num_perm
        # The LSH only proposes candidates, so it is set looser than either
        # rule: a truncated copy has a low Jaccard but a high containment.
        self._lsh = MinHashLSH(threshold=min(threshold, 0.3), num_perm=num_perm)
        self._stories: dict[str, _Story] = {}
        self._canonical: dict[str, str] = {}
        self._copies: dict[str, list[str]] = {}

    def add(self, article: Article) -> str | None:
        """The id of the canonical copy this article repeats, or None when it is a new story."""
        if article.id in self._canonical:
            canonical = self._canonical[article.id]
            return None if canonical == article.id else canonical
        found = shingles(article.body_text(), self.shingle_words)
        if len(found) < self.min_shingles:
            self._canonical[article.id] = article.id
            return None
        minhash = self._MinHash(num_perm=self._num_perm, permutations=self._permutations,
                                 scheme=self._scheme)
        minhash.update_batch([s.encode("utf-8") for s in found])
        story = _Story(self._LeanMinHash(minhash), len(found))
        best = self._best_match(story)
        if best is None:
            self._stories[article.id] = story
            self._lsh.insert(article.id, story.minhash)
            self._canonical[article.id] = article.id
            self._copies[article.id] = [article.id]
            return None
        self._canonical[article.id] = best
        self._copies[best].append(article.id)
        return best

    def _best_match(self, story: _Story) -> str | None:
        best, best_score = None, 0.0
        for candidate in self._lsh.query(story.minhash):
            other = self._stories[candidate]
            jaccard = story.minhash.jaccard(other.minhash)  # type: ignore[attr-defined]
            shared = jaccard / (1.0 + jaccard) * (story.size + other.size)
            contained = shared / min(story.size, other.size)
            if jaccard >= self.threshold or contained >= self.containment:
                score = max(jaccard, contained)
                if score > best_score:
                    best, best_score = candidate, score
        return best

    def canonical(self, article_id: str) -> str:
        """The canonical copy of an article already added (itself when it is not a copy)."""
        return self._canonical[article_id]

    def copies(self, article_id: str) -> list[str]:
        """Every article of the same story, canonical first, in reading order."""
        return list(self._copies.get(self._canonical[article_id], [article_id]))

    def groups(self) -> list[set[str]]:
        """Each story published more than once: the ids of all its copies."""
        return [set(ids) for ids in self._copies.values() if len(ids) > 1]


def find_wire_copies(articles: Iterable[Article], threshold: float = DEFAULT_THRESHOLD,
                     containment: float = DEFAULT_CONTAINMENT) -> list[set[str]]:
    """Groups of article ids that are copies of one story (only groups of two or more)."""
    index = WireCopyIndex(threshold=threshold, containment=containment)
    for article in articles:
        index.add(article)
    return index.groups()
