"""The document verdict: density, evidence floors, and how the CLI exposes them
(``--statistics``, ``--format json --summary``, ``--fail-on-verdict``).

Figures are computed from the diagnostics the run actually produced, never typed in, and
CLI runs use ``--select GLT`` so rules added later cannot change what these tests see.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinlint import verdict as v
from spinlint.model import Diagnostic, Span
from spinlint.runner import FileResult, Options, lint_file
from tests.conftest import run_cli

# Honest filler: plain edited prose with no glitch, used to dilute one mark.
HONEST = "The committee met on Monday to review the budget for the coming year. "
GLITCH = "A Kremlin- backed group met the envoy."  # one GLT001 (detached hyphen)


def _result(confidences: list[float], words: int) -> FileResult:
    diags = [
        Diagnostic("GLT001", "detached-hyphen", "m", Span(i, i + 1), confidence=c)
        for i, c in enumerate(confidences)
    ]
    return FileResult("x.md", None, diags, words)


def _lint(path: Path) -> FileResult:
    return lint_file(str(path), Options(select=("GLT",), use_cache=False))


# -- the formula ------------------------------------------------------------------------------


def test_density_is_confidence_per_thousand_words() -> None:
    r = _result([0.9, 0.6], words=500)
    assert v.mass(r) == pytest.approx(1.5)
    assert v.density(r) == pytest.approx(1000 * 1.5 / 500)


def test_no_words_means_no_density() -> None:
    assert v.density(_result([0.9], words=0)) == 0.0
    assert v.verdict(_result([], words=0)) == "clean"


@pytest.mark.parametrize(
    ("dens", "total", "expected"),
    [
        (0.0, 0.0, "clean"),
        (v.SUSPICIOUS - 0.01, 5.0, "clean"),
        (v.SUSPICIOUS, v.MIN_MASS_SUSPICIOUS, "suspicious"),
        (v.LIKELY_SPUN - 0.01, 5.0, "suspicious"),
        (v.LIKELY_SPUN, v.MIN_MASS_LIKELY_SPUN, "likely-spun"),
        # dense but thin evidence: one mark never makes a document likely-spun
        (100.0, v.MIN_MASS_LIKELY_SPUN - 0.01, "suspicious"),
        (100.0, v.MIN_MASS_SUSPICIOUS - 0.01, "clean"),
    ],
)
def test_classify_thresholds(dens: float, total: float, expected: str) -> None:
    assert v.classify(dens, total) == expected


def test_thresholds_are_ordered() -> None:
    assert 0 < v.SUSPICIOUS < v.LIKELY_SPUN
    assert 0 < v.MIN_MASS_SUSPICIOUS < v.MIN_MASS_LIKELY_SPUN
    assert [lvl.verdict for lvl in v.LEVELS] == list(reversed(v.VERDICTS[1:]))


@settings(max_examples=200, deadline=None)
@given(
    confs=st.lists(st.floats(0.0, 1.0), max_size=30),
    extra=st.floats(0.0, 1.0),
    words=st.integers(1, 5000),
)
def test_one_more_mark_never_lowers_the_verdict(confs: list[float], extra: float, words: int) -> None:
    before = v.verdict(_result(confs, words))
    after = v.verdict(_result([*confs, extra], words))
    assert v.at_least(after, before)


@settings(max_examples=200, deadline=None)
@given(confs=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=30), words=st.integers(1, 5000))
def test_more_words_never_raise_the_verdict(confs: list[float], words: int) -> None:
    assert v.at_least(v.verdict(_result(confs, words)), v.verdict(_result(confs, words * 2)))


def test_file_summary_keys_are_the_json_contract() -> None:
    r = _result([0.9], words=300)
    s = v.file_summary(r)
    keys = {"filename", "words", "diagnostics", "density", "score", "pass", "verdict", "paragraphs"}
    assert set(s) == keys
    assert s["paragraphs"] == []  # no detector ran: no paragraph scores
    assert s["density"] == round(v.density(r), 3)
    assert s["verdict"] == v.verdict(r)
    assert s["score"] is None  # no detector ran: the density decides


def test_the_detector_score_decides_the_verdict_when_present() -> None:
    suspicious, likely = v.score_thresholds()
    many_marks = _result([0.95] * 20, words=100)  # density alone: likely-spun
    assert v.verdict(many_marks) == "likely-spun"
    many_marks.score = 0.0
    assert v.verdict(many_marks) == "clean"
    none = _result([], words=100)
    none.score = likely
    assert v.verdict(none) == "likely-spun"
    none.score = suspicious
    assert v.at_least(v.verdict(none), "suspicious")


# -- real documents ---------------------------------------------------------------------------


def test_a_short_file_with_one_glitch_is_not_likely_spun(tmp_path: Path) -> None:
    path = tmp_path / "short.md"
    path.write_text(GLITCH + " It left at noon.\n", encoding="utf-8")
    r = _lint(path)
    assert [d.code for d in r.diagnostics] == ["GLT001"]
    assert r.words < 20 and v.density(r) > v.LIKELY_SPUN  # dense, but one mark only
    assert v.verdict(r) == "suspicious"


def test_a_short_file_with_many_glitches_is_likely_spun(tmp_path: Path) -> None:
    path = tmp_path / "abstract.md"
    path.write_text(
        "A Kremlin- backed group met theUN. A state- owned firm and anEU-wide body agreed.\n",
        encoding="utf-8",
    )
    r = _lint(path)
    assert len(r.diagnostics) >= 4
    assert v.mass(r) >= v.MIN_MASS_LIKELY_SPUN
    assert v.verdict(r) == "likely-spun"


def test_one_glitch_in_a_long_honest_text_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "long.md"
    path.write_text(HONEST * 60 + GLITCH + "\n", encoding="utf-8")
    r = _lint(path)
    assert len(r.diagnostics) == 1
    assert v.verdict(r) == "clean"


# -- the CLI ----------------------------------------------------------------------------------


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    (tmp_path / "spun.md").write_text(
        "A Kremlin- backed group met theUN. A state- owned firm and anEU-wide body agreed.\n",
        encoding="utf-8",
    )
    (tmp_path / "diluted.md").write_text(HONEST * 60 + GLITCH + "\n", encoding="utf-8")
    (tmp_path / "honest.md").write_text(HONEST * 10 + "\n", encoding="utf-8")
    return tmp_path


def test_plain_json_stays_an_array_and_summary_wraps_it(docs: Path) -> None:
    args = ("spun.md", "diluted.md", "honest.md", "--select", "GLT", "--no-cache", "--format", "json")
    plain = run_cli(*args, cwd=docs)
    summary = run_cli(*args, "--summary", cwd=docs)
    assert plain.returncode == summary.returncode == 1, plain.stderr + summary.stderr
    array = json.loads(plain.stdout)
    obj = json.loads(summary.stdout)
    assert isinstance(array, list) and array
    assert set(obj) == {"diagnostics", "files"}
    assert obj["diagnostics"] == array
    files = {f["filename"]: f for f in obj["files"]}
    assert set(files) == {"spun.md", "diluted.md", "honest.md"}
    for f in files.values():
        assert set(f) == {
            "filename",
            "words",
            "diagnostics",
            "density",
            "score",
            "pass",
            "verdict",
            "paragraphs",
        }
        assert f["score"] is None  # --select GLT: the detector did not run
        assert f["diagnostics"] == sum(1 for d in array if d["filename"] == f["filename"])
    assert files["spun.md"]["verdict"] == "likely-spun"
    assert files["diluted.md"]["verdict"] == "clean"
    assert files["honest.md"] == {**files["honest.md"], "diagnostics": 0, "density": 0.0, "verdict": "clean"}


@pytest.mark.parametrize(
    ("names", "floor", "code"),
    [
        (("diluted.md",), None, 1),  # a single mark fails the default severity gate ...
        (("diluted.md",), "suspicious", 0),  # ... but not a document gate
        (("diluted.md", "honest.md"), "likely-spun", 0),
        (("spun.md", "honest.md"), "likely-spun", 1),
        (("spun.md",), "suspicious", 1),
    ],
)
def test_fail_on_verdict(docs: Path, names: tuple[str, ...], floor: str | None, code: int) -> None:
    extra = ("--fail-on-verdict", floor) if floor else ()
    proc = run_cli(*names, "--select", "GLT", "--no-cache", *extra, cwd=docs)
    assert proc.returncode == code, proc.stdout + proc.stderr


def test_statistics_shows_each_verdict(docs: Path) -> None:
    proc = run_cli("spun.md", "diluted.md", "--select", "GLT", "--no-cache", "--statistics", cwd=docs)
    lines = proc.stdout.splitlines()
    spun = next(ln for ln in lines if ln.startswith("spun.md: "))
    diluted = next(ln for ln in lines if ln.startswith("diluted.md: "))
    assert spun.endswith("likely-spun") and "density" in spun
    assert diluted.endswith(", clean")


def test_statistics_never_goes_into_an_html_file(docs: Path) -> None:
    proc = run_cli(
        "spun.md",
        "--select",
        "GLT",
        "--no-cache",
        "--statistics",
        "--format",
        "html",
        "-o",
        "r.html",
        cwd=docs,
    )
    assert proc.returncode == 1, proc.stderr
    page = (docs / "r.html").read_text(encoding="utf-8")
    assert page.rstrip().endswith("</html>")
    assert "spun.md:" in proc.stdout and "likely-spun" in proc.stdout
