"""Unigram and bigram counts from wordsegment's data files (Google Web Trillion Word Corpus).

Bigrams are only those with a count of at least 100,000 in about a trillion words of web
text: common originals ("years ago", "interest rates") are there, spun variants are not.
Absence is weak evidence alone; presence of a synonym variant is strong evidence.

The two tab-separated files are parsed once and cached as a ``marshal`` dump (see
``spinlint.lexicon.cache``): ~0.6 s to parse, ~0.1 s to load.
"""

from __future__ import annotations

import os
from functools import lru_cache

from spinlint.lexicon.cache import load_or_build

TOTAL = 1_024_908_267_229  # tokens in the corpus (wordsegment)
MIN_BIGRAM = 100_000  # the cut-off below which wordsegment lists no pair
VERSION = "2"  # 2: adds the follower / preceder tables


def _data_dir() -> str:
    import wordsegment

    return str(os.path.dirname(wordsegment.__file__))


def _read(path: str) -> dict[str, int]:
    out: dict[str, int] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            key, _, n = line.rstrip("\n").rpartition("\t")
            out[key] = int(n)
    return out


def _files() -> tuple[str, str]:
    d = _data_dir()
    return os.path.join(d, "unigrams.txt"), os.path.join(d, "bigrams.txt")


Tables = tuple[dict[str, int], dict[str, int], dict[str, str], dict[str, str]]


def _build() -> Tables:
    uni, bi = _files()
    bigrams = _read(bi)
    nexts: dict[str, list[str]] = {}
    prevs: dict[str, list[str]] = {}
    for pair in bigrams:
        first, _, second = pair.partition(" ")
        nexts.setdefault(first, []).append(second)
        prevs.setdefault(second, []).append(first)
    join = " ".join
    return (
        _read(uni),
        bigrams,
        {w: join(v) for w, v in nexts.items()},
        {w: join(v) for w, v in prevs.items()},
    )


@lru_cache(maxsize=1)
def _tables() -> Tables:
    return load_or_build("ngrams", VERSION, (*_files(), __file__), _build)


def _bigrams() -> dict[str, int]:
    return _tables()[1]


def _unigrams() -> dict[str, int]:
    return _tables()[0]


def bigram_table() -> dict[str, int]:
    """The raw ``"first second" -> count`` map (lower case), for hot loops."""
    return _tables()[1]


def unigram_table() -> dict[str, int]:
    """The raw ``word -> count`` map (lower case), for hot loops."""
    return _tables()[0]


def bigram(first: str, second: str) -> int:
    """Count of the pair in the corpus (0 when below the 100k cut-off)."""
    return _bigrams().get(f"{first.lower()} {second.lower()}", 0)


def unigram(word: str) -> int:
    return _unigrams().get(word.lower(), 0)


# Bounded: a corpus run meets every word in the tables, and a common word's set holds
# thousands.  At 8k entries each, these two were the largest thing the benchmark's run kept
# (~23 MB); at 1k, the COL scan over the same run's pairs took ~0.25 s longer in all.
@lru_cache(maxsize=1024)
def followers(word: str) -> frozenset[str]:
    """Every word listed after ``word`` in the bigram counts."""
    joined = _tables()[2].get(word.lower())
    return frozenset(joined.split(" ")) if joined else frozenset()


@lru_cache(maxsize=1024)  # bounded: see ``followers``
def preceders(word: str) -> frozenset[str]:
    """Every word listed before ``word`` in the bigram counts."""
    joined = _tables()[3].get(word.lower())
    return frozenset(joined.split(" ")) if joined else frozenset()


def expected_bigram(first: str, second: str) -> float:
    """The pair's count if the two words were independent: a surprise test for absence."""
    uni = _tables()[0]  # not ``unigram``: asked for every candidate variant of a scan
    return uni.get(first.lower(), 0) * uni.get(second.lower(), 0) / TOTAL


def association(first: str, second: str) -> float:
    """How many times more often the pair occurs than independence predicts (0 if unlisted).

    A ratio in the hundreds marks an established collocation ("interest rates"); a ratio near
    1 is two frequent words that merely meet ("of the").
    """
    n = bigram(first, second)
    if not n:
        return 0.0
    return n / max(expected_bigram(first, second), 1.0)
