"""parley: negotiation events from news articles, every figure traced to its sentence.

    from parley import extract
    for result in extract(["articles/"]):
        for event in result.events:
            print(event.type, event.actor, event.amount)
"""
from parley.analysis.amounts import find_amounts, parse_amount
from parley.analysis.dates import find_dates, resolve as resolve_date
from parley.errors import ConfigurationError, InputError, ModelError, ParleyError, StoreError
from parley.analysis.gazetteer import slug, state_code
from parley.pipeline import extract, extract_articles
from parley.reading.readers import read_articles
from parley.records import Amount, Article, Change, DateSpan, Event, Evidence, Party, Person, Problem
from parley.results import ArticleResult, ExtractOptions

__all__ = [
    "extract", "extract_articles", "read_articles", "ExtractOptions", "ArticleResult",
    "find_amounts", "parse_amount", "find_dates", "resolve_date", "state_code", "slug",
    "Amount", "Article", "Change", "DateSpan", "Event", "Evidence", "Party", "Person", "Problem",
    "ParleyError", "InputError", "ConfigurationError", "ModelError", "StoreError",
]
__version__ = "0.1.0"
