"""Evidence: candidate originals and features per word, paragraph and document.

Computed once per document and shared (``evidence(doc)`` caches on the document), like the
spaCy parse.  Nothing here decides: the fitted model in ``spinlint.detect.model`` turns these
numbers into probabilities, and the SPN rule turns probabilities into diagnostics.

Per content word (alphabetic, three letters or more, not on spaCy's stop list) the phrase
model (``spinlint.lexicon.phrase``) scores the written trigram window; then every candidate
original is put in the slot and the window scored again.  Candidates come from three places:

* ``moby``: the Moby thesaurus, inflected, as ``spinlint.lexicon.originals`` precomputes it
  (the ``MAX_MOBY`` commonest);
* ``map``: the spinners' own word map mined from the Problematic Paper Screener pairs
  (``spinlint.lexicon.spinmap``);
* ``slot``: the words the reference bigram lists put most often after the word before or
  before the word after (a content neighbour only: after "the" anything fits).  That is how
  "prices on the stock ___ fell" proposes "market" without a thesaurus entry.

The *gain* of a candidate is log10 P(window with it) - log10 P(window as written), where the
window is the three trigrams that hold the slot: 2.0 means the restored phrase is 100 times
more probable.  A frequency-corrected gain subtracts the candidate's unigram advantage, so a
plain word that is simply commoner than an honest rare one ("residents" for "denizens") does
not win on frequency alone.

A word's gain and semantic fit are read against what the same word shows in honest text
(``HonestGains``): a term the phrase model never learned in its own field ("socket",
"potassium") gains from a plainer word, and may fit its neighbours' topic poorly, wherever it
is written; a swapped-in synonym ("watchwords") does so mostly where a spinner put it.

All windows of a document are scored in one vectorised call, so the cost is a few dictionary
look-ups per candidate in Python and a fraction of a microsecond per trigram in numpy.
"""

from __future__ import annotations

import bisect
import math
import os
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from spinlint.document import Document
from spinlint.lexicon import ngrams, originals, spinmap, vectors
from spinlint.lexicon.phrase import END, OOV_LOG10, START, PhraseModel
from spinlint.lexicon.phrase import load as load_phrase_model

MAX_MOBY = 60  # Moby originals tried per word (commonest first)
MAX_SLOT = 6  # slot candidates taken from each content neighbour
SOURCES = ("moby", "map", "slot")
PARAGRAPH = re.compile(r"\n[ \t\r]*\n")
NONE = -1.0  # a gain feature with no candidate of that source
# windows scored in one vectorised call: each holds ~30 temporary values, so a 20,000-word page
# (1.6M windows) scored at once took ~400 MB for a moment; in slices the cost is the same.  At
# 32k windows a slice's temporaries are ~6 MB (the 13,900-word Wikipedia page of the benchmark:
# evidence peak 53 -> 30 MB with the arrays below dropped once read; CPU time within noise)
WINDOW_CHUNK = 32_768
SEM_WINDOW = 8  # content words either side whose vectors make a word's semantic context
SEM_CHUNK = 8_192  # candidates whose vectors are gathered at once (1.6 MB of float32)

WORD_FEATURES = (
    "written_lp",  # log10 P(word | two before)
    "written_order",  # n-gram order the model found for it (0 = out of vocabulary)
    "window_lp",  # log10 slots of the three trigrams holding the word
    "unigram_lp",  # log10 P(word) alone: its frequency
    "context_support",  # written_lp - unigram_lp: how much the context predicts the word
    "oov",  # 1 when the phrase model does not know the word
    "gain",  # best candidate's window gain (log10), 0 when none gains
    "gain_freq",  # that gain minus the candidate's unigram advantage
    "gain_moby",  # best gain per source (NONE without a candidate of that source)
    "gain_map",
    "gain_slot",
    "best_unigram_lp",
    "n_candidates",
    "in_map",  # the word is a known spinner substitute
    "capitalised",
    "sentence_start",
    "length",
    "neighbour_gain",  # best gain of the content words within two positions
    "neighbour_hits",  # content words within two positions with gain >= 1
    "pack_hit",  # the word is inside a known tortured phrase
    "unigram_gap",  # best candidate's unigram_lp - the word's: how much plainer the original is
    "n_better",  # candidates with gain >= 1 (many plainer fits: the slot itself is odd)
    "next_order",  # n-gram order found for the next word given this one (a broken pair: 1)
    "sem_fit",  # cosine of the word's GloVe vector with its content neighbours' (NaN: no vector)
    "sem_gain",  # best fit of a candidate that makes the window more probable, minus sem_fit
    "sem_gain_best",  # the best-gain candidate's fit minus sem_fit
    "honest_excess",  # gain minus the mean gain of this word in honest text (``HonestGains``)
    "honest_log_count",  # log(1 + its occurrences in that honest text): 0 = never seen there
    "honest_sem_excess",  # sem_fit minus the word's mean sem_fit in that honest text (NaN: none)
)
REGION_FEATURES = (
    "log_words",
    "share_gain_05",
    "share_gain_1",
    "share_gain_2",
    "share_gain_3",
    "share_freq_1",
    "share_syn_1",  # a thesaurus or spinner-map restoration gains >= 1 (x10)
    "share_syn_2",
    "share_slot_2",
    "mean_gain",
    "share_oov",
    "mean_written_lp",
    "mean_support",
    "share_unigram_order",
    "share_in_map",
    "pack_hits_per_100",
    "glitches_per_100",
    "mean_sem_fit",  # over the words with a vector
    "share_sem_gain_02",  # sem_gain >= 0.2: a candidate fits the neighbours clearly better
    "mean_p_word",  # the word screen's P(swapped), averaged
    "share_p_word_03",
    "share_p_word_05",
    "top5_p_word",
)
IDX = {name: i for i, name in enumerate(WORD_FEATURES)}

# spinner glitches that count as weak document-level evidence (the GLT rules report them):
# a detached hyphen (not before a function word: "pre- and post-war" is an honest suspended
# hyphen, as GLT001 says), a space after an opening quote or a currency sign, a glued acronym.
# A straight quote opens only at the start of the text or after white space or a bracket: a
# closing one followed by a space and a word ('"no evidence" that') is how honest text is
# written, and counted as a glitch it fired about once a 1,000 honest words (nearly every
# honest "glitch" in the Brown corpus and Wikipedia training texts was one).  A curly “
# right after an unclosed “ closes it (``_closes``).
# Scanned one alternative at a time (``glitch_offsets``): one alternation tried at every
# position cost ~2.5 us a word; the alternatives cannot overlap, so their matches are GLITCH's.
_HYPHEN = re.compile(r"\b[A-Za-z]+- (?P<after>[a-z]{2,})\b")
_SPACED = re.compile(r"(?:[“‘]|(?<![^\s(\[])\") (?=\w)|[$£€] (?=\d)")
_GLUED = re.compile(r"\b(?:the|an|of|in|to)[A-Z]{2,}s?\b")
GLITCH = re.compile("|".join(p.pattern for p in (_HYPHEN, _SPACED, _GLUED)))
# where a hyphen or glued match can start: quick scans the full patterns then confirm
_HYPHEN_AT = re.compile(r"(?<=[A-Za-z])- [a-z]{2}")
_GLUED_AT = re.compile(r"(?:the|an|of|in|to)[A-Z]{2}")


def _closes(text: str, at: int) -> bool:
    """Is the ``“`` at ``at`` a closing quote curled the wrong way: the curly double quote
    before it in its paragraph is an opening one, still unclosed ('“From “ at', as Sphinx
    renders a quoted string with a trailing space)?  Curly quotes only: straight quotes are
    unbalanced too often to be paired (a quotation running on without its opening mark)."""
    if text[at] != "“":
        return False
    start = text.rfind("\n\n", 0, at) + 1
    last = max(text.rfind("“", start, at), text.rfind("”", start, at))
    return last >= 0 and text[last] == "“"


def glitch_offsets(text: str, stop: frozenset[str]) -> list[int]:
    """Where ``GLITCH`` matches in ``text`` (a detached hyphen only before a content word; a
    ``“`` only where it does not close an unclosed one, ``_closes``)."""
    found = [m.start() for m in _SPACED.finditer(text) if not _closes(text, m.start())]
    last = -1
    for m in _HYPHEN_AT.finditer(text):
        at = m.start() - 1
        while at > 0 and text[at - 1] in string.ascii_letters:
            at -= 1
        if at <= last:
            continue
        h = _HYPHEN.match(text, at)
        if h is not None and h.end("after") > m.start():
            last = h.end()
            if h.group("after") not in stop:
                found.append(at)
    found += [m.start() for m in (_GLUED.match(text, c.start()) for c in _GLUED_AT.finditer(text)) if m]
    return found


@dataclass
class Candidate:
    word: str
    source: str
    gain: float  # log10 window gain
    gain_freq: float


@dataclass(slots=True)  # a page makes thousands: slots make each cheaper to build and to keep
class WordEvidence:
    index: int  # position in ``doc.words``
    start: int
    end: int
    text: str
    paragraph: int
    # the document's candidate table and this word's row in it; the table, not the Evidence,
    # so that a page's thousands of words hold no reference cycle: freed with the document,
    # not at the next full collection of the garbage collector (measured: ~10 MB a long
    # page waited there, and the benchmark's worker grew by it)
    _table: _CandidateTable | None = field(default=None, repr=False, compare=False)
    _j: int = 0

    @property
    def candidates(self) -> list[Candidate]:
        """The word's candidate originals, best gain first (built on first use)."""
        table = self._table
        if table is None:
            return []
        cache = table.cache
        if self._j not in cache:
            cache[self._j] = table.ranked(self._j)
        return cache[self._j]

    def among(self, words: Sequence[str]) -> list[Candidate]:
        """The word's candidates among ``words``, best gain first, whether or not they are
        among its ``keep`` best (``candidates``): beside another swapped word the right
        original often gains little alone ("artificial" next to "consciousness")."""
        if self._table is None:
            return []
        return self._table.listed(self._j, words)


@dataclass
class Evidence:
    words: list[WordEvidence]
    features: np.ndarray  # len(words) x len(WORD_FEATURES)
    paragraphs: list[tuple[int, int]]  # prose offsets of each paragraph
    glitches: list[int]  # count per paragraph
    word_counts: list[int]  # prose words per paragraph
    table: _CandidateTable | None = field(default=None, repr=False)
    # per word: the originals SPN001 offers, with their probabilities (filled by the rule)
    offers: dict[int, list[tuple[Candidate, float | None]]] = field(default_factory=dict, repr=False)

    @cached_property
    def word_paragraphs(self) -> np.ndarray:
        """The paragraph of each evidence word (``words[i].paragraph``), as an index array."""
        return np.fromiter((w.paragraph for w in self.words), np.int64, len(self.words))

    def drop_candidates(self) -> None:
        """Forget the candidate arrays (training keeps only the features)."""
        self.table = None
        for w in self.words:
            w._table = None


def paragraphs_of(doc: Document) -> list[tuple[int, int]]:
    """Blocks of prose between blank lines and the reader's block starts."""
    cuts = {0, len(doc.prose)}
    cuts.update(m.end() for m in PARAGRAPH.finditer(doc.prose))
    cuts.update(b for b in doc.breaks if 0 < b < len(doc.prose))
    edges = sorted(cuts)
    spans = [(a, b) for a, b in zip(edges, edges[1:], strict=False) if doc.prose[a:b].strip()]
    return spans or [(0, len(doc.prose))]


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spinlint.plugins.collocation.scan import stop_words

    return stop_words()


# The look-ups below are cached per word as small numpy arrays (4 bytes an id): as tuples of
# Python ints the 50,000 entries of a long run took ~100 MB.  They read the lexicons through
# their uncached functions (``__wrapped__``): what they build from a word is kept here, and
# filling the lexicons' own caches (dicts and sets of strings, kept for the rules that ask
# again) with every content word of a run held the same words a second time (~35 MB).
# 16k entries each give a hit rate of 0.85-0.90 on the benchmark job in a few MB; the old
# 50k bound let a long run grow ~60 MB more for up to 2 points of hits.
@lru_cache(maxsize=16384)
def _lexical_candidates(word: str) -> tuple[np.ndarray, np.ndarray]:
    """Context-free candidates of a word (Moby, then the spinner map) as phrase-model ids, and
    their source codes (index into ``SOURCES``); words the model does not know are left out."""
    vocab = load_phrase_model().vocab
    found: dict[int, int] = {}
    for o in list(originals.original_tags.__wrapped__(word))[:MAX_MOBY]:
        found.setdefault(vocab.get(o, -1), 0)
    for o in spinmap.spinner_map().get(word, ()):
        found.setdefault(vocab.get(o, -1), 1)
    found.pop(-1, None)
    found.pop(vocab.get(word, -2), None)
    return np.fromiter(found, np.int32, len(found)), np.fromiter(found.values(), np.int8, len(found))


@lru_cache(maxsize=16384)
def _followers(word: str) -> np.ndarray:
    """The content words listed most often after ``word`` in the reference bigrams (ids)."""
    return _ranked(word, ngrams.followers.__wrapped__(word), after=True)


@lru_cache(maxsize=16384)
def _preceders(word: str) -> np.ndarray:
    return _ranked(word, ngrams.preceders.__wrapped__(word), after=False)


def _ranked(word: str, pool: frozenset[str], after: bool) -> np.ndarray:
    stop = _stop_words()
    bigram = ngrams.bigram_table()
    vocab = load_phrase_model().vocab
    content = [c for c in pool if c.isalpha() and c not in stop and c in vocab]
    content.sort(key=lambda c: -bigram.get(f"{word} {c}" if after else f"{c} {word}", 0))
    return np.asarray([vocab[c] for c in content[:MAX_SLOT]], dtype=np.int32)


_NO_IDS = np.zeros(0, dtype=np.int32)

HONEST_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "honest-gains.tsv")
HONEST_PRIOR = 3.0  # pseudo-occurrences at the overall mean that a word's own mean is shrunk by
HONEST_MIN_COUNT = 2  # a word seen fewer times is not in the table (read as never seen)
HONEST_VERSION = "1"  # of its cached form (``_read_honest``)


class HonestGains:
    """What each word gains in honest text, and how well it fits its neighbours there: per
    word (lower case), how often it occurs as a content word in the honest documents of
    ``training.build``, the sum of its ``gain``, and the count and sum of its ``sem_fit``
    (where it has one); written by that script to ``honest-gains.tsv`` (words seen
    ``HONEST_MIN_COUNT`` times or more).

    A word's honest means are shrunk towards the means over all words, ``HONEST_PRIOR``
    occurrences' worth, so a word seen twice is not judged on two windows; a word never seen
    gets the overall means.  Some words fit their neighbours' topic poorly wherever they are
    written ("socket": 0.34 on average in honest text, all words 0.59); a swapped-in word fits
    worse than it usually does.  ``training.build`` reads its own documents leaving each one out
    (``own``), as the model will meet them at lint time: not in the table.

    Held by phrase-model id (a float32 array of four columns, 1.2 MB) with a dictionary for
    the words the phrase model does not know, so lint time looks most words up with the ids it
    already has; the shipped table is parsed once and kept in the lexicon cache (a 5 ms read
    after that, against 0.1 s to parse)."""

    COLUMNS = 4  # occurrences, sum of gains, occurrences with a sem_fit, sum of those

    def __init__(self, lm: PhraseModel, path: str = HONEST_PATH) -> None:
        self.vocab = lm.vocab
        unknown: dict[str, tuple[float, ...]] = {}  # table words out of the phrase model
        if not os.path.exists(path):  # before the first training.build: every word at mean 0
            size, total, table = 0, [0.0] * self.COLUMNS, b""
        elif os.path.abspath(path) == os.path.abspath(HONEST_PATH):  # parsed once, then cached
            from spinlint.lexicon import phrase
            from spinlint.lexicon.cache import load_or_build

            sources = (path, *phrase._sources())
            size, total, table, unknown = load_or_build(
                "honest-gains", HONEST_VERSION, sources, lambda: _read_honest(lm, path)
            )
        else:
            size, total, table, unknown = _read_honest(lm, path)
        self.size = size
        self.table = (  # read only: the cached bytes themselves, not a copy
            np.frombuffer(table, dtype=np.float32).reshape(-1, self.COLUMNS)
            if table
            else np.zeros((len(lm.words), self.COLUMNS), dtype=np.float32)
        )
        self.unknown = unknown
        self.mean = total[1] / total[0] if total[0] else 0.0
        self.sem_mean = total[3] / total[2] if total[2] else 0.0

    def columns(
        self,
        words: Sequence[str],
        gains: np.ndarray,
        sem_fit: np.ndarray,
        own: dict[str, tuple[float, ...]] | None = None,
        ids: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``honest_excess``, ``honest_log_count`` and ``honest_sem_excess`` of content words
        ``words`` (lower case; ``ids``: their phrase-model ids, -1 when unknown) with gains
        ``gains`` and semantic fits ``sem_fit``; ``own``: this document's share of the table
        (``training.build.own_gains``), left out."""
        if ids is None:
            ids = np.fromiter((self.vocab.get(w, -1) for w in words), np.int64, len(words))
        known = ids >= 0
        seen = np.where(known[:, None], self.table.take(np.where(known, ids, 0), axis=0), 0.0)
        seen = seen.astype(np.float64)
        if self.unknown:
            for k in np.flatnonzero(~known).tolist():
                seen[k] = self.unknown.get(words[k], 0.0)
        if own:  # left out, a word seen too seldom elsewhere drops out of the table
            zero = (0.0,) * self.COLUMNS
            seen -= np.asarray([own.get(w, zero) for w in words], dtype=np.float64).reshape(-1, self.COLUMNS)
            seen[seen[:, 0] < HONEST_MIN_COUNT] = 0.0
        n, g, sn, ss = seen.T
        gain_mean = (g + HONEST_PRIOR * self.mean) / (n + HONEST_PRIOR)
        sem_mean = (ss + HONEST_PRIOR * self.sem_mean) / (sn + HONEST_PRIOR)
        return gains - gain_mean, np.log1p(n), sem_fit - sem_mean


def _read_honest(lm: PhraseModel, path: str) -> tuple[int, list[float], bytes, dict[str, tuple[float, ...]]]:
    """``honest-gains.tsv`` as rows by phrase-model id: (the number of words, the totals, the
    float32 rows as bytes, the rows of the words the phrase model does not know).  Read as one
    array rather than line by line (30k lines cost 0.14 s that way), and cached in the lexicon
    cache."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    cols = HonestGains.COLUMNS
    total = [0.0] * cols
    at = 0
    while text.startswith("#", at):  # the comment lines head the file, the totals among them
        end = text.find("\n", at) + 1 or len(text)
        if text.startswith("#total\t", at):
            total = [float(v) for v in text[at:end].split("\t")[1:]]
        at = end
    body = text[at:].split()
    words = body[:: cols + 1]
    rows = np.asarray([body[k :: cols + 1] for k in range(1, cols + 1)], dtype=np.float64).T
    ids = np.fromiter((lm.vocab.get(w, -1) for w in words), np.int64, len(words))
    known = ids >= 0
    table = np.zeros((len(lm.words), cols), dtype=np.float32)
    table[ids[known]] = rows[known]
    unknown = {words[k]: tuple(rows[k].tolist()) for k in np.flatnonzero(~known).tolist()}
    return len(words), total, table.tobytes(), unknown


@lru_cache(maxsize=1)
def honest_gains() -> HonestGains:
    return HonestGains(load_phrase_model())


def compute(doc: Document, lm: PhraseModel | None = None, keep: int | None = 20) -> Evidence:
    """The evidence of ``doc``; each word keeps its ``keep`` best candidates (``None``: all)."""
    lm = lm or load_phrase_model()
    stop = _stop_words()
    words = doc.words
    lowers = doc.folded_words
    paras = paragraphs_of(doc)
    para_starts = [a for a, _ in paras]
    smap = spinmap.spinner_map()
    packs = spinmap.phrases()
    vocab = lm.vocab
    start_id, end_id = vocab.get(START, -1), vocab.get(END, -1)

    def para_of(offset: int) -> int:
        return max(bisect.bisect_right(para_starts, offset) - 1, 0)

    n_words = len(words)
    starts = np.fromiter((w.start for w in words), dtype=np.int64, count=n_words)
    para_idx = np.maximum(np.searchsorted(np.asarray(para_starts), starts, side="right") - 1, 0)

    in_pack: set[int] = set()
    pack_lengths = _pack_lengths()
    for i, lengths in ((i, pack_lengths[w]) for i, w in enumerate(lowers) if w in pack_lengths):
        for n in lengths:
            if i + n <= n_words and " ".join(lowers[i : i + n]) in packs:
                in_pack.update(range(i, i + n))

    # The document as one id sequence: <s> w ... </s> per sentence that holds words.  A word
    # belongs to the first sentence ending after its start (the last one if none does).
    sents = doc.sentences
    ends = np.fromiter((s.end for s in sents), np.int64, len(sents))
    sent_of = np.minimum(np.searchsorted(ends, starts, side="right"), max(len(sents) - 1, 0))
    new_block = np.ones(n_words, dtype=bool)
    new_block[1:] = sent_of[1:] != sent_of[:-1]
    block_first = np.flatnonzero(new_block)  # each sentence block's first word
    n_blocks = len(block_first)
    block_len = np.diff(np.append(block_first, n_words))
    word_pos = np.arange(n_words) + 2 * (np.cumsum(new_block) - 1) + 1  # each word's place in ids
    block_lo = block_first + 2 * np.arange(n_blocks)  # the place of each block's <s> ...
    block_hi = block_lo + block_len + 1  # ... and of its </s>
    seq = np.empty(n_words + 2 * n_blocks, dtype=np.int64)
    seq[block_lo], seq[block_hi] = start_id, end_id
    seq[word_pos] = [vocab.get(t, -1) if t.isalpha() or "'" in t else -1 for t in lowers]
    sent_lo = np.repeat(block_lo, block_len + 2)  # for each place, its sentence's <s> ...
    sent_hi = np.repeat(block_hi, block_len + 2)  # ... and its </s>
    content_word = [wi for wi, t in enumerate(lowers) if len(t) >= 3 and t.isalpha() and t not in stop]
    cw_idx = np.asarray(content_word, dtype=np.int64)
    slots = word_pos[cw_idx]  # places (in ids) of the content words
    first_word = new_block[cw_idx]
    # whether the word before / after each content word is inside its sentence
    has_prev = (slots - 1 > sent_lo[slots]).tolist()
    has_next = (slots + 1 < sent_hi[slots]).tolist()

    # candidates, flat: owner (index into slots), phrase-model id, source code
    id_parts: list[np.ndarray] = []
    src_parts: list[np.ndarray] = []
    counts_per_word: list[int] = []
    slot_src = np.full(2 * MAX_SLOT, SOURCES.index("slot"), dtype=np.int8)  # sliced per word
    for j, wi in enumerate(content_word):
        cands, srcs = _lexical_candidates(lowers[wi])
        before = after = _NO_IDS
        if has_prev[j]:
            prev = lowers[wi - 1]
            if prev.isalpha() and prev not in stop:
                before = _followers(prev)
        if has_next[j]:
            nxt = lowers[wi + 1]
            if nxt.isalpha() and nxt not in stop:
                after = _preceders(nxt)
        id_parts += (cands, before, after)
        src_parts.append(srcs)
        n_slot = len(before) + len(after)
        if n_slot:
            src_parts.append(slot_src[:n_slot])
        counts_per_word.append(len(cands) + n_slot)
    owner = np.repeat(np.arange(len(counts_per_word)), counts_per_word)
    cand_ids = np.concatenate(id_parts) if id_parts else _NO_IDS
    cand_src = np.concatenate(src_parts) if src_parts else np.zeros(0, dtype=np.int8)

    own = np.asarray(owner, dtype=np.int64)
    cand = np.asarray(cand_ids, dtype=np.int64)
    src = np.asarray(cand_src, dtype=np.int64)
    if len(own):  # a slot candidate may be the written word itself
        differs = cand != seq[slots[own]]
        own, cand, src = own[differs], cand[differs], src[differs]
    # a long page's flat arrays run to millions of entries: each is dropped once read, so the
    # page's peak (the semantic features, below) does not hold them too
    del owner, cand_ids, cand_src
    # written windows (one per content word) and candidate windows, scored together
    nc = len(slots)
    slot_of = np.concatenate([np.arange(nc), own])  # each window's slot: the written word's first
    rep = np.concatenate([seq[slots], cand]) if nc else np.zeros(0, dtype=np.int64)
    window, first_lp, first_order, next_order = _windows(lm, seq, sent_lo, sent_hi, slots, slot_of, rep)
    del slot_of, rep
    written = window[:nc].copy()
    gains = window[nc:] - written[own] if len(own) else np.zeros(0)
    del window
    uni_w = lm.unigram(seq[slots])
    uni_c = lm.unigram(cand)
    gain_freq = gains - (uni_c - uni_w[own]) if len(own) else np.zeros(0)

    feats = np.zeros((nc, len(WORD_FEATURES)))
    feats[:, IDX["written_lp"]] = first_lp[:nc]
    feats[:, IDX["written_order"]] = first_order[:nc]
    feats[:, IDX["window_lp"]] = written
    feats[:, IDX["unigram_lp"]] = uni_w
    feats[:, IDX["context_support"]] = first_lp[:nc] - uni_w
    feats[:, IDX["oov"]] = seq[slots] < 0 if nc else 0
    feats[:, IDX["next_order"]] = next_order[:nc]
    del first_lp, first_order, next_order
    best = np.full(nc, -np.inf)
    best_at = np.full(nc, -1, dtype=np.int64)
    if len(own):
        # ``own`` is sorted, so each word's candidates are one run: its best is the run's
        # maximum, and the first candidate reaching it (as a stable sort by gain would put it)
        group_start = np.flatnonzero(np.r_[True, own[1:] != own[:-1]])
        group_best = np.maximum.reduceat(gains, group_start)
        reaches = np.flatnonzero(gains == np.repeat(group_best, np.diff(np.r_[group_start, len(own)])))
        firsts = reaches[np.r_[True, own[reaches][1:] != own[reaches][:-1]]]
        best[own[firsts]] = gains[firsts]
        best_at[own[firsts]] = firsts
        for s, name in enumerate(SOURCES):
            col = np.full(nc, -np.inf)
            sel = src == s
            np.maximum.at(col, own[sel], gains[sel])
            feats[:, IDX[f"gain_{name}"]] = np.where(np.isfinite(col), col, NONE)
        feats[:, IDX["n_candidates"]] = np.bincount(own, minlength=nc)
        feats[:, IDX["n_better"]] = np.bincount(own, weights=(gains >= 1.0).astype(float), minlength=nc)
    else:
        for name in SOURCES:
            feats[:, IDX[f"gain_{name}"]] = NONE
    has = best_at >= 0
    feats[:, IDX["gain"]] = np.where(has, np.maximum(best, 0.0), 0.0)
    bf = np.where(has, gain_freq[np.maximum(best_at, 0)] if len(own) else 0.0, 0.0)
    feats[:, IDX["gain_freq"]] = np.maximum(bf, 0.0)
    bu = np.where(has, uni_c[np.maximum(best_at, 0)] if len(own) else OOV_LOG10, OOV_LOG10)
    feats[:, IDX["best_unigram_lp"]] = bu
    feats[:, IDX["unigram_gap"]] = np.where(has, bu - uni_w, 0.0)

    out_words = [
        WordEvidence(wi, words[wi].start, words[wi].end, words[wi].text, p)
        for wi, p in zip(content_word, para_idx[cw_idx].tolist(), strict=True)
    ]
    if nc:
        cw = content_word
        feats[:, IDX["in_map"]] = [lowers[wi] in smap for wi in cw]
        feats[:, IDX["capitalised"]] = [words[wi].text[:1].isupper() for wi in cw]
        feats[:, IDX["sentence_start"]] = first_word
        feats[:, IDX["length"]] = [words[wi].end - words[wi].start for wi in cw]
        feats[:, IDX["pack_hit"]] = [wi in in_pack for wi in cw]
    if nc:
        _neighbours(feats, np.asarray(content_word))
        _semantic(feats, seq[slots], own, cand, gains, best_at)
        excess, seen, sem_excess = honest_gains().columns(
            [lowers[wi] for wi in content_word],
            feats[:, IDX["gain"]],
            feats[:, IDX["sem_fit"]],
            ids=seq[slots],
        )
        feats[:, IDX["honest_excess"]] = excess
        feats[:, IDX["honest_log_count"]] = seen
        feats[:, IDX["honest_sem_excess"]] = sem_excess
    table = _CandidateTable(lm, own, cand, src, gains, gain_freq, nc, keep)
    glitches = [0] * len(paras)
    for at in glitch_offsets(doc.prose, stop):
        glitches[para_of(at)] += 1
    counts = np.bincount(para_idx, minlength=len(paras)).tolist()
    ev = Evidence(out_words, feats, paras, glitches, counts, table)
    for j, we in enumerate(out_words):
        we._table, we._j = table, j
    return ev


class _CandidateTable:
    """Every candidate of a document as flat arrays, grouped by owner (``owner`` is sorted);
    a word's ranked list is built when a rule asks for it (most words are never reported, and
    ten thousand small objects a page would cost more than scoring them)."""

    def __init__(
        self, lm: PhraseModel, owner: np.ndarray, ids: np.ndarray, src: np.ndarray,
        gains: np.ndarray, gain_freq: np.ndarray, n: int, keep: int | None,
    ) -> None:  # fmt: skip
        self.lm, self.ids, self.src, self.gains, self.gain_freq, self.keep = (
            lm,
            ids,
            src,
            gains,
            gain_freq,
            keep,
        )
        self.bounds = np.searchsorted(owner, np.arange(n + 1))
        self.cache: dict[int, list[Candidate]] = {}  # owner -> ``ranked(owner)``, once asked

    def ranked(self, j: int, only: Sequence[int] | None = None) -> list[Candidate]:
        """Owner ``j``'s candidates, best gain first (ties in order), one per word, at most
        ``keep``; with ``only``, those whose phrase-model id is among ``only``, all of them."""
        lo, hi = int(self.bounds[j]), int(self.bounds[j + 1])
        picked = lo + np.argsort(-self.gains[lo:hi], kind="stable")
        keep = self.keep
        if only is not None:
            picked = picked[np.isin(self.ids[picked], only)]
            keep = None
        out: list[Candidate] = []
        seen = set()
        for k in picked:
            word = self.lm.words[int(self.ids[k])]
            if word in seen:
                continue
            seen.add(word)
            out.append(
                Candidate(word, SOURCES[int(self.src[k])], float(self.gains[k]), float(self.gain_freq[k]))
            )
            if keep is not None and len(out) >= keep:
                break
        return out

    def listed(self, j: int, words: Sequence[str]) -> list[Candidate]:
        """Owner ``j``'s candidates among ``words``, best gain first, whatever their rank."""
        vocab = self.lm.vocab
        ids = [vocab[w] for w in words if w in vocab]
        return self.ranked(j, ids) if ids else []


@lru_cache(maxsize=1)
def _pack_lengths() -> dict[str, tuple[int, ...]]:
    """For each first word of a pack phrase of 2-4 words, the lengths of those phrases."""
    lengths: dict[str, set[int]] = {}
    for p in spinmap.phrases():
        parts = p.split(" ")
        if 2 <= len(parts) <= 4:
            lengths.setdefault(parts[0], set()).add(len(parts))
    return {w: tuple(sorted(ns)) for w, ns in lengths.items()}


def _windows(
    lm: PhraseModel,
    seq: np.ndarray,
    sent_lo: np.ndarray,
    sent_hi: np.ndarray,
    slots: np.ndarray,
    slot_of: np.ndarray,
    rep: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For each window (a slot, ``slots[slot_of]``, and the id put in it, ``rep``): the
    log10 probability of the three trigrams holding the slot (those inside the sentence, up
    to its ``</s>``), the slot's own trigram score and order, and the order found for the
    next word.  Windows come sorted by slot within each slice (the written words, then the
    candidates by owner), so a slice needs the context of a run of slots only."""
    if len(rep) == 0:
        z = np.zeros(0)
        return z, z, z, z
    if len(rep) > WINDOW_CHUNK:  # a long page has millions of windows: score them in slices,
        # each written into the whole page's arrays (no list of slices to concatenate)
        out: list[np.ndarray] = []
        for i in range(0, len(rep), WINDOW_CHUNK):
            cut = slice(i, i + WINDOW_CHUNK)
            part = _windows(lm, seq, sent_lo, sent_hi, slots, slot_of[cut], rep[cut])
            if not out:
                out = [np.empty(len(rep), dtype=col.dtype) for col in part]
            for whole, col in zip(out, part, strict=True):
                whole[cut] = col
        a, b, c, d = out
        return a, b, c, d
    lo, hi = int(slot_of.min()), int(slot_of.max()) + 1
    pos = slots[lo:hi]
    s0, s1 = sent_lo[pos], sent_hi[pos]
    last = len(seq) - 1

    def at(q: np.ndarray, present: np.ndarray) -> np.ndarray:
        return np.where(present, seq.take(np.clip(q, 0, last)), -1)

    has1, has2 = pos + 1 <= s1, pos + 2 <= s1
    return lm.slot_windows(
        at(pos - 2, pos - 2 >= s0),
        at(pos - 1, pos - 1 >= s0),
        rep,
        at(pos + 1, has1),
        at(pos + 2, has2),
        has1,
        has2,
        slot=slot_of - lo,
    )


def _neighbours(feats: np.ndarray, positions: np.ndarray) -> None:
    """Fill the neighbour features: the best gain, and how many gains >= 1, among the other
    content words within two word positions (spun words come in clusters)."""
    gain = feats[:, IDX["gain"]]
    n = len(positions)
    best = np.zeros(n)
    hits = np.zeros(n)
    for off in (-2, -1, 1, 2):
        a = np.arange(max(0, -off), min(n, n - off))
        b = a + off
        near = np.abs(positions[b] - positions[a]) <= 2
        best[a[near]] = np.maximum(best[a[near]], gain[b[near]])
        hits[a[near]] += gain[b[near]] >= 1.0
    feats[:, IDX["neighbour_gain"]] = best
    feats[:, IDX["neighbour_hits"]] = hits


def _semantic(
    feats: np.ndarray,
    ids: np.ndarray,
    own: np.ndarray,
    cand: np.ndarray,
    gains: np.ndarray,
    best_at: np.ndarray,
) -> None:
    """Fill the semantic-fit features (``spinlint.lexicon.vectors``): each content word's
    cosine with the normalised sum of the vectors of the ``SEM_WINDOW`` content words either
    side, and how much better its candidates would fit there.  A sense-blind swap ("bosom
    peril" for "breast cancer") leaves a word off its neighbours' topic; the trigram gains
    see only two words either side.  Missing vectors give NaN (the trees' missing branch)."""
    table = vectors.load()
    vec, has = table.of(ids)
    n = len(ids)
    acc = np.vstack([np.zeros((1, vectors.DIM), np.float32), np.cumsum(vec, axis=0, dtype=np.float32)])
    at = np.arange(n)
    lo, hi = np.maximum(at - SEM_WINDOW, 0), np.minimum(at + SEM_WINDOW + 1, n)
    ctx = acc[hi] - acc[lo] - vec
    norm = np.linalg.norm(ctx, axis=1)
    ok_ctx = norm > 1e-6
    ctx = ctx / np.where(ok_ctx, norm, 1.0)[:, None]
    fit = np.where(has & ok_ctx, np.einsum("ij,ij->i", vec, ctx), np.nan)
    feats[:, IDX["sem_fit"]] = fit
    sem_gain = np.full(n, np.nan)
    sem_best = np.full(n, np.nan)
    if len(own):
        # only the candidates the features read: those that gain, and each word's best
        needed = gains > 0
        got = best_at >= 0
        needed[best_at[got]] = True
        at = np.flatnonzero(needed)
        # a long page has ~10^5 such candidates: their vectors are gathered a slice at a time
        cfit = np.full(len(own), np.nan)
        for a in range(0, len(at), SEM_CHUNK):
            part = at[a : a + SEM_CHUNK]
            cvec, chas = table.of(cand[part])
            dots = np.einsum("ij,ij->i", cvec, ctx[own[part]])
            cfit[part] = np.where(chas, dots, np.nan) - fit[own[part]]
        usable = np.flatnonzero(np.isfinite(cfit) & (gains > 0))
        if len(usable):  # ``own`` is sorted: each word's usable candidates are one run
            owners = own[usable]
            first = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
            sem_gain[owners[first]] = np.maximum.reduceat(cfit[usable], first)
        sem_best[got] = cfit[best_at[got]]
    feats[:, IDX["sem_gain"]] = sem_gain
    feats[:, IDX["sem_gain_best"]] = sem_best


def semantic_fits(ev: Evidence, i: int, replacements: Sequence[str]) -> tuple[float, list[float]]:
    """``sem_fit`` of evidence word ``i`` and the fit each of ``replacements`` would have in
    its place (NaN without a vector), against the same neighbours: the figures a diagnostic
    quotes.  Recomputed for the one word (the evidence keeps only the features)."""
    lm, table = load_phrase_model(), vectors.load()
    lo, hi = max(0, i - SEM_WINDOW), min(len(ev.words), i + SEM_WINDOW + 1)
    vec, _ = table.of(np.asarray([lm.wid(ev.words[k].text.lower()) for k in range(lo, hi)]))
    ctx = vec.sum(axis=0) - vec[i - lo]
    norm = float(np.linalg.norm(ctx))
    if norm <= 1e-6:
        return math.nan, [math.nan] * len(replacements)
    ctx /= norm
    cand, chas = table.of(np.asarray([lm.wid(r.lower()) for r in replacements], dtype=np.int64))
    fits = [float(c @ ctx) if ok else math.nan for c, ok in zip(cand, chas, strict=True)]
    return float(ev.features[i, IDX["sem_fit"]]), fits


def region_features(
    rows: np.ndarray, words: int, glitches: int, p_word: np.ndarray | None = None
) -> list[float]:
    """The aggregate features of a paragraph or document (``REGION_FEATURES``)."""
    group = np.zeros(len(rows), dtype=np.int64)
    p = np.zeros(len(rows)) if p_word is None else p_word
    out: list[float] = region_table(rows, group, [words], [glitches], p)[0].tolist()
    return out


def region_table(
    rows: np.ndarray, group: np.ndarray, words: Sequence[int], glitches: Sequence[int], p_word: np.ndarray
) -> np.ndarray:
    """``region_features`` of every region at once: ``rows`` (one per evidence word) belong to
    region ``group[i]``, of ``len(words)`` regions; one row of ``REGION_FEATURES`` each.  A
    page has dozens of paragraphs: grouped sums (``np.bincount``) instead of a dozen small
    means per paragraph."""
    k = len(words)
    n = np.bincount(group, minlength=k).astype(np.float64)
    per = np.maximum(n, 1.0)

    def mean(values: np.ndarray) -> np.ndarray:
        sums: np.ndarray = np.bincount(group, weights=values.astype(np.float64), minlength=k)
        return sums / per

    def nanmean(values: np.ndarray) -> np.ndarray:
        ok = np.isfinite(values)
        sums = np.bincount(group, weights=np.where(ok, values, 0.0), minlength=k)
        count = np.bincount(group, weights=ok.astype(np.float64), minlength=k)
        return np.where(count > 0, sums / np.maximum(count, 1.0), np.nan)

    g = rows[:, IDX["gain"]]
    syn = np.maximum(rows[:, IDX["gain_moby"]], rows[:, IDX["gain_map"]])
    per100 = 100.0 / np.maximum(np.asarray(words, dtype=np.float64), 1.0)
    # the mean of each region's five highest P(swapped): rank within the region from the top
    order = np.lexsort((p_word, group))
    sorted_group = group[order]
    starts = np.searchsorted(sorted_group, np.arange(k))
    from_top = n[sorted_group] - 1 - (np.arange(len(order)) - starts[sorted_group])
    top = order[from_top < 5]
    top5 = np.bincount(group[top], weights=p_word[top], minlength=k) / np.maximum(np.minimum(n, 5.0), 1.0)
    columns = [
        np.asarray([math.log1p(w) for w in words]),  # (as the model was fitted: numpy's differs by an ulp)
        mean(g >= 0.5),
        mean(g >= 1.0),
        mean(g >= 2.0),
        mean(g >= 3.0),
        mean(rows[:, IDX["gain_freq"]] >= 1.0),
        mean(syn >= 1.0),
        mean(syn >= 2.0),
        mean(rows[:, IDX["gain_slot"]] >= 2.0),
        mean(np.clip(g, 0, 5)),
        mean(rows[:, IDX["oov"]]),
        mean(rows[:, IDX["written_lp"]]),
        mean(rows[:, IDX["context_support"]]),
        mean(rows[:, IDX["written_order"]] <= 1),
        mean(rows[:, IDX["in_map"]]),
        np.bincount(group, weights=rows[:, IDX["pack_hit"]], minlength=k) * per100,
        np.asarray(glitches, dtype=np.float64) * per100,
        nanmean(rows[:, IDX["sem_fit"]]),
        mean(np.nan_to_num(rows[:, IDX["sem_gain"]], nan=0.0) >= 0.2),
        mean(p_word),
        mean(p_word >= 0.3),
        mean(p_word >= 0.5),
        top5,
    ]
    return np.column_stack(columns)


def phrase_gains(doc: Document, indexes: list[int], choices: list[list[str]]) -> list[float]:
    """For words ``indexes`` of ``doc.words`` (adjacent, in one sentence) and each choice of
    replacements for them (one word each, ``""`` = keep the written word): the log10 gain of
    the trigrams from the first word to two past the last, restored against as written.

    Adjacent swaps must be undone together: "bosom peril" -> "breast cancer" wins as a pair
    although neither word wins alone next to the other's spun form."""
    lm = load_phrase_model()
    words, lowers = doc.words, doc.folded_words
    sentence = doc.sentence_at(words[indexes[0]].start)
    inside = [k for k, w in enumerate(words) if sentence.start <= w.start < sentence.end]
    vocab = lm.vocab
    ids = [vocab.get(START, -1), *(vocab.get(lowers[k], -1) for k in inside), vocab.get(END, -1)]
    at = [inside.index(k) + 1 for k in indexes]
    lo, hi = at[0], min(at[-1] + 2, len(ids) - 1)
    rows = [list(ids)]
    for choice in choices:
        row = list(ids)
        for pos, word in zip(at, choice, strict=True):
            if word:
                row[pos] = vocab.get(word, -1)
        rows.append(row)
    w1, w2, w3 = [], [], []
    for row in rows:
        for t in range(lo, hi + 1):
            w1.append(row[t - 2] if t >= 2 else -1)
            w2.append(row[t - 1])
            w3.append(row[t])
    lp, _ = lm.score(np.asarray(w1), np.asarray(w2), np.asarray(w3))
    totals = lp.reshape(len(rows), hi - lo + 1).sum(axis=1)
    return [float(v - totals[0]) for v in totals[1:]]


EVIDENCE_KEY = "spin-evidence"  # where ``evidence`` keeps it in ``Document.cache``


def evidence(doc: Document) -> Evidence:
    """The document's evidence, computed once and shared by every rule that asks."""
    ev = doc.cache.get(EVIDENCE_KEY)
    if ev is None:
        ev = doc.cache[EVIDENCE_KEY] = compute(doc)
    assert isinstance(ev, Evidence)
    return ev


# -- the order in which candidates are offered -------------------------------------------


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
