"""Every registered rule has complete docs, a documented example that it flags, and both a spun
and an honest fixture; every sub-package is listed for the wheel."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from spinlint.config import Config
from spinlint.rule import DOC_SECTIONS
from spinlint.runner import Engine, Options
from spinlint.sources import SourceFile
from tests.test_rules import FIXTURES, expectations

ROOT = Path(__file__).resolve().parent.parent
ENGINE = Engine()
PLUGIN_RULES = [r for r in ENGINE.rules if not ENGINE.owners[r.code].startswith("pack:")]


ALL_RULES = ENGINE.rules


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.code for r in ALL_RULES])
def test_documented_example_is_flagged_and_its_fix_is_not(rule: object) -> None:
    """The docs cannot drift from the rule: ``spinlint rule CODE`` shows an Example the rule
    flags and a Use instead it leaves alone (proselint's habit: examples that run)."""
    code = rule.code  # type: ignore[attr-defined]
    docs = rule.docs()  # type: ignore[attr-defined]
    options = Options(use_cache=False, select=(code,))
    example, instead = (SourceFile(f"{name}.md", docs[name]) for name in ("Example", "Use instead"))
    assert any(d.code == code for d in ENGINE.lint_source(example, Config(), options).diagnostics)
    assert not any(d.code == code for d in ENGINE.lint_source(instead, Config(), options).diagnostics)


def test_engine_loads_cleanly() -> None:
    assert ENGINE.errors == []
    assert PLUGIN_RULES, "no built-in rule registered"


@pytest.mark.parametrize("rule", PLUGIN_RULES, ids=[r.code for r in PLUGIN_RULES])
def test_rule_has_docs_and_fixtures(rule: object) -> None:
    docs = rule.docs()  # type: ignore[attr-defined]
    for section in DOC_SECTIONS:
        assert docs.get(section), f"{rule.code} lacks '{section}'"  # type: ignore[attr-defined]
    code = rule.code  # type: ignore[attr-defined]
    spun, clean = FIXTURES / f"{code}.spun.md", FIXTURES / f"{code}.clean.md"
    assert spun.is_file() and clean.is_file(), f"{code} needs {spun.name} and {clean.name}"
    assert any(e[1] == code for e in expectations(spun)), f"{spun.name} expects no {code}"


def test_every_subpackage_is_listed_for_the_wheel() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "spinlint").rglob("__init__.py")}
    assert found <= listed, f"missing from pyproject packages: {sorted(found - listed)}"


def test_readme_rule_table_is_generated_from_the_rules() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_rule_table.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


def test_messages_and_evidence_are_one_line() -> None:
    from spinlint.model import Span
    from spinlint.rule import Rule

    class Quoting(Rule):
        code, name = "ZZ001", "quoting"

    d = Quoting().diagnostic(
        Span(0, 5), "'Joined\nCountries' is odd", confidence=0.5, evidence=[("found", "a\n b")]
    )
    assert d.message == "'Joined Countries' is odd"
    assert d.evidence == (("found", "a b"),)
