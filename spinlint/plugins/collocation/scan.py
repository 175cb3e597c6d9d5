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

from spinlint.document import Document, Word
from spinlint.lexicon import ngrams, originals

# Words a spinner leaves alone and that never anchor a collocation here.  spaCy's English
# stop list (MIT), which covers determiners, pronouns, auxiliaries, prepositions and
# conjunctions; loaded from spaCy itself so the two never disagree.
_STOP: frozenset[str] | None = None


def stop_words() -> frozenset[str]:
    global _STOP
    if _STOP is None:
        from spacy.lang.en.stop_words import STOP_WORDS

        _STOP = frozenset(STOP_WORDS) | {"said", "says", "like", "also"}
    return _STOP


@dataclass(frozen=True)
class Variant:
    """A restoration of a pair: the words, which were swapped, and how established it is."""

    first: str
    second: str
    swapped: tuple[bool, bool]
    tags: tuple[str, str]  # Penn tag each swapped word must carry ("" when not swapped)
    count: int  # bigram count of the restored pair
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
        return math.log10(self.count) + 0.5 * math.log10(max(self.association, 1.0))


@dataclass(frozen=True)
class PairCandidate:
    first: Word
    second: Word
    variants: tuple[Variant, ...]  # strongest first


def adjacent(doc: Document, a: Word, b: Word) -> bool:
    """Two words separated only by spaces or one line break (no punctuation, no paragraph)."""
    gap = doc.prose[a.end : b.start]
    return (not gap.strip()) and gap.count("\n") <= 1 and bool(gap)


# Only originals clearly more common than the word in the text are tried: a spinner's rare
# synonym ("counterfeit" for "artificial") is what leaves a trace; a swap between words of
# similar frequency ("broad"/"wide") reads as honest English and is left alone.
MIN_GAP = 0.5
MAX_SPUN_ZIPF = 4.6  # words commoner than this are too ordinary to be a telling substitute


def _likely_originals(word: str) -> tuple[tuple[str, str, float], ...]:
    z = originals.zipf(word)
    if z > MAX_SPUN_ZIPF:
        return ()
    return tuple(
        (o, tag, gap) for o, tag in originals.originals(word) if (gap := originals.zipf(o) - z) >= MIN_GAP
    )


def _variants(la: str, lb: str) -> list[Variant]:
    found: list[Variant] = []
    oa, ob = _likely_originals(la), _likely_originals(lb)
    for o, tag, gap in oa:
        n = ngrams.bigram(o, lb)
        if n:
            found.append(_variant(o, lb, (True, False), (tag, ""), n, gap))
    for o, tag, gap in ob:
        n = ngrams.bigram(la, o)
        if n:
            found.append(_variant(la, o, (False, True), ("", tag), n, gap))
    if oa and ob:
        # both words swapped ("bosom peril"): only originals the counts list after o1
        second = {o: (tag, gap) for o, tag, gap in ob}
        for o1, t1, g1 in oa:
            for o2 in ngrams.followers(o1).intersection(second):
                t2, g2 = second[o2]
                found.append(_variant(o1, o2, (True, True), (t1, t2), ngrams.bigram(o1, o2), min(g1, g2)))
    found.sort(key=lambda v: -v.strength)
    return found


def _variant(first: str, second: str, swapped: tuple[bool, bool], tags: tuple[str, str], n: int,
             gap: float) -> Variant:
    assoc = n / max(ngrams.expected_bigram(first, second), 1.0)
    return Variant(first, second, swapped, tags, n, assoc, round(gap, 2))


def pair_candidates(doc: Document) -> list[PairCandidate]:
    """Adjacent content-word pairs absent from the counts that have an attested variant."""
    cached = doc.cache.get("spin:pairs")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    stop = stop_words()
    out: list[PairCandidate] = []
    words = doc.words
    for a, b in zip(words, words[1:]):
        la, lb = a.lower, b.lower
        if la in stop or lb in stop or not la.isalpha() or not lb.isalpha():
            continue
        if not (originals.has_originals(la) or originals.has_originals(lb)):
            continue
        if not adjacent(doc, a, b) or ngrams.bigram(la, lb):
            continue
        variants = _variants(la, lb)
        if variants:
            out.append(PairCandidate(a, b, tuple(variants)))
    doc.cache["spin:pairs"] = out
    return out


# -- scoring ---------------------------------------------------------------------------
# A logistic model over four measurable signals, fitted on synthetic spin (clean prose with
# one word of an attested collocation replaced by a rarer mutual Moby synonym) against the
# candidates the same scan raises on clean prose (package descriptions, licences, news).
# Weights are rounded; the output is the probability that the pair is a spun collocation.
#   association: the restored pair's count over chance (established collocations are far
#                above chance; two frequent words that merely meet are not)
#   count:       how common the restored pair is
#   rarity:      Zipf of the rarest swapped-in word (spinners favour rare synonyms; honest
#                technical prose pairs common words in new ways)
#   predictability: P(one word | the other) in the restored pair
SINGLE = (2.0, 0.85, -1.85, 0.35, -0.15)
DOUBLE = (0.7, 1.6, -1.6, 0.0, -7.4)


SINGLE_MIN_GAP = 0.8  # one swapped word must be clearly rarer than its original


def spin_probability(pair: PairCandidate, v: Variant) -> float:
    if v.swaps == 1 and v.gap < SINGLE_MIN_GAP:
        return 0.0
    w_assoc, w_count, w_rare, w_pred, bias = SINGLE if v.swaps == 1 else DOUBLE
    spun = [pair.first.lower, pair.second.lower]
    rarity = min(originals.zipf(s) for s, swapped in zip(spun, v.swapped) if swapped)
    predict = max(v.count / max(ngrams.unigram(v.first), 1), v.count / max(ngrams.unigram(v.second), 1))
    x = (
        w_assoc * math.log10(max(v.association, 1.0))
        + w_count * math.log10(v.count)
        + w_rare * rarity
        + w_pred * math.log10(max(predict, 1e-6))
        + bias
    )
    return 1.0 / (1.0 + math.exp(-x))
