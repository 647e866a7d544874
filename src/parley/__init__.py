"""parley: negotiation events from news articles, every figure traced to its sentence."""
from parley.errors import ConfigurationError, InputError, ModelError, ParleyError, StoreError
from parley.records import Amount, Article, Change, DateSpan, Event, Evidence, Party, Person, Problem

__all__ = [
    "Amount", "Article", "Change", "DateSpan", "Event", "Evidence", "Party", "Person", "Problem",
    "ParleyError", "InputError", "ConfigurationError", "ModelError", "StoreError",
]
__version__ = "0.1.0"
