"""The rule-based extractor `rules.v1`: dependency-parse rules over spaCy's English pipeline.

    extractor.py  the backend: triggers, filters, roles, amounts and dates, status
    lexicon.py    its vocabulary (trigger verbs and nouns, negating and reporting words)
"""
from parley.extract.rules.extractor import RuleExtractor

__all__ = ["RuleExtractor"]
