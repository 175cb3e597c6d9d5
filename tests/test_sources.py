"""Source readers: prose survives, everything else is blanked, offsets never move.

Each format test places the same spun phrase in a paragraph (it must reach the prose) and
inside every construct the reader must skip (it must not).  The end-to-end tests put a GLT001
glitch after a BOM, CRLF line ends, a tab, a combining accent and emoji, lint the file
through the runner and the CLI, and compare the reported row/column with one computed
independently from the raw bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinlint.runner import Options, lint_file
from spinlint.sources import Prose, html, latex, markdown, rst, text
from tests.conftest import run_cli

READERS = {
    "text": text.read,
    "markdown": markdown.read,
    "rst": rst.read,
    "html": html.read,
    "latex": latex.read,
}
PHRASE = "Kremlin- backed"


def prose_of(reader: str, source: str) -> Prose:
    prose = READERS[reader](source)
    assert len(prose.text) == len(source)
    assert [i for i, c in enumerate(prose.text) if c in "\r\n"] == [
        i for i, c in enumerate(source) if c in "\r\n"
    ]
    return prose


def masked(reader: str, source: str, phrase: str = PHRASE) -> bool:
    """True when ``phrase`` occurs in the source but nowhere in the prose."""
    assert phrase in source
    return phrase not in prose_of(reader, source).text


def kept(reader: str, source: str, phrase: str = PHRASE) -> bool:
    """True when ``phrase`` is in the prose at the very offset it has in the source."""
    prose = prose_of(reader, source).text
    at = source.index(phrase)
    return prose[at : at + len(phrase)] == phrase


# -- plain text -------------------------------------------------------------------------


def test_text_is_all_prose_but_directive_lines() -> None:
    src = "A Kremlin- backed group.\n  spinlint-disable GLT001\nmore\n"
    prose = prose_of("text", src)
    assert kept("text", src)
    assert "spinlint" not in prose.text
    assert [c.text for c in prose.comments] == ["spinlint-disable GLT001"]


def test_text_keeps_a_sentence_that_mentions_the_directive() -> None:
    src = "Write spinlint-disable on a line of its own.\n"
    assert prose_of("text", src).text == src
    assert prose_of("text", src).comments == []


# -- Markdown ---------------------------------------------------------------------------

MD_SKIPPED = {
    "fenced code": "```\nA Kremlin- backed group\n```\n",
    "tilde fence": "~~~python\nA Kremlin- backed group\n~~~\n",
    "indented code": "Para.\n\n    A Kremlin- backed group\n",
    "inline code": "See `A Kremlin- backed group` here.\n",
    "double-tick code": "See ``A `Kremlin- backed` group`` here.\n",
    "html comment": "Text <!-- A Kremlin- backed group --> text.\n",
    "html block comment": "<!--\nA Kremlin- backed group\n-->\n",
    "link target": "[text](http://x.org/Kremlin- backed)\n",
    "link title": '[text](http://x.org "A Kremlin- backed group")\n',
    "autolink": "<http://x.org/Kremlin- backed>\n",
    "bare url": "Go to https://x.org/Kremlin-%20backed?q=Kremlin- backed now.\n",
    "tag attribute": 'A <span title="Kremlin- backed">x</span>.\n',
    "pre block": "<pre>\nA Kremlin- backed group\n</pre>\n",
    "yaml front matter": "---\ntitle: A Kremlin- backed group\n---\n\nText.\n",
    "toml front matter": "+++\ntitle = 'A Kremlin- backed group'\n+++\n\nText.\n",
    "math block": "$$\nA Kremlin- backed group\n$$\n",
    "inline math": "Let $A Kremlin- backed$ hold.\n",
    "link reference definition": '[ref]: http://x.org "A Kremlin- backed group"\n',
    "mdx import": "import {Kremlin- backed} from './x'\n",
    "mdx export": "export const meta = {\n  title: 'A Kremlin- backed group',\n}\n",
    "mdx expression": "Hello {items.map(x => {return 'Kremlin- backed'})} world.\n",
}


@pytest.mark.parametrize("name", sorted(MD_SKIPPED))
def test_markdown_skips(name: str) -> None:
    assert masked("markdown", MD_SKIPPED[name])


MD_PROSE = {
    "paragraph": "A Kremlin- backed group met.\n",
    "heading": "# A Kremlin- backed group\n",
    "setext heading": "A Kremlin- backed group\n=======================\n",
    "list item": "- A Kremlin- backed group\n",
    "task list item": "- [ ] A Kremlin- backed group\n",
    "block quote in list": "> 1. A Kremlin- backed group\n",
    "emphasis": "A *Kremlin- backed* group.\n",
    "link text": "[A Kremlin- backed group](http://x.org)\n",
    "table cell": "| a | A Kremlin- backed group |\n|---|---|\n",
    "footnote": "Text.[^1]\n\n[^1]: A Kremlin- backed group.\n",
    "html block text": "<div>\nA Kremlin- backed group\n</div>\n",
    "price is not math": "It cost $5, a Kremlin- backed group paid $10.\n",
}


@pytest.mark.parametrize("name", sorted(MD_PROSE))
def test_markdown_keeps(name: str) -> None:
    assert kept("markdown", MD_PROSE[name])


def test_markdown_blanks_markup_around_prose() -> None:
    src = "## Title ##\n\n> - **Bold** and [link](http://x.org) &amp; \\*esc\\*\n"
    words = prose_of("markdown", src).text.split()
    assert words == ["Title", "Bold", "and", "link", "esc"]


def test_markdown_comment_inside_code_is_no_directive() -> None:
    src = "Use `<!-- spinlint-disable -->` to stop.\n\n```\n<!-- spinlint-disable -->\n```\n"
    assert prose_of("markdown", src).comments == []


def test_markdown_comments_are_collected() -> None:
    src = "Text <!-- spinlint-disable GLT001 --> more.\n\n<!-- spinlint-enable -->\n\n<div><!-- x --></div>\n"
    comments = prose_of("markdown", src).comments
    assert [c.text for c in comments] == ["spinlint-disable GLT001", "spinlint-enable", "x"]
    for c in comments:
        assert src[c.span.start : c.span.end].startswith("<!--")
        assert src[c.span.start : c.span.end].endswith("-->")


# -- reStructuredText -------------------------------------------------------------------

RST_SKIPPED = {
    "literal block": "Example::\n\n    A Kremlin- backed group\n\nAfter.\n",
    "lone :: literal block": "::\n\n    A Kremlin- backed group\n",
    "quoted literal block": "Example::\n\n> A Kremlin- backed group\n",
    "code-block": ".. code-block:: text\n\n   A Kremlin- backed group\n",
    "unknown directive body": ".. mermaid::\n\n   A Kremlin- backed group\n",
    "image option": ".. image:: x.png\n   :alt: A Kremlin- backed group\n",
    "figure option": ".. figure:: x.png\n   :alt: A Kremlin- backed group\n\n   Caption.\n",
    "note option": ".. note::\n   :class: A Kremlin- backed group\n\n   Body.\n",
    "comment": ".. A Kremlin- backed group\n",
    "multi-line comment": "..\n   A Kremlin- backed group\n",
    "hyperlink target": ".. _Kremlin- backed: http://x.org\n",
    "anonymous target": "__ http://x.org/Kremlin- backed\n",
    "substitution def": ".. |x| replace:: A Kremlin- backed group\n",
    "inline literal": "See ``A Kremlin- backed group`` here.\n",
    "role target": "See :ref:`text <Kremlin- backed>` here.\n",
    "reference role": "See :doc:`Kremlin- backed` here.\n",
    "math role": "Let :math:`Kremlin- backed` hold.\n",
    "embedded uri": "See `text <http://x.org/Kremlin- backed>`_ here.\n",
    "doctest": ">>> A Kremlin- backed group\n",
    "standalone url": "Go to http://x.org/Kremlin-%20backed?q=Kremlin- backed now.\n",
}


@pytest.mark.parametrize("name", sorted(RST_SKIPPED))
def test_rst_skips(name: str) -> None:
    assert masked("rst", RST_SKIPPED[name])


RST_PROSE = {
    "paragraph": "A Kremlin- backed group met.\n",
    "title": "A Kremlin- backed group\n=======================\n\nText.\n",
    "bullet": "- A Kremlin- backed group\n",
    "enumerated": "#. A Kremlin- backed group\n",
    "paragraph before literal": "A Kremlin- backed group::\n\n    code\n",
    "note on the directive line": ".. note:: A Kremlin- backed group\n",
    "note body": ".. warning::\n\n   A Kremlin- backed group\n",
    "admonition title": ".. admonition:: A Kremlin- backed group\n\n   Body.\n",
    "figure caption": ".. figure:: x.png\n   :width: 10\n\n   A Kremlin- backed group\n",
    "role text": "See :ref:`A Kremlin- backed group <target>` here.\n",
    "emphasis role": "See :emphasis:`A Kremlin- backed group` here.\n",
    "link text": "See `A Kremlin- backed group <http://x.org>`_ here.\n",
    "footnote body": ".. [1] A Kremlin- backed group\n",
    "field body": ":Author: A Kremlin- backed group\n",
    "grid table cell": "+-----+\n| A Kremlin- backed group |\n+-----+\n",
    "block quote": "Text.\n\n   A Kremlin- backed group\n",
}


@pytest.mark.parametrize("name", sorted(RST_PROSE))
def test_rst_keeps(name: str) -> None:
    assert kept("rst", RST_PROSE[name])


def test_rst_blanks_markup_around_prose() -> None:
    src = "Title\n=====\n\nA *b* :ref:`c <d>` `e`_ [1]_ |s| f_ ``g``.\n\n.. image:: h.png\n   :alt: i\n"
    assert prose_of("rst", src).text.split() == ["Title", "A", "b", "c", "e", "f", "."]


def test_rst_comments_are_collected() -> None:
    src = "Text.\n\n.. spinlint-disable GLT001\n\n..\n   spinlint-enable\n   GLT002\n\n.. note:: x\n"
    assert [c.text for c in prose_of("rst", src).comments] == [
        "spinlint-disable GLT001",
        "spinlint-enable GLT002",
    ]


# -- HTML -------------------------------------------------------------------------------

HTML_SKIPPED = {
    "script": "<script>var s = 'A Kremlin- backed group';</script>",
    "style": "<style>/* A Kremlin- backed group */</style>",
    "pre": "<pre>A Kremlin- backed group</pre>",
    "code": "<p>Run <code>A Kremlin- backed group</code>.</p>",
    "nested pre": "<pre><b>A Kremlin- backed group</b></pre>",
    "pre with markup-like text": "<pre><span>x</span></b></p><p>A Kremlin- backed group</p></pre>",
    "unclosed pre": "<p>Text.</p><pre><span>x</span> A Kremlin- backed group",
    "upper-case pre": "<PRE><i>A Kremlin- backed group</i></Pre>",
    "textarea": "<textarea>A Kremlin- backed group</textarea>",
    "template": "<template><p>A Kremlin- backed group</p></template>",
    "attribute": '<img alt="A Kremlin- backed group" src="x.png">',
    "comment": "<!-- A Kremlin- backed group -->",
    "unterminated tag": '<p>Text</p><a title="A Kremlin- backed group',
}


@pytest.mark.parametrize("name", sorted(HTML_SKIPPED))
def test_html_skips(name: str) -> None:
    assert masked("html", HTML_SKIPPED[name])


def test_html_text_after_a_raw_element_is_prose_again() -> None:
    src = "<pre><span>code</span></pre>\n<p>A Kremlin- backed group.</p>"
    assert prose_of("html", src).text.split() == ["A", "Kremlin-", "backed", "group."]


def test_html_nested_code_elements_are_counted_not_read_raw() -> None:
    # kbd may hold kbd: the text between two inner ones is still inside the outer one
    src = "<p><kbd><kbd>Ctrl</kbd>-<kbd>A</kbd></kbd> moves A Kremlin- backed group.</p>"
    assert prose_of("html", src).text.split() == ["moves", "A", "Kremlin-", "backed", "group."]


def test_html_keeps_text_nodes_and_blanks_entities() -> None:
    src = "<!DOCTYPE html>\n<body><p class=x>A Kremlin- backed <b>group</b> &amp; caf&eacute;.</p></body>"
    assert kept("html", src)
    assert prose_of("html", src).text.split() == ["A", "Kremlin-", "backed", "group", "caf", "."]


def test_html_comments_are_collected() -> None:
    src = "<p>x</p>\n<!-- spinlint-disable GLT001 -->\n<p>y</p>"
    (comment,) = prose_of("html", src).comments
    assert comment.text == "spinlint-disable GLT001"
    assert src[comment.span.start : comment.span.end] == "<!-- spinlint-disable GLT001 -->"


# -- LaTeX ------------------------------------------------------------------------------

TEX_SKIPPED = {
    "command name": r"\Kremlin- backed",
    "cite": r"See \cite[Kremlin- backed]{Kremlin- backed}.",
    "ref and label": r"See \ref{Kremlin- backed}\label{Kremlin- backed}.",
    "includegraphics": r"\includegraphics[width=Kremlin- backed]{Kremlin- backed.png}",
    "url": r"\url{http://x.org/Kremlin- backed}",
    "href target": r"\href{http://x.org/Kremlin- backed}{text}",
    "inline math": r"Let $A Kremlin- backed$ hold.",
    "display math": r"Let $$A Kremlin- backed$$ hold.",
    "paren math": r"Let \(A Kremlin- backed\) hold.",
    "bracket math": "Let \\[A Kremlin- backed\\] hold.",
    "equation": "\\begin{equation}\nA Kremlin- backed\n\\end{equation}",
    "align*": "\\begin{align*}\nA Kremlin- backed\n\\end{align*}",
    "verbatim": "\\begin{verbatim}\nA Kremlin- backed \\emph{x} % y\n\\end{verbatim}",
    "lstlisting": "\\begin{lstlisting}\nA Kremlin- backed { % y\n\\end{lstlisting}",
    "verb": r"Use \verb|A Kremlin- backed| here.",
    "comment": "Text % A Kremlin- backed group\nmore.",
    "environment argument": "\\begin{minipage}{Kremlin- backed}\nx\n\\end{minipage}",
    "unknown command argument": r"\mylabel{Kremlin- backed} text",
    "newcommand": r"\newcommand{\x}{A Kremlin- backed group}",
}


@pytest.mark.parametrize("name", sorted(TEX_SKIPPED))
def test_latex_skips(name: str) -> None:
    assert masked("latex", TEX_SKIPPED[name])


TEX_PROSE = {
    "body": "\\begin{document}\nA Kremlin- backed group.\n\\end{document}",
    "emph": r"A \emph{Kremlin- backed} group.",
    "nested text commands": r"\textbf{A \textit{Kremlin- backed} group}",
    "section": r"\section*{A Kremlin- backed group}",
    "footnote": r"Text\footnote{A Kremlin- backed group.}",
    "caption": r"\caption[short]{A Kremlin- backed group}",
    "href text": r"\href{http://x.org}{A Kremlin- backed group}",
    "itemize": "\\begin{itemize}\n\\item A Kremlin- backed group\n\\end{itemize}",
    "theorem": "\\begin{theorem}[Name]\nA Kremlin- backed group.\n\\end{theorem}",
    "plain group": r"A {\em Kremlin- backed} group.",
}


@pytest.mark.parametrize("name", sorted(TEX_PROSE))
def test_latex_keeps(name: str) -> None:
    assert kept("latex", TEX_PROSE[name])


def test_latex_escapes_keep_their_character() -> None:
    assert prose_of("latex", r"Up 50\% at A\&B.").text == "Up 50 % at A &B."


def test_latex_comments_are_collected_without_line_end() -> None:
    src = "Text. % spinlint-disable-next-line GLT001\r\nMore.\n"
    (comment,) = prose_of("latex", src).comments
    assert comment.text == "spinlint-disable-next-line GLT001"
    assert src[comment.span.start : comment.span.end].rstrip("\r") == "% spinlint-disable-next-line GLT001"


# -- offsets, end to end ------------------------------------------------------------------

NOISE = "Cafe\u0301\t\U0001f642 and \U0001f469\u200d\U0001f469\u200d\U0001f467 saw"
DOCUMENTS = {
    "md": f"# Title\n\nFirst `code` line.\n{NOISE} *x* A Kremlin- backed group.\n",
    "mdx": f"import X from './x'\n\n{NOISE} {{x}} A Kremlin- backed group.\n",
    "rst": f"Title\n=====\n\n{NOISE} ``x`` A Kremlin- backed group.\n",
    "html": f"<html>\n<body><p>{NOISE} <b>x</b> A Kremlin- backed group.</p>\n</body></html>\n",
    "tex": f"\\section{{Intro}}\n{NOISE} \\emph{{x}} $y$ A Kremlin- backed group.\n",
    "txt": f"Title\n\n{NOISE} A Kremlin- backed group.\n",
}


def expected_location(raw: bytes, phrase: str) -> tuple[int, int, int]:
    """Row, start column and end column (exclusive end, 1-based) of ``phrase`` computed from
    the raw bytes: UTF-8 without its BOM, rows split on line feeds, ``\\r`` not counted."""
    decoded = raw.decode("utf-8")
    decoded = decoded[1:] if decoded.startswith("\ufeff") else decoded
    for row, line in enumerate(decoded.split("\n"), start=1):
        if phrase in line:
            col = line.index(phrase) + 1
            return row, col, col + len(phrase)
    raise AssertionError(f"{phrase!r} not in file")


def write(tmp_path: Path, ext: str, crlf: bool, bom: bool) -> tuple[Path, bytes]:
    body = DOCUMENTS[ext]
    if crlf:
        body = body.replace("\n", "\r\n")
    raw = (b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8")
    path = tmp_path / f"doc.{ext}"
    path.write_bytes(raw)
    return path, raw


@pytest.mark.parametrize("ext", sorted(DOCUMENTS))
@pytest.mark.parametrize(("crlf", "bom"), [(True, True), (False, False)], ids=["crlf-bom", "lf"])
def test_position_of_a_glitch(tmp_path: Path, ext: str, crlf: bool, bom: bool) -> None:
    path, raw = write(tmp_path, ext, crlf, bom)
    result = lint_file(str(path), Options(use_cache=False))
    assert result.error is None and result.source is not None
    hits = [d for d in result.diagnostics if d.code == "GLT001"]
    assert len(hits) == 1, hits
    loc = result.source.location(hits[0].span.start)
    end = result.source.location(hits[0].span.end)
    assert (loc.row, loc.column, end.column) == expected_location(raw, "Kremlin- backed")
    assert result.source.text[hits[0].span.start : hits[0].span.end] == "Kremlin- backed"


@pytest.mark.parametrize("ext", ["md", "tex"])
def test_cli_json_locations(tmp_path: Path, ext: str) -> None:
    path, raw = write(tmp_path, ext, crlf=True, bom=True)
    proc = run_cli("--format", "json", "--no-cache", "--select", "GLT001", str(path))
    assert proc.returncode == 1, proc.stderr
    (item,) = json.loads(proc.stdout)
    row, col, end_col = expected_location(raw, "Kremlin- backed")
    assert item["code"] == "GLT001"
    assert item["location"] == {"row": row, "column": col}
    assert item["end_location"] == {"row": row, "column": end_col}


# -- properties ---------------------------------------------------------------------------

# fmt: off
MARKUP_FRAGMENTS = [
    "\n", "\r\n", "\n\n", " ", "\t", "#", "# ", "## ", "=", "===\n", "---\n", "+++\n", "- ", "* ",
    "1. ", "> ", "```", "```\n", "~~~", "    ", "`", "``", "*", "**", "_", "~~", "[", "]", "(", ")",
    "](", "![", "[^1]", "<", ">", "</", "<!--", "-->", "<div>", "</div>", "<pre>", "<p>", "<script>",
    "&amp;", "&#x41;", "&", "$", "$$", "{", "}", "|", "\\", "http://x.org/a", "www.x.y", "a@b.cd",
    "import x from 'y'\n", "export const a = 1\n", ".. ", "::", ".. note::", ".. code-block::",
    ":ref:", ":alt: ", "|x|", "_", "__ ", "[1]_", ">>> ", "\\emph{", "\\begin{document}",
    "\\end{document}", "\\begin{verbatim}", "\\end{verbatim}", "\\cite{", "%", "\\[", "\\]", "\\(",
    "\\)", "\\verb|", "spinlint-disable", "spinlint-enable GLT001", "\ufeff", "Kremlin- backed",
    "e\u0301", "\U0001f642", "\u200d", "word",
]
# fmt: on
FRAGMENT = st.one_of(st.sampled_from(MARKUP_FRAGMENTS), st.text(max_size=4))
markupish = st.lists(FRAGMENT, max_size=40).map("".join)


def check_reader_properties(source: str) -> None:
    lines = [i for i, c in enumerate(source) if c in "\r\n"]
    for name, read in READERS.items():
        prose = read(source)
        assert len(prose.text) == len(source), name
        assert [i for i, c in enumerate(prose.text) if c in "\r\n"] == lines, name
        for i, c in enumerate(prose.text):
            assert c == source[i] or c == " ", (name, i)
        for comment in prose.comments:
            assert 0 <= comment.span.start <= comment.span.end <= len(source), name


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_readers_on_arbitrary_unicode(source: str) -> None:
    check_reader_properties(source)


@settings(max_examples=300, deadline=None)
@given(markupish)
def test_readers_on_markup_soup(source: str) -> None:
    check_reader_properties(source)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "a.md",
            "# Title here\nStock fell today.\n\n- item one\n- item two\n",
            ["Title here", "Stock fell today.", "item one", "item two"],
        ),
        (
            "a.html",
            "<h1>Title</h1><p>Text one here</p><ul><li>a</li><li>b</li></ul>",
            ["Title", "Text one here", "a", "b"],
        ),
    ],
)
def test_block_boundaries_end_sentences(name: str, text: str, expected: list[str]) -> None:
    """A heading and the paragraph after it are two sentences even without punctuation."""
    from spinlint.document import Document
    from spinlint.sources import SourceFile, extract, format_for

    src = SourceFile(name, text, format=format_for(name))
    prose = extract(src)
    doc = Document(src, prose.text, breaks=prose.breaks)
    assert [prose.text[s.start : s.end] for s in doc.sentences] == expected


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("_sources/library/os.rst.txt", "rst"),
        ("_sources/guide.md.txt", "markdown"),
        ("notes.TXT", "text"),
        ("release.v2.txt", "text"),  # an inner extension spinlint has no reader for
        ("readme.txt.md", "markdown"),
    ],
)
def test_a_markup_source_published_as_txt_is_read_as_its_markup(name: str, fmt: str) -> None:
    from spinlint.sources import format_for

    assert format_for(name) == fmt


def test_a_sphinx_source_copy_is_linted_without_its_markup(tmp_path: Path) -> None:
    """Sphinx publishes each page's source as ``_sources/page.rst.txt``: its roles and
    literal blocks are not prose there either."""
    text = (
        "Title\n=====\n\nSee :func:`bosom_peril` here::\n\n    bosom peril = 1\n\n"
        "The bosom peril cases rose.\n"
    )
    path = tmp_path / "page.rst.txt"
    path.write_text(text)
    assert tpf001_rows(path) == [(8, 5)]
    plain = tmp_path / "page.txt"
    plain.write_text(text)
    assert len(tpf001_rows(plain)) > 1


# -- nothing is dropped silently ----------------------------------------------------------

SPUN = "The bosom peril cases rose."


def tpf001_rows(path: Path) -> list[tuple[int, int]]:
    result = lint_file(str(path), Options(use_cache=False, select=("TPF001",)))
    assert result.error is None and result.source is not None, result.error
    return [
        (result.source.location(d.span.start).row, result.source.location(d.span.start).column)
        for d in result.diagnostics
    ]


def test_markdown_past_the_nesting_limit_is_read_as_text(tmp_path: Path) -> None:
    """markdown-it drops what is nested deeper than its limit; the lines are read as text."""
    path = tmp_path / "deep.md"
    path.write_text("Intro.\n\n" + "> " * 50 + "bosom peril here\n\nAfter.\n")
    assert tpf001_rows(path) == [(3, 101)]
    proc = run_cli("--no-cache", "--select", "TPF001", "--format", "concise", str(path))
    assert proc.returncode == 1 and "deep.md:3:101: TPF001" in proc.stdout
    assert "deep.md:3: Markdown nested deeper than 20 levels" in proc.stderr


@pytest.mark.parametrize("opening", ["<![\n", "<![ oops ", "<![foo[ x ]]> "])
def test_html_marked_sections_the_parser_does_not_know_are_bogus_comments(opening: str) -> None:
    """Python 3.11's HTMLParser raises AssertionError on them (hypothesis found '<![\\n');
    HTML5 reads a bogus comment up to the next '>', and the prose after it is read."""
    src = "<p>Intro.</p>" + opening + "<p>" + SPUN + "</p>"
    check_reader_properties(src)
    prose = html.read(src)
    assert SPUN in prose.text and "Intro." in prose.text and "oops" not in prose.text


def test_a_reader_that_fails_names_the_file_and_the_others_are_linted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from spinlint import cli

    def broken(text: str) -> Prose:
        raise ValueError("unexpected token")

    monkeypatch.setattr(html, "read", broken)
    bad, good = tmp_path / "bad.html", tmp_path / "good.txt"
    bad.write_text("<p>" + SPUN + "</p>")
    good.write_text(SPUN + "\n")
    result = lint_file(str(bad), Options(use_cache=False, select=("TPF001",)))
    assert result.error == f"{bad}: cannot read as html: unexpected token"
    rc = cli.main(["--no-cache", "--select", "TPF001", "--format", "concise", str(bad), str(good)])
    out, err = capsys.readouterr()
    assert rc != 0 and "good.txt:1:5: TPF001" in out
    assert f"{bad}: cannot read as html: unexpected token" in err


def test_markdown_below_the_nesting_limit_has_no_warning() -> None:
    prose = markdown.read("> " * 5 + SPUN + "\n")
    assert SPUN in prose.text and prose.warnings == []


def test_latex_with_a_thousand_unclosed_groups_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "groups.tex"
    path.write_text("\\documentclass{article}\n\\begin{document}\n" + "{" * 1000 + SPUN + "\n")
    assert tpf001_rows(path) == [(3, 1005)]
    result = lint_file(str(path), Options(use_cache=False, select=("TPF001",)))
    assert result.notice == f"{path}:1: LaTeX could not be parsed (nested too deeply); read as plain text"


def test_latex_fallback_blanks_what_is_not_prose() -> None:
    src = (
        "\\documentclass{article}\\title{bosom peril}\n\\begin{document}\n"
        "See \\cite{bosom-peril} and 50\\% of \\emph{" + SPUN + "} % bosom peril\n"
        "\\begin{equation} bosom peril \\end{equation} $bosom peril$ done.\n" + "{" * 1000
    )
    prose = latex.read(src)
    assert prose.warnings and len(prose.text) == len(src)
    assert prose.text.count("bosom peril") == 1 and SPUN in prose.text and "50 %" in prose.text
    assert [c.text for c in prose.comments] == ["bosom peril"]


def test_a_lone_cr_ends_a_line(tmp_path: Path) -> None:
    path = tmp_path / "mac.txt"
    path.write_bytes(b"First line.\r\r" + SPUN.encode() + b"\rLast.\r")
    assert tpf001_rows(path) == [(3, 5)]
    md = tmp_path / "mac.md"
    md.write_bytes(b"# Title\r\rFirst line.\r\r" + SPUN.encode() + b"\r")
    assert tpf001_rows(md) == [(5, 5)]
    proc = run_cli("--no-cache", "--select", "TPF001", "--format", "full", "--color", "never", str(path))
    assert "mac.txt:3:5: TPF001" in proc.stdout and f"3 | {SPUN}" in proc.stdout
