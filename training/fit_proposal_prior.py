"""Fit how SPN001 ranks the neural model's own proposals against the candidate synonyms:
``python -m training.fit_proposal_prior`` (after ``training.build_deep``).

With ``--deep``, each word the deep pass reads gets a sentence restoration gain (nats) for
its candidate synonyms (spinner map, thesaurus, slot words) and for the neural model's own
likeliest word for the slot.  A spinner swaps synonyms, so a proposal should need a larger
gain than a synonym to be offered first; by how much is fitted here, on the synthetic spin of
the ``calib`` split (the documents and spinner of ``training.build``): the prior (in nats,
from a grid) that makes the top-ranked original the spinner's original most often.  The
``test`` split reports the accuracy.  The value is stored in ``detector-deep.json`` under
``"suggestions"``.  The real spinner dev set is never read here.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Sequence
from multiprocessing import get_context
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from spinlint.detect import deepmodel as dm  # noqa: E402
from training import build, corpora  # noqa: E402
from training.build_deep import SHARES, sample  # noqa: E402

GRID = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 15.0, math.inf)


def read_spun(args: tuple[corpora.Text, int]) -> list[dict[str, Any]]:
    """The spun version of a document (``training.build.spin_versions``) through the deep
    pass: per one-word swap it read, the spinner's original and the deep pass's (original,
    gain, proposed) list."""
    from spinlint.detect.evidence import ranked

    text, seed = args
    _, (_, body, _, swaps) = build.spin_versions(text, seed)
    originals = [(a, b, o.lower()) for a, b, o in swaps if " " not in o and " " not in body[a:b]]
    doc = build._document(body)
    e, _, nr, _ = dm.run(doc, threads=1)
    out = []
    for i, w in enumerate(e.words):
        truth = next((o for a, b, o in originals if a == w.start and b == w.end), None)
        if truth is None or not nr.read[i]:
            continue
        default = ranked(w)
        out.append(
            {
                "truth": truth,
                "options": [(o, g, o in nr.proposed[i]) for o, g in nr.best[i]],
                "default_top": default[0].word if default else None,
            }
        )
    return out


def top_ok(row: dict[str, Any], prior: float) -> bool:
    options = [o for o in row["options"] if o[1] > 0]
    if not options:
        return False
    best = max(options, key=lambda o: o[1] - (prior if o[2] else 0.0))
    return bool(best[0] == row["truth"])


def accuracy(rows: list[dict[str, Any]], prior: float) -> float:
    return sum(top_ok(r, prior) for r in rows) / max(len(rows), 1)


def collect(texts: Sequence[corpora.Text], jobs: int) -> list[dict[str, Any]]:
    args = [(t, int(build.bucket(t.id + "|prior") * 1e9)) for t in texts]
    with get_context("spawn").Pool(jobs) as pool:
        return [row for rows in pool.imap(read_spun, args, chunksize=2) for row in rows]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--docs", type=int, default=400, help="as for training.build_deep")
    ap.add_argument("--out", default=dm.OUT_PATH)
    args = ap.parse_args(argv)
    t0 = time.time()
    by_split = sample(
        {"calib": round(args.docs * SHARES["calib"]), "test": round(args.docs * SHARES["test"])}
    )
    calib, test = collect(by_split["calib"], args.jobs), collect(by_split["test"], args.jobs)
    scores = {p: accuracy(calib, p) for p in GRID}
    prior = max(GRID, key=lambda p: (scores[p], p))  # ties: the larger (more conservative) prior
    default_test = sum(r["default_top"] == r["truth"] for r in test) / max(len(test), 1)
    lines = [
        f"Proposal prior fitted by `python -m training.fit_proposal_prior` in {time.time() - t0:.0f} s "
        f"on {len(calib)} swapped words the deep pass read (calib split), reported on {len(test)} (test).",
        "",
        "| prior (nats) | calib top-1 | test top-1 |",
        "| --- | --- | --- |",
        *(f"| {p:g} | {scores[p]:.3f} | {accuracy(test, p):.3f} |" for p in GRID),
        "",
        f"Chosen: {prior:g} nats. The default pass's first suggestion on the same test words: "
        f"{default_test:.3f}.",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    with open(args.out, encoding="utf-8") as fh:
        model = json.load(fh)
    model["suggestions"] = {"proposal_prior_nats": None if math.isinf(prior) else prior}
    with open(os.path.join(HERE, "REPORT-deep.md"), encoding="utf-8") as fh:
        old = fh.read().split("\n## Suggestions")[0].rstrip("\n")
    build.write_outputs(old + "\n\n## Suggestions\n\n" + report, "REPORT-deep.md", model, args.out, t0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
