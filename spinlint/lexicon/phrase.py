"""A trigram phrase model of US English: the CMU Sphinx ``en-us`` language model.

Source: ``pocketsphinx/model/en-us/en-us.lm.bin`` inside the ``pocketsphinx`` wheel on PyPI
(BSD-2-Clause, Carnegie Mellon University; the same file as Debian's ``pocketsphinx-en-us``).
It holds 72,547 lower-case words, 2,051,511 bigrams and 1,669,625 trigrams as log10
probabilities with backoff weights: a pruned model, so there are no raw counts, and its
training text is not documented (it reads as broadcast news and general web text).  It
installs with spinlint's normal dependencies; nothing is downloaded.

How it is read.  The C library in the same wheel scores one n-gram per call (~2 us through
``ctypes``), too slow for the thousands of candidate windows a page needs.  So the model is
dumped once, with that library, to ARPA text, parsed into numpy hash tables and saved as ``.npy`` files in the
lexicon cache folder (~130 MB, built once in a child process in ~20 s, then memory-mapped:
loading costs milliseconds and only the pages touched count); a document's windows are then
scored together, in one vectorised backoff look-up (``score``), about thirty times faster
per window than a call into the library.  ``tests/test_detect.py`` checks the tables against the library.

Hazards, measured on this file:

* the header claims 2,051,547 bigrams but the file holds 2,051,511, so the library's ARPA
  writer runs off the end and crashes (as does Debian's ``sphinx_lm_convert``); the dump
  corrects the count in the loaded model (``ngram_model_get_counts`` points into it) first;
* only 72.5k words: a rare word ("abettors", "hearthstone") is out of vocabulary, which is
  itself evidence when a common synonym fits the same slot; unknown words score
  ``OOV_LOG10``;
* everything is lower case and tokenised as speech: digits are not words ("2" is unknown,
  "two" is known), so numbers and other non-words take the unknown id and break the history;
* sentence boundaries are ``<s>`` and ``</s>``.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

VERSION = "1"
OOV_LOG10 = -7.0  # below every listed unigram (the least likely is about -6.9)
START, END = "<s>", "</s>"
BITS = 17  # 72,547 words < 2**17: a trigram key is three ids in 51 bits
REAL_BIGRAMS = 2_051_511  # what the file holds (its header says 2,051,547)


class Score(NamedTuple):
    """log10 P(word | history) and the order of the n-gram found (1, 2 or 3; 0 when the
    word itself is out of vocabulary)."""

    log10: float
    order: int


@lru_cache(maxsize=1)
def model_path() -> str:
    """The model file inside the pocketsphinx wheel (asked once: finding the package's path
    went through the import machinery, 0.25 ms a file, and ``acronym`` asks for every file)."""
    from spinlint.lexicon import MissingResource

    try:
        import pocketsphinx
    except ImportError as exc:
        raise MissingResource(
            "the trigram phrase model is not installed (pip install pocketsphinx==5.1.1)"
        ) from exc

    return os.path.join(pocketsphinx.get_model_path(), "en-us", "en-us.lm.bin")


def _native_model(path: str) -> tuple[ctypes.CDLL, int]:
    """The model loaded by the C library in the pocketsphinx wheel."""
    import pocketsphinx._pocketsphinx as native

    lib = ctypes.CDLL(native.__file__)
    p = ctypes.c_void_p
    lib.logmath_init.restype = p
    lib.logmath_init.argtypes = [ctypes.c_double, ctypes.c_int, ctypes.c_int]
    lib.ngram_model_read.restype = p
    lib.ngram_model_read.argtypes = [p, ctypes.c_char_p, ctypes.c_int, p]
    lib.ngram_model_get_counts.restype = ctypes.POINTER(ctypes.c_uint32)
    lib.ngram_model_get_counts.argtypes = [p]
    lib.ngram_model_write.restype = ctypes.c_int
    lib.ngram_model_write.argtypes = [p, ctypes.c_char_p, ctypes.c_int]
    lib.ngram_tg_score.restype = ctypes.c_int32
    i32 = ctypes.c_int32
    lib.ngram_tg_score.argtypes = [p, i32, i32, i32, ctypes.POINTER(i32)]
    lib.ngram_wid.restype = i32
    lib.ngram_wid.argtypes = [p, ctypes.c_char_p]
    logmath = lib.logmath_init(1.0001, 0, 0)
    model = lib.ngram_model_read(None, path.encode(), 0, logmath)  # 0: NGRAM_AUTO
    if not model:
        raise OSError(f"{path}: not a readable pocketsphinx language model")
    return lib, model


def native_score(w1: str, w2: str, w3: str) -> Score:
    """One trigram scored by the C library itself (slow; for checking the tables)."""
    import math

    lib, model = _native()
    n = ctypes.c_int32()
    ids = [lib.ngram_wid(model, w.encode()) if w else -1 for w in (w1, w2, w3)]
    s = lib.ngram_tg_score(model, ids[2], ids[1], ids[0], ctypes.byref(n))
    return Score(s * math.log10(1.0001), n.value)


@lru_cache(maxsize=1)
def _native() -> tuple[ctypes.CDLL, int]:
    return _native_model(model_path())


def _arpa_tables(arpa: str) -> dict[str, np.ndarray]:
    """Parse the ARPA dump into unigram arrays and two hash tables (see ``HashTable``)."""
    words: list[str] = []
    uni_p: list[float] = []
    uni_bo: list[float] = []
    keys2: list[int] = []
    p2: list[float] = []
    bo2: list[float] = []
    keys3: list[int] = []
    p3: list[float] = []
    ids: dict[str, int] = {}
    section = 0
    with open(arpa, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.startswith("\\"):
                section = int(line[1]) if line[1:2].isdigit() else section
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            if section == 1:
                ids[parts[1]] = len(words)
                words.append(parts[1])
                uni_p.append(float(parts[0]))
                uni_bo.append(float(parts[2]) if len(parts) > 2 else 0.0)
            elif section == 2:
                keys2.append((ids[parts[1]] << BITS) | ids[parts[2]])
                p2.append(float(parts[0]))
                bo2.append(float(parts[3]) if len(parts) > 3 else 0.0)
            elif section == 3:
                keys3.append((((ids[parts[1]] << BITS) | ids[parts[2]]) << BITS) | ids[parts[3]])
                p3.append(float(parts[0]))
    f32 = np.float32
    slots2, at2 = hash_build(np.asarray(keys2, dtype=np.int64))
    slots3, at3 = hash_build(np.asarray(keys3, dtype=np.int64))
    return {
        "words": np.asarray(words),
        "uni_p": np.asarray(uni_p, dtype=np.float64),
        "uni_bo": np.asarray(uni_bo, dtype=np.float64),
        "slots2": slots2,
        "p2": _place(np.asarray(p2, dtype=f32), at2, len(slots2)),
        "bo2": _place(np.asarray(bo2, dtype=f32), at2, len(slots2)),
        "slots3": slots3,
        "p3": _place(np.asarray(p3, dtype=f32), at3, len(slots3)),
    }


def _place(values: np.ndarray, at: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros(size, dtype=values.dtype)
    out[at] = values
    return out


# -- a vectorised open-addressing hash table (numpy has none) ---------------------------
# Keys are non-negative int64; a slot holds a key or -1.  Multiplicative (Fibonacci) hashing
# and linear probing at a load under 1/2: a batch of look-ups is a few gathers, ~0.06 us a key
# where a binary search over the sorted keys (np.searchsorted) took ~0.7 us.
MULT = np.uint64(0x9E3779B97F4A7C15)
PROBE_TAIL = 128  # keys left when ``hash_find`` stops probing one slot a round ...
PROBE_WIDE = 16  # ... and probes this many at once (measured: 64-256 and 8-16 do nearly as well)


def _slot(keys: np.ndarray, bits: int) -> np.ndarray:
    with np.errstate(over="ignore"):
        return ((keys.astype(np.uint64) * MULT) >> np.uint64(64 - bits)).astype(np.int64)


def hash_build(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The slot array for ``keys`` (distinct) and the slot each key went to."""
    bits = max(int(np.ceil(np.log2(max(len(keys), 1) * 2))), 4)
    size = 1 << bits
    slots = np.full(size, -1, dtype=np.int64)
    at = np.full(len(keys), -1, dtype=np.int64)
    home = _slot(keys, bits)
    todo = np.arange(len(keys))
    probe = 0
    while len(todo):
        slot = (home[todo] + probe) & (size - 1)
        free = slots[slot] == -1
        cand, cslot = todo[free], slot[free]
        taken, first = np.unique(cslot, return_index=True)
        placed = cand[first]
        slots[taken] = keys[placed]
        at[placed] = taken
        todo = todo[at[todo] < 0]
        probe += 1
    return slots, at


def hash_find(slots: np.ndarray, query: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each query key: found?, and its slot (meaningful where found, 0 elsewhere).  Only
    the ``valid`` keys are looked up, and each probe round works on the keys still unresolved,
    as compact arrays.

    A round costs a dozen numpy calls whatever its size, and linear probing has a long tail:
    a third of the keys of a batch need a second probe, a few need thirty.  So one slot a
    round while many keys are left, then the last ``PROBE_TAIL`` keys a row of ``PROBE_WIDE``
    slots each at once (doubling each round): a 20-word page's look-ups went from about 27
    rounds to 3, a third of their time, and a long page's by a fifth."""
    mask = len(slots) - 1
    found = np.zeros(len(query), dtype=bool)
    at = np.zeros(len(query), dtype=np.int64)
    idx = np.flatnonzero(valid)
    key = query[idx]
    slot = _slot(key, mask.bit_length())
    wide = PROBE_WIDE
    # positions and ``take`` rather than boolean masks: a mask's selection is several times
    # slower here, and these arrays are re-selected every probe round
    while len(idx):
        if len(idx) > PROBE_TAIL:
            k = slots.take(slot)
            hit = k == key
            h = np.flatnonzero(hit)
            if len(h):
                where = idx.take(h)
                found[where] = True
                at[where] = slot.take(h)
            go = np.flatnonzero(~hit & (k != -1))
            idx, key, slot = idx.take(go), key.take(go), (slot.take(go) + 1) & mask
            continue
        # a key sits before the first empty slot of its run (nothing is ever deleted), so the
        # first slot of its row holding it or empty ends its search
        row = (slot[:, None] + np.arange(wide)) & mask
        k = slots.take(row)
        hit = k == key[:, None]
        stop = hit | (k == -1)
        first = stop.argmax(axis=1)
        n = np.arange(len(idx))
        h = np.flatnonzero(hit[n, first])
        if len(h):
            where = idx.take(h)
            found[where] = True
            at[where] = row[h, first.take(h)]
        go = np.flatnonzero(~stop[n, first])
        idx, key, slot = idx.take(go), key.take(go), (slot.take(go) + wide) & mask
        wide *= 2
    return found, at


def _build_into(folder: str) -> None:
    """Dump the model to ARPA with the C library, parse it and save the arrays in ``folder``
    (written under a temporary name, then renamed: concurrent builders never see half)."""
    lib, model = _native_model(model_path())
    counts = lib.ngram_model_get_counts(model)
    if counts[1] > REAL_BIGRAMS:
        counts[1] = REAL_BIGRAMS  # see the module docstring: the header over-counts
    parent = os.path.dirname(folder)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(dir=parent, prefix=".tmp-phrase-")
    try:
        arpa = os.path.join(tmp, "lm.arpa")
        if lib.ngram_model_write(model, arpa.encode(), 1) != 0:  # 1: NGRAM_ARPA
            raise OSError("pocketsphinx could not write its model as ARPA")
        tables = _arpa_tables(arpa)
        os.unlink(arpa)
        for name, array in tables.items():
            np.save(os.path.join(tmp, f"{name}.npy"), array)
        try:
            os.rename(tmp, folder)
        except OSError:  # another process finished first: use its folder
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def tables_folder() -> str:
    from spinlint.lexicon.cache import cache_key, cache_root

    return str(cache_root() / f"phrase-lm-{cache_key('phrase-lm', VERSION, _sources())}")


def _sources() -> tuple[str, ...]:
    return (model_path(), __file__)


NAMES = ("words", "uni_p", "uni_bo", "slots2", "p2", "bo2", "slots3", "p3")


def _open(folder: str) -> dict[str, np.ndarray] | None:
    try:
        return {
            n: np.load(os.path.join(folder, f"{n}.npy"), mmap_mode=None if n == "words" else "r")
            for n in NAMES
        }
    except (OSError, ValueError):
        return None


def _tables() -> dict[str, np.ndarray]:
    from spinlint.lexicon.cache import mark_used, prune

    folder = tables_folder()
    found = _open(folder)
    if found is not None:
        mark_used(Path(folder))
        return found
    try:  # build in a child process: the parse's scratch lists (~1 GB) leave with it
        import multiprocessing

        child = multiprocessing.get_context("spawn").Process(target=_build_into, args=(folder,))
        child.start()
        child.join()
    except (OSError, RuntimeError, ValueError, AssertionError):
        pass
    found = _open(folder)
    if found is None:
        _build_into(folder)  # no child processes here (or it failed): build in this one
        found = _open(folder)
    if found is None:
        raise OSError(f"{folder}: the phrase model's tables could not be built")
    prune(Path(folder).parent)  # the tables of earlier installations (120 MB each)
    return found


class PhraseModel:
    """The model as hash tables in memory-mapped arrays, scored many windows at a time."""

    def __init__(self) -> None:
        t = _tables()
        self.words: list[str] = [str(w) for w in t["words"]]
        self.vocab: dict[str, int] = {w: i for i, w in enumerate(self.words)}
        self.uni_p, self.uni_bo = np.asarray(t["uni_p"]), np.asarray(t["uni_bo"])
        # plain ndarray views of the memory maps: indexing a np.memmap builds a memmap object
        # per result, a third of the look-up time on small batches
        self.slots2, self.p2, self.bo2 = (np.asarray(t[k]) for k in ("slots2", "p2", "bo2"))
        self.slots3, self.p3 = np.asarray(t["slots3"]), np.asarray(t["p3"])

    def wid(self, word: str) -> int:
        """The model's id of a lower-case word, -1 when it is out of vocabulary."""
        return self.vocab.get(word, -1)

    def score(self, w1: np.ndarray, w2: np.ndarray, w3: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """log10 P(w3 | w1 w2) and the order found, for arrays of ids (-1: unknown or none),
        with the standard ARPA backoff: a listed trigram, else the backoff weight of (w1, w2)
        plus P(w3 | w2); a listed bigram, else the backoff weight of w2 plus P(w3)."""
        w1 = np.asarray(w1, dtype=np.int64)
        w2 = np.asarray(w2, dtype=np.int64)
        w3 = np.asarray(w3, dtype=np.int64)
        hist, _, bo12 = self._bigram(w1, w2)
        hit3, p3 = self._trigram(w1, w2, w3, hist)
        hit2, p2, _ = self._bigram(w2, w3)
        u3, _ = self._uni(w3)
        _, ubo2 = self._uni(w2)
        out = np.where(hit3, p3, np.where(hist, bo12, 0.0) + np.where(hit2, p2, ubo2 + u3))
        out = np.where(w3 >= 0, out, OOV_LOG10)
        order = np.where(hit3, 3, np.where(hit2, 2, np.where(w3 >= 0, 1, 0)))
        return out, order

    def _bigram(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Is (a, b) listed, its log10 probability and its backoff weight (0 where unlisted)."""
        found, at = hash_find(self.slots2, (np.maximum(a, 0) << BITS) | np.maximum(b, 0), (a >= 0) & (b >= 0))
        return found, np.where(found, self.p2.take(at), 0.0), np.where(found, self.bo2.take(at), 0.0)

    def _trigram(
        self, a: np.ndarray, b: np.ndarray, c: np.ndarray, history: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Is (a, b, c) listed, and its log10 probability.  ``history``: is (a, b) a listed
        bigram.  Every listed trigram's history is (``tests/test_detect.py`` checks it on the
        tables), so only those rows are looked up: most candidate windows have none."""
        key = (((np.maximum(a, 0) << BITS) | np.maximum(b, 0)) << BITS) | np.maximum(c, 0)
        found, at = hash_find(self.slots3, key, history & (c >= 0))
        return found, np.where(found, self.p3.take(at), 0.0)

    def _uni(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        safe = np.maximum(ids, 0)
        return np.where(ids >= 0, self.uni_p.take(safe), OOV_LOG10), np.where(
            ids >= 0, self.uni_bo.take(safe), 0.0
        )

    def slot_windows(
        self, l2: np.ndarray, l1: np.ndarray, r: np.ndarray, r1: np.ndarray, r2: np.ndarray,
        has1: np.ndarray, has2: np.ndarray, slot: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
        """Score a word ``r`` in the slot between ``l2 l1`` and ``r1 r2``: the log10
        probability of the three trigrams that hold it (those whose last word exists:
        ``has1``/``has2`` say whether ``r1``/``r2`` are inside the sentence), the slot's own
        trigram score and order, and the order found for ``r1``.

        The same backoff as ``score``, with the look-ups the three trigrams share done once:
        five hash look-ups a window instead of nine.  With ``slot`` (one index per ``r``), the
        context arrays ``l2 l1 r1 r2 has1 has2`` hold one entry per slot instead of one per
        window, and the look-ups that need no ``r`` (``l2 l1``, ``r1 r2`` and the unigrams) are
        made once per slot, not once per candidate."""
        u_r1, ubo_r1 = self._uni(r1)
        u_r2, _ = self._uni(r2)
        _, ubo_l1 = self._uni(l1)
        hist0, _, bo_l2l1 = self._bigram(l2, l1)
        bi2, p_r1r2, _ = self._bigram(r1, r2)
        if slot is not None:  # from slots to windows
            l2, l1, r1, r2, has1, has2 = (a.take(slot) for a in (l2, l1, r1, r2, has1, has2))
            u_r1, ubo_r1, u_r2, ubo_l1 = (a.take(slot) for a in (u_r1, ubo_r1, u_r2, ubo_l1))
            hist0, bo_l2l1, bi2, p_r1r2 = (a.take(slot) for a in (hist0, bo_l2l1, bi2, p_r1r2))
        u_r, ubo_r = self._uni(r)
        bi0, p_l1r, bo_l1r = self._bigram(l1, r)
        bi1, p_rr1, bo_rr1 = self._bigram(r, r1)
        tri0, p0 = self._trigram(l2, l1, r, hist0)
        tri1, p1 = self._trigram(l1, r, r1, bi0)
        tri2, p2 = self._trigram(r, r1, r2, bi1)
        s0 = np.where(tri0, p0, np.where(hist0, bo_l2l1, 0.0) + np.where(bi0, p_l1r, ubo_l1 + u_r))
        s0 = np.where(r >= 0, s0, OOV_LOG10)
        s1 = np.where(tri1, p1, np.where(bi0, bo_l1r, 0.0) + np.where(bi1, p_rr1, ubo_r + u_r1))
        s1 = np.where(r1 >= 0, s1, OOV_LOG10)
        s2 = np.where(tri2, p2, np.where(bi1, bo_rr1, 0.0) + np.where(bi2, p_r1r2, ubo_r1 + u_r2))
        s2 = np.where(r2 >= 0, s2, OOV_LOG10)
        total = s0 + np.where(has1, s1, 0.0) + np.where(has2, s2, 0.0)
        order0 = np.where(tri0, 3, np.where(bi0, 2, np.where(r >= 0, 1, 0)))
        order1 = np.where(has1, np.where(tri1, 3, np.where(bi1, 2, np.where(r1 >= 0, 1, 0))), -1)
        return total, s0, order0.astype(float), order1.astype(float)

    def score_words(self, w1: str, w2: str, w3: str) -> Score:
        """One trigram by its words (``""`` for a missing history word)."""
        v = self.vocab.get
        lp, order = self.score(np.array([v(w1, -1)]), np.array([v(w2, -1)]), np.array([v(w3, -1)]))
        return Score(float(lp[0]), int(order[0]))

    def unigram(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        return np.where(ids >= 0, self.uni_p.take(np.maximum(ids, 0)), OOV_LOG10)


@lru_cache(maxsize=1)
def load() -> PhraseModel:
    """The process-wide model (built once per installation, then loaded from the cache)."""
    return PhraseModel()


def available() -> bool:
    try:
        import pocketsphinx  # noqa: F401
    except ImportError:
        return False
    return os.path.exists(model_path())
