"""The shared lexicon: indexes load, the disk cache round-trips, reverse look-ups work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from spinlint.lexicon import cache, ngrams, originals, thesaurus


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "lexicon"
    monkeypatch.setenv("SPINLINT_LEXICON_CACHE", str(folder))
    return folder


def test_cache_builds_once_then_loads(cache_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "words.txt"
    src.write_text("alpha\nbeta\n", encoding="utf-8")
    calls: list[int] = []

    def build() -> dict[str, tuple[str, ...]]:
        calls.append(1)
        return {"words": tuple(src.read_text(encoding="utf-8").split())}

    first = cache.load_or_build("demo", "1", [str(src)], build)
    second = cache.load_or_build("demo", "1", [str(src)], build)
    assert first == second == {"words": ("alpha", "beta")}
    assert len(calls) == 1, "the second call must load the cached value"
    files = [p.name for p in cache_dir.iterdir()]
    assert len(files) == 1 and files[0].startswith("demo-"), "one file, no temporary left over"


def test_cache_rebuilds_when_source_or_version_changes(cache_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "words.txt"
    src.write_text("alpha\n", encoding="utf-8")
    calls: list[int] = []

    def build() -> str:
        calls.append(1)
        return src.read_text(encoding="utf-8")

    assert cache.load_or_build("demo", "1", [str(src)], build) == "alpha\n"
    src.write_text("alpha\ngamma\n", encoding="utf-8")
    os.utime(src, ns=(1, 1))  # a different mtime and size: a new key
    assert cache.load_or_build("demo", "1", [str(src)], build) == "alpha\ngamma\n"
    assert cache.load_or_build("demo", "2", [str(src)], build) == "alpha\ngamma\n"
    assert len(calls) == 3
    # three builds, three entries: up to KEEP per index stay (installations side by side)
    assert len(list(cache_dir.glob("demo-*.marshal"))) == min(3, cache.KEEP)


def _child_build() -> dict[str, int]:
    """Module-level, so a spawned child process can import and run it."""
    return {"pid": os.getpid()}


def test_isolated_build_runs_in_a_child_and_is_cached(cache_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "words.txt"
    src.write_text("alpha\n", encoding="utf-8")
    value = cache.load_or_build("child", "1", [str(src)], _child_build, isolate=True)
    assert value["pid"] != os.getpid(), "the build ran in this process"
    again = cache.load_or_build("child", "1", [str(src)], _child_build, isolate=True)
    assert again == value, "the second call loads what the child stored"


def test_cache_survives_a_corrupt_file_and_an_unwritable_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "words.txt"
    src.write_text("x", encoding="utf-8")
    folder = tmp_path / "c"
    monkeypatch.setenv("SPINLINT_LEXICON_CACHE", str(folder))
    path = cache.cache_path("demo", "1", [str(src)])
    folder.mkdir()
    path.write_bytes(b"\x00garbage")
    assert cache.load_or_build("demo", "1", [str(src)], lambda: 42) == 42
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("SPINLINT_LEXICON_CACHE", str(blocker / "sub"))
    assert cache.load_or_build("demo", "1", [str(src)], lambda: 7) == 7


def test_retire_deletes_only_the_named_index(cache_dir: Path) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    old = cache_dir / "moby-0123456789abcdef0123.marshal"
    kept = [
        cache_dir / "moby-reverse-0123456789abcdef0123.marshal",
        cache_dir / "ngrams-0123456789abcdef0123.marshal",
    ]
    for path in (old, *kept):
        path.write_bytes(b"x")
    cache.retire("moby")
    assert not old.exists() and all(p.exists() for p in kept)


def test_synonyms_read_from_the_file_match_the_forward_map() -> None:
    forward = thesaurus.read_forward()
    for head in ("happy", "market", "united", "zymurgy", *list(forward)[:: len(forward) // 50]):
        assert thesaurus.synonyms(head) == (tuple(forward[head].split(",")) if head in forward else ())
    assert thesaurus.synonyms("Happy") == thesaurus.synonyms("happy") and thesaurus.synonyms("qzxqzx") == ()


def test_bigram_counts_and_association() -> None:
    assert ngrams.bigram("interest", "rates") > 1_000_000
    assert ngrams.bigram("Interest", "Rates") == ngrams.bigram("interest", "rates")
    assert ngrams.bigram("interest", "xyzzyq") == 0
    assert ngrams.unigram("the") > ngrams.unigram("interest") > 0
    # an established collocation is far above chance; a chance meeting is not
    assert ngrams.association("interest", "rates") > 100 > ngrams.association("of", "the")
    assert "rates" in ngrams.followers("interest")


def test_thesaurus_forward_and_reverse_agree() -> None:
    syns = thesaurus.synonyms("forest")
    assert "woodland" in syns
    assert "forest" in thesaurus.heads("woodland")
    assert thesaurus.synonyms("Forest") == syns
    assert thesaurus.synonyms("xyzzyq") == () and thesaurus.heads("xyzzyq") == ()


def test_originals_invert_the_thesaurus_with_inflection() -> None:
    # "denizen" is a Moby synonym of "resident"; the plural maps to the plural, tagged NNS
    found = dict(originals.originals("denizens"))
    assert found.get("residents") == "NNS"
    assert "denizens" in originals.spun_forms()
    assert originals.zipf("residents") > originals.zipf("denizens") > 0
    # commonest original first
    zipfs = [originals.zipf(o) for o, _ in originals.originals("denizens")]
    assert zipfs == sorted(zipfs, reverse=True)
    assert originals.originals("xyzzyq") == ()


def test_linting_an_idiom_finding_loads_neither_lemminflect_nor_spacy(tmp_path: Path) -> None:
    """IDM001's suggestion is inflected from a cached table: lemminflect (which imports spaCy)
    stays out of the linting process, which keeps a one-page run fast."""
    page = tmp_path / "idiom.md"
    page.write_text("The old firm finally kicked the pail last spring.\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from spinlint.runner import Options, lint_file\n"
        f"r = lint_file({str(page)!r}, Options(use_cache=False, select=('IDM001',)))\n"
        "assert [d.suggestions[0] for d in r.diagnostics] == ['kicked the bucket'], r.diagnostics\n"
        "print(sorted(m for m in ('lemminflect', 'spacy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def _thesaurus_relation(original: str, found: str) -> str:
    """IDM's ``relation`` as first written, straight on the thesaurus: the statement the
    precomputed links table must agree with."""
    from spinlint.plugins.idiom.lexicon import regular_lemmas

    for lemma in regular_lemmas(found):
        if lemma == original:
            return ""
        if lemma in thesaurus.synonyms(original) or original in thesaurus.synonyms(lemma):
            return "Moby synonym"
    return ""


def test_idiom_links_table_agrees_with_the_thesaurus() -> None:
    from spinlint.plugins.idiom.lexicon import idioms, relation, relatives

    words = sorted({w for idiom in idioms() for w in idiom.words})[::15]
    checked = linked = 0
    for original in words:
        assert relatives(original) == frozenset(thesaurus.synonyms(original)) | frozenset(
            thesaurus.heads(original)
        )
        # the words relation can accept, their inflections, and words it must refuse
        found = sorted(relatives(original))[:12] + [original + "s", original + "ed", "table", "quickly"]
        for f in found:
            expected = _thesaurus_relation(original, f)
            assert relation(original, f) == expected, (original, f)
            checked += 1
            linked += bool(expected)
    assert checked > 500 and 0 < linked < checked  # both answers were exercised


def test_entity_listing_table_agrees_with_the_thesaurus() -> None:
    from spinlint.plugins.entity.names import known_names
    from spinlint.plugins.entity.spun_name import linked_back
    from spinlint.plugins.idiom.lexicon import regular_lemmas

    words = sorted({w.lower() for name in known_names() for w in name})[::3]
    checked = linked = 0
    for word in words:
        for found in sorted(thesaurus.synonyms(word))[:8] + ["table", word + "s"]:
            expected = any(
                t in thesaurus.synonyms(f) for f in regular_lemmas(found) for t in regular_lemmas(word)
            )
            assert linked_back(found, word) == expected, (found, word)
            checked += 1
            linked += expected
    assert checked > 200 and 0 < linked < checked


def test_linting_idiom_and_name_candidates_does_not_load_the_thesaurus(tmp_path: Path) -> None:
    """IDM001, IDM002 and ENT002 read small precomputed tables; the whole Moby index (~0.1 s
    to load) stays out of a linting process.  (Only a name finding that two names compete for
    -- "Joined Countries": United Nations or United Kingdom? -- loads it, to rank them.)"""
    page = tmp_path / "page.md"
    page.write_text(
        "The old firm finally kicked the pail last spring. The 45-year-elderly man was there.\n"
        "The vote was close, Related Press reported.\n",
        encoding="utf-8",
    )
    code = (
        "from spinlint.runner import Options, lint_file\n"
        "from spinlint.lexicon import thesaurus\n"
        f"r = lint_file({str(page)!r}, Options(use_cache=False, select=('IDM', 'ENT002')))\n"
        "print(sorted({d.code for d in r.diagnostics}),\n"
        "      thesaurus._offsets.cache_info().currsize + thesaurus._reverse.cache_info().currsize)\n"
    )
    # the first run may build the tables (reading the thesaurus once); the check is on a run
    # with them cached, which is every run after the first
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
        assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['IDM001', 'IDM002'] 0"
