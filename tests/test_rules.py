"""One parametrised runner for every rule fixture.

A fixture is prose with the expected diagnostics written inline, in an HTML comment after the
line they belong to::

    A Kremlin- backed group met on Monday.
    <!-- expect: GLT001 "Kremlin- backed" -> "Kremlin-backed" -->

``CODE.spun.md`` must raise every expectation it lists and nothing else; ``CODE.clean.md``
holds honest prose and must raise nothing at all, from any rule.

A false alarm the current detector is known to make is written down where it happens, as
``<!-- known false alarm: SPN001 "powers" -- why -->``: the fixture then requires it (so the
record stays true, and a fit that stops making it fails the test until the line is removed),
and the note says it is wrong.  This keeps a regression visible instead of editing the prose
around it.

One exception: the detector's marks (``SPN``) judge a paragraph as a whole, and another
rule's spun fixture is dense spun prose on purpose, so SPN marks there are right and are not
that fixture's business: another rule's spun fixture is linted without SPN (which also keeps
the detector's verdict from holding back soft evidence, ``Rule.needs_spun_verdict``);
SPN001's own fixtures test it, and every clean fixture must stay silent under SPN too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spinlint.runner import Options, lint_file

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"
EXPECT = re.compile(r'<!--\s*expect:\s*([A-Z]{2,3}\d{3})\s+"([^"]+)"(?:\s*->\s*"([^"]*)")?\s*-->')
KNOWN = re.compile(r'<!--\s*known false alarm:\s*([A-Z]{2,3}\d{3})\s+"([^"]+)"(?:\s*--.*?)?-->')


def expectations(path: Path, pattern: re.Pattern[str] = EXPECT) -> set[tuple[int, str, str, str | None]]:
    """The diagnostics ``pattern``'s comments list (``KNOWN``: the known false alarms), each
    on the last line of prose before it."""
    out = set()
    last_text_row = 0
    for row, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if _annotations_only(line):
            for m in pattern.finditer(line):
                suggestion = m.group(3) if pattern is EXPECT else None
                out.add((last_text_row, m.group(1), m.group(2), suggestion))
        elif line.strip():
            last_text_row = row
    return out


def _annotations_only(line: str) -> bool:
    """The line holds expectation or known-false-alarm comments and nothing else."""
    return bool(EXPECT.search(line) or KNOWN.search(line)) and not KNOWN.sub("", EXPECT.sub("", line)).strip()


def actual(path: Path, with_fix: bool, detector: bool = True) -> set[tuple[int, str, str, str | None]]:
    # every rule, including those off by default: each must keep its own fixtures honest
    ignore = () if detector else (DETECTOR,)
    result = lint_file(str(path), Options(use_cache=False, select=("ALL",), ignore=ignore))
    assert result.error is None, result.error
    assert result.source is not None
    out = set()
    for d in result.diagnostics:
        row = result.source.location(d.span.start).row
        text = result.source.text[d.span.start : d.span.end]
        out.add((row, d.code, text, d.suggestions[0] if with_fix and d.suggestions else None))
    return out


FILES = sorted(FIXTURES.glob("*.md"))
DETECTOR = "SPN"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fixture(path: Path) -> None:
    expected = expectations(path)
    known = expectations(path, KNOWN)
    if path.name.endswith(".clean.md"):
        assert not expected, "a clean fixture lists no expectations"
        assert actual(path, False) == known, "false alarms on honest prose (beyond the known ones)"
        return
    assert expected, "a spun fixture must list at least one expectation"
    # Where an expectation names no suggestion, only the span is checked.  Another rule's
    # spun fixture is linted without the detector: its findings are that rule's own, not
    # subject to the detector's verdict on a short page (Rule.needs_spun_verdict)
    got = actual(path, True, detector=path.name.startswith(DETECTOR))
    got_cmp = {
        (r, c, t, s if any(e[:3] == (r, c, t) and e[3] is not None for e in expected) else None)
        for r, c, t, s in got
    }
    assert got_cmp == expected | known
