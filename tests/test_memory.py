"""Long runs keep memory flat: every cache spinlint keeps across documents is bounded.

A corpus run (a publisher's back catalogue) meets every word of the lexicons sooner or later,
so a per-word cache without a bound grows with the run; these tests walk every spinlint
module and check each ``functools`` cache found at module level.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import spinlint

# A per-word cache above this holds tens of MB once full (a key, a value, a list node each);
# measured: bounding them at 2k-16k entries took the benchmark job's peak from 645 to 579 MB
# with the same findings and no loss of speed.
MAX_ENTRIES = 65536
# modules that need an optional extra (the deep pass) are skipped when it is absent
OPTIONAL = ("torch", "transformers", "gguf", "dask", "pyarrow")


def _caches() -> Iterator[tuple[str, Any]]:
    for info in pkgutil.walk_packages(spinlint.__path__, "spinlint."):
        if info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError as exc:
            if exc.name and exc.name.split(".")[0] in OPTIONAL:
                continue
            raise
        for attr, obj in vars(module).items():
            if callable(obj) and hasattr(obj, "cache_info") and getattr(obj, "__module__", None) == info.name:
                yield f"{info.name}.{attr}", obj


def test_the_walk_finds_the_per_word_caches() -> None:
    names = {name for name, _ in _caches()}
    # the hot per-word look-ups of the default pass (a failure here means the walk broke)
    assert "spinlint.lexicon.originals.original_tags" in names
    assert "spinlint.detect.evidence._lexical_candidates" in names
    assert "spinlint.plugins.entity.spun_name.candidates" in names


def test_every_module_cache_is_bounded() -> None:
    unbounded = {name: fn.cache_info().maxsize for name, fn in _caches() if fn.cache_info().maxsize is None}
    assert not unbounded, f"unbounded caches grow with a corpus run: {sorted(unbounded)}"


def test_no_module_cache_is_oversized() -> None:
    big = {name: m for name, fn in _caches() if (m := fn.cache_info().maxsize) and m > MAX_ENTRIES}
    assert not big, f"caches above {MAX_ENTRIES} entries: {big}"
