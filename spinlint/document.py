"""The document a rule sees: prose text, cheap word/sentence indexes, and lazy spaCy parses.

Rules first scan the cheap indexes for candidates; only a sentence that raises a candidate
is handed to spaCy (``parse``), and the parse is cached and shared by every rule.  Rules may
also ``prefetch`` many sentences so the runner can batch them through ``nlp.pipe``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from spinlint.model import Span
from spinlint.sources import SourceFile

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# A sentence ends at . ! ? (plus closing quotes/brackets) before whitespace, or at a blank line;
# the cut is the match's end.  (Matching the stop itself rather than looking behind for it
# finds the same ends in about 60 % of the time: the engine tries a lookbehind at every
# character.)
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|(?:\r\n?|\n)[ \t]*(?:\r\n?|\n)")


# Pipeline components a rule may leave out of a shared parse (``prefetch(..., without=...)``)
# because no component before them reads what they write: they can be run, in pipeline order,
# on the cached parse when a later rule asks for them, with the same result as a full parse.
# The attribute ruler (POS and morphology from the tags; the lemmatizer after it reads them)
# and the entity recogniser (its own tok2vec) are most of the time of en_core_web_sm here: on
# 3,000 news sentences the pipeline without NER took 13.0 s, without the ruler too 8.1 s,
# with the same tags, dependencies and heads on every token.
LATE_COMPONENTS = frozenset({"attribute_ruler", "lemmatizer", "ner"})


class Word(NamedTuple):
    """One word of the prose: offsets, text and its lower-case form (computed once: rules ask
    for it constantly).  A named tuple, because a document makes one per word and a tuple is
    built in about two thirds of the time a frozen dataclass takes."""

    start: int
    end: int
    text: str
    lower: str

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass
class Document:
    source: SourceFile
    prose: str
    # Called on the first parse only: a document whose rules raise no candidate never loads
    # spaCy at all, which keeps cold start and clean prose fast.
    nlp_loader: Callable[[], Language | None] | None = None
    breaks: list[int] = field(default_factory=list)  # block starts from the reader
    _words: list[Word] | None = field(default=None, repr=False)
    _sentences: list[Span] | None = field(default=None, repr=False)
    _parses: dict[Span, Doc] = field(default_factory=dict, repr=False)
    _skipped: dict[Span, tuple[str, ...]] = field(default_factory=dict, repr=False)  # not yet run
    cache: dict[str, Any] = field(default_factory=dict, repr=False)  # per-document rule state

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def text(self) -> str:
        """The original source text (for quoting evidence); rules scan ``prose``."""
        return self.source.text

    @property
    def words(self) -> list[Word]:
        if self._words is None:
            # tuple.__new__ itself: a quarter faster than the classmethod Word._make; and
            # ``span()`` and ``m[0]``, a sixth faster than ``start()``, ``end()``, ``group()``
            new, found = tuple.__new__, WORD.finditer(self.prose)
            self._words = [new(Word, (*m.span(), t, t.lower())) for m in found for t in (m[0],)]
        return self._words

    @property
    def folded_words(self) -> list[str]:
        """Lower-case words with typographic apostrophes folded to ASCII (for lexicon look-ups)."""
        if "folded" not in self.cache:
            self.cache["folded"] = [w.lower.replace("’", "'") for w in self.words]
        return self.cache["folded"]  # type: ignore[no-any-return]

    @property
    def lower_prose(self) -> str:
        if "lower" not in self.cache:
            self.cache["lower"] = self.prose.lower()
        return str(self.cache["lower"])

    @property
    def sentences(self) -> list[Span]:
        if self._sentences is None:
            cuts = {m.end() for m in SENTENCE_END.finditer(self.prose)}
            cuts.update(b for b in self.breaks if 0 < b < len(self.prose))
            spans = []
            start = 0
            for cut in sorted(cuts):
                spans.append(Span(start, cut))
                start = cut
            spans.append(Span(start, len(self.prose)))
            self._sentences = [s for s in (self._strip(sp) for sp in spans) if s is not None]
        return self._sentences

    def _strip(self, span: Span) -> Span | None:
        text = self.prose[span.start : span.end]
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        if right <= left:
            return None
        return Span(span.start + left, span.start + right)

    def sentence_at(self, offset: int) -> Span:
        sents = self.sentences
        starts = self.cache.get("sentence-starts")
        if starts is None:
            starts = self.cache["sentence-starts"] = [s.start for s in sents]
        i = max(bisect.bisect_right(starts, offset) - 1, 0)
        return sents[i] if sents else Span(0, len(self.prose))

    def word_count(self) -> int:
        return len(self.words)

    # -- spaCy ----------------------------------------------------------------------------
    @property
    def nlp(self) -> Language | None:
        if "nlp" not in self.cache:
            self.cache["nlp"] = self.nlp_loader() if self.nlp_loader else None
        return self.cache["nlp"]  # type: ignore[no-any-return]

    def prefetch(self, sentences: Iterable[Span], without: Iterable[str] = ()) -> None:
        """Parse many sentences in one ``nlp.pipe`` batch (no-op without a pipeline).

        ``without`` names components the caller does not read (``"ner"``: the entity
        recogniser costs as much as the tagger and parser together); the parse is shared, and
        a later caller that wants them gets them run on the cached parse (see ``parse``).
        """
        todo = sorted({s for s in sentences if s not in self._parses})
        nlp = self.nlp if todo else None
        if nlp is None:
            return
        skipped = self._skippable(nlp, without)
        texts = [self.prose[s.start : s.end] for s in todo]
        for span, parsed in zip(todo, nlp.pipe(texts, batch_size=64, disable=list(skipped)), strict=True):
            self._parses[span] = parsed
            if skipped:
                self._skipped[span] = skipped

    @staticmethod
    def _skippable(nlp: Language, without: Iterable[str]) -> tuple[str, ...]:
        """The components of ``without`` that may be left out of a shared parse and run later
        (``LATE_COMPONENTS``; the tagger and parser listen to the shared tok2vec), in
        pipeline order."""
        names = set(without) & LATE_COMPONENTS
        return tuple(name for name in nlp.pipe_names if name in names)

    def parse(self, sentence: Span, without: Iterable[str] = ()) -> Doc | None:
        """The spaCy parse of ``sentence`` (offsets inside it are relative to its start), with
        every pipeline component except those named in ``without``."""
        if self.nlp is None:
            return None
        if sentence not in self._parses:
            self.prefetch([sentence], without)
        parsed = self._parses[sentence]
        missing = self._skipped.get(sentence)
        if missing:
            skip = set(without)
            wanted = [name for name in missing if name not in skip]
            if wanted:
                for name in wanted:
                    parsed = self.nlp.get_pipe(name)(parsed)
                self._parses[sentence] = parsed
                left = tuple(name for name in missing if name in skip)
                if left:
                    self._skipped[sentence] = left
                else:
                    del self._skipped[sentence]
        return parsed

    def parse_texts(self, texts: Iterable[str], without: Iterable[str] = ()) -> list[Doc] | None:
        """One-off parses of ``texts`` (variants of a sentence a rule wants to compare with
        the original) in one ``nlp.pipe`` batch (about half the time of one call each),
        skipping the pipeline components ``without`` that the rule does not read; not cached,
        and ``None`` without a pipeline."""
        nlp = self.nlp
        if nlp is None:
            return None
        skip = [name for name in without if name in nlp.pipe_names]
        return list(nlp.pipe(texts, batch_size=64, disable=skip))

    def tokens_in(self, span: Span, without: Iterable[str] = ()) -> Iterator[Any]:
        """spaCy tokens of the sentence holding ``span`` that overlap it (``without``: as for
        ``parse``)."""
        sent = self.sentence_at(span.start)
        parsed = self.parse(sent, without)
        if parsed is None:
            return
        for tok in parsed:
            start = sent.start + tok.idx
            if start < span.end and span.start < start + len(tok.text):
                yield tok
