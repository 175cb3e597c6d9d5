"""The deep pass: neural evidence for the candidate spins the default pass found.

Given a document and its candidates (a written word or phrase with the originals it may stand
for), it reads the sentences holding them with the neural language model
(``spinlint.lexicon.neural``) and returns, per candidate, what the detection model needs:

- the sentence *restoration gain* of the best original: log p(sentence with the original
  put back) - log p(sentence as written), in nats (the probe: 9.9-41 nats on known spins);
- the written word's surprisal, the entropy of the model's next-word distribution there and
  their difference (how much more surprising the word is than the model expected);
- the rank of the written word's first token among the model's choices;
- the model's own likeliest words for the slot (originals no thesaurus holds);

and, for the document, the perplexity of the sentences it scored.  It decides nothing: the
detection model turns these figures into probabilities, and rules into diagnostics.

Cost: the scored sentences are read once, in batches of similar length, keeping their keys
and values; each original re-reads only the sentence from the word it changes, and a slot's
proposals cost one batched step (``NeuralLM.score_slots``).  Only the sentences that hold a
candidate (plus any the caller adds) are scored.
"""

from __future__ import annotations

import bisect
import math
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spinlint.model import Span

if TYPE_CHECKING:
    from spinlint.document import Document
    from spinlint.lexicon.neural import NeuralLM

Candidate = tuple[Span, Sequence[str]]  # the written span, its candidate originals
PROGRESS_MIN_WORDS = 3000  # below this a run takes seconds: no bar
CHUNK = 32  # sentences per step (and per progress tick)
SPACE = re.compile(r"\s+")


class DeepError(RuntimeError):
    """The model could not be loaded (not installed, or its conversion failed): report the
    message once and keep the default pass's results."""


@dataclass(frozen=True)
class SlotFeatures:
    """The neural evidence for one candidate (``span``, a file offset range)."""

    span: Span
    written: str
    originals: tuple[str, ...]  # those given, then the model's own proposals tried (``extra``)
    added: int  # how many of ``originals`` are the model's own proposals (at the end)
    gains: tuple[float, ...]  # restoration gain of each original, in that order (nats)
    best: str | None  # the original with the highest gain
    gain: float  # that gain; 0.0 without originals
    surprisal: float  # -log p(written word | left context), nats
    entropy: float  # of the next-token distribution where the word starts, nats
    rank: int  # of the word's first token (1: the model's first choice)
    proposals: tuple[tuple[str, float], ...]  # the model's own words for the slot, log p

    @property
    def surprise(self) -> float:
        """Surprisal minus entropy: > 0 when the word is more surprising than usual here."""
        return self.surprisal - self.entropy


@dataclass(frozen=True)
class DeepResult:
    slots: list[SlotFeatures]  # one per candidate, in the order given
    perplexity: float  # of the scored sentences as written (nan when none)
    sentences: int  # scored
    words: int  # in the scored sentences
    seconds: float


def threads_for(jobs: int) -> int:
    """Torch threads per process when ``jobs`` processes lint at once: the cores shared out."""
    return max(1, (os.cpu_count() or 1) // max(1, jobs))


def _squeeze(text: str) -> tuple[str, list[int]]:
    """``text`` with each run of white space (line breaks, blanked markup) made one space,
    and the offset in ``text`` of every character kept."""
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in SPACE.finditer(text):
        out.append(text[pos : m.start()])
        offsets.extend(range(pos, m.start()))
        out.append(" ")
        offsets.append(m.start())
        pos = m.end()
    out.append(text[pos:])
    offsets.extend(range(pos, len(text)))
    return "".join(out), offsets


def _match_case(original: str, written: str) -> str:
    if written.isupper() and len(written) > 1:
        return original.upper()
    if written[:1].isupper() and original[:1].islower():
        return original[:1].upper() + original[1:]
    return original


def deep_pass(
    doc: Document,
    candidates: Sequence[Candidate],
    sentences: Sequence[Span] = (),
    *,
    threads: int | None = None,
    proposals: int = 5,
    extra: int = 0,
    accept: Callable[[str], bool] | None = None,
    batch_size: int = 32,
    progress: bool | None = None,
    model: NeuralLM | None = None,
) -> DeepResult:
    """Neural features for ``candidates`` of ``doc``.

    ``sentences`` adds sentences to score for the document perplexity (those of a paragraph
    judged spun, say); the sentences holding a candidate are always scored.  ``threads``:
    torch threads (default one per core; see :func:`threads_for`).  ``proposals``: how many
    of the model's own words to give per slot (0: none, saves a pass per candidate);
    ``extra`` of them (those ``accept`` takes) are tried as originals too.
    ``progress``: a bar on stderr (default: when stderr is a terminal and the run is long).
    Raises :class:`DeepError` when the model cannot be loaded.
    """
    started = time.perf_counter()
    lm = model or _load(threads)
    prose = doc.prose
    # each candidate's sentence, and the sentences to score in document order
    where: list[Span] = [doc.sentence_at(span.start) for span, _ in candidates]
    scored = sorted(set(where) | set(sentences), key=lambda s: (s.start, s.end))
    index = {s: i for i, s in enumerate(scored)}
    squeezed = [_squeeze(prose[s.start : s.end]) for s in scored]
    by_sentence: list[list[int]] = [[] for _ in scored]
    for c, sent in enumerate(where):
        by_sentence[index[sent]].append(c)

    total_words = sum(len(text.split()) for text, _ in squeezed)
    show = progress if progress is not None else (sys.stderr.isatty() and total_words >= PROGRESS_MIN_WORDS)
    tick, close = _progress_bar(len(scored)) if show else (None, None)

    slots: list[SlotFeatures | None] = [None] * len(candidates)
    logprob_sum, token_count = 0.0, 0
    try:
        for lo in range(0, len(scored), CHUNK):
            chunk = range(lo, min(lo + CHUNK, len(scored)))
            items = []
            for i in chunk:
                text, offsets = squeezed[i]
                mine = []
                for c in by_sentence[i]:
                    span, originals = candidates[c]
                    a = bisect.bisect_left(offsets, span.start - scored[i].start)
                    b = bisect.bisect_left(offsets, span.end - scored[i].start)
                    mine.append((a, b, [_match_case(o, text[a:b]) for o in originals]))
                items.append((text, mine))
            found = lm.score_slots(
                items, proposals=max(proposals, extra), batch_size=batch_size, extra=extra, accept=accept
            )
            for i, (text, mine), (tokens, scores) in zip(chunk, items, found, strict=True):
                logprob_sum -= sum(t.surprisal for t in tokens)
                token_count += len(tokens)
                for c, (a, b, _), score in zip(by_sentence[i], mine, scores, strict=True):
                    originals = (*candidates[c][1], *(o.lower() for o in score.added))
                    gains = score.gains
                    best = max(range(len(gains)), key=gains.__getitem__) if gains else None
                    ws = score.word
                    slots[c] = SlotFeatures(
                        span=candidates[c][0],
                        written=text[a:b],
                        originals=originals,
                        added=len(score.added),
                        gains=gains,
                        best=originals[best] if best is not None else None,
                        gain=gains[best] if best is not None else 0.0,
                        surprisal=ws.surprisal if ws else math.nan,
                        entropy=ws.entropy if ws else math.nan,
                        rank=ws.rank if ws else 0,
                        proposals=score.proposals[:proposals],
                    )
            if tick is not None:
                tick(len(chunk))
    finally:
        if close is not None:
            close()
    return DeepResult(
        slots=[s for s in slots if s is not None],
        perplexity=math.exp(-logprob_sum / token_count) if token_count else math.nan,
        sentences=len(scored),
        words=total_words,
        seconds=time.perf_counter() - started,
    )


def _load(threads: int | None) -> NeuralLM:
    from spinlint.lexicon import neural

    if not neural.available():
        raise DeepError(
            f"the deep check needs {', '.join(neural.missing())}; install with: {neural.INSTALL_HINT}"
        )
    try:
        if not neural.converted() and sys.stderr.isatty():
            print("spinlint: converting the SmolLM2 weights once (about half a minute)...", file=sys.stderr)
        return neural.load(threads)
    except (OSError, RuntimeError, ValueError, KeyError, ImportError) as exc:
        raise DeepError(f"the deep check's language model could not be loaded: {exc}") from exc


def _progress_bar(total: int) -> tuple[Callable[[int], None], Callable[[], None]]:
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(stderr=True), transient=True)
    task = bar.add_task("deep check", total=total)
    bar.start()
    return (lambda n: bar.advance(task, n)), bar.stop
