"""--fix / --unsafe-fixes / --diff: atomic, byte-preserving, idempotent, never corrupting."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinlint.fixes import apply
from spinlint.model import Applicability, Diagnostic, Edit, Fix, Span
from spinlint.runner import Options, lint_file
from tests.conftest import run_cli

SPUN = "A Kremlin- backed group met theUN.\r\nAnother line stays.\r\n"


def test_fix_keeps_bom_crlf_and_mode_and_is_idempotent(tmp_path: Path) -> None:
    doc = tmp_path / "a.md"
    doc.write_bytes(b"\xef\xbb\xbf" + SPUN.encode())
    os.chmod(doc, 0o640)
    proc = run_cli("--fix", "--no-cache", str(doc))
    assert proc.returncode == 0, proc.stdout + proc.stderr  # everything left was fixed
    assert (
        doc.read_bytes() == b"\xef\xbb\xbf" + b"A Kremlin-backed group met the UN.\r\nAnother line stays.\r\n"
    )
    assert stat.S_IMODE(doc.stat().st_mode) == 0o640
    before = doc.stat().st_mtime_ns
    again = run_cli("--fix", "--no-cache", str(doc))
    assert again.returncode == 0 and doc.stat().st_mtime_ns == before  # untouched: nothing to change


def test_unchanged_files_are_not_touched(tmp_path: Path) -> None:
    doc = tmp_path / "clean.md"
    doc.write_text("Nothing to see here.\n")
    before = doc.stat().st_mtime_ns
    run_cli("--fix", "--unsafe-fixes", "--no-cache", str(doc))
    assert doc.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.md"]  # no temp files left


def test_diff_writes_nothing(tmp_path: Path) -> None:
    doc = tmp_path / "a.md"
    doc.write_text("A Kremlin- backed group.\n")
    proc = run_cli("--diff", "--no-cache", str(doc))
    assert "-A Kremlin- backed group." in proc.stdout and "+A Kremlin-backed group." in proc.stdout
    assert doc.read_text() == "A Kremlin- backed group.\n"


def test_fix_only_applies_safe_unless_asked() -> None:
    text = "abc def"
    unsafe = Diagnostic(
        "XX001", "x", "m", Span(0, 3), fix=Fix(Applicability.UNSAFE, "t", (Edit(Span(0, 3), "X"),))
    )
    from spinlint.fixes import applicable

    assert applicable([unsafe], unsafe=False) == []
    assert apply(text, applicable([unsafe], unsafe=True)) == ("X def", 1)


def test_overlapping_edits_never_corrupt() -> None:
    text = "one two three"
    a = Diagnostic(
        "XX001", "x", "m", Span(0, 7), fix=Fix(Applicability.SAFE, "t", (Edit(Span(0, 7), "1 2"),))
    )
    b = Diagnostic(
        "XX002", "x", "m", Span(4, 13), fix=Fix(Applicability.SAFE, "t", (Edit(Span(4, 13), "2 3"),))
    )
    out, n = apply(text, [b, a])
    assert (out, n) == ("1 2 three", 1)


def _diag(start: int, end: int, content: str) -> Diagnostic:
    return Diagnostic(
        "XX001",
        "x",
        "m",
        Span(start, end),
        fix=Fix(Applicability.SAFE, "t", (Edit(Span(start, end), content),)),
    )


@settings(max_examples=200, deadline=None)
@given(
    st.text(min_size=0, max_size=40),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 8), st.text(max_size=5)), max_size=6),
)
def test_apply_keeps_untouched_text(text: str, raw: list[tuple[int, int, str]]) -> None:
    diags = [_diag(min(s, len(text)), min(s + n, len(text)), c) for s, n, c in raw]
    out, count = apply(text, diags)
    assert 0 <= count <= len(diags)
    if count == 0:
        assert out == text
    # the text before the first edit and after the last edit is kept verbatim
    if diags:
        first = min(d.span.start for d in diags)
        assert out.startswith(text[:first])


SEGMENTS = st.sampled_from(
    [
        "A Kremlin- backed group",
        "theUN",
        "anEU-wide",
        "“ We",
        "$ 81",
        "\r\n",
        "\n",
        "# ",
        "`code`",
        "<!-- spinlint-disable -->",
        "- item",
        "**bold**",
        " ",
        "é",
        "e\u0301",
        "😀",
        "\t",
        "word",
        ".",
        "pre- and post-war",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        # text a file can hold: no NUL, and no lone surrogate (UTF-8 cannot encode one, so the
        # test would fail writing its own input; hypothesis draws one now and then)
        st.one_of(SEGMENTS, st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=6)),
        max_size=25,
    )
)
def test_fix_then_lint_is_stable_and_ranges_inside(tmp_path: Path, parts: list[str]) -> None:
    """Arbitrary Unicode and Markdown (NUL aside: it marks a binary file): no exception, every
    range inside the file, and after applying all fixes a second lint finds nothing to fix."""
    from spinlint.fixes import applicable

    text = "".join(parts)
    doc = tmp_path / "h.md"
    doc.write_text(text, encoding="utf-8", newline="")
    result = lint_file(str(doc), Options(use_cache=False))
    assert result.error is None and result.source is not None
    n = len(result.source.text)
    for d in result.diagnostics:
        assert 0 <= d.span.start <= d.span.end <= n
        for e in d.fix.edits if d.fix else ():
            assert 0 <= e.span.start <= e.span.end <= n
    fixed = result.source.text
    for _ in range(10):
        fixes = applicable(result.diagnostics, unsafe=True)
        if not fixes:
            break
        fixed, _count = apply(fixed, fixes)
        doc.write_text(fixed, encoding="utf-8", newline="")
        result = lint_file(str(doc), Options(use_cache=False))
    assert not applicable(result.diagnostics, unsafe=True)
