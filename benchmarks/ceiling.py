"""How much of the benchmark's spin could any rule built on the reference counts see?

Two ceilings, independent of spinlint's rules:

- **Synthetic swaps.** For every context-blind word swap of the benchmark spinner on the
  dev + test documents (the same split and seed as ``run.py``), is there a neighbouring word
  with which the *original* forms a pair listed in the wordsegment bigram counts while the
  *spun* word does not?  Without that, the counts hold no trace of the swap.  Reported for
  any neighbour, and for content-word neighbours only (function-word pairs such as "the
  market" say little).
- **PPS phrases.** For the two-word entries of the tortured-phrase pack: is the correct term
  listed in the bigram counts at all?  An unlisted term cannot be proposed by a rule that
  restores attested collocations.

Usage: ``python benchmarks/ceiling.py [--seed N]`` (prints the figures; fetches nothing beyond
what ``run.py`` fetches).
"""

from __future__ import annotations

import argparse
import glob
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import corpora  # noqa: E402
import spinner  # noqa: E402

from spinlint.lexicon import ngrams  # noqa: E402
from spinlint.plugins.collocation.scan import stop_words  # noqa: E402

WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def swap_ceiling(seed: int) -> tuple[int, int, int]:
    wheel = corpora.gensim_wheel()
    if wheel is None:
        raise SystemExit("could not fetch gensim's wheel (needed for the corpora)")
    base = corpora.lee_docs(wheel) + corpora.wiki_docs(wheel)
    held, _ = corpora.split(base, lambda d: d.id, f"holdout:{seed}", 0.25)
    stop = stop_words()
    total = traced = traced_content = 0
    for d in held:
        spun = spinner.spin(d.text, random.Random(f"{seed}:{d.id}"))
        for c in spun.changes:
            if c.kind != "lexical":
                continue
            total += 1
            word, orig = spun.text[c.start : c.end].lower(), c.original.lower()
            before = WORD.findall(spun.text[max(0, c.start - 40) : c.start])
            after = WORD.findall(spun.text[c.end : c.end + 40])
            pairs = []
            if before:
                pairs.append((before[-1].lower(), (before[-1].lower(), orig), (before[-1].lower(), word)))
            if after:
                pairs.append((after[0].lower(), (orig, after[0].lower()), (word, after[0].lower())))
            hits = [n for n, o, s in pairs if ngrams.bigram(*o) and not ngrams.bigram(*s)]
            traced += bool(hits)
            traced_content += any(n not in stop for n in hits)
    return total, traced, traced_content


def pps_ceiling() -> tuple[int, int]:
    rows = []
    for path in glob.glob(os.path.join(os.path.dirname(HERE), "rules", "tortured-phrases", "*.tsv")):
        with open(path, encoding="utf-8") as fh:
            rows += [ln.rstrip("\n").split("\t") for ln in fh if not ln.startswith("#")][1:]
    two = [
        (p, r)
        for p, r, *_ in (row for row in rows if len(row) >= 2)
        if len(p.split()) == 2 and len(r.split()) == 2
    ]
    return len(two), sum(1 for _, r in two if ngrams.bigram(*r.lower().split()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=2024)  # run.py's default
    args = ap.parse_args(argv)
    total, traced, content = swap_ceiling(args.seed)
    print(f"synthetic swaps: {total}; with a trace in the counts: {traced} ({traced / total:.1%}); "
          f"with a content-word neighbour: {content} ({content / total:.1%})")  # fmt: skip
    two, listed = pps_ceiling()
    print(f"two-word PPS entries: {two}; correct term listed in the counts: {listed} ({listed / two:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
