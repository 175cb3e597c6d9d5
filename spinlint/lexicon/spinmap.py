"""The spinners' own word map, mined from the tortured-phrase pairs spinlint ships.

Real spinners do not use Moby or WordNet alone: they carry synonym maps of their own
("counterfeit" for "artificial", "bosom" for "breast", "peril" for "cancer").  The Problematic
Paper Screener's pairs (``rules/tortured-phrases/tortured-phrases.tsv``, CC BY 4.0, Cabanac,
Labbé & Magazinov; attribution in that folder's ``SOURCES.md``) are spinner output with the
established term beside it, so aligning the pairs of equal length word by word recovers the
word swaps they were made of: "counterfeit consciousness" / "artificial intelligence" gives
counterfeit -> artificial and consciousness -> intelligence.

The map is derived at first use from the shipped file (6k lines, ~20 ms), so it follows the
pack and needs no data file of its own: this module is its build script.
"""

from __future__ import annotations

import csv
import os
from collections import Counter, defaultdict
from functools import lru_cache

MAX_ORIGINALS = 6  # the commonest originals of a spun word; rarer alignments are noise


def pairs_path() -> str:
    import spinlint_rules

    return os.path.join(os.path.dirname(spinlint_rules.__file__), "tortured-phrases", "tortured-phrases.tsv")


def align(spun: str, original: str) -> list[tuple[str, str]]:
    """The word swaps of one pair: equal-length phrases aligned position by position (a pair
    of different lengths is a multiword paraphrase with no word-level alignment)."""
    a, b = spun.lower().split(), original.lower().split()
    if len(a) != len(b):
        return []
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y and x.isalpha() and y.isalpha()]


def mine(lines: list[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """spun word -> its originals, the most often aligned first."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for spun, original in lines:
        for x, y in align(spun, original):
            counts[x][y] += 1
    return {w: tuple(o for o, _ in c.most_common(MAX_ORIGINALS)) for w, c in counts.items()}


def read_pairs(path: str) -> list[tuple[str, str]]:
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        rows = (line for line in fh if not line.startswith("#"))
        for row in csv.DictReader(rows, delimiter="\t"):
            if row.get("pattern") and row.get("replacement"):
                out.append((row["pattern"], row["replacement"]))
    return out


@lru_cache(maxsize=1)
def spinner_map() -> dict[str, tuple[str, ...]]:
    return mine(read_pairs(pairs_path()))


@lru_cache(maxsize=1)
def phrases() -> frozenset[str]:
    """Every tortured phrase of the pack, lower case (for a cheap "pack hit" signal)."""
    return frozenset(" ".join(s.lower().split()) for s, _ in read_pairs(pairs_path()))


@lru_cache(maxsize=1)
def correct_terms() -> frozenset[str]:
    """Every correct term of the pack ("breast cancer", "random forest"), lower case."""
    return frozenset(" ".join(o.lower().split()) for _, o in read_pairs(pairs_path()))
