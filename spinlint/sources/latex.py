"""LaTeX via pylatexenc's :class:`LatexWalker`, which gives every node its exact position.

The whole file starts blank; only character runs in a prose context are put back.  A prose
context is the document body, the inside of prose environments (``itemize``, ``quote``,
``abstract``, theorem-like environments, ...) and the text arguments of text commands
(``\\emph{...}``, ``\\section{...}``, ``\\footnote{...}``, the second argument of
``\\href``).  Everything else stays blank: command names, the arguments of other commands
(``\\cite``, ``\\ref``, ``\\label``, ``\\includegraphics``, ``\\url``, ``\\begin{env}``, and
any brace group glued to a command the parser does not know), math in every form, verbatim
and code environments, and comments.  ``% spinlint-disable ...`` comments feed suppression.

Escaped characters keep their character (``50\\%`` reads "50 %"); accents and other
one-character commands are blanked, which splits a word such as ``caf\\'e`` but never
invents one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexCommentNode,
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexNode,
    LatexWalker,
    get_default_latex_context_db,
)
from pylatexenc.macrospec import (
    EnvironmentSpec,
    LatexContextDb,
    MacroSpec,
    ParsedVerbatimArgs,
    VerbatimArgsParser,
)

from spinlint.model import Span
from spinlint.sources import Comment, Prose, mask, masked_except

# Text commands: which entries of the parsed argument list are prose.  The argument specs
# are pylatexenc's (``*`` star, ``[`` optional, ``{`` mandatory), e.g. \section is ``*[{``.
SECTIONING = ("part", "chapter", "section", "subsection", "subsubsection", "paragraph", "subparagraph")
# fmt: off
ONE_TEXT_ARG = (
    "emph", "textbf", "textit", "textsl", "textsc", "textrm", "textsf", "textup", "textmd",
    "textnormal", "underline", "uline", "mbox", "text", "enquote", "title", "thanks",
    "textsuperscript", "textsubscript", "footnotetext",
)
# fmt: on
TEXT_ARGS: dict[str, tuple[int, ...]] = {
    **{name: (1, 2) for name in SECTIONING},  # *[short]{title}
    **{name: (0,) for name in ONE_TEXT_ARG},
    "footnote": (1,),  # [number]{text}
    "caption": (0, 1),  # [short]{long}
    "marginpar": (0, 1),
    "href": (1,),  # {url}{text}
    "hyperref": (1,),  # [label]{text}
}

# Commands pylatexenc does not know but documents use often, with their argument specs:
# declared so their arguments are parsed (and blanked) rather than read as loose groups.
# fmt: off
EXTRA_MACROS = {
    "href": "{{", "hyperref": "[{", "caption": "[{", "pageref": "{", "nameref": "{", "vref": "{",
    "Cref": "{", "cpageref": "{", "autoref": "{", "eqref": "{", "citealp": "*[[{",
    "citeauthor": "*[[{", "citeyear": "*[[{", "parencite": "*[[{", "textcite": "*[[{",
    "autocite": "*[[{", "footcite": "*[[{", "bibliographystyle": "{", "addbibresource": "[{",
    "graphicspath": "{", "marginpar": "[{", "lstinline": "[{", "texttt": "{", "SI": "[{{", "si": "[{",
    "num": "[{", "todo": "[{", "textsuperscript": "{", "textsubscript": "{", "uline": "{",
    "enquote": "*{", "footnotetext": "[{",
}
# fmt: on
EXTRA_ENVS = {
    "minipage": "[[[{",
    "tabularx": "{{",
    "thebibliography": "{",
    "tikzpicture": "[",
    "multicols": "{",
}
# Environments whose body is not prose at all: verbatim-like ones (read raw, as TeX does),
# math, drawings, bibliographies and pseudo-code.
# fmt: off
VERBATIM_ENVS = (
    "verbatim", "verbatim*", "lstlisting", "minted", "Verbatim", "BVerbatim", "comment",
    "filecontents", "filecontents*", "alltt",
)
NON_PROSE_ENVS = frozenset((
    *VERBATIM_ENVS,
    "equation", "equation*", "align", "align*", "alignat", "alignat*", "flalign", "flalign*", "gather",
    "gather*", "multline", "multline*", "eqnarray", "eqnarray*", "displaymath", "math", "split",
    "dmath", "dmath*", "tikzpicture", "pgfpicture", "picture", "axis", "forest", "thebibliography",
    "algorithmic", "algorithm2e", "tikzcd", "circuitikz",
))
# fmt: on
ESCAPED = frozenset("%&$#_{}")
COMMENT_FALLBACK = re.compile(r"(?<!\\)%([^\r\n]*)")


class _VerbatimEnvironment(VerbatimArgsParser):  # type: ignore[misc]
    """The body of a verbatim-like environment, read raw up to its own ``\\end{name}`` (as
    TeX does).  pylatexenc's parser only knows ``\\end{verbatim}``; without an end the body
    runs to the end of the file."""

    def __init__(self, name: str) -> None:
        super().__init__("verbatim-environment")
        self.end = "\\end{" + name + "}"

    def parse_args(self, w: LatexWalker, pos: int, parsing_state: object = None) -> tuple[object, int, int]:
        end = w.s.find(self.end, pos)
        end = len(w.s) if end == -1 else end
        chars = w.make_node(
            LatexCharsNode, parsing_state=parsing_state, chars=w.s[pos:end], pos=pos, len=end - pos
        )
        return ParsedVerbatimArgs(verbatim_chars_node=chars), pos, end - pos


@lru_cache(maxsize=1)
def _context() -> LatexContextDb:
    db = get_default_latex_context_db()
    db.add_context_category(
        "spinlint",
        macros=[MacroSpec(name, spec) for name, spec in EXTRA_MACROS.items()],
        environments=[
            *(EnvironmentSpec(name, spec) for name, spec in EXTRA_ENVS.items()),
            *(EnvironmentSpec(name, args_parser=_VerbatimEnvironment(name)) for name in VERBATIM_ENVS),
        ],
        prepend=True,
    )
    return db


class _Walk:
    def __init__(self, text: str) -> None:
        self.db = _context()
        self.keep: list[tuple[int, int]] = []
        self.comments: list[Comment] = []

    def nodes(self, nodelist: list[LatexNode] | None, prose: bool) -> None:
        glued_to_unknown = -1  # end offset of a command the parser took no argument for
        for node in nodelist or ():
            if node is None:
                continue
            if isinstance(node, LatexCharsNode):
                if prose:
                    self.keep.append((node.pos, node.pos + node.len))
            elif isinstance(node, LatexCommentNode):
                # the node also holds the line end and indentation after the comment; the
                # comment itself ends at its line end, so a -next-line directive finds its line
                end = node.pos + 1 + len(node.comment)
                self.comments.append(Comment(Span(node.pos, end), node.comment.strip()))
            elif isinstance(node, LatexGroupNode):
                # ``\mycommand{label}``: an argument of a command we know nothing about
                self.nodes(node.nodelist, prose and node.pos != glued_to_unknown)
            elif isinstance(node, LatexMacroNode):
                glued_to_unknown = self.macro(node, prose)
            elif isinstance(node, LatexEnvironmentNode):
                self.environment(node, prose)
            elif isinstance(node, LatexMathNode):
                self.nodes(node.nodelist, False)  # comments inside math still count
            # specials (~, &, --, quotes) stay blank

    def args(self, node: LatexMacroNode | LatexEnvironmentNode, text_args: tuple[int, ...]) -> None:
        argd = node.nodeargd
        for i, arg in enumerate(getattr(argd, "argnlist", None) or ()):
            if arg is not None and not isinstance(arg, LatexCharsNode):  # verbatim args are chars
                self.nodes([arg], i in text_args)

    def macro(self, node: LatexMacroNode, prose: bool) -> int:
        name = node.macroname
        if name in ESCAPED and prose:
            self.keep.append((node.pos + 1, node.pos + 2))
        self.args(node, TEXT_ARGS.get(name, ()) if prose else ())
        parsed_args = getattr(node.nodeargd, "argnlist", None)
        if not parsed_args and name[:1].isalpha() and self.db.get_macro_spec(name) is None:
            return int(node.pos + node.len)
        return -1

    def environment(self, node: LatexEnvironmentNode, prose: bool) -> None:
        self.args(node, ())
        name = node.environmentname
        spec = self.db.get_environment_spec(name)
        body_is_prose = prose and name not in NON_PROSE_ENVS and not (spec is not None and spec.is_math_mode)
        self.nodes(node.nodelist, body_is_prose)


# The plain-text fallback, for a file the parser cannot walk (a thousand unclosed groups
# overflow its recursion): what is surely not prose is blanked by patterns, the rest is read.
FALLBACK_NOT_PROSE = re.compile(
    r"""
      \\begin\{(?P<env>"""
    + "|".join(re.escape(e) for e in sorted(NON_PROSE_ENVS, key=len, reverse=True))
    + r""")\}.*?(?:\\end\{(?P=env)\}|\Z)                       # math, verbatim, drawings
    | \$\$.*?\$\$ | \\\[.*?\\\] | \\\(.*?\\\)                        # display / inline math
    | (?<!\\)\$(?:\\.|[^$\\])*\$                                       # $...$
    | \\(?!(?:"""
    + "|".join(sorted(TEXT_ARGS, key=len, reverse=True))
    + r""")\b)[A-Za-z@]+\*?(?:\s*\[[^\]\n]*\])*(?:\s*\{[^{}\n]*\})*      # a command and its arguments
    | \\[A-Za-z@]+\*?                                                 # a text command's name
    | \\[^%&$\#_{}\sA-Za-z@]                                           # accents, spacing, \\
    | \\(?=[%&$\#_{}])                                                 # keep an escaped character
    | [{}~]
    """,
    re.X | re.S,
)


def _fallback(text: str) -> Prose:
    chars = list(text)
    comments = []
    for m in COMMENT_FALLBACK.finditer(text):
        comments.append(Comment(Span(m.start(), m.start() + 1 + len(m.group(1))), m.group(1).strip()))
        mask(chars, m.start(), m.end())
    body = "".join(chars)
    begin = body.find("\\begin{document}")
    if begin != -1:  # the preamble is not prose
        mask(chars, 0, begin + len("\\begin{document}"))
        body = "".join(chars)
    for m in FALLBACK_NOT_PROSE.finditer(body):
        mask(chars, m.start(), m.end())
    return Prose("".join(chars), comments)


def read(text: str) -> Prose:
    walk = _Walk(text)
    try:
        nodes, _, _ = LatexWalker(text, latex_context=walk.db, tolerant_parsing=True).get_latex_nodes()
        walk.nodes(nodes, True)
    except Exception as exc:  # noqa: BLE001 - a parser failure must not drop the prose
        prose = _fallback(text)
        reason = "nested too deeply" if isinstance(exc, RecursionError) else f"{type(exc).__name__}"
        prose.warnings.append((0, f"LaTeX could not be parsed ({reason}); read as plain text"))
        return prose
    return Prose("".join(masked_except(text, walk.keep)), walk.comments)
