"""The cheap first pass shared by COL and LEX: dictionary look-ups on ``doc.words`` only.

For every adjacent pair of content words that the bigram counts do not list, look for a
*variant* with one or both words replaced by a candidate original (a word the spinner may have
swapped out, ``spinlint.lexicon.originals``) that the counts do list.  Only pairs with such a
variant become candidates; the rules then apply their statistical thresholds and, for the few
survivors, check part of speech and dependency with spaCy.  The result is cached on the
document so both rules share one scan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from spinlint.document import Document, Word
from spinlint.lexicon import ngrams, originals

# Words a spinner leaves alone and that never anchor a collocation here.  spaCy's English
# stop list (MIT), which covers determiners, pronouns, auxiliaries, prepositions and
# conjunctions; loaded from spaCy itself so the two never disagree.
_STOP: frozenset[str] | None = None


def stop_words() -> frozenset[str]:
    global _STOP
    if _STOP is None:
        _STOP = _spacy_stop_words() | {"said", "says", "like", "also"}
    return _STOP


def _spacy_stop_words() -> frozenset[str]:
    """spaCy's English stop list, read from its one-file module without importing the spaCy
    package (that import alone costs about a second of start-up)."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = os.path.join(spec.submodule_search_locations[0], "lang", "en", "stop_words.py")
    namespace: dict[str, object] = {}
    with open(path, encoding="utf-8") as fh:
        exec(compile(fh.read(), path, "exec"), namespace)  # noqa: S102 - a data-only module
    words: set[str] = namespace["STOP_WORDS"]  # type: ignore[assignment]
    return frozenset(words)


class Variant(NamedTuple):
    """A restoration of a pair: the words, which were swapped, and how established it is (a
    named tuple: the scan makes tens of thousands, and a tuple is built several times faster
    than a frozen dataclass)."""

    first: str
    second: str
    swapped: tuple[bool, bool]
    tags: tuple[str, str]  # Penn tags ("NNS|VBZ") each swapped word may carry ("" if not swapped)
    occurrences: int  # bigram count of the restored pair (not "count": a tuple method)
    association: float  # count / count expected if independent
    gap: float  # smallest Zipf gap between a swapped word and its original

    @property
    def text(self) -> str:
        return f"{self.first} {self.second}"

    @property
    def swaps(self) -> int:
        return sum(self.swapped)

    @property
    def strength(self) -> float:
        """How strongly the restored pair is an established collocation (log scale)."""
        return math.log10(self.occurrences) + 0.5 * math.log10(max(self.association, 1.0))


@dataclass(frozen=True)
class PairCandidate:
    first: Word
    second: Word
    variants: tuple[Variant, ...]  # strongest first


def adjacent(doc: Document, a: Word, b: Word) -> bool:
    """Two words separated only by spaces or one line break (no punctuation, no paragraph)."""
    if b.start - a.end == 1:  # the usual case, one character: no slice to build
        return doc.prose[a.end].isspace()
    gap = doc.prose[a.end : b.start]
    return (not gap.strip()) and gap.count("\n") <= 1 and bool(gap)


# Only originals clearly more common than the word in the text are tried: a spinner's rare
# synonym ("counterfeit" for "artificial") is what leaves a trace; a swap between words of
# similar frequency ("broad"/"wide") reads as honest English and is left alone.
MIN_GAP = 0.5
MAX_SPUN_ZIPF = 4.6  # words commoner than this are too ordinary to be a telling substitute


@lru_cache(maxsize=2048)
def _likely_originals(word: str) -> tuple[dict[str, tuple[str, float]], frozenset[str]]:
    """``{original: (tags, gap)}`` of a rare word's clearly commoner candidate originals, and
    the same originals as a set (intersecting two sets walks the smaller one)."""
    zipf = originals.zipf_table()
    z = zipf.get(word, 0.0)
    if z > MAX_SPUN_ZIPF:
        return {}, frozenset()
    found = {
        o: (tags, gap)
        for o, tags in originals.original_tags(word).items()
        if (gap := zipf.get(o, 0.0) - z) >= MIN_GAP
    }
    return found, frozenset(found)


# bounded low: a quarter of pairs recur (hit rate 0.25), and each entry holds its variants
@lru_cache(maxsize=8192)
def _variants(la: str, lb: str) -> tuple[Variant, ...]:
    """Attested restorations of the pair ``la lb``, strongest first (a pure function of the
    two words, so repeated pairs are looked up once)."""
    found: list[Variant] = []
    counts, zipf = ngrams.bigram_table(), originals.zipf_table()
    za, zb = zipf.get(la, 0.0), zipf.get(lb, 0.0)
    # one word swapped: every candidate original that the counts list next to the other word
    # (set intersections in C: a word may have hundreds of candidate originals)
    first_tags, second_tags = originals.original_tags(la), originals.original_tags(lb)
    if first_tags:
        for o in ngrams.preceders(lb).intersection(first_tags):
            gap = zipf.get(o, 0.0) - za
            found.append(_variant(o, lb, (True, False), (first_tags[o], ""), counts[o + " " + lb], gap))
    if second_tags:
        for o in ngrams.followers(la).intersection(second_tags):
            gap = zipf.get(o, 0.0) - zb
            found.append(_variant(la, o, (False, True), ("", second_tags[o]), counts[la + " " + o], gap))
    (oa, _), (ob, seconds) = _likely_originals(la), _likely_originals(lb)
    if oa and ob:
        # both words swapped ("bosom peril"): rare substitutes only, and only originals the
        # counts list after o1
        followers = ngrams.followers
        for o1, (t1, g1) in oa.items():
            for o2 in followers(o1) & seconds:
                t2, g2 = ob[o2]
                found.append(_variant(o1, o2, (True, True), (t1, t2), counts[o1 + " " + o2], min(g1, g2)))
    found.sort(key=lambda v: -v.strength)
    return tuple(found)


def _variant(
    first: str, second: str, swapped: tuple[bool, bool], tags: tuple[str, str], n: int, gap: float
) -> Variant:
    assoc = n / max(ngrams.expected_bigram(first, second), 1.0)
    return Variant(first, second, swapped, tags, n, assoc, round(gap, 2))


def pair_candidates(doc: Document) -> list[PairCandidate]:
    """Adjacent content-word pairs absent from the counts that have an attested variant."""
    cached = doc.cache.get("spin:pairs")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    stop = stop_words()
    forms = originals.spun_forms()
    counts = ngrams.bigram_table()
    out: list[PairCandidate] = []
    words = doc.words
    for a, b in zip(words, words[1:], strict=False):
        la, lb = a.lower, b.lower
        if la in stop or lb in stop or not (la in forms or lb in forms):
            continue
        if not la.isalpha() or not lb.isalpha() or (la + " " + lb) in counts:
            continue
        if not adjacent(doc, a, b):
            continue
        variants = _variants(la, lb)
        if variants:
            out.append(PairCandidate(a, b, variants))
    doc.cache["spin:pairs"] = out
    return out


# -- scoring ---------------------------------------------------------------------------
# Three logistic models over measurable signals, fitted on synthetic spin against the candidates
# the same scan raises on ~70k words of clean prose (package descriptions, software
# licences, news).  Positives: (a) the project's benchmark spinner (benchmarks/spinner.py:
# context-blind swaps for one of the 8 commonest Moby synonyms) and (b) swaps of one word of
# an attested collocation for a rarer mutual Moby synonym.  Weights are rounded.  Signals:
#   association: the restored pair's count over chance (established collocations are far
#                above chance; two frequent words that merely meet are not)
#   count:       log10 of the restored pair's count
#   rarity:      Zipf of the rarest swapped-in word
#   gap:         Zipf of the original minus Zipf of the word in the text
#   predictability: log10 P(one word | the other) in the restored pair
#   surprise:    log10 of the pair's expected count if the text's word were a true
#                paraphrase (restored count x frequency ratio) over the 100k listing cut-off
# The output is a probability under the training mix (about one spun pair per three chance
# candidates), which is what --min-confidence compares against.
# One word swapped for a clearly rarer synonym (Zipf gap >= RARE_GAP): "cell tallies".
RARE = {
    "assoc": 2.65,
    "count": 3.1,
    "rarity": -1.25,
    "gap": -1.8,
    "pred": -0.1,
    "surprise": -2.5,
    "bias": -17.1,
}
# One word swapped for a synonym about as common or commoner: "mailing work" for "mailing list".
COMMON = {
    "assoc": 0.45,
    "count": 2.45,
    "rarity": 1.05,
    "gap": -2.2,
    "pred": -0.3,
    "surprise": -1.65,
    "bias": -20.9,
}
# Both words swapped for rarer synonyms: "counterfeit consciousness".
DOUBLE = {"assoc": 0.7, "count": 1.6, "rarity": -1.6, "gap": 0.0, "pred": 0.0, "surprise": 0.0, "bias": -7.4}
RARE_GAP = 0.8


def features(pair: PairCandidate, v: Variant) -> dict[str, float]:
    uni, zipf = ngrams.unigram_table(), originals.zipf_table()
    spun = (pair.first.lower, pair.second.lower)
    restored = (v.first, v.second)
    expected = float(v.occurrences)
    rarity = gap = math.inf
    for s, o, sw in zip(spun, restored, v.swapped, strict=True):
        if sw:
            expected *= uni.get(s, 0) / max(uni.get(o, 0), 1)
            zs = zipf.get(s, 0.0)
            rarity, gap = min(rarity, zs), min(gap, zipf.get(o, 0.0) - zs)
    predict = v.occurrences / max(min(uni.get(v.first, 0), uni.get(v.second, 0)), 1)
    return {
        "assoc": math.log10(max(v.association, 1.0)),
        "count": math.log10(v.occurrences),
        "rarity": rarity,
        "gap": gap,
        "pred": math.log10(max(predict, 1e-6)),
        "surprise": math.log10(max(expected, 1.0) / ngrams.MIN_BIGRAM),
    }


def spin_probability(pair: PairCandidate, v: Variant) -> float:
    weights = DOUBLE if v.swaps == 2 else RARE if v.gap >= RARE_GAP else COMMON
    x = weights["bias"] + sum(weights[k] * f for k, f in features(pair, v).items())
    return 1.0 / (1.0 + math.exp(-max(min(x, 50.0), -50.0)))
