"""A third-party plugin installed with pip and a user rule pack run beside the built-ins;
broken plugins and packs are reported with ``package[entry]`` / ``file:line``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from spinlint.packs import PackError, load_pack
from tests.conftest import run_cli

PLUGIN_PYPROJECT = """
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "spinlint-shouty"
version = "1.0"

[project.entry-points."spinlint.plugins"]
{entry} = "spinlint_shouty:plugin"
"""

PLUGIN_MODULE = '''
from __future__ import annotations
import re
from spinlint.rule import Plugin, Rule


class Shouting(Rule):
    """Shouting (a word in capitals with an exclamation mark).

    ## What it does
    Flags WORDS! written in capitals and followed by an exclamation mark.

    ## Why it matters
    A test plugin.

    ## Example
    BUY NOW!

    ## Use instead
    Buy now.

    ## Fix safety
    Unsafe.

    ## References
    None.
    """

    code = "{code}"
    name = "shouting"

    def check(self, doc):
        for m in re.finditer(r"\\b[A-Z]{{3,}}!", doc.prose):
            yield self.diagnostic(
                __import__("spinlint.model", fromlist=["Span"]).Span(m.start(), m.end()),
                "Shouting", confidence=0.5, suggestions=[m.group().capitalize()])


plugin = Plugin(prefix="{prefix}", rules=[Shouting])
'''


def _install_plugin(
    tmp_path: Path, entry: str = "SHT", prefix: str = "SHT", code: str = "SHT001"
) -> dict[str, str]:
    src = tmp_path / "plugin-src"
    src.mkdir()
    (src / "pyproject.toml").write_text(PLUGIN_PYPROJECT.format(entry=entry))
    (src / "spinlint_shouty.py").write_text(PLUGIN_MODULE.format(code=code, prefix=prefix))
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(src),
        ],
        check=True,
        capture_output=True,
    )
    return {"PYTHONPATH": os.pathsep.join([str(target), os.environ.get("PYTHONPATH", "")])}


PACK_YAML = """\
schema_version: 1
name: house-style
prefix: HSE
description: Our newsroom's banned phrases.
source: written for this test
license: CC0
rules:
  - code: HSE001
    name: banned-phrase
    kind: substitution
    message: "'{match}' is banned here; write '{replacement}'"
    confidence: 0.6
    lexicon: phrases.tsv
    columns: [pattern, replacement, requires, excludes, note]
"""


def _write_pack(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(PACK_YAML)
    (folder / "phrases.tsv").write_text(
        "pattern\treplacement\trequires\texcludes\tnote\n"
        "utilise\tuse\t\t\tplain words\n"
        "going forward\tfrom now on\tmeeting\t\tonly in meeting notes\n"
        "synergy\tcooperation\t\tbiology\tnot in science\n"
    )


def test_third_party_plugin_and_user_pack_run_beside_builtins(tmp_path: Path) -> None:
    env = _install_plugin(tmp_path)
    _write_pack(tmp_path / "packs" / "house")
    (tmp_path / "spinlint.toml").write_text('packs = ["packs/house"]\n')
    doc = tmp_path / "doc.md"
    doc.write_text("BUY NOW! We utilise a Kremlin- backed synergy going forward.\n")
    proc = run_cli("--format", "json", "--no-cache", str(doc), env=env, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    codes = sorted(d["code"] for d in json.loads(proc.stdout))
    # the plugin, the pack (utilise, synergy; "going forward" needs "meeting") and a built-in
    assert codes == ["GLT001", "HSE001", "HSE001", "SHT001"]
    rules = run_cli("rules", "--format", "json", env=env, cwd=tmp_path)
    listed = {r["code"]: r["plugin"] for r in json.loads(rules.stdout)}
    assert listed["SHT001"] == "spinlint-shouty[SHT]"
    assert listed["GLT001"] == "spinlint[GLT]"


def test_pack_context_terms(tmp_path: Path) -> None:
    _write_pack(tmp_path / "house")
    (tmp_path / "spinlint.toml").write_text('packs = ["house"]\n')
    doc = tmp_path / "notes.md"
    doc.write_text("Meeting notes: going forward we cut costs. Biology shows synergy.\n")
    proc = run_cli("--format", "json", "--no-cache", "--select", "HSE", str(doc), cwd=tmp_path)
    found = [(d["message"], d["suggestions"]) for d in json.loads(proc.stdout)]
    assert found == [("'going forward' is banned here; write 'from now on'", ["from now on"])]


def test_plugin_with_wrong_code_prefix_is_reported_by_name(tmp_path: Path) -> None:
    env = _install_plugin(tmp_path, entry="SHT", prefix="SHT", code="XYZ001")
    doc = tmp_path / "doc.md"
    doc.write_text("A Kremlin- backed group.\n")
    proc = run_cli("--no-cache", str(doc), env=env)
    assert proc.returncode == 2
    assert "spinlint-shouty[SHT]" in proc.stderr and "XYZ001" in proc.stderr
    assert "GLT001" in proc.stdout  # the other rules still ran


@pytest.mark.parametrize(
    ("yaml_text", "line", "fragment"),
    [
        (PACK_YAML.replace("kind: substitution", "kind: substitutoin"), 10, "unknown kind"),
        (PACK_YAML.replace("confidence: 0.6", "confidense: 0.6"), 12, "unknown rule key 'confidense'"),
        (PACK_YAML.replace("schema_version: 1", "schema_version: 2"), 1, "schema_version"),
        (PACK_YAML.replace("code: HSE001", "code: HS001"), 8, "code"),
        (PACK_YAML + "colour: red\n", 15, "unknown pack key 'colour'"),
        (PACK_YAML.replace("rules:", "rules: [\n"), 0, "invalid YAML"),
    ],
)
def test_pack_typos_name_file_and_line(tmp_path: Path, yaml_text: str, line: int, fragment: str) -> None:
    _write_pack(tmp_path / "p")
    (tmp_path / "p" / "pack.yaml").write_text(yaml_text)
    with pytest.raises(PackError) as err:
        load_pack(tmp_path / "p")
    message = str(err.value)
    assert str(tmp_path / "p" / "pack.yaml") in message
    assert fragment in message
    if line:
        assert f"pack.yaml:{line}:" in message


def test_lexicon_row_error_names_tsv_line(tmp_path: Path) -> None:
    _write_pack(tmp_path / "p")
    with open(tmp_path / "p" / "phrases.tsv", "a") as fh:
        fh.write("only-two\tcolumns\n")
    with pytest.raises(PackError, match=r"phrases\.tsv:5: expected 5 columns, got 2"):
        load_pack(tmp_path / "p")


def test_broken_user_pack_does_not_stop_other_rules(tmp_path: Path) -> None:
    _write_pack(tmp_path / "house")
    (tmp_path / "house" / "pack.yaml").write_text(PACK_YAML.replace("kind: substitution", "kind: nope"))
    (tmp_path / "spinlint.toml").write_text('packs = ["house"]\n')
    doc = tmp_path / "doc.md"
    doc.write_text("A Kremlin- backed group.\n")
    proc = run_cli("--no-cache", str(doc), cwd=tmp_path)
    assert proc.returncode == 2
    assert "pack.yaml:10: unknown kind 'nope'" in proc.stderr
    assert "GLT001" in proc.stdout


def test_builtin_packs_ship_with_the_package() -> None:
    from spinlint.packs import builtin_pack_dirs

    for folder in builtin_pack_dirs():
        rules = load_pack(folder)
        assert rules and all(r.entries for r in rules)


def test_editing_a_pack_lexicon_invalidates_the_result_cache(tmp_path: Path) -> None:
    """Same row count, new content: the cache must not serve the old result."""
    _write_pack(tmp_path / "house")
    (tmp_path / "spinlint.toml").write_text('packs = ["house"]\n')
    doc = tmp_path / "doc.md"
    doc.write_text("We utilise synergy here.\n")
    cache = tmp_path / "cache"
    first = run_cli("--format", "json", "--select", "HSE", "--cache-dir", str(cache), str(doc), cwd=tmp_path)
    assert [d["suggestions"] for d in json.loads(first.stdout)] == [["use"], ["cooperation"]]
    lexicon = tmp_path / "house" / "phrases.tsv"
    lexicon.write_text(lexicon.read_text().replace("utilise\tuse", "utilise\tapply"))
    second = run_cli("--format", "json", "--select", "HSE", "--cache-dir", str(cache), str(doc), cwd=tmp_path)
    assert [d["suggestions"] for d in json.loads(second.stdout)] == [["apply"], ["cooperation"]]


def test_a_rule_that_raises_loses_no_other_finding_and_names_file_and_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As flake8 reports a plugin that raised and ruff a panic: the file's other findings are
    reported, the error names the file, the rule and the exception, the exit code says so,
    the other files are linted, and the broken result is not cached."""
    from spinlint import cli
    from spinlint.plugins.glitch.detached_hyphen import DetachedHyphen
    from spinlint.runner import Options, lint_file

    def broken(self: object, doc: object) -> object:
        raise RuntimeError("index out of range")

    monkeypatch.setattr(DetachedHyphen, "check", broken)
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("A Kremlin- backed group met. The bosom peril cases rose.\n")
    b.write_text("The bosom peril cases rose.\n")
    result = lint_file(str(a), Options(use_cache=False, select=("GLT001", "TPF001")))
    assert [d.code for d in result.diagnostics] == ["TPF001"]
    assert result.error is not None and result.incomplete
    assert result.error.startswith(f"{a}: GLT001 failed (RuntimeError: index out of range)")
    cache = tmp_path / "cache"
    argv = ["--select", "GLT001,TPF001", "--cache-dir", str(cache), "--format", "concise", str(a), str(b)]
    assert cli.main(argv) == 2
    out, err = capsys.readouterr()
    assert "a.md:1:34: TPF001" in out and "b.md:1:5: TPF001" in out
    assert "GLT001 failed (RuntimeError: index out of range)" in err
    monkeypatch.undo()  # fixed: the file is read again, not answered from the cache
    assert cli.main(argv) == 1
    out, err = capsys.readouterr()
    assert "a.md:1:3: GLT001" in out and "failed" not in err
