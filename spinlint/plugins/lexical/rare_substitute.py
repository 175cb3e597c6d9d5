from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spinlint.document import Document, Word
from spinlint.lexicon import ngrams, originals
from spinlint.model import Diagnostic, Severity
from spinlint.packs import match_case
from spinlint.plugins.collocation.implausible_collocation import (
    NOT_READ,
    ImplausibleCollocation,
    _proper,
    token_at,
)
from spinlint.plugins.collocation.scan import adjacent, stop_words
from spinlint.rule import Rule

MAX_ZIPF = 3.0  # "rare": about one use per million words or fewer
MIN_ORIGINAL_ZIPF = 4.0  # the original is an everyday word
MIN_GAP = 1.5  # at least ~30 times more common than the word in the text
MIN_CONTEXT_ASSOCIATION = 5.0  # the original forms a real pair with a neighbour, not a chance one
# ...and with at least one content-word neighbour, a collocation well above chance: function
# words ("the", "to") welcome almost any noun or verb, so they cannot show a fit alone.
MIN_CONTENT_ASSOCIATION = 20.0
MAX_SUGGESTIONS = 3
# Agreement of signals: spinners change many words of a passage, honest writers use a rare
# word now and then.  A candidate is reported only when another piece of spin evidence (a
# COL finding, or a LEX candidate for a different word) lies within this many characters.
# On clean prose this removed most false alarms (technical terms like "schema" that are
# rare in general English); in spun text the neighbours are usually there.
CORROBORATION_WINDOW = 300
_COLLOCATIONS = ImplausibleCollocation()


@dataclass(frozen=True)
class Fit:
    original: str
    tag: str
    gap: float
    sides: tuple[tuple[str, int, float], ...]  # (attested pair, count, association)

    @property
    def score(self) -> float:
        return len(self.sides) + self.gap / 4 + sum(a for _, _, a in self.sides) / 1e4


def _fits(doc: Document, words: list[Word], i: int, stop: frozenset[str]) -> list[Fit]:
    w = words[i].lower
    zw = originals.zipf(w)
    prev = words[i - 1] if i > 0 and adjacent(doc, words[i - 1], words[i]) else None
    nxt = words[i + 1] if i + 1 < len(words) and adjacent(doc, words[i], words[i + 1]) else None
    if (prev and ngrams.bigram(prev.lower, w)) or (nxt and ngrams.bigram(w, nxt.lower)):
        return []  # the word itself is attested in this context
    out = []
    for o, tag in originals.originals(w):
        zo = originals.zipf(o)
        if zo < MIN_ORIGINAL_ZIPF or zo - zw < MIN_GAP:
            continue
        sides = []
        strong = False  # a neighbour that is a content word welcomes the original
        for first, second, neighbour in ((prev and prev.lower, o, prev), (o, nxt and nxt.lower, nxt)):
            if neighbour is None or not first or not second:
                continue
            assoc = ngrams.association(first, second)
            if assoc >= MIN_CONTEXT_ASSOCIATION:
                sides.append((f"{first} {second}", ngrams.bigram(first, second), assoc))
                strong = strong or (neighbour.lower not in stop and assoc >= MIN_CONTENT_ASSOCIATION)
        if strong:
            out.append(Fit(o, tag, round(zo - zw, 2), tuple(sides)))
    out.sort(key=lambda f: -f.score)
    return out


class RareSubstitute(Rule):
    """Rare substitute: an uncommon word standing where a common synonym fits the context.

    ## What it does
    Flags a rare or archaic word ("hirelings", "denizens", "forthwith") when a thesaurus
    synonym of the same part of speech is at least ~30 times more common and forms an
    established pair with a neighbouring content word, while the rare word does not, and
    another sign of spinning lies within a few sentences (a COL finding or another rare
    substitute): one rare word alone is ordinary writing.

    ## Why it matters
    Spinners replace ordinary words with dictionary synonyms and often land on rare or
    archaic ones; a text dotted with them reads oddly and is a tell-tale of spinning.  The
    rule names the common word that fits and the pair that shows it fits.

    ## Example
    Quarterly sales tallies fell as climate alteration hit the farms.

    ## Use instead
    Quarterly sales figures fell as climate change hit the farms.

    ## Fix safety
    Unsafe: a writer may have chosen the rare word on purpose (style, register, quotation).

    ## References
    Synonyms: Moby Thesaurus II (Grady Ward, public domain); frequencies: wordfreq (Speer et
    al.); context counts: Google Web Trillion Word Corpus (Brants & Franz 2006) via
    wordsegment; inflection: lemminflect.
    """

    code = "LEX001"
    needs_spun_verdict = True  # honest prose has rare words with plain synonyms too ("denizens")
    name = "rare-substitute"
    severity = Severity.INFO
    needs = ImplausibleCollocation.needs  # its corroboration reads COL findings, which need the parser

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        stop = stop_words()
        words = doc.words
        found: list[tuple[Word, list[Fit]]] = []
        forms, zipf = originals.spun_forms(), originals.zipf_table()
        for i, word in enumerate(words):
            lw = word.lower
            if lw not in forms or lw in stop or not lw.isalpha():
                continue
            if not 0 < zipf.get(lw, 0.0) <= MAX_ZIPF or _proper(doc, word):
                continue
            fits = _fits(doc, words, i, stop)
            if fits:
                found.append((word, fits))
        if not found:
            return  # (COL's pairs only remove words or corroborate them: nothing to ask it)
        # a word inside a pair COL reports is explained there (shared, computed once)
        covered = [d.span for d in _COLLOCATIONS.findings(doc)]
        found = [(w, fits) for w, fits in found if not any(w.span.overlaps(c) for c in covered)]
        evidence = [(w.start, w.lower) for w, _ in found] + [(s.start, "") for s in covered]
        found = [
            (w, fits)
            for w, fits in found
            if any(abs(pos - w.start) <= CORROBORATION_WINDOW and other != w.lower for pos, other in evidence)
        ]
        if not found:
            return
        doc.prefetch((doc.sentence_at(w.start) for w, _ in found), without=NOT_READ)
        for word, fits in found:
            tok = token_at(doc, word)
            if tok is None:
                continue
            fitting = [f for f in fits if f.tag == tok.tag_]
            if not fitting:
                continue
            best = fitting[0]
            suggestions = [match_case(f.original, word.text) for f in fitting[:MAX_SUGGESTIONS]]
            pair, count, assoc = max(best.sides, key=lambda s: s[2])
            confidence = min(0.55 + 0.1 * len(best.sides) + 0.05 * min(best.gap - MIN_GAP, 2.0), 0.85)
            yield self.diagnostic(
                word.span,
                f"'{word.text}' is rare (Zipf {originals.zipf(word.lower):.1f}); its common synonym "
                f"'{best.original}' (Zipf {originals.zipf(best.original):.1f}) fits here: '{pair}' occurs "
                f"{count:,} times ({assoc:,.0f}x chance) in the reference counts",
                confidence=confidence,
                suggestions=suggestions,
                evidence=(
                    ("word", word.text),
                    ("original", best.original),
                    ("zipf_gap", f"{best.gap:.2f}"),
                    ("context_pair", pair),
                    ("context_count", str(count)),
                    ("source", "Moby thesaurus; wordfreq; wordsegment bigrams (Google Web 1T)"),
                ),
            )
