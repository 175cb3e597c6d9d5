"""SPN001: words a spinner most likely swapped, with their likely originals."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from spinlint.detect.evidence import (
    IDX,
    Candidate,
    Evidence,
    WordEvidence,
    evidence,
    in_map,
    phrase_gains,
    ranked,
    semantic_fits,
    synonyms_first,
)
from spinlint.detect.model import Scores, detector, scores
from spinlint.detect.ranker import ranker
from spinlint.document import Document
from spinlint.lexicon import spinmap
from spinlint.model import Diagnostic, Severity, Span
from spinlint.packs import match_case
from spinlint.rule import Rule
from spinlint.verdict import score_thresholds

if TYPE_CHECKING:
    from spinlint.detect.deepmodel import DeepScores


def min_probability() -> float:
    """The bar a mark's calibrated probability (P(swapped | spun) x P(paragraph spun)) must
    reach, fitted with the model (``training.build``): the lowest at which honest documents
    of its calibration split get at most 0.1 marks per 1,000 words, and at least 0.5 ("more
    likely than not"); --min-confidence raises it."""
    return float(detector().spec["marks"]["min_probability"])


MAX_SUGGESTIONS = 3
FIT_SHOWN = 0.05  # a cosine this much higher is quoted as the original fitting better
# Inside a document judged likely spun, a word of a paragraph more likely spun than not is
# reported when it is more likely than not swapped given that its surroundings are spun: its
# P(swapped | spun), recalibrated for the document's own density of evidence
# (``spinlint.detect.model.Density``: real spinners swap more densely than the training
# spinner), at least one half.  Everywhere else only the high-confidence bar
# (``min_probability``) applies, so a rare word in honest text stays silent.  Not from
# ``suspicious`` on: an honest page the document model misjudges (API reference pages sit on
# the suspicious threshold's plateau) would get a mark on every other topic word, where the
# likely-spun threshold is reached by 0.2 % of honest documents.  Measured again with the
# recalibration (2026-12-06): from ``suspicious`` the calibration split's honest documents get
# 0.30 marks per 1,000 words, from ``likely-spun`` 0.078 (the detector's budget: 0.1).
# The detector judges text by the density of its evidence, so a file needs a sentence's worth
# of content words (``model.MIN_EVIDENCE_WORDS``, those the evidence scores) before SPN001 marks
# any: in a three-word file ("An honest sentence.") one unusual pair is all there is, and the
# stages, fitted on documents of 150 words and more, have nothing to weigh it against.  Such
# a file gets no score or verdict from the detector either (``spinlint.runner``); the soft
# rules stay held back, and the other rules (tortured phrases, glitches) report at any length.
IN_SPUN_BAR = 0.5
IN_SPUN_PARAGRAPH = 0.5
# SHORT: a file shorter than the stages were fitted on (153 words, ``model.Short``) gets its
# words marked only once the document is judged spun (``suspicious`` or worse).  The mark bar
# was fitted on whole documents, where the calibration split's honest ones get 0.1 marks per
# 1,000 words; on the first sentences of the test split's honest documents (10-70 words) the
# high bar alone gave 0.5-1.3 per 1,000, since a sentence's odd pair is a paragraph's whole
# evidence.  The document comes first, as it does for the paragraph verdicts.  It takes few of
# those marks away (0.4-1.3 remain, training/REPORT.md): they lie mostly in the honest short
# documents the detector judges spun, which is where the short documents' error now is.


@dataclass
class Reading:
    """The probabilities SPN001 reports, per evidence word: ``given`` P(swapped | spun) and
    ``word`` P(swapped) = given x P(paragraph spun).  Inside a document judged likely spun,
    the words of its paragraphs with P(paragraph spun) >= ``IN_SPUN_PARAGRAPH`` (``spun``)
    have ``given`` recalibrated for the document's density; elsewhere they are the stages'."""

    given: np.ndarray
    word: np.ndarray
    spun: np.ndarray  # bool, per evidence word
    recalibrated: bool
    # the expected share of swapped words among the words of the document's spun paragraphs:
    # the mean of their recalibrated P(swapped | spun) (0 when nothing was recalibrated)
    share_swapped: float = 0.0


def reading(ev: Evidence, s: Scores | DeepScores, deep: bool = False) -> Reading:
    """SPN001's reading of the scores ``s``: the default stages', or with ``deep`` the deep
    stages', each recalibrated by its own model file's ``Density`` (the deep one fitted by
    ``training.fit_deep_density``; without it, the default one's)."""
    n = len(s.word)
    given = np.asarray(s.word_given_spun, dtype=np.float64).copy()
    word = np.asarray(s.word, dtype=np.float64).copy()
    judged = bool(s.paragraphs) and s.document >= score_thresholds(deep)[1]
    if not judged or n == 0:
        return Reading(given, word, np.zeros(n, dtype=bool), False)
    para = np.asarray(s.paragraphs, dtype=np.float64)[[w.paragraph for w in ev.words]]
    spun = para >= IN_SPUN_PARAGRAPH
    density = detector().density
    if deep:
        from spinlint.detect.deepmodel import deep_detector

        density = deep_detector().density or density
    if density is None or not spun.any():
        return Reading(given, word, spun, False)
    given[spun] = density(given[spun])
    word[spun] = given[spun] * para[spun]
    return Reading(given, word, spun, True, float(given[spun].mean()))


def marks(
    ev: Evidence, s: Scores | DeepScores, bar: float, deep: bool = False, read: Reading | None = None
) -> list[int]:
    """The evidence words to report: P(swapped) at ``bar`` anywhere (the stages' own), and in
    a document whose probability reaches the ``likely-spun`` verdict threshold (of the default
    stages, or the deep ones with ``deep``), the words of its paragraphs with P(paragraph
    spun) of at least ``IN_SPUN_PARAGRAPH`` whose recalibrated P(swapped | spun)
    (``reading``, or ``read`` when given) is at least ``IN_SPUN_BAR``."""
    r = read if read is not None else reading(ev, s, deep)
    return [i for i, p in enumerate(s.word) if p >= bar or (r.spun[i] and r.given[i] >= IN_SPUN_BAR)]


def offered(ev: Evidence, i: int) -> list[tuple[Candidate, float | None]]:
    """The originals to offer for evidence word ``i``: its candidates that make the phrase
    more probable (none: nothing is offered), most likely first by the fitted ranker
    (``spinlint.detect.ranker``), each with the ranker's P(original); without its model
    file, the evidence's own order (``ranked``) and no probability."""
    if i not in ev.offers:
        prefetch_offers(ev, [i])
    return ev.offers[i]


def prefetch_offers(ev: Evidence, indices: Sequence[int]) -> None:
    """Rank the originals of the words ``indices`` at once (``offered`` then reads them)."""
    todo = [i for i in dict.fromkeys(indices) if i not in ev.offers]
    fitted = ranker()
    if fitted is None:
        ev.offers.update({i: [(c, None) for c in ranked(ev.words[i]) if _offerable(c.word)] for i in todo})
    elif todo:
        ev.offers.update(
            {
                i: [(c, p) for c, p in order if _offerable(c.word)]
                for i, order in fitted.orders(ev, todo).items()
            }
        )


def _offerable(word: str) -> bool:
    """A word worth offering as an original, by either pass: not a single letter (Moby lists
    "I" among the synonyms of "unit" and "one"; the marked words are content words, and no
    spinner writes one for "I" or "a")."""
    return len(word) > 1


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
    bigrams put beside the neighbours).  GloVe word vectors say how well the word, and each
    candidate, fits the topic of the content words around it ("bosom" beside "tumour" and
    "surgery" hardly does).  A trained, calibrated model reads these gains and fits with
    the word's frequency, its neighbours' evidence and the paragraph's and document's density
    of all of them, and gives the probability that the word was swapped.  Adjacent marks are
    merged into one span ("tainted beads" -> "infected droplets"); the ranked originals are
    the suggestions.

    ## Why it matters
    One odd word proves nothing; a paragraph in which word after word loses to a plainer
    synonym is spun.  The mark's confidence is the model's probability that the word was
    swapped *times* the probability that its paragraph is spun, so an isolated rare word in
    honest text stays silent, and in spun text the words that carry the spin are shown with
    the figures that convict them.  A mark needs that product at a high bar fitted to keep
    honest prose quiet, except inside a document judged likely spun, where a
    word of a paragraph more likely spun than not is reported when it is more likely than not
    swapped given that its text is spun: there the question is no longer whether the text is
    spun, but which words carry it.  That probability is recalibrated for how densely the
    document looks spun (real spinners swap far more words than the training spinner), and
    the message says so: "recalibrated for a document whose spun paragraphs look 50% swapped".

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
    yields_to_specific = True  # inside a TPF/IDM/ENT/LEX/COL/GLT finding, that one explains the words

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        ev = evidence(doc)
        if not ev.words:
            return
        deep = deep_scores(doc)  # first: the deep pass caches the complete scores used below
        s = scores(doc)
        if not s.judged:
            return  # too little text to judge: no marks (and no score, ``spinlint.runner``)
        bar = min_probability()
        view: Scores | DeepScores = s if deep is None else deep  # the stages that decide
        if (
            detector().short_document(doc.word_count())
            and view.document < score_thresholds(deep is not None)[0]
        ):
            return  # a short file: its words are marked once the document is judged spun (SHORT)
        view_bar = bar if deep is None else deep_min_probability()
        read = reading(ev, view, deep=deep is not None)
        marked = marks(ev, view, view_bar, deep=deep is not None, read=read)
        by_deep: set[int] = set()
        if deep is None:
            by_default, default_read = set(marked), read
        else:
            # the deep pass extends the default pass's evidence: a word the default stages mark
            # stays marked (with their figures) where the deep stages do not mark it
            default_read = reading(ev, s)
            by_default = set(marks(ev, s, bar, read=default_read))
            by_deep = set(marked)
            marked = sorted(by_deep | by_default)
        prefetch_offers(ev, marked)
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
            if deep is not None and not by_deep.intersection(g):
                # the default pass's alone: its own figures, without the deep pass's sentence
                yield self._report(doc, ev, s, default_read, None, g, "default")
                continue
            # found by the deep pass alone when the default pass would have left every word of it
            found_by = "deep" if deep is not None and not by_default.intersection(g) else "default"
            yield self._report(doc, ev, view, read, deep, g, found_by)

    @staticmethod
    def _joined(doc: Document, a: WordEvidence, b: WordEvidence) -> bool:
        """Adjacent marks are one span when only spaces or a hyphen part them."""
        gap = doc.prose[a.end : b.start]
        return gap.strip(" -") == "" and "\n\n" not in gap

    def _report(
        self,
        doc: Document,
        ev: Evidence,
        s: Scores | DeepScores,
        read: Reading,
        deep: DeepScores | None,
        group: list[int],
        found_by: str,
    ) -> Diagnostic:
        words = ev.words
        first, last = words[group[0]], words[group[-1]]
        span = Span(first.start, last.end)
        spun = doc.text[span.start : span.end]
        probs = [float(read.word[i]) for i in group]
        offers = {i: offered(ev, i)[:MAX_SUGGESTIONS] for i in group}
        options = {i: [c for c, _ in offers[i]] for i in group}
        best: list[Candidate | None] = [next(iter(options[i]), None) for i in group]
        # each word's semantic fit and its offered originals', for the message and the evidence
        fits = {i: semantic_fits(ev, i, [c.word for c in options[i]]) for i in group}
        ranked_fixes = self._suggestions(doc, ev, group, span)
        neural = self._neural(words, group, deep)
        suggestions = list(
            dict.fromkeys([*(text for text, _ in neural), *(text for text, _ in ranked_fixes)])
        )
        suggestions = suggestions[:MAX_SUGGESTIONS]
        p_para = s.paragraphs[first.paragraph] if s.paragraphs else 0.0
        reasons = []
        if neural:
            text, gain = neural[0]
            reasons.append(
                f"the sentence with '{text}' is {_times(gain / math.log(10))} more probable than as written "
                f"({NEURAL_NAME} reading the whole sentence)"
            )
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
                fit, fit_c = fits[i][0], fits[i][1][0]  # c is options[i][0]
                if fit_c >= fit + FIT_SHOWN:  # both known (NaN compares false), and clearly better
                    reasons.append(
                        f"'{c.word}' fits the neighbouring words better (word-vector cosine {fit_c:.2f} "
                        f"against {fit:.2f}, GloVe)"
                    )
            elif ev.features[i, IDX["oov"]]:
                reasons.append(f"'{w.text}' is not in the phrase model's 72k-word vocabulary")
            else:
                reasons.append(f"'{w.text}' is improbable here and no plainer word restores the phrase")
        given = max(float(read.given[i]) for i in group)
        recalibrated = read.recalibrated and bool(read.spun[group[0]])
        share = read.share_swapped if recalibrated else 0.0
        density = (
            f", recalibrated for a document whose spun paragraphs look {share:.0%} swapped"
            if recalibrated
            else ""
        )
        message = (
            f"'{spun}' looks swapped by a spinner (P = {max(probs):.2f}: {given:.2f} if its text is spun"
            f"{density}, paragraph P(spun) = {p_para:.2f}): " + "; ".join(reasons)
        )
        evidence_items = [
            ("p_swapped", f"{max(probs):.3f}"),
            ("p_swapped_given_spun", f"{given:.3f}"),
            ("p_paragraph_spun", f"{p_para:.3f}"),
        ]
        if recalibrated:
            evidence_items.append(
                (
                    "p_swapped_given_spun_before_density",
                    f"{max(float(s.word_given_spun[i]) for i in group):.3f}",
                )
            )
            evidence_items.append(("document_share_swapped", f"{share:.3f}"))
        if deep is not None:
            evidence_items.append(("pass", found_by))
            for text, gain in neural:
                evidence_items.append((f"sentence gain -> {text}", f"{gain:.2f} nats ({NEURAL_NAME})"))
        for i in group:
            w = words[i]
            fit, option_fits = fits[i]
            if math.isfinite(fit):
                evidence_items.append((f"semantic fit {w.text.lower()}", f"{fit:.2f} cosine (GloVe)"))
            for (c, p_original), fit_c in zip(offers[i], option_fits, strict=True):
                evidence_items.append(
                    (f"gain {w.text.lower()}->{c.word}", f"{c.gain:.2f} log10 ({c.source})")
                )
                if p_original is not None:
                    evidence_items.append(
                        (f"p_original {w.text.lower()}->{c.word}", f"{p_original:.3f} (fitted ranker)")
                    )
                if math.isfinite(fit_c):
                    evidence_items.append((f"semantic fit {c.word}", f"{fit_c:.2f} cosine (GloVe)"))
        return self.diagnostic(
            span,
            message,
            confidence=max(probs),
            suggestions=suggestions,
            evidence=evidence_items,
            found_by=found_by,
        )

    @staticmethod
    def _neural(
        words: list[WordEvidence], group: list[int], deep: DeepScores | None
    ) -> list[tuple[str, float]]:
        """The deep pass's restorations of a one-word span that make the sentence more
        probable, in the written word's case, by sentence gain; the neural model's own
        proposal counts :func:`proposal_prior` nats less than a candidate synonym (spinner
        map, thesaurus, slot words)."""
        if len(group) != 1 or deep is None:
            return []
        i, w = group[0], words[group[0]]
        proposed = deep.neural.proposed[i]
        prior = proposal_prior()

        def rank(option: tuple[str, float]) -> tuple[bool, float]:
            word, gain = option
            if word not in proposed:
                return False, -gain
            return math.isinf(prior), -(gain if math.isinf(prior) else gain - prior)

        ranked_gains = sorted((g for g in deep.neural.best[i] if g[1] > 0 and _offerable(g[0])), key=rank)
        return [(match_case(original, w.text), gain) for original, gain in ranked_gains[:MAX_SUGGESTIONS]]

    @staticmethod
    def _suggestions(
        doc: Document, ev: Evidence, group: list[int], span: Span
    ) -> list[tuple[str, float | None]]:
        """Ranked restorations of the span.  One word: its candidates that restore the phrase,
        in the fitted ranker's order (``offered``).  Adjacent marks: every combination of each
        word's best candidates (or the word as written) scored together by the phrase model,
        those with the larger share of replacements the spinner map proposes first, then by
        joint gain (``MAX_JOINT`` words at most; a longer run offers each word's best), with
        the joint gain where one was scored."""
        words = ev.words
        if len(group) == 1:
            cands = [[c for c, _ in offered(ev, group[0])[:MAX_SUGGESTIONS]]]
        else:
            # each word's synonyms whether or not they gain alone: beside the other spun word
            # of the pair, the right one often does not ("breast" next to "peril")
            cands = [
                [c for c in synonyms_first(words[i]) if _offerable(c.word)][:JOINT_CANDIDATES] for i in group
            ]
        picks = [[c.word for c in cs] for cs in cands]
        # the spinner map's first original of a word, when it is not among the word's best
        # gains at all ("artificial" for the "counterfeit" of "counterfeit consciousness"):
        # tried too, and kept where it restores the span better than every option without it
        extra: list[list[str]] = [[] for _ in group]
        if len(group) > 1:
            extra = [_map_extra(words[i], p) for i, p in zip(group, picks, strict=True)]
        picks = [p + e for p, e in zip(picks, extra, strict=True)]
        from_map = [{w for w in p if in_map(words[i], w)} for i, p in zip(group, picks, strict=True)]

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
            choice = SwappedWord._chunked(doc, [words[i].index for i in group], picks, from_map, extra)
            if not any(choice):
                return []
            gain = phrase_gains(doc, [words[i].index for i in group], [choice])[0]
            return [(render(choice), gain if gain > 0 else None)]
        best: dict[str, float | None] = {}
        for option, gain in SwappedWord._joint(doc, [words[i].index for i in group], picks, from_map, extra):
            best.setdefault(render(option), gain)
        return list(best.items())[:MAX_SUGGESTIONS]

    @staticmethod
    def _joint(
        doc: Document,
        indices: list[int],
        picks: list[list[str]],
        from_map: list[set[str]],
        extra: Sequence[Sequence[str]] = (),
    ) -> list[tuple[list[str], float]]:
        """Every combination of the words' candidates (or the word as written, "") that makes
        the phrase more probable, scored together: as for one word, the spinners' own map
        first (the larger the share of its replacements the map proposes, the likelier), then
        by the joint gain.  A combination with one of a word's ``extra`` candidates
        (``_map_extra``) is kept only when it gains more than every combination without one."""
        options = [list(c) for c in itertools.product(*[[*p, ""] for p in picks]) if any(c)]
        if not options:
            return []
        gains = phrase_gains(doc, indices, options)
        if any(extra):
            plain = [not any(w in e for w, e in zip(option, extra, strict=True)) for option in options]
            bar = max((g for g, p in zip(gains, plain, strict=True) if p), default=0.0)
            kept = [k for k, p in enumerate(plain) if p or gains[k] > bar]
            options, gains = [options[k] for k in kept], [gains[k] for k in kept]
        # the share of the words it replaces that the spinners' map proposes, not their count:
        # a count favours replacing more words ("hunt engine" -> "search machine", with the
        # map's "machine" for "engine", over "search engine")
        share = [
            sum(w in m for w, m in zip(option, from_map, strict=True)) / sum(1 for w in option if w)
            for option in options
        ]
        order = sorted(range(len(options)), key=lambda k: (-share[k], -gains[k]))
        return [(options[k], float(gains[k])) for k in order if gains[k] > 0]

    @staticmethod
    def _chunked(
        doc: Document,
        indices: list[int],
        picks: list[list[str]],
        from_map: list[set[str]],
        extra: Sequence[Sequence[str]] = (),
    ) -> list[str]:
        """A run of more than ``MAX_JOINT`` marked words, restored in pieces: the partition
        into runs of at most ``MAX_JOINT`` words (each restored by ``_joint`` with the rest as
        written) whose restorations gain the most together, so that "bosom peril" inside a longer
        run is still restored as a pair ("breast cancer"), which neither word's best alone is."""
        n = len(indices)
        piece: dict[tuple[int, int], tuple[list[str], float]] = {}
        for a in range(n):
            for b in range(a + 1, min(n, a + MAX_JOINT) + 1):
                found = SwappedWord._joint(doc, indices[a:b], picks[a:b], from_map[a:b], extra[a:b])
                piece[a, b] = found[0] if found else ([""] * (b - a), 0.0)
        best: list[tuple[float, list[str]]] = [(0.0, [])]  # best[k]: the first k words
        for k in range(1, n + 1):
            best.append(
                max(
                    (
                        (best[a][0] + piece[a, k][1], best[a][1] + piece[a, k][0])
                        for a in range(max(0, k - MAX_JOINT), k)
                    ),
                    key=lambda t: t[0],
                )
            )
        return best[n][1]


MAX_JOINT = 3
JOINT_CANDIDATES = 4
MAP_EXTRA = 1  # the spinner-map originals of a word tried beside its best candidates (``_map_extra``)


def _map_extra(word: WordEvidence, picked: Sequence[str]) -> list[str]:
    """Of the word's first ``MAP_EXTRA`` spinner-map originals (the map's order: the most often
    aligned first), those that are candidates of the word but not among ``picked``.  Only the
    first: a rarer alignment tried this way restores nonsense the phrase model likes ("deep
    down" for "substantial downpour", whose first original, "heavy", is already picked)."""
    order = spinmap.spinner_map().get(word.text.lower(), ())[:MAP_EXTRA]
    listed = {c.word for c in word.among(order)}
    return [w for w in order if w in listed and w not in picked and _offerable(w)]


NEURAL_NAME = "SmolLM2-135M"


def proposal_prior() -> float:
    """How many nats of sentence gain the neural model's own word for a slot must give up
    against a candidate synonym to be offered before it (a spinner swaps synonyms; a word that
    merely fits the sentence better is the weaker guess).  Fitted by
    ``training.fit_proposal_prior``; without a fitted value, proposals come after synonyms."""
    from spinlint.detect.deepmodel import deep_detector

    value = deep_detector().spec.get("suggestions", {}).get("proposal_prior_nats")
    return math.inf if value is None else float(value)


def deep_min_probability() -> float:
    """The deep stages' own bar, fitted as the default one is (``training.build_deep``)."""
    from spinlint.detect.deepmodel import deep_detector

    return float(deep_detector().spec["marks"]["min_probability"])


def deep_scores(doc: Document) -> DeepScores | None:
    """The deep stages' scores when the run asked for the deep pass (the runner leaves its
    torch threads in the document's cache) and it could run; why not, in ``deep-error``."""
    threads = doc.cache.get("deep-threads")
    if threads is None or doc.cache.get("deep-error"):
        return None
    from spinlint.deep import DeepError
    from spinlint.detect import deepmodel

    if not deepmodel.available():
        doc.cache["deep-error"] = f"the deep stages ({deepmodel.OUT_PATH}) are missing"
        return None
    try:
        return deepmodel.deep_scores(doc, threads)
    except (DeepError, deepmodel.PinError) as exc:  # the default pass's findings stand
        doc.cache["deep-error"] = str(exc)
        return None


SOURCE_NAMES = {"moby": "the Moby thesaurus", "map": "the spinners' word map", "slot": "the bigram slot"}
