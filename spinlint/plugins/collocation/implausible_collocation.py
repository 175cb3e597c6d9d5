from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import Any

from spinlint.document import Document, Word
from spinlint.model import Diagnostic, Severity, Span
from spinlint.packs import match_case
from spinlint.plugins.collocation.scan import (
    RARE_GAP,
    PairCandidate,
    Variant,
    features,
    pair_candidates,
    spin_probability,
)
from spinlint.rule import Rule

# Below this probability a candidate is dropped before parsing (most of them): precision first.
THRESHOLD = 0.85
# Dependencies that make a pair a collocation of the kinds we restore: adjective-noun and
# noun-noun (amod, compound, nmod) and verb-object (dobj).  Adverb modifiers are left out:
# on clean prose they were most of the false alarms ("prominently visible" for "clearly
# visible"), as writers vary adverbs freely.
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})
OBJECT_DEPS = frozenset({"dobj"})
MAX_SUGGESTIONS = 3
# A pair is only reported because the reference counts do not list it, and they list pairs
# from ``ngrams.MIN_BIGRAM`` occurrences up.  That absence is strong evidence only when the
# pair would be expected near the cut-off if the text's word were an honest paraphrase of the
# original (the ``surprise`` feature: log10 of restored count x frequency ratio over the
# cut-off).  Below MIN_SURPRISE -- expected at under ~18 % of the cut-off -- a pair made with
# a rare, precise word ("thyroid carcinoma", "appellate tribunal") is simply too rare to be
# listed, so its absence proves little.  Such a one-word swap is reported only when the
# passage shows other signs of spinning: spinners change a fifth or more of the content words,
# so unlisted pairs with an attested variant cluster in spun text and are isolated in honest
# prose.  "Other signs" = at least CORROBORATING other candidate pairs of the shared scan
# whose best variant scores at least CORROBORATING_PROBABILITY, starting within
# CORROBORATION_WINDOW characters (the window LEX001 uses for the same purpose).
# Set on the benchmark's dev data: MIN_SURPRISE is the middle of the gap between the lowest
# true positive (-0.50) and the next false positives (-0.99, -1.26) on the synthetic dev
# split; the corroboration level is the one, on a small grid (window 300/600, probability
# 0.1/0.2/0.3, 1-3 pairs), that keeps every true positive of the synthetic dev split and of
# the real-spinner dev set while removing the most alarms on the clean corpus as a whole.
# Two-word swaps are not gated: their model does not use surprise.
MIN_SURPRISE = -0.75
CORROBORATION_WINDOW = 300
CORROBORATING = 3
CORROBORATING_PROBABILITY = 0.1


def _proper(doc: Document, word: Word) -> bool:
    """A capitalised word not at the start of its sentence is a name: ENT's business, not ours."""
    if word.text.islower():
        return False
    return doc.sentence_at(word.start).start != word.start or word.text.isupper()


def related(first: Any, second: Any) -> bool:
    """spaCy tokens that form a modifier-head or verb-object pair."""
    if first.head.i == second.i and first.dep_ in MODIFIER_DEPS:
        return True
    return second.head.i == first.i and second.dep_ in OBJECT_DEPS


def corroborated(pair: PairCandidate, starts: list[int], ends: list[int]) -> bool:
    """At least CORROBORATING other candidate pairs start near ``pair``; ``starts`` (sorted)
    and ``ends`` are the positions of the document's likely-enough candidates."""
    lo = bisect_left(starts, pair.first.start - CORROBORATION_WINDOW)
    hi = bisect_right(starts, pair.first.start + CORROBORATION_WINDOW)
    others = sum(1 for i in range(lo, hi) if not (starts[i] < pair.second.end and pair.first.start < ends[i]))
    return others >= CORROBORATING


# What COL and LEX leave out of a parse: they read the tagger's tags and the parser's
# dependencies, never POS, lemmas or entities (see ``spinlint.document.LATE_COMPONENTS``).
NOT_READ = ("attribute_ruler", "lemmatizer", "ner")


def token_at(doc: Document, word: Word) -> Any:
    for tok in doc.tokens_in(word.span, without=NOT_READ):
        return tok
    return None


def restored_sentence(doc: Document, pair: PairCandidate, v: Variant) -> tuple[str, int, int]:
    """The sentence holding ``pair`` with ``v`` put back, and the offsets of its two words."""
    sent = doc.sentence_at(pair.first.start)
    before = doc.prose[sent.start : pair.first.start]
    between = doc.prose[pair.first.end : pair.second.start]
    after = doc.prose[pair.second.end : sent.end]
    first, second = restore(pair, v).split(" ")
    return before + first + between + second + after, len(before), len(before) + len(first) + len(between)


def same_construction(doc: Document, pairs: list[tuple[PairCandidate, Variant]]) -> list[bool]:
    """For each pair and variant: whether the sentence with the variant restored still parses
    the pair as a collocation of the kinds we restore (``related``); one batch for all."""
    restored = [restored_sentence(doc, pair, v) for pair, v in pairs]
    parsed = doc.parse_texts([text for text, _, _ in restored], without=NOT_READ) if restored else []
    if parsed is None:
        return [False] * len(pairs)
    out = []
    for (_, i, j), sent in zip(restored, parsed, strict=True):
        at = {tok.idx: tok for tok in sent}
        a, b = at.get(i), at.get(j)
        out.append(a is not None and b is not None and related(a, b))
    return out


def restore(pair: PairCandidate, v: Variant) -> str:
    """The restored pair in the case of the text ("Heart assaults" -> "Heart attacks")."""
    out = []
    for word, new, swapped in ((pair.first, v.first, v.swapped[0]), (pair.second, v.second, v.swapped[1])):
        out.append(match_case(new, word.text) if swapped else word.text)
    return " ".join(out)


class ImplausibleCollocation(Rule):
    """Implausible collocation: a rare pair where a synonym swap gives an established one.

    ## What it does
    Flags an adjective-noun, noun-noun or verb-object pair that reference counts
    do not list, when replacing one word (or, with stronger evidence, both) by a thesaurus
    synonym of the same part of speech gives a pair that is an established
    collocation: "heart assaults" for "heart attacks", "immune scheme" for "immune system",
    "infectious sickness" for "infectious disease", and, amid other signs of spin, "cell
    tallies" for "cell counts".

    ## Why it matters
    Synonym spinners swap words one at a time, with no sense of which words belong together.
    Fixed phrases come out broken in a way a native reader stumbles over and a search for
    the original term misses.  The rule reports the pair, the collocation it likely stood
    for, how often that collocation occurs and how far above chance.  Honest prose has rare
    pairs too ("thyroid carcinoma"), so when the spin detector (SPN) scores the file, this
    rule's findings are shown only in a file it judges suspicious or worse; selected without
    SPN (``--select COL``), it reports everywhere.

    ## Example
    The clinic treats many heart assaults every winter.

    ## Use instead
    The clinic treats many heart attacks every winter.

    ## Fix safety
    Unsafe: the restoration is the most likely original, but a writer may have meant the
    unusual pair; review before applying.

    ## References
    Cabanac, Labbé & Magazinov (2021), "Tortured phrases: A dubious writing style emerging
    in science", arXiv:2107.06751.  Counts: Google Web Trillion Word Corpus (Brants & Franz
    2006) via wordsegment; synonyms: Moby Thesaurus II (Grady Ward, public domain); word
    frequencies: wordfreq (Speer et al.); inflection: lemminflect.
    """

    code = "COL001"
    needs_spun_verdict = True  # honest prose has rare pairs too ("thyroid carcinoma")
    name = "implausible-collocation"
    severity = Severity.WARNING
    needs = frozenset({"tagger", "parser"})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        yield from self.findings(doc)

    def findings(self, doc: Document) -> list[Diagnostic]:
        """This rule's diagnostics for ``doc``, computed once and shared (LEX skips them)."""
        cached = doc.cache.get(self.code)
        if cached is None:
            cached = doc.cache[self.code] = list(self._find(doc))
        return cached

    def _find(self, doc: Document) -> Iterator[Diagnostic]:
        candidates = [
            (pair, sorted(((spin_probability(pair, v), v) for v in pair.variants), key=lambda pv: -pv[0]))
            for pair in pair_candidates(doc)
        ]
        likely = [p for p, ranked in candidates if ranked[0][0] >= CORROBORATING_PROBABILITY]
        starts, ends = [p.first.start for p in likely], [p.second.end for p in likely]
        scored: list[tuple[PairCandidate, list[tuple[float, Variant]]]] = []
        for pair, ranked in candidates:
            if ranked[0][0] < THRESHOLD or _proper(doc, pair.first) or _proper(doc, pair.second):
                continue
            if not corroborated(pair, starts, ends):
                # the pair's absence from the counts must speak for itself
                ranked = [
                    (p, v) for p, v in ranked if v.swaps == 2 or features(pair, v)["surprise"] >= MIN_SURPRISE
                ]
            if ranked and ranked[0][0] >= THRESHOLD:
                scored.append((pair, ranked))
        if not scored:
            return
        doc.prefetch((doc.sentence_at(p.first.start) for p, _ in scored), without=NOT_READ)
        fitting = [(pair, self._fitting(doc, pair, ranked)) for pair, ranked in scored]
        # the counts do not know part of speech: "miles away" is counted as a measure phrase,
        # so it does not attest "miles astern" as a collocation.  Put each restoration back
        # into its sentence and keep it only if it is parsed as the same construction, best
        # first, as many as are shown: the first MAX_SUGGESTIONS of every pair in one batch,
        # any further one only for a pair that needs it.
        first = [(pair, v) for pair, fits in fitting for _, v in fits[:MAX_SUGGESTIONS]]
        checked = dict(zip(((id(pair), v) for pair, v in first), same_construction(doc, first), strict=True))
        taken: list[Span] = []
        for pair, fits in fitting:
            span = Span(pair.first.start, pair.second.end)
            if not fits or any(span.overlaps(t) for t in taken):
                continue
            kept = []
            for p, v in fits:
                ok = checked.get((id(pair), v))
                if ok is None:
                    ok = same_construction(doc, [(pair, v)])[0]
                if ok:
                    kept.append((p, v))
                    if len(kept) == MAX_SUGGESTIONS:
                        break
            if kept:
                taken.append(span)
                yield self._diagnose(doc, pair, span, kept)

    def _fitting(
        self, doc: Document, pair: PairCandidate, ranked: list[tuple[float, Variant]]
    ) -> list[tuple[float, Variant]]:
        """The variants above THRESHOLD whose swapped words may carry the tags the parser gives
        the text's words, when the parser makes the pair a collocation of our kinds (else none)."""
        first, second = token_at(doc, pair.first), token_at(doc, pair.second)
        if first is None or second is None:  # no pipeline: the statistics alone are not enough
            return []
        if not related(first, second):
            return []
        tags = (first.tag_, second.tag_)
        return [
            (p, v)
            for p, v in ranked
            if p >= THRESHOLD
            and all(not s or tag in t.split("|") for s, t, tag in zip(v.swapped, v.tags, tags, strict=True))
        ]

    def _diagnose(
        self, doc: Document, pair: PairCandidate, span: Span, fitting: list[tuple[float, Variant]]
    ) -> Diagnostic:
        prob, best = fitting[0]
        suggestions = [restore(pair, v) for _, v in fitting[:MAX_SUGGESTIONS]]
        spun = doc.text[span.start : span.end]
        swapped = "both words are" if best.swaps == 2 else "the swapped word is"
        kind = "rarer thesaurus synonyms" if best.swaps == 2 else "a thesaurus synonym"
        if best.swaps == 1 and best.gap >= RARE_GAP:
            kind = "a rarer thesaurus synonym"
        message = (
            f"'{spun}' is not attested in the reference counts; '{best.text}' occurs "
            f"{best.occurrences:,} times ({best.association:,.0f}x chance) and {swapped} {kind} "
            "of the original: a spun collocation?"
        )
        return self.diagnostic(
            span,
            message,
            confidence=prob,
            suggestions=suggestions,
            evidence=(
                ("pair", spun),
                ("restored", best.text),
                ("restored_count", str(best.occurrences)),
                ("association", f"{best.association:.1f}"),
                ("zipf_gap", f"{best.gap:.2f}"),
                ("source", "wordsegment bigrams (Google Web 1T); Moby thesaurus"),
            ),
        )
