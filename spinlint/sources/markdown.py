"""Markdown / MDX via markdown-it-py.

The block structure comes from the parser: only lines inside an ``inline`` token (paragraphs,
headings, list items, table cells, footnotes) are prose; fenced and indented code, math
blocks, link reference definitions and front matter (YAML ``---`` and TOML ``+++``) stay
blank.  HTML blocks are read by the HTML reader, so text inside ``<div>`` or ``<details>``
is prose and ``<pre>`` or ``<script>`` is not.

markdown-it-py does not record where inline tokens sit, so inside prose lines the constructs
that are not prose are found by patterns that follow the CommonMark precedence: code spans
first (nothing inside one is markup, not even a comment), then HTML comments, autolinks and
tags, link targets, URLs, inline math and MDX ``{expressions}``; last the container
markers, emphasis characters, escapes and entities.  Everything is blanked in place, so
columns stay those of the file.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from spinlint.model import Span
from spinlint.sources import Comment, Prose, SourceFile, mask, masked_except
from spinlint.sources import html as html_reader
from spinlint.sources.text import EMAIL, URL

TOML_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\r?\n.*?^\+\+\+[ \t]*$", re.S | re.M)
CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
INLINE_NOT_PROSE = re.compile(
    r"""
      <[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>                 # autolink
    | <[\w.+-]+@[\w-]+(?:\.[\w-]+)+>                           # e-mail autolink
    | </?[A-Za-z][^<>]*>                                       # HTML / JSX tag
    | \]\(\s*(?:<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)          # link / image target ...
      (?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)              # ... with an optional title
    | \]\[[^\]\n]*\]                                           # reference link label
    | \[\^[^\]\s]+\](?::)?                                     # footnote reference / label
    | """
    + URL.pattern
    + r"""
    | """
    + EMAIL.pattern
    + r"""
    | \$\$.+?\$\$                                              # display math in a line
    | (?<![\w$\\])\$(?![\s$])[^$\n]+?(?<![\s\\])\$(?![\w$])    # inline math $...$
    """,
    re.X | re.S,
)
LINE_PREFIX = re.compile(
    r"^[ \t]*(?:(?:>|[-*+]|\d{1,9}[.)])(?=[ \t]|$)[ \t]*|#{1,6}(?=[ \t]|$)[ \t]*)*(?:\[[ xX]\](?=[ \t]))?",
    re.M,
)
HEADING_TAIL = re.compile(r"[ \t]+#+[ \t]*$", re.M)
SETEXT_OR_RULE = re.compile(r"^[ \t]*(?:=+|-+|[-:| ]*-[-:| ]*)[ \t]*\r?$", re.M)
MARKUP_CHARS = re.compile(
    r"(?<![\w])[*_~]+(?=\S)|(?<=\S)[*_~]+(?![\w])|\||!?\[|\]"  # emphasis, table pipes, brackets
    r"|\\(?=[!-/:-@\[-`{-~]|\r?$)"  # backslash escapes and hard line breaks
    r"|&(?:[A-Za-z][A-Za-z0-9]{1,31}|\#[0-9]{1,7}|\#[xX][0-9A-Fa-f]{1,6});",  # entities
    re.M,
)
# MDX ESM: a paragraph that starts with an import/export statement is code up to its end.
MDX_ESM = re.compile(
    r"""^(?:import\s*(?:["']|[\w$*{][^;]*?\bfrom\s*["'])
        |export\s+(?:(?:const|let|var|function|class|default|async)\b|\{|\*))""",
    re.X,
)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark")
        .use(front_matter_plugin)
        .use(dollarmath_plugin)
        .use(footnote_plugin)
        .enable("table")
    )


def mdx_expressions(chars: list[str], start: int, end: int) -> None:
    """Blank ``{...}`` expressions with balanced nesting (``{items.map(x => {x})}``); an
    unbalanced brace is left alone, as prose."""
    depth, opened = 0, -1
    for i in range(start, end):
        c = chars[i]
        if c == "{":
            if depth == 0:
                opened = i
            depth += 1
        elif c == "}" and depth:
            depth -= 1
            if depth == 0:
                mask(chars, opened, i + 1)


def read(text: str) -> Prose:
    toml = TOML_FRONT_MATTER.match(text)
    parsed = text
    if toml:  # blanked before parsing (same length), so the parser sees blank lines
        chars = list(text)
        mask(chars, 0, toml.end())
        parsed = "".join(chars)
    tokens = _parser().parse(parsed)
    starts = [*SourceFile(path="", text=text).line_starts, len(text)]

    def line_range(first: int, last: int) -> tuple[int, int]:
        return starts[min(first, len(starts) - 1)], starts[min(last, len(starts) - 1)]

    prose_ranges: list[tuple[int, int]] = []
    html_ranges: list[tuple[int, int]] = []
    warnings: list[tuple[int, str]] = []
    limit = int(_parser().options["maxNesting"])
    for tok in tokens:
        if tok.map is None:
            continue
        if tok.type == "inline":
            prose_ranges.append(line_range(*tok.map))
        elif tok.type == "html_block":
            html_ranges.append(line_range(*tok.map))
        elif tok.nesting == 1 and tok.level >= limit - 1:
            # markdown-it drops everything inside a container at its nesting limit: read those
            # lines as one prose block (the container markers are blanked like any line prefix)
            prose_ranges.append(line_range(*tok.map))
            warnings.append(
                (
                    prose_ranges[-1][0],
                    f"Markdown nested deeper than {limit} levels (lines {tok.map[0] + 1}-{tok.map[1]}); "
                    "read as plain text",
                )
            )

    chars = masked_except(parsed, prose_ranges)
    comments: list[Comment] = []
    for start, end in html_ranges:
        inner = html_reader.read(text[start:end])
        chars[start:end] = inner.text
        comments.extend(
            Comment(Span(c.span.start + start, c.span.end + start), c.text) for c in inner.comments
        )

    prose_ranges = sorted(set(prose_ranges))
    for start, end in prose_ranges:
        block = "".join(chars[start:end])
        if MDX_ESM.match(block.lstrip()):
            mask(chars, start, end)
            continue
        for m in CODE_SPAN.finditer(block):
            mask(chars, start + m.start(), start + m.end())
        block = "".join(chars[start:end])
        for m in HTML_COMMENT.finditer(block):
            comments.append(Comment(Span(start + m.start(), start + m.end()), m.group(1).strip()))
            mask(chars, start + m.start(), start + m.end())
        for pattern in (LINE_PREFIX, HEADING_TAIL, SETEXT_OR_RULE, INLINE_NOT_PROSE):
            block = "".join(chars[start:end])
            for m in pattern.finditer(block):
                mask(chars, start + m.start(), start + m.end())
        mdx_expressions(chars, start, end)
        block = "".join(chars[start:end])
        for m in MARKUP_CHARS.finditer(block):
            mask(chars, start + m.start(), start + m.end())
    return Prose(
        "".join(chars),
        sorted(comments, key=lambda c: c.span.start),
        [start for start, _ in prose_ranges],
        warnings,
    )
