"""Reporters: one module per output format, all fed the same list of file results."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from spinlint.rule import Rule
    from spinlint.runner import FileResult

FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github", "html")


@dataclass
class Context:
    color: bool = False
    show_fixes: bool = False
    summary: bool = False
    rules: dict[str, Rule] = field(default_factory=dict)  # code -> rule, for metadata
    owners: dict[str, str] = field(default_factory=dict)  # code -> plugin label
    version: str = ""


class Reporter(Protocol):
    def __call__(self, results: list[FileResult], out: TextIO, ctx: Context) -> None: ...


def get(name: str) -> Reporter:
    module = importlib.import_module(f"spinlint.reporters.{name.replace('-', '_')}")
    return module.report  # type: ignore[no-any-return]
