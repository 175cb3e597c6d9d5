"""Caches stay bounded on disk: the lexicon cache prunes itself, ``spinlint clean`` empties
the result cache and trims the lexicon cache, and neither touches files it did not write."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from spinlint.lexicon import cache
from tests.conftest import run_cli

DAY = 86400.0


def _entry(root: Path, name: str, key_digit: str, age_days: float, folder: bool = False) -> Path:
    path = root / (f"{name}-{key_digit * 20}" + ("" if folder else ".marshal"))
    if folder:
        path.mkdir()
        (path / "words.npy").write_bytes(b"x" * 100)
    else:
        path.write_bytes(b"x" * 10)
    when = time.time() - age_days * DAY
    os.utime(path, (when, when))
    return path


def test_prune_keeps_the_most_recently_used_per_index(tmp_path: Path) -> None:
    ages = {"a": 0.0, "b": 1.0, "c": 2.0, "d": 3.0, "e": 4.0}
    made = {k: _entry(tmp_path, "moby-offsets", k, age) for k, age in ages.items()}
    other = _entry(tmp_path, "ngrams", "f", 5.0)
    removed = cache.prune(tmp_path, keep=3)
    assert {p for p, _ in removed} == {made["d"], made["e"]}
    assert all(made[k].exists() for k in "abc") and other.exists()
    assert all(size == 10 for _, size in removed)


def test_prune_drops_unused_entries_and_old_temporaries_only(tmp_path: Path) -> None:
    stale = _entry(tmp_path, "pack-0123456789ab", "a", cache.MAX_AGE_DAYS + 1)
    tables = _entry(tmp_path, "phrase-lm", "b", cache.MAX_AGE_DAYS + 1, folder=True)
    fresh = _entry(tmp_path, "pack-ba9876543210", "c", 1.0)
    old_tmp, new_tmp = tmp_path / ".tmp-abc.marshal", tmp_path / ".tmp-def.marshal"
    old_tmp.write_bytes(b"x")
    new_tmp.write_bytes(b"x")
    os.utime(old_tmp, (time.time() - 2 * cache.TMP_MAX_AGE,) * 2)
    foreign = tmp_path / "notes.txt"  # not a name spinlint writes
    foreign.write_text("mine")
    os.utime(foreign, (0, 0))
    conversion = tmp_path / "smollm2-135m-0123456789abcdef0123-f1-float32"  # pruned by its own code
    conversion.mkdir()
    os.utime(conversion, (0, 0))
    assert {p for p, _ in cache.prune(tmp_path, dry_run=True)} == {stale, tables, old_tmp}
    assert stale.exists() and tables.exists()  # a dry run removes nothing
    removed = dict(cache.prune(tmp_path))
    assert set(removed) == {stale, tables, old_tmp} and removed[tables] == 100
    assert fresh.exists() and new_tmp.exists() and foreign.exists() and conversion.exists()


def test_storing_an_entry_prunes_and_loading_marks_it_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPINLINT_LEXICON_CACHE", str(tmp_path))
    src = tmp_path.parent / f"{tmp_path.name}-source.txt"
    src.write_text("alpha\n")
    older = [_entry(tmp_path, "words", d, 10.0 + i) for i, d in enumerate("1234")]
    assert cache.load_or_build("words", "1", [str(src)], lambda: ["alpha"]) == ["alpha"]
    current = cache.cache_path("words", "1", [str(src)])
    kept = sorted(p for p in tmp_path.iterdir() if p.name.startswith("words-"))
    assert kept == sorted([current, *older[: cache.KEEP - 1]])  # the new one and the 2 newest
    when = time.time() - 3 * DAY
    os.utime(current, (when, when))
    cache.load_or_build("words", "1", [str(src)], lambda: pytest.fail("rebuilt"))
    assert time.time() - current.stat().st_mtime < DAY  # a hit renews its use


def test_clean_command(tmp_path: Path) -> None:
    results, lexicon = tmp_path / "results", tmp_path / "lexicon"
    doc = tmp_path / "a.md"
    doc.write_text("The clinic treats many heart assaults every winter.\n")
    env = {"SPINLINT_LEXICON_CACHE": str(lexicon)}
    run_cli("--cache-dir", str(results), str(doc))
    assert list(results.rglob("*.json"))
    mine = results / "keep.txt"  # a file spinlint did not write survives
    mine.write_text("mine")
    lexicon.mkdir()
    old = [_entry(lexicon, "ngrams", d, float(i)) for i, d in enumerate("ab")]
    dry = run_cli("clean", "--cache-dir", str(results), "--dry-run", env=env)
    assert dry.returncode == 0 and "would remove 1 cached results" in dry.stdout
    assert "would remove 1 stale lexicon entries" in dry.stdout and old[1].exists()
    done = run_cli("clean", "--cache-dir", str(results), env=env)
    assert done.returncode == 0 and "removed 1 cached results" in done.stdout
    assert not list(results.rglob("*.json")) and mine.exists()
    assert old[0].exists() and not old[1].exists()
    everything = run_cli("clean", "--cache-dir", str(results), "--all", env=env)
    assert "removed 1 lexicon entries" in everything.stdout and not old[0].exists()
