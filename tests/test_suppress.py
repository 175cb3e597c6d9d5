"""Inline suppression, end to end, in every format.

Each scenario is a document of numbered paragraphs, each holding one GLT001 glitch
("Kremlin- backed") and one GLT002 glitch ("theUN"), with suppression comments between
them.  The test writes the document in each format's own comment syntax, lints it, and
compares which (paragraph, code) pairs are reported with what the directives should leave.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from spinlint.model import Diagnostic, Span
from spinlint.runner import Options, lint_file
from spinlint.sources import Comment, SourceFile
from spinlint.suppress import directives, suppressed

BOTH = {"GLT001", "GLT002"}


def paragraph(n: int) -> str:
    return f"Item {n}: a Kremlin- backed group met theUN envoys."


# How each format writes a paragraph and a comment.  A -next-line comment is written right
# above its paragraph; other comments stand apart as their own block.
FORMATS: dict[str, tuple[Callable[[str], str], Callable[[str], str]]] = {
    "md": (lambda p: f"{p}\n\n", lambda d: f"<!-- {d} -->\n"),
    "html": (lambda p: f"<p>{p}</p>\n", lambda d: f"<!-- {d} -->\n"),
    "rst": (lambda p: f"{p}\n\n", lambda d: f".. {d}\n"),
    "tex": (lambda p: f"{p}\n\n", lambda d: f"% {d}\n"),
    "txt": (lambda p: f"{p}\n\n", lambda d: f"{d}\n"),
}

# (directives between paragraphs 1..3, expected codes per paragraph)
Scenario = tuple[list[str | None], list[set[str]]]
SCENARIOS: dict[str, Scenario] = {
    "none": ([None, None, None], [BOTH, BOTH, BOTH]),
    "disable all": ([None, "spinlint-disable", None], [BOTH, set(), set()]),
    "disable one code": ([None, "spinlint-disable GLT001", None], [BOTH, {"GLT002"}, {"GLT002"}]),
    "disable a prefix": (["spinlint-disable GLT", None, None], [set(), set(), set()]),
    "disable then enable": (["spinlint-disable", None, "spinlint-enable"], [set(), set(), BOTH]),
    "enable one code of a disabled prefix": (
        ["spinlint-disable GLT", "spinlint-enable GLT001", None],
        [set(), {"GLT001"}, {"GLT001"}],
    ),
    "enable a prefix after a code": (
        ["spinlint-disable GLT002", "spinlint-enable GLT", None],
        [{"GLT001"}, BOTH, BOTH],
    ),
    "enable all after a list of codes": (
        ["spinlint-disable GLT001, GLT002", None, "spinlint-enable"],
        [set(), set(), BOTH],
    ),
    "enable one of two codes": (
        ["spinlint-disable GLT001 GLT002", "spinlint-enable GLT002", None],
        [set(), {"GLT002"}, {"GLT002"}],
    ),
    "disable with a reason": (["spinlint-disable GLT001 -- quoted source", None, None], [{"GLT002"}] * 3),
    "next line": ([None, "spinlint-disable-next-line", None], [BOTH, set(), BOTH]),
    "next line, one code": ([None, "spinlint-disable-next-line GLT002", None], [BOTH, {"GLT001"}, BOTH]),
    "next line, a prefix": (["spinlint-disable-next-line GL", None, None], [set(), BOTH, BOTH]),
    "next line, other code": ([None, None, "spinlint-disable-next-line ABC123"], [BOTH, BOTH, BOTH]),
    "not a directive": (["spinlint-disabled", "spinlint-disable-line", None], [BOTH, BOTH, BOTH]),
}


def document(ext: str, steps: list[str | None]) -> str:
    para, comment = FORMATS[ext]
    body = ""
    for n, directive in enumerate(steps, start=1):
        if directive is not None:
            body += comment(directive)
            if not directive.startswith("spinlint-disable-next-line"):
                body += "\n"
        body += para(paragraph(n))
    if ext == "html":
        return f"<html><body>\n{body}</body></html>\n"
    if ext == "tex":
        return f"\\begin{{document}}\n{body}\\end{{document}}\n"
    return body


def reported(path: Path) -> list[set[str]]:
    result = lint_file(str(path), Options(use_cache=False, select=("GLT001", "GLT002")))
    assert result.error is None and result.source is not None
    found: list[set[str]] = [set(), set(), set()]
    for d in result.diagnostics:
        line = result.source.text[result.source.line_starts[result.source.location(d.span.start).row - 1] :]
        m = re.search(r"Item (\d):", line.split("\n", 1)[0])
        assert m, f"{d.code} outside a paragraph: {line[:60]!r}"
        found[int(m.group(1)) - 1].add(d.code)
    return found


@pytest.mark.parametrize("ext", sorted(FORMATS))
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_suppression(tmp_path: Path, ext: str, name: str) -> None:
    steps, expected = SCENARIOS[name]
    path = tmp_path / f"doc.{ext}"
    path.write_text(document(ext, steps), encoding="utf-8")
    assert reported(path) == expected


@pytest.mark.parametrize("ext", ["md", "rst", "tex"])
def test_directive_inside_code_is_inert(tmp_path: Path, ext: str) -> None:
    code = {
        "md": "```\n<!-- spinlint-disable -->\n```\n\n",
        "rst": "Example::\n\n   .. spinlint-disable\n\n",
        "tex": "\\begin{verbatim}\n% spinlint-disable\n\\end{verbatim}\n\n",
    }[ext]
    path = tmp_path / f"doc.{ext}"
    path.write_text(code + paragraph(1) + "\n", encoding="utf-8")
    assert reported(path)[0] == BOTH


def test_directive_acts_from_where_it_stands() -> None:
    """A directive on the same line as a glitch silences only what follows it."""
    text = "A Kremlin- backed group <!-- spinlint-disable --> and a Kremlin- backed one.\n"
    source = SourceFile("x.md", text, format="markdown")
    comment = Comment(Span(text.index("<!--"), text.index("-->") + 3), "spinlint-disable")
    dirs = directives(source, [comment])
    before, after = (text.index("Kremlin"), text.rindex("Kremlin"))
    assert not suppressed(Diagnostic("GLT001", "x", "m", Span(before, before + 7)), dirs)
    assert suppressed(Diagnostic("GLT001", "x", "m", Span(after, after + 7)), dirs)
