"""Tortured phrases (Problematic Paper Screener) in short carrier sentences, with their fixes.

The phrase pairs come from the project's own pack, ``rules/tortured-phrases/*.tsv`` (files
with ``pattern`` and ``replacement`` columns; entries that need context terms in the document
are left out, since a carrier sentence holds none), or, when the pack does not exist yet, from
a PPS export given by path (the giladfeldman/torturedcheck JSON or the hahuyhoang411 CSV).

Each pair yields two sentences from the same neutral template: one with the tortured phrase
(gold span: the phrase, original: the established term) and one with the established term
(any alarm on it is a false alarm).  Templates are chosen by a hash of the phrase.
"""

from __future__ import annotations

import csv
import glob
import json
import os
import re
from dataclasses import dataclass

from benchmarks.corpora import ROOT, bucket

PACK = os.path.join(ROOT, "rules", "tortured-phrases")
TEMPLATES = (
    "We discuss {} in the next section.",
    "The results show that {} plays an important role here.",
    "This paper presents a new approach based on {}.",
    "Recent work has focused on {} and its applications.",
    "In this study, {} was used to evaluate the proposed model.",
    "Several authors have reviewed {} in detail.",
    "The second experiment compares {} with earlier methods.",
    "Our survey covers {} as well as related topics.",
)
PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9' -]*[A-Za-z0-9]")


@dataclass(frozen=True)
class Pair:
    tortured: str
    correct: str


@dataclass(frozen=True)
class Carrier:
    pair: Pair
    spun: str  # the sentence with the tortured phrase
    correct: str  # the same sentence with the established term
    offset: int  # where the phrase / the term starts in its sentence


def _usable(p: Pair) -> bool:
    return (
        bool(PLAIN.fullmatch(p.tortured) and PLAIN.fullmatch(p.correct))
        and p.tortured.lower() != p.correct.lower()
    )


def load_pairs(path: str | None = None) -> tuple[list[Pair], str]:
    """Phrase pairs and a description of where they came from."""
    pairs: list[Pair] = []
    if path is None and os.path.isdir(PACK):
        path = PACK
    if path is None:
        return [], "none"
    if os.path.isdir(path):
        for tsv in sorted(glob.glob(os.path.join(path, "*.tsv"))):
            with open(tsv, encoding="utf-8") as fh:
                rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
                if not rows.fieldnames or not {"pattern", "replacement"} <= set(rows.fieldnames):
                    continue
                for row in rows:
                    if (row.get("requires") or "").strip():
                        continue
                    pairs.append(Pair(row["pattern"].strip(), (row["replacement"] or "").strip()))
        source = os.path.relpath(path, ROOT) + "/*.tsv"
    elif path.endswith(".json"):
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        pairs = [Pair(p["tortured"].strip(), p["correct"].strip()) for p in data["phrases"]]
        source = path
    else:
        with open(path, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                phrase = row["tortured_phrase"].split(" AND ")[0].strip().strip('"')
                pairs.append(Pair(phrase, row["expected_phrase"].strip()))
        source = path
    seen: set[str] = set()
    out = []
    for p in pairs:
        if _usable(p) and p.tortured.lower() not in seen:
            seen.add(p.tortured.lower())
            out.append(p)
    return out, source


def carrier(pair: Pair) -> Carrier:
    template = TEMPLATES[int(bucket(pair.tortured.lower(), "template") * len(TEMPLATES))]
    offset = template.index("{}")
    return Carrier(pair, template.format(pair.tortured), template.format(pair.correct), offset)
