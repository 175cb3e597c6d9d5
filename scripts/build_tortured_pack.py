#!/usr/bin/env python3
"""Build ``rules/tortured-phrases/`` lexicons from two exports of the Problematic Paper Screener.

The Problematic Paper Screener (PPS; Cabanac, Labbé & Magazinov) publishes its list of
"tortured phrases" (fingerprints of synonym spinning in scientific papers) under CC BY 4.0.
Two public GitHub exports of that list are merged here:

- a CSV (``tortured_phrase,expected_phrase,num_papers``) whose first column keeps the PPS
  query syntax: ``"surface region" AND "surface area"`` (counts only when the second term also
  occurs), ``NOT`` (must not occur), ``(A OR B)`` groups, bare words, ``optimiz*`` wildcards and
  ``"a b"~10`` proximity queries;
- a JSON (``{"phrases": [{"tortured", "correct"}]}``) that lost the query syntax and flattened
  some context terms into entries of their own (``"with macs"``, ``"machine learning"``).

Usage::

    python scripts/build_tortured_pack.py CSV JSON [--out rules/tortured-phrases]

It writes ``tortured-phrases.tsv`` (entries whose match alone is evidence: TPF001),
``tortured-phrases-context.tsv`` (entries that count only with / without context terms:
TPF002), ``tortured-phrases-unresolved.tsv`` (fingerprints whose original PPS does not know:
TPF003, no fix) and ``dropped.tsv`` (every entry left out, with the reason), and prints the
counts.
The output is sorted and deterministic, so re-running it on the same inputs gives the same
files.

Filters (documented in the pack's SOURCES.md):

1. JSON entries whose phrase is a context term of a CSV query (and never a phrase of its own)
   are flattening artefacts, not fingerprints.
2. Proximity queries (``~N``) and queries needing several terms at once (``A AND B AND C``)
   cannot be expressed by the pack engine (``requires`` is any-of, document-wide); dropped.
3. Common English: a phrase that is frequent in general web text is not a fingerprint on its
   own.  Two-word phrases listed in the wordsegment bigram table (>= 100,000 occurrences in the
   Google Web Trillion Word Corpus) and longer phrases whose order-1 Markov estimate from the
   same counts is >= 1,000 are kept only when PPS gave them a context condition.
4. Entries without a usable replacement (``???``, or a comment longer than ten words instead
   of a term) are kept as fix-less existence entries (the comment becomes the note).
5. Homographs of function words ("associate in nursing" for "an", "square measure" for
   "are"): phrases of LEX002's WordNet table (``spinlint/plugins/lexical/homographs.tsv``) are
   honest terms on their own ("an Associate in Nursing degree"); LEX002 reports them only where
   the function word fits the context, so the pack leaves them to it.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spinlint.lexicon.ngrams import _unigrams, bigram, unigram  # noqa: E402
from spinlint.packs import words  # noqa: E402

BIGRAM_COMMON = 1  # any listed bigram (the table holds only pairs seen >= 100,000 times)
CHAIN_COMMON = 1_000.0  # Markov estimate for 3+ word phrases
WILDCARD_LIMIT = 12  # most frequent expansions of a ``prefix*`` context term
MAX_REPLACEMENT_WORDS = 10  # longer "replacements" are comments, not terms

TOKEN = re.compile(r'"([^"]*)"(~\d+)?|(\()|(\))|\b(AND|OR|NOT)\b|([^\s()"]+)')


@dataclass
class Item:
    pattern: str
    replacement: str
    requires: list[str] = field(default_factory=list)
    excludes: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    note: str = ""
    papers: int = 0


def clean_text(text: str) -> str:
    text = text.replace("\\&", "&").replace('\\"', "").replace("\\", "").replace("\xa0", " ")
    text = text.replace('"', "")
    return " ".join(text.split())


def clean_replacement(raw: str) -> tuple[str, str]:
    """The usable term and a note made of what was removed (acronyms, glosses)."""
    text = clean_text(raw)
    notes = re.findall(r"\(([^()]*)\)|\[([^\[\]]*)\]", text)
    text = re.sub(r"\s*\([^()]*\)|\s*\[[^\[\]]*\]\s*", " ", text)
    text = " ".join(text.replace("?", " ").split()).strip(" ,;")
    note = "; ".join(a or b for a, b in notes if (a or b).strip(" ?"))
    return text, note


def expand_wildcard(prefix: str) -> list[str]:
    """``optimiz*`` -> the most frequent words with that prefix in the wordsegment unigrams."""
    found = [w for w in _unigrams() if w.startswith(prefix) and w.isalpha()]
    found.sort(key=lambda w: (-unigram(w), w))
    return sorted(found[:WILDCARD_LIMIT])


def parse_query(query: str) -> tuple[list[str], list[str], list[str]] | str:
    """(patterns, requires any-of, excludes) of a PPS query, or the reason it cannot be used."""
    tokens = list(TOKEN.finditer(query.replace("\\", "")))
    patterns: list[str] = []
    requires_groups: list[list[str]] = []
    excludes: list[str] = []
    op = "OR"
    depth_group: list[str] | None = None
    for m in tokens:
        phrase, prox, lpar, rpar, oper, bare = m.groups()
        if prox:
            return "proximity query (~N) not expressible in the pack engine"
        if oper:
            op = oper
            continue
        if lpar:
            depth_group = []
            continue
        if rpar:
            if depth_group is not None:
                if op == "NOT":
                    excludes.extend(depth_group)
                else:
                    requires_groups.append(depth_group)
            depth_group = None
            continue
        terms = (
            [clean_text(phrase)]
            if phrase is not None
            else (expand_wildcard(bare[:-1].lower()) if bare.endswith("*") else [bare])
        )
        if depth_group is not None:
            depth_group.extend(terms)
        elif not requires_groups and not excludes and op == "OR":
            patterns.extend(terms)
        elif op == "NOT":
            excludes.extend(terms)
        elif op == "AND":
            requires_groups.append(list(terms))
        else:  # OR after a context term: join the last group
            if requires_groups:
                requires_groups[-1].extend(terms)
            else:
                excludes.extend(terms)
    if len(requires_groups) > 1:
        return "needs several context terms at once (A AND B AND C); requires is any-of"
    if not patterns:
        return "no phrase in query"
    return patterns, (requires_groups[0] if requires_groups else []), excludes


def common_english(pattern: str) -> str:
    """Why ``pattern`` is common English (empty when it is not)."""
    ws = list(words(pattern))
    if len(ws) == 1:
        return ""
    if len(ws) == 2:
        n = bigram(*ws)
        return f"bigram count {n:,} >= 100,000 (wordsegment)" if n >= BIGRAM_COMMON else ""
    est = float(bigram(ws[0], ws[1]))
    for a, b in zip(ws[1:], ws[2:], strict=False):
        if not est:
            return ""
        est *= bigram(a, b) / max(unigram(a), 1)
    return f"Markov estimate {est:,.0f} >= {CHAIN_COMMON:,.0f} (wordsegment)" if est >= CHAIN_COMMON else ""


def lex002_phrases() -> set[str]:
    """The expansions LEX002 checks in context, lower case."""
    path = Path(__file__).resolve().parent.parent / "spinlint" / "plugins" / "lexical" / "homographs.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()[2:]  # a comment, then the header
    return {line.split("\t")[0].lower() for line in lines if line.strip()}


def tsv_field(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def build(csv_path: Path, json_path: Path) -> tuple[dict[str, Item], list[tuple[str, str, str, str]]]:
    items: dict[str, Item] = {}
    dropped: list[tuple[str, str, str, str]] = []
    context_terms: set[str] = set()
    csv_patterns: set[str] = set()

    with csv_path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            query, expected = row["tortured_phrase"], row["expected_phrase"]
            parsed = parse_query(query)
            if isinstance(parsed, str):
                dropped.append((tsv_field(query), tsv_field(expected), "csv", parsed))
                for m in re.finditer(r'"([^"]+)"', query):
                    csv_patterns.add(" ".join(words(m.group(1))))
                continue
            patterns, requires, excludes = parsed
            context_terms.update(" ".join(words(t)) for t in (*requires, *excludes))
            replacement, note = clean_replacement(expected)
            papers = int(re.sub(r"\D", "", row.get("num_papers") or "0") or 0)
            for p in patterns:
                key = " ".join(words(p))
                csv_patterns.add(key)
                if not key:
                    continue
                item = items.setdefault(key, Item(clean_text(p), replacement, note=note))
                item.sources.add("pps-csv")
                item.requires = sorted(set(item.requires) | set(requires))
                item.excludes = sorted(set(item.excludes) | set(excludes))
                item.papers = max(item.papers, papers)

    data = json.loads(json_path.read_text(encoding="utf-8"))
    for entry in data["phrases"]:
        key = " ".join(words(entry["tortured"]))
        if not key:
            continue
        if key in items:
            items[key].sources.add("pps-json")
            if not items[key].replacement:  # the CSV left the expected phrase empty
                items[key].replacement, items[key].note = clean_replacement(entry["correct"])
            continue
        if key in context_terms and key not in csv_patterns:
            dropped.append(
                (
                    tsv_field(entry["tortured"]),
                    tsv_field(entry["correct"]),
                    "json",
                    "a context term of a PPS query flattened into an entry",
                )
            )
            continue
        if key in csv_patterns:
            continue  # the CSV query for it was unusable; do not bring it back context-free
        replacement, note = clean_replacement(entry["correct"])
        items[key] = Item(clean_text(entry["tortured"]), replacement, sources={"pps-json"}, note=note)

    homographs = lex002_phrases()
    kept: dict[str, Item] = {}
    for key, item in sorted(items.items()):
        src = "+".join(sorted(item.sources))
        if len(item.replacement.split()) > MAX_REPLACEMENT_WORDS:
            item.note, item.replacement = "; ".join(x for x in (item.replacement, item.note) if x), ""
        if " ".join(words(item.replacement)) == key:
            dropped.append((item.pattern, item.replacement, src, "replacement equals the phrase"))
            continue
        if key in homographs and not item.requires:
            dropped.append((item.pattern, item.replacement, src, "function-word homograph: left to LEX002"))
            continue
        why = common_english(item.pattern)
        if why and not item.requires:
            dropped.append((item.pattern, item.replacement, src, f"common English without context: {why}"))
            continue
        kept[key] = item
    return kept, sorted(set(dropped))


HEADER = (
    "# Generated by scripts/build_tortured_pack.py from the Problematic Paper Screener lists (CC BY 4.0).\n"
)


def write(out: Path, kept: dict[str, Item], dropped: list[tuple[str, str, str, str]]) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    plain = [i for i in kept.values() if i.replacement and not i.requires and not i.excludes]
    context = [i for i in kept.values() if i.replacement and (i.requires or i.excludes)]
    unresolved = [i for i in kept.values() if not i.replacement]
    for name, rows, cols in (
        (
            "tortured-phrases-unresolved.tsv",
            unresolved,
            ["pattern", "requires", "excludes", "source", "note"],
        ),
        ("tortured-phrases.tsv", plain, ["pattern", "replacement", "source", "note"]),
        (
            "tortured-phrases-context.tsv",
            context,
            ["pattern", "replacement", "requires", "excludes", "source", "note"],
        ),
    ):
        lines = [HEADER, "\t".join(cols) + "\n"]
        for i in sorted(rows, key=lambda i: i.pattern.lower()):
            values = {
                "pattern": i.pattern,
                "replacement": i.replacement,
                "requires": "|".join(i.requires),
                "excludes": "|".join(i.excludes),
                "source": "+".join(sorted(i.sources)),
                "note": i.note,
            }
            lines.append("\t".join(tsv_field(values[c]) for c in cols) + "\n")
        (out / name).write_text("".join(lines), encoding="utf-8")
    lines = [HEADER, "pattern\treplacement\tsource\treason\n"]
    lines += ["\t".join(tsv_field(x) for x in row) + "\n" for row in dropped]
    (out / "dropped.tsv").write_text("".join(lines), encoding="utf-8")
    return {
        "plain": len(plain),
        "context": len(context),
        "unresolved": len(unresolved),
        "dropped": len(dropped),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", type=Path, help="hahuyhoang411 tortured.csv export")
    ap.add_argument("json", type=Path, help="giladfeldman tortured-phrases.json export")
    ap.add_argument("--out", type=Path, default=ROOT / "rules" / "tortured-phrases")
    args = ap.parse_args(argv)
    kept, dropped = build(args.csv, args.json)
    counts = write(args.out, kept, dropped)
    reasons: dict[str, int] = {}
    for row in dropped:
        r = row[3].split(":")[0]
        reasons[r] = reasons.get(r, 0) + 1
    print(
        f"kept {counts['plain']} context-free + {counts['context']} context + {counts['unresolved']} "
        f"unresolved entries; dropped {counts['dropped']}"
    )
    for r, n in sorted(reasons.items(), key=lambda kv: -kv[1]):
        print(f"  {n:5d}  {r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
