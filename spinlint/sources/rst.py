"""reStructuredText, read with a line scanner that follows the reST block rules.

docutils' document tree records line numbers but not columns (and none at all for many
inline nodes), so it cannot give exact offsets; this reader instead applies the block rules
of the reST specification directly to the source lines, then blanks inline markup in what is
left.  What stays prose: paragraphs, list items, definition and field list bodies, block
quotes, section titles, table cells, footnote bodies, and the content of prose directives
(``note``, ``warning``, ``admonition``, ``figure`` captions, ...).

Blanked: section adornments and table borders, literal blocks (after ``::``), doctest blocks,
directive names, arguments and options (``.. image:: x`` and its ``:alt:`` line) and the
whole body of any directive not known to hold prose (``code-block``, ``math``, ``toctree``,
extensions we cannot know), hyperlink targets, substitution definitions, comments, inline
literals, role names and reference-like role contents (``:ref:`label```, keeping the text of
``:ref:`text <target>```), embedded URIs, footnote and substitution references, standalone
URLs, emphasis markers and escapes.  Comments (``.. spinlint-disable GLT001``) feed
suppression.
"""

from __future__ import annotations

import re

from spinlint.model import Span
from spinlint.sources import Comment, Prose, SourceFile, mask
from spinlint.sources.text import EMAIL, URL

# Directives whose arguments are prose (admonition titles, or the first words of the body of
# an admonition written on the directive line) and whose content is reST prose.
# fmt: off
ARG_AND_CONTENT_PROSE = frozenset((
    "attention", "caution", "danger", "error", "hint", "important", "note", "tip", "warning",
    "admonition", "seealso", "topic", "sidebar", "rubric", "table", "list-table", "centered", "tab",
    "dropdown", "card", "todo",
))
# fmt: on
# Directives whose arguments are not prose (a path, a version, a class) but whose content is.
# fmt: off
CONTENT_PROSE = frozenset((
    "figure", "epigraph", "highlights", "pull-quote", "compound", "container", "class", "deprecated",
    "versionadded", "versionchanged", "versionremoved", "glossary", "hlist", "only", "tabs", "grid",
    "grid-item", "grid-item-card", "tab-set", "tab-item", "line-block",
))
# fmt: on
# Roles whose content is text rather than a target or code.
# fmt: off
PROSE_ROLES = frozenset((
    "emphasis", "strong", "title-reference", "title", "t", "subscript", "sub", "superscript", "sup",
    "abbr", "dfn", "term", "guilabel", "menuselection",
))
# fmt: on

EXPLICIT = re.compile(r"\.\.(?=\s|$)")
DIRECTIVE = re.compile(r"\.\.[ \t]+([A-Za-z0-9][\w:+.-]*?)[ \t]*::(?=\s|$)")
TARGET = re.compile(r"\.\.[ \t]+(?:_|\|[^|]+\|[ \t]+\S+?::(?=\s|$))")  # target / substitution def
FOOTNOTE = re.compile(r"\.\.[ \t]+\[(?:\d+|#[\w.-]*|\*|[A-Za-z][\w.-]*)\](?=\s|$)")
ANONYMOUS_TARGET = re.compile(r"__[ \t]")
ADORNMENT = re.compile(r"([!-/:-@\[-`{-~])\1{2,}[ \t]*$")
TABLE_BORDER = re.compile(r"\+(?:[-=]+\+)+[ \t]*$|=+(?:[ \t]+=+)+[ \t]*$|-+(?:[ \t]+-+)+[ \t]*$")
GRID_ROW = re.compile(r"\|.*\|[ \t]*$")
LINE_MARKER = re.compile(
    r"""(?:[-*+•‣⁃][ \t]+                                    # bullet
        |(?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+|\#)[.)][ \t]+      # enumerator 1. a) #.
        |\((?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+|\#)\)[ \t]+     # (1)
        |\|[ \t]+                                            # line block
        |:(?!\s)[^:`\r\n]+(?<!\s):(?=[ \t]|$)                # field name :Author:
        )""",
    re.X,
)
INLINE = re.compile(
    r"""(?P<literal>``.+?``)
      | (?P<target>_)?(?P<pre>:[\w.+:-]+:)?`(?P<body>[^`]+)`(?P<post>:[\w.+:-]+:)?(?P<ref>__?)?
      | (?P<fnref>\[(?:\d+|\#[\w.-]*|\*|[A-Za-z][\w.-]*)\]_)
      | (?P<subst>\|(?!\s)[^|\r\n]+(?<!\s)\|(?:__?)?)
      | (?P<url>"""
    + URL.pattern
    + r"""|"""
    + EMAIL.pattern
    + r""")
      | (?P<refname>(?<=\w)__?(?!\w))
      | (?P<escape>\\)
      | (?P<stars>(?<!\w)\*+(?=\S)|(?<=\S)\*+(?!\w))
    """,
    re.X | re.S,
)
EMBEDDED = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.chars = list(text)
        self.comments: list[Comment] = []
        self.starts = SourceFile(path="", text=text).line_starts
        self.ends = [self._line_end(k) for k in range(len(self.starts))]
        self.paragraphs: list[tuple[int, int]] = []  # offset ranges that hold inline markup

    def _line_end(self, k: int) -> int:
        end = self.starts[k + 1] - 1 if k + 1 < len(self.starts) else len(self.text)
        return end - 1 if end > self.starts[k] and self.text[end - 1] == "\r" else end

    def line(self, k: int) -> str:
        return self.text[self.starts[k] : self.ends[k]]

    def blank(self, k: int) -> bool:
        return not self.line(k).strip()

    def indent(self, k: int) -> int:
        line = self.line(k)
        return len(line) - len(line.lstrip())

    def mask_lines(self, i: int, j: int) -> None:
        if i < j:
            mask(self.chars, self.starts[i], self.ends[j - 1])

    def body_end(self, i: int, j: int, ind: int) -> int:
        """First line at or after ``i`` that is not blank and indented ``ind`` or less."""
        while i < j and (self.blank(i) or self.indent(i) > ind):
            i += 1
        return i

    def trim(self, i: int, j: int) -> int:
        while j > i and self.blank(j - 1):
            j -= 1
        return j

    # -- blocks ---------------------------------------------------------------------------

    def block(self, i: int, j: int) -> None:
        while i < j:
            if self.blank(i):
                i += 1
                continue
            ind = self.indent(i)
            start = self.starts[i] + ind
            content = self.line(i)[ind:]
            if EXPLICIT.match(content):
                end = self.body_end(i + 1, j, ind)
                self.explicit(i, self.trim(i, end), ind)
                i = end
            elif content.startswith(">>>"):
                end = i
                while end < j and not self.blank(end):
                    end += 1
                self.mask_lines(i, end)
                i = end
            elif ANONYMOUS_TARGET.match(content):
                end = self.body_end(i + 1, j, ind)
                self.mask_lines(i, self.trim(i, end))
                i = end
            elif ADORNMENT.match(content) or TABLE_BORDER.match(content):
                mask(self.chars, start, self.ends[i])
                i += 1
            else:
                i = self.paragraph(i, j)

    def paragraph(self, i: int, j: int) -> int:
        """Lines up to the next blank line or explicit markup; then a literal block if the
        paragraph ends with ``::``."""
        first = i
        text_indent = self.indent(i)
        while i < j and not self.blank(i):
            ind = self.indent(i)
            content = self.line(i)[ind:]
            if i > first and (
                EXPLICIT.match(content) or ADORNMENT.match(content) or TABLE_BORDER.match(content)
            ):
                break
            start = self.starts[i] + ind
            if GRID_ROW.match(content):
                for k in range(start, self.ends[i]):
                    if self.chars[k] == "|":
                        self.chars[k] = " "
            else:
                m = LINE_MARKER.match(content)
                if m:
                    mask(self.chars, start, start + m.end())
                    if i == first:
                        text_indent = ind + m.end()
            i += 1
        last_end = self.ends[i - 1]
        self.paragraphs.append((self.starts[first], last_end))
        line = self.text[self.starts[i - 1] : last_end].rstrip()
        if not line.endswith("::"):
            return i
        colons = self.starts[i - 1] + len(line) - 2
        # "Example::" reads "Example:"; "Example ::" and a lone "::" read as nothing
        keep_one = colons > self.starts[i - 1] and not self.text[colons - 1].isspace()
        mask(self.chars, colons + (1 if keep_one else 0), colons + 2)
        return self.literal_block(i, j, text_indent)

    def literal_block(self, i: int, j: int, para_indent: int) -> int:
        k = i
        while k < j and self.blank(k):
            k += 1
        if k >= j:
            return k
        ind = self.indent(k)
        if ind > para_indent:  # indented literal block
            end = self.body_end(k, j, para_indent)
            self.mask_lines(k, self.trim(k, end))
            return end
        quote = self.line(k)[ind : ind + 1]
        if ind == para_indent and re.match(r"[!-/:-@\[-`{-~]", quote):  # quoted literal block
            end = k
            while end < j and self.line(end)[ind : ind + 1] == quote and self.indent(end) == ind:
                end += 1
            self.mask_lines(k, end)
            return end
        return k

    def explicit(self, i: int, end: int, ind: int) -> None:
        start = self.starts[i] + ind
        content = self.line(i)[ind:]
        if TARGET.match(content):
            self.mask_lines(i, end)
            return
        m = FOOTNOTE.match(content)
        if m:
            mask(self.chars, start, start + m.end())
            self.paragraphs.append((start + m.end(), self.ends[i]))
            self.block(i + 1, end)
            return
        m = DIRECTIVE.match(content)
        if m:
            self.directive(i, end, start, m)
            return
        # a comment: everything after ".." up to the end of its indented body
        self.mask_lines(i, end)
        body = self.text[start + 2 : self.ends[end - 1]] if end > i else ""
        self.comments.append(Comment(Span(start, self.ends[end - 1]), " ".join(body.split())))

    def directive(self, i: int, end: int, start: int, m: re.Match[str]) -> None:
        name = m.group(1).lower().split(":")[-1]  # "py:function" -> "function"
        mask(self.chars, start, start + m.end())
        args_prose = name in ARG_AND_CONTENT_PROSE
        content_prose = args_prose or name in CONTENT_PROSE
        if not content_prose:
            self.mask_lines(i, end)
            return
        # header: the rest of the first line, argument lines and :option: lines up to a blank
        k = i + 1
        while k < end and not self.blank(k):
            k += 1
        header_end = k
        option_indent = None
        for h in range(i + 1, header_end):
            line = self.line(h)
            ind = self.indent(h)
            if option_indent is not None and ind > option_indent:
                mask(self.chars, self.starts[h], self.ends[h])  # an option's continuation
            elif re.match(r":[^:\s][^:]*:(\s|$)", line[ind:]):
                option_indent = ind
                mask(self.chars, self.starts[h], self.ends[h])
            elif not args_prose:
                mask(self.chars, self.starts[h], self.ends[h])
        if args_prose:
            arg_start = start + m.end()
            self.paragraphs.append((arg_start, self.ends[i]))
            plain_args = [
                h for h in range(i + 1, header_end) if self.text[self.starts[h] : self.ends[h]].strip()
            ]
            for h in plain_args:
                self.paragraphs.append((self.starts[h], self.ends[h]))
        else:
            mask(self.chars, start + m.end(), self.ends[i])
        self.block(header_end, end)

    # -- inline ---------------------------------------------------------------------------

    def inline(self) -> None:
        for start, end in self.paragraphs:
            segment = "".join(self.chars[start:end])
            for m in INLINE.finditer(segment):
                self.inline_match(start, m)

    def inline_match(self, base: int, m: re.Match[str]) -> None:
        if m.group("body") is None:
            mask(self.chars, base + m.start(), base + m.end())
            return
        body_start, body_end = base + m.start("body"), base + m.end("body")
        role = (m.group("pre") or m.group("post") or "").strip(":").split(":")[-1]
        embedded = EMBEDDED.match(m.group("body"))
        mask(self.chars, base + m.start(), body_start)
        mask(self.chars, body_end, base + m.end())
        if embedded and embedded.group(1):
            mask(self.chars, body_start + embedded.end(1), body_end)  # " <target>"
        elif role and role not in PROSE_ROLES:
            mask(self.chars, body_start, body_end)  # :ref:`label`, :math:`x^2`, :code:`...`


def read(text: str) -> Prose:
    scanner = _Scanner(text)
    scanner.block(0, len(scanner.starts))
    scanner.inline()
    return Prose("".join(scanner.chars), scanner.comments)
