"""``spinlint clean``: empty the result cache and trim the lexicon cache (as ``ruff clean``).

Two caches grow on disk.  The *result cache* (``.spinlint_cache/`` or ``--cache-dir`` or
``$SPINLINT_CACHE_DIR``) holds one small JSON file per linted version of a file.  The
*lexicon cache* (``spinlint.lexicon.cache.cache_root()``) holds the indexes built from the
packaged data, the phrase model's tables (120 MB) and, with the deep extra, the converted
neural weights (500 MB); it trims itself after every build (``prune``), and this command
trims it further, to the one most recently used entry per index.  ``--all`` removes every
lexicon entry too: the next run rebuilds them (about a minute, more with ``--deep``).

Only files spinlint writes are removed, so a ``--cache-dir`` pointing somewhere unexpected
loses nothing else.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from spinlint.lexicon import cache
from spinlint.runner import Options, cache_dir

RESULT = re.compile(r"^[0-9a-f]{64}\.json$")  # a result entry: sha256 of its key
SUBFOLDER = re.compile(r"^[0-9a-f]{2}$")  # results sit under the first two digits of their key
CONVERSIONS = "smollm2-135m-*"  # the deep pass's converted weights (spinlint.lexicon.neural)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="spinlint clean", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--cache-dir", help="the result cache to empty (default: .spinlint_cache, or $SPINLINT_CACHE_DIR)"
    )
    p.add_argument(
        "--all", action="store_true", help="also remove every lexicon cache entry (rebuilt on the next run)"
    )
    p.add_argument("--dry-run", action="store_true", help="say what would be removed; remove nothing")
    return p


def _written(name: str) -> bool:
    return bool(RESULT.match(name)) or name.startswith(".tmp-")


def _result_entries(folder: Path) -> list[Path]:
    """The files of a result cache that spinlint wrote (``runner._cache_put``)."""
    found: list[Path] = []
    try:
        subs = [d for d in folder.iterdir() if d.is_dir() and SUBFOLDER.match(d.name)]
    except OSError:
        return found
    for sub in subs:
        try:
            found += [f for f in sub.iterdir() if f.is_file() and _written(f.name)]
        except OSError:
            continue
    return found


def _lexicon_entries(root: Path) -> list[Path]:
    try:
        return [
            p
            for p in root.iterdir()
            if cache.ENTRY.match(p.name) or p.name.startswith(".tmp-") or p.match(CONVERSIONS)
        ]
    except OSError:
        return []


def _remove(paths: Sequence[Path], dry_run: bool) -> tuple[int, int]:
    gone: list[tuple[Path, int]] = []
    for path in paths:
        cache.remove(path, gone, dry_run)
    return len(gone), sum(size for _, size in gone)


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    verb = "would remove" if args.dry_run else "removed"
    results = cache_dir(Options(cache_dir=args.cache_dir))
    n, size = _remove(_result_entries(results), args.dry_run)
    if not args.dry_run and results.is_dir():
        for sub in results.iterdir():
            if sub.is_dir() and SUBFOLDER.match(sub.name):
                with contextlib.suppress(OSError):
                    sub.rmdir()  # only when empty
        marker = results / ".gitignore"
        try:
            if marker.read_text(encoding="utf-8") == "*\n":
                marker.unlink()
            results.rmdir()
        except OSError:
            pass
    print(f"{results}: {verb} {n} cached results ({_mb(size)})")
    root = cache.cache_root()
    if args.all:
        n, size = _remove(_lexicon_entries(root), args.dry_run)
        print(f"{root}: {verb} {n} lexicon entries ({_mb(size)}); the next run rebuilds them")
    else:
        gone = cache.prune(root, keep=1, dry_run=args.dry_run)
        n, size = len(gone), sum(s for _, s in gone)
        print(f"{root}: {verb} {n} stale lexicon entries ({_mb(size)}); kept the newest of each index")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
