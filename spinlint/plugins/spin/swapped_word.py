"""SPN001: words a spinner most likely swapped, with their likely originals."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from spinlint.detect.evidence import IDX, Candidate, Evidence, WordEvidence, evidence, phrase_gains
from spinlint.detect.model import Scores, scores
from spinlint.document import Document
from spinlint.lexicon import spinmap
from spinlint.model import Diagnostic, Severity, Span
from spinlint.packs import match_case
from spinlint.rule import Rule


def min_probability() -> float:
    """The bar a mark's calibrated probability (P(swapped | spun) x P(paragraph spun)) must
    reach, fitted with the model (``training.build``): the lowest at which honest documents
    of its calibration split get at most 0.1 marks per 1,000 words, and at least 0.5 ("more
    likely than not"); --min-confidence raises it."""
    from spinlint.detect.model import detector

    return float(detector().spec["marks"]["min_probability"])


MAX_SUGGESTIONS = 3


def _times(gain: float) -> str:
    """A log10 gain as a factor: "35x", "2.3x", and past a million a power of ten."""
    x = 10**gain
    if x >= 1e6:
        return f"10^{gain:.1f} times"
    return f"{x:,.0f}x" if x >= 10 else f"{x:.1f}x"


class SwappedWord(Rule):
    """Word most likely swapped by a synonym spinner, inside text the detector judges spun.

    ## What it does
    Scores every content word with a trigram phrase model of US English: the window as
    written, and again with each candidate original in the slot (Moby synonyms, the spinners'
    own word map mined from the Problematic Paper Screener pairs, and words the reference
    bigrams put beside the neighbours).  A trained, calibrated model reads these gains with
    the word's frequency, its neighbours' evidence and the paragraph's and document's density
    of all of them, and gives the probability that the word was swapped.  Adjacent marks are
    merged into one span ("tainted beads" -> "infected droplets"); the ranked originals are
    the suggestions.

    ## Why it matters
    One odd word proves nothing; a paragraph in which word after word loses to a plainer
    synonym is spun.  The mark's confidence is the model's probability that the word was
    swapped *times* the probability that its paragraph is spun, so an isolated rare word in
    honest text stays silent, and in spun text the words that carry the spin are shown with
    the figures that convict them.

    ## Example
    Counterfeit consciousness apparatuses would now be able to peruse bosom peril checks
    quicker than specialists, and the creators demonstrate that their strategy beats the old
    techniques.

    ## Use instead
    Artificial intelligence tools can now read breast cancer scans faster than radiologists,
    and the authors show that their method beats the old techniques.

    ## Fix safety
    Unsafe: the phrase model's preferred original is often, not always, the writer's word;
    a reader must confirm each restoration.

    ## References
    CMU Sphinx US English trigram model (pocketsphinx, BSD); Moby thesaurus (Grady Ward,
    public domain); Problematic Paper Screener tortured-phrase pairs (Cabanac, Labbé &
    Magazinov 2021, CC BY 4.0); wordsegment bigrams (Google Web 1T, Brants & Franz 2006).
    Model and training data: docs/detector.md.
    """

    code = "SPN001"
    name = "swapped-word"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        ev = evidence(doc)
        if not ev.words:
            return
        s = scores(doc)
        bar = min_probability()
        marked = [i for i, p in enumerate(s.word) if p >= bar]
        groups: list[list[int]] = []
        for i in marked:
            if (
                groups
                and ev.words[groups[-1][-1]].index + 1 == ev.words[i].index
                and self._joined(doc, ev.words[groups[-1][-1]], ev.words[i])
            ):
                groups[-1].append(i)
            else:
                groups.append([i])
        for g in groups:
            yield self._report(doc, ev, s, g)

    @staticmethod
    def _joined(doc: Document, a: WordEvidence, b: WordEvidence) -> bool:
        """Adjacent marks are one span when only spaces or a hyphen part them."""
        gap = doc.prose[a.end : b.start]
        return gap.strip(" -") == "" and "\n\n" not in gap

    def _report(self, doc: Document, ev: Evidence, s: Scores, group: list[int]) -> Diagnostic:
        words = ev.words
        first, last = words[group[0]], words[group[-1]]
        span = Span(first.start, last.end)
        spun = doc.text[span.start : span.end]
        probs = [float(s.word[i]) for i in group]
        best: list[Candidate | None] = [next(iter(ranked(words[i])), None) for i in group]
        ranked_fixes = self._suggestions(doc, words, group, span)
        suggestions = [text for text, _ in ranked_fixes]
        p_para = s.paragraphs[first.paragraph] if s.paragraphs else 0.0
        reasons = []
        joint = ranked_fixes[0][1] if ranked_fixes else None
        if joint is not None:
            text = ranked_fixes[0][0]
            reasons.append(
                f"'{text}' is {_times(joint)} more probable here than '{spun}' (trigram phrase model)"
            )
        for i, c in zip(group, best, strict=True):
            if reasons and len(group) > 1:
                break  # the joint figure stands for the words of the span
            w = words[i]
            if c is not None and c.gain > 0:
                reasons.append(
                    f"'{c.word}' is {_times(c.gain)} more probable than '{w.text.lower()}' here "
                    f"(trigram phrase model; candidate from {SOURCE_NAMES[c.source]})"
                )
            elif ev.features[i, IDX["oov"]]:
                reasons.append(f"'{w.text}' is not in the phrase model's 72k-word vocabulary")
            else:
                reasons.append(f"'{w.text}' is improbable here and no plainer word restores the phrase")
        message = (
            f"'{spun}' looks swapped by a spinner (P = {max(probs):.2f}; paragraph P(spun) = {p_para:.2f}): "
            + "; ".join(reasons)
        )
        evidence_items = [
            ("p_swapped", f"{max(probs):.3f}"),
            ("p_paragraph_spun", f"{p_para:.3f}"),
        ]
        for i in group:
            w = words[i]
            for c in ranked(w)[:MAX_SUGGESTIONS]:
                evidence_items.append(
                    (f"gain {w.text.lower()}->{c.word}", f"{c.gain:.2f} log10 ({c.source})")
                )
        return self.diagnostic(
            span, message, confidence=max(probs), suggestions=suggestions, evidence=evidence_items
        )

    @staticmethod
    def _suggestions(
        doc: Document, words: list[WordEvidence], group: list[int], span: Span
    ) -> list[tuple[str, float | None]]:
        """Ranked restorations of the span.  One word: its ranked candidates.  Adjacent marks:
        every combination of each word's best candidates (or the word as written) scored
        together by the phrase model, those with more spinner-map words first, then by joint
        gain (``MAX_JOINT`` words at most;
        a longer run offers each word's best), with the joint gain where one was scored."""
        if len(group) == 1:
            cands = [ranked(words[group[0]])[:MAX_SUGGESTIONS]]
        else:
            # each word's synonyms whether or not they gain alone: beside the other spun word
            # of the pair, the right one often does not ("breast" next to "peril")
            cands = [synonyms_first(words[i])[:JOINT_CANDIDATES] for i in group]
        picks = [[c.word for c in cs] for cs in cands]
        from_map = [
            {c.word for c in cs if in_map(words[i], c.word)} for i, cs in zip(group, cands, strict=True)
        ]

        def render(choice: Sequence[str]) -> str:
            out = []
            pos = span.start
            for i, word in zip(group, choice, strict=True):
                w = words[i]
                out.append(doc.text[pos : w.start])
                out.append(match_case(word, w.text) if word else w.text)
                pos = w.end
            out.append(doc.text[pos : span.end])
            return "".join(out)

        if not any(picks):
            return []
        if len(group) == 1:
            return [(render([p]), None) for p in picks[0][:MAX_SUGGESTIONS]]
        if len(group) > MAX_JOINT:
            return [(render([p[0] if p else "" for p in picks]), None)]
        options = [list(c) for c in itertools.product(*[[*p, ""] for p in picks]) if any(c)]
        gains = phrase_gains(doc, [words[i].index for i in group], options)
        # as for one word: the spinners' own map first (the more of its words, the likelier),
        # then by the joint gain
        n_map = [sum(w in m for w, m in zip(option, from_map, strict=True)) for option in options]
        best: dict[str, float | None] = {}
        for k in sorted(range(len(options)), key=lambda k: (-n_map[k], -gains[k])):
            if gains[k] > 0:
                best.setdefault(render(options[k]), gains[k])
        return list(best.items())[:MAX_SUGGESTIONS]


MAX_JOINT = 3
JOINT_CANDIDATES = 4


def in_map(word: WordEvidence, candidate: str) -> bool:
    """Does the spinners' word map list ``candidate`` for the word (whatever source proposed
    it first: Moby often lists the same word)?"""
    return candidate in spinmap.spinner_map().get(word.text.lower(), ())


def synonyms_first(word: WordEvidence) -> list[Candidate]:
    """All of a word's candidates, the spinner map's first, then thesaurus synonyms, then slot
    words, each by gain."""
    order = {"map": 0, "moby": 1, "slot": 2}
    return sorted(word.candidates, key=lambda c: (not in_map(word, c.word), order[c.source], -c.gain))


def ranked(word: WordEvidence) -> list[Candidate]:
    """The restorations to offer, most likely first: a spinner swaps a word for a synonym, so
    a candidate from the spinners' own word map (mined from real spinner output), then a
    thesaurus synonym, that makes the phrase more probable is offered before a word that
    merely fits the slot (offered only when no synonym gains); within each group, by gain."""
    gaining = [c for c in word.candidates if c.gain > 0]
    mapped = [c for c in gaining if in_map(word, c.word)]
    thesaurus = [c for c in gaining if c.source == "moby" and c not in mapped]
    return [*mapped, *thesaurus] or gaining


SOURCE_NAMES = {"moby": "the Moby thesaurus", "map": "the spinners' word map", "slot": "the bigram slot"}
