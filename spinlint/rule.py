"""The rule API: what a rule module defines and what a plugin exports.

A rule is a class with metadata (code, kebab-case name, default severity, spaCy components it
needs) and a ``check`` method.  Its docstring has fixed sections, from which ``spinlint rule
CODE``, the README rule table and SARIF ``rules[]`` are generated, so the docs cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from spinlint.document import Document
from spinlint.model import Applicability, Diagnostic, Edit, Fix, Severity, Span

DOC_SECTIONS = ("What it does", "Why it matters", "Example", "Use instead", "Fix safety", "References")
CODE_RE = re.compile(r"^[A-Z]{2,3}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
SPACY_COMPONENTS = frozenset({"tagger", "lemmatizer", "parser", "ner"})


class Rule:
    """Base class of every rule (built-in, third-party, or generated from a pack)."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.WARNING
    needs: ClassVar[frozenset[str]] = frozenset()  # spaCy components, see SPACY_COMPONENTS
    fixable: ClassVar[bool] = True
    default_enabled: ClassVar[bool] = True
    # Soft evidence: a finding an honest text can also show (a rare word pair, an idiom said
    # another way).  When the detector scores the file (an SPN rule is selected), such a
    # rule runs only in a file it judges suspicious or worse (after the other rules, so that
    # the detector has scored the file); in a file judged clean it is not run at all.
    needs_spun_verdict: ClassVar[bool] = False
    # A generic finding (the detector's marks: "this word looks swapped") gives way to a
    # specific one: a finding of this rule that lies wholly inside another rule's finding in
    # the same file (a known tortured phrase, a broken idiom, an acronym its definition no
    # longer spells, a detached hyphen) is dropped, so the words get one explanation and one
    # fix, the one that names the mechanism.
    yields_to_specific: ClassVar[bool] = False

    def check(self, doc: Document) -> Iterable[Diagnostic]:
        raise NotImplementedError

    # -- helpers for subclasses --------------------------------------------------------
    def diagnostic(
        self,
        span: Span,
        message: str,
        *,
        confidence: float,
        suggestions: Sequence[str] = (),
        applicability: Applicability = Applicability.UNSAFE,
        evidence: Sequence[tuple[str, str]] = (),
        fix_span: Span | None = None,
        found_by: str = "default",
    ) -> Diagnostic:
        """Build a diagnostic whose fix (if any) puts ``suggestions[0]`` in place of the span;
        ``found_by``: the pass that found it ("deep" for the neural pass alone)."""
        fix = None
        if suggestions and self.fixable:
            fix = Fix(
                applicability,
                f"Replace with '{suggestions[0]}'",
                (Edit(fix_span or span, suggestions[0]),),
            )
        return Diagnostic(
            code=self.code,
            rule=self.name,
            message=_fold(message),
            span=span,
            severity=self.severity,
            confidence=round(min(max(confidence, 0.0), 1.0), 3),
            fix=fix,
            suggestions=tuple(dict.fromkeys(suggestions)),
            evidence=tuple((k, _fold(v)) for k, v in evidence),
            found_by=found_by,
        )

    @classmethod
    def docs(cls) -> dict[str, str]:
        return parse_doc_sections(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return first_sentence(cls.docs().get("What it does", ""))


def _fold(text: str) -> str:
    """One line: a span quoted across a line break must not break the message."""
    return " ".join(text.split())


def parse_doc_sections(doc: str) -> dict[str, str]:
    """Split a docstring into its ``## Section`` parts (the first paragraph is the title)."""
    import inspect

    text = inspect.cleandoc(doc)
    sections: dict[str, str] = {}
    current = "title"
    buf: list[str] = []
    for line in text.splitlines():
        if line.startswith("## "):
            sections[current] = "\n".join(buf).strip()
            current, buf = line[3:].strip(), []
        else:
            buf.append(line)
    sections[current] = "\n".join(buf).strip()
    return sections


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    m = re.search(r"(?<=[.!?])\s", text)
    return text[: m.start()] if m else text


@dataclass
class Plugin:
    """What an entry point in ``spinlint.plugins`` resolves to.

    ``prefix`` must equal the entry point's name; every rule code starts with it.
    """

    prefix: str
    rules: Sequence[type[Rule] | Rule]
    name: str = ""
    version: str = "0"
    description: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def instances(self) -> Iterator[Rule]:
        for r in self.rules:
            yield r() if isinstance(r, type) else r
