"""Word frequency on the Zipf scale (log10 of occurrences per billion words) from wordfreq."""

from __future__ import annotations

import os
from functools import lru_cache


def frequency_sources() -> list[str]:
    """wordfreq's English data files, located without importing wordfreq (the import alone
    costs over half a second): cache keys of indexes built from these frequencies."""
    import importlib.util

    spec = importlib.util.find_spec("wordfreq")
    assert spec is not None and spec.submodule_search_locations
    data = os.path.join(spec.submodule_search_locations[0], "data")
    return [os.path.join(data, f) for f in sorted(os.listdir(data)) if f.startswith("large_en")]


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))
