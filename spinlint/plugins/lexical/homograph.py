"""LEX002: a function word replaced by a noun or verb that shares its spelling ("area unit" for "are")."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spinlint.document import Document, Word
from spinlint.lexicon import ngrams
from spinlint.model import Diagnostic, Severity, Span
from spinlint.packs import match_case
from spinlint.plugins.collocation.scan import adjacent
from spinlint.rule import Rule

# How much better the reference counts must support the function word than the expansion in
# this context, in log10 units summed over both neighbours (1.0: ten times better).  An
# unlisted pair is taken at a third of the listing cut-off (its count is somewhere below it).
MIN_EVIDENCE = 1.0
UNLISTED = ngrams.MIN_BIGRAM / 3
# Only expansions that are not ordinary English are used: "fire" for "can", "surgery" for
# "or", "arsenic" for "as" or "United States" for "us" are written by honest writers all the
# time, in contexts the counts cannot tell apart.  Ordinary = a single word of Zipf >= 3.0
# (wordsegment unigram counts) or a phrase whose first two words occur at least 10x the
# bigram cut-off.
COMMON_ZIPF = 3.0
COMMON_PHRASE = 10 * ngrams.MIN_BIGRAM
# The neighbour that decides must be a strong pair with the function word ("pages are",
# "that an"), listed at 10x the cut-off, and not listed at all with the expansion.
DECISIVE = COMMON_PHRASE


@dataclass(frozen=True)
class Homograph:
    expansion: tuple[str, ...]  # lower-case words
    function_word: str
    relation: str  # "synonym" or "hypernym" in WordNet
    pos: str  # "noun" or "verb": the sense's part of speech
    gloss: str

    @property
    def common(self) -> bool:
        if len(self.expansion) > 1:
            return ngrams.bigram(*self.expansion[:2]) >= COMMON_PHRASE
        per_billion = ngrams.unigram(self.expansion[0]) / ngrams.TOTAL * 1e9
        return per_billion > 0 and math.log10(per_billion) >= COMMON_ZIPF


@lru_cache(maxsize=1)
def homographs() -> dict[str, tuple[Homograph, ...]]:
    """First word of an expansion -> the expansions starting with it (longest first)."""
    text = resources.files("spinlint.plugins.lexical").joinpath("homographs.tsv").read_text(encoding="utf-8")
    rows = [ln.split("\t") for ln in text.splitlines()[2:] if ln.strip()]
    by_first: dict[str, list[Homograph]] = {}
    for expansion, word, relation, sense, gloss in rows:
        pos = "verb" if sense.startswith("v.") else "noun"
        h = Homograph(tuple(expansion.lower().split(" ")), word, relation, pos, gloss)
        if not h.common:
            by_first.setdefault(h.expansion[0], []).append(h)
    return {k: tuple(sorted(v, key=lambda h: -len(h.expansion))) for k, v in by_first.items()}


def _count(first: str, second: str) -> float:
    return float(ngrams.bigram(first, second)) or UNLISTED


class FunctionWordHomograph(Rule):
    """Function word replaced by a noun or verb that shares its spelling ("area unit" for "are").

    ## What it does
    Flags a word or phrase that WordNet lists for a noun or verb sense of a function word
    ("Associate in Nursing" for *an*, the degree AN; "area unit" for *are*, the unit of area;
    "World Health Organization" for *who*; "moldiness" for *must*; "victimization" for
    *using*) when it stands where the function word fits: the reference counts support the
    function word next to the neighbouring words at least ten times better than the phrase
    (log10 evidence summed over both neighbours >= 1), and one neighbour occurs at least a
    million times with the function word and is not listed with the phrase.  Once one
    occurrence is that clear, the phrase's other occurrences in the document need only the
    evidence (a spinner uses one word map for the whole text).  Phrases that are ordinary
    English ("fire" for *can*, "United States" for *us*) are never used.

    ## Why it matters
    Spinners built on WordNet look words up without their part of speech, so "the pages are
    found" comes out as "the pages area unit found".  No careful writer produces these;
    they are among the most reliable marks of automatic rewriting, and a search for the
    original text misses them.

    ## Example
    Most pages area unit found within a day.

    ## Use instead
    Most pages are found within a day.

    ## Fix safety
    Unsafe: the function word is almost certainly the original, but the sentence usually has
    other spun words around it that need a reader.

    ## References
    WordNet 3.0 (Princeton University, 2006; Miller 1995), via Debian's wordnet-base:
    function words from spaCy's English stop list whose content senses are rare in SemCor;
    table built by scripts/build_homographs.py.  Counts: Google Web Trillion Word Corpus
    (Brants & Franz 2006) via wordsegment.  The spam signatures "area unit" and "Associate in
    Nursing" are also listed by the Problematic Paper Screener (Cabanac, Labbé & Magazinov).
    """

    code = "LEX002"
    name = "function-word-homograph"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        table = homographs()
        words, low = doc.words, doc.folded_words
        weighed: list[_Weighed] = []
        i = 0
        while i < len(words):
            step = 1
            for h in table.get(low[i], ()):
                n = len(h.expansion)
                if tuple(low[i : i + n]) != h.expansion or not all(
                    adjacent(doc, words[k], words[k + 1]) for k in range(i, i + n - 1)
                ):
                    continue
                w = self._weigh(doc, words, i, h)
                if w is not None:
                    weighed.append(w)
                    step = n
                    break
            i += step
        # A spinner applies one word map to the whole text: where an expansion stands
        # decisively for its function word once, its other occurrences in the document need
        # only the evidence, not a decisive neighbour ("Pages that area unit linked", where
        # "that area" is ordinary English, after "most pages area unit found").
        decided: dict[Homograph, _Weighed] = {}
        for w in weighed:
            if w.decisive:
                decided.setdefault(w.homograph, w)
        for w in weighed:
            first = decided.get(w.homograph)
            if first is not None:
                yield self._report(doc, w, None if w.decisive else first)

    def _weigh(self, doc: Document, words: list[Word], i: int, h: Homograph) -> _Weighed | None:
        """The reference counts' evidence for the function word at words[i:], or None where
        the expansion may not stand for it (a capitalised single word mid-sentence, no
        neighbour to judge by, or the function word not ``MIN_EVIDENCE`` better)."""
        n = len(h.expansion)
        first, last = words[i], words[i + n - 1]
        initial = first.start == doc.sentence_at(first.start).start
        if n == 1 and first.text[:1].isupper() and not initial:
            return None  # "John" mid-sentence is a name, not the spinner's "john" for "can"
        prev = words[i - 1] if i > 0 and adjacent(doc, words[i - 1], first) else None
        nxt = words[i + n] if i + n < len(words) and adjacent(doc, last, words[i + n]) else None
        fw = h.function_word
        evidence, decisive, sides = 0.0, False, []
        for neighbour, ours, theirs in (
            (prev, (prev.lower if prev else "", fw), (prev.lower if prev else "", h.expansion[0])),
            (nxt, (fw, nxt.lower if nxt else ""), (h.expansion[-1], nxt.lower if nxt else "")),
        ):
            if neighbour is None or not neighbour.lower.isalpha():
                continue
            with_fw, with_exp = _count(*ours), _count(*theirs)
            evidence += math.log10(with_fw / with_exp)
            decisive = decisive or (with_fw >= DECISIVE and with_exp == UNLISTED)
            sides.append((" ".join(ours), with_fw, " ".join(theirs), with_exp))
        if not sides or evidence < MIN_EVIDENCE:
            return None
        return _Weighed(h, Span(first.start, last.end), initial, evidence, decisive, tuple(sides))

    def _report(self, doc: Document, w: _Weighed, same_as: _Weighed | None) -> Diagnostic:
        """The diagnostic for ``w``; ``same_as``: the decisive occurrence of the same
        expansion that lets ``w`` (not decisive itself) be reported."""
        h, span = w.homograph, w.span
        fw = h.function_word
        spun = doc.text[span.start : span.end]
        replacement = match_case(fw, spun) if w.initial else fw
        best = max(w.sides, key=lambda s: s[1] / s[3])
        seen = f"occurs {best[3]:,.0f} times" if best[3] > UNLISTED else "is not listed"
        message = (
            f"'{spun}' stands where the function word '{fw}' fits: WordNet gives it "
            f"{'as the broader term of' if h.relation == 'hypernym' else 'for'} a {h.pos} sense of "
            f"'{fw}' ({h.gloss}), a swap by a spinner blind to part of speech; '{best[0]}' occurs "
            f"{best[1]:,.0f} times in the reference counts, '{best[2]}' {seen}"
        )
        extra: tuple[tuple[str, str], ...] = ()
        if same_as is not None:
            at = doc.source.location(same_as.span.start)
            message += f"; the same swap stands unmistakably at {at.row}:{at.column}"
            extra = (("same_swap_at", f"{at.row}:{at.column}"),)
        return self.diagnostic(
            span,
            message,
            confidence=round(min(0.6 + 0.1 * w.evidence, 0.95), 2),
            suggestions=[replacement],
            evidence=(
                ("function_word", fw),
                ("wordnet", f"{h.relation}: {h.gloss}"),
                ("log10_evidence", f"{w.evidence:.2f}"),
                *((f"count {a}", f"{ca:.0f}") for a, ca, _b, _cb in w.sides),
                *extra,
                ("source", "WordNet 3.0; wordsegment bigrams (Google Web 1T)"),
            ),
        )


@dataclass(frozen=True)
class _Weighed:
    """One occurrence of an expansion where the function word fits better."""

    homograph: Homograph
    span: Span
    initial: bool  # at the start of its sentence
    evidence: float  # log10, summed over the neighbours
    decisive: bool  # a strong neighbour pair with the function word, unlisted with the expansion
    sides: tuple[tuple[str, float, str, float], ...]  # (ours, count, theirs, count) per neighbour
