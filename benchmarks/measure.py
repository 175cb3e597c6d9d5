"""Run a command and report its wall time and peak memory: ``measure.py OUT.json CMD...``.

The parent benchmark process holds corpora and the thesaurus in memory, and on Linux a forked
child's ``ru_maxrss`` starts at its parent's resident size, so measuring a tool directly from
the benchmark would charge it the benchmark's memory.  This small launcher (a bare Python,
~10 MB) stands between them: the tool is its child, and ``RUSAGE_CHILDREN`` holds the tool's
own peak resident set.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    out, cmd = argv[0], argv[1:]
    t0 = time.perf_counter()
    rc = subprocess.call(cmd)
    wall = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"returncode": rc, "wall": wall, "peak_rss_mb": peak_kb / 1024}, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
