"""Unigram and bigram counts from wordsegment's data files (Google Web Trillion Word Corpus).

Bigrams are only those with a count of at least 100,000 in about a trillion words of web
text: common originals ("years ago", "interest rates") are there, spun variants are not.
Absence is weak evidence alone; presence of a synonym variant is strong evidence.
"""

from __future__ import annotations

import os
from functools import lru_cache

TOTAL = 1_024_908_267_229  # tokens in the corpus (wordsegment)


def _data_dir() -> str:
    import wordsegment

    return os.path.dirname(wordsegment.__file__)


@lru_cache(maxsize=1)
def _bigrams() -> dict[str, int]:
    out: dict[str, int] = {}
    with open(os.path.join(_data_dir(), "bigrams.txt"), encoding="utf-8") as fh:
        for line in fh:
            pair, _, n = line.rstrip("\n").rpartition("\t")
            out[pair] = int(n)
    return out


@lru_cache(maxsize=1)
def _unigrams() -> dict[str, int]:
    out: dict[str, int] = {}
    with open(os.path.join(_data_dir(), "unigrams.txt"), encoding="utf-8") as fh:
        for line in fh:
            word, _, n = line.rstrip("\n").rpartition("\t")
            out[word] = int(n)
    return out


def bigram(first: str, second: str) -> int:
    """Count of the pair in the corpus (0 when below the 100k cut-off)."""
    return _bigrams().get(f"{first.lower()} {second.lower()}", 0)


def unigram(word: str) -> int:
    return _unigrams().get(word.lower(), 0)


def expected_bigram(first: str, second: str) -> float:
    """The pair's count if the two words were independent: a surprise test for absence."""
    a, b = unigram(first), unigram(second)
    return a * b / TOTAL
