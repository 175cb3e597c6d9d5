"""``--format sarif``: a SARIF 2.1.0 log, the format GitHub code scanning (and most CI
dashboards) ingest.

One run.  ``tool.driver.rules`` lists every registered rule, sorted by code, so a rule's
``ruleIndex`` does not depend on which files happened to have findings; rules are described
from their docstrings, the same source as ``spinlint rule CODE``.  Columns are counted in
code points (``columnKind: unicodeCodePoints``), exactly like the JSON contract, and end
columns are exclusive, as SARIF defines them.  Paths are relative to the current directory
under the ``%SRCROOT%`` base id, which is what ``github/codeql-action/upload-sarif`` expects
when spinlint runs from the repository root.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from spinlint.model import Diagnostic, Span
from spinlint.reporters import Context
from spinlint.rule import DOC_SECTIONS, Rule
from spinlint.runner import FileResult
from spinlint.serialize import home_url, rule_url
from spinlint.sources import SourceFile

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
# partialFingerprints key; bump the suffix only when the hash changes (it re-opens every alert).
FINGERPRINT_KEY = "spinlint/v1"


def report(results: list[FileResult], out: TextIO, ctx: Context) -> None:
    json.dump(build(results, ctx), out, indent=2, ensure_ascii=False)
    out.write("\n")


def build(results: list[FileResult], ctx: Context, root: str | None = None) -> dict[str, Any]:
    """The whole SARIF log as a dict; ``root`` (default: the current directory) is what
    ``%SRCROOT%`` stands for."""
    from spinlint.verdict import file_summary

    base = Path(root or os.getcwd()).resolve()
    files = [r for r in results if r.source is not None]
    descriptors, index = _rules(ctx, files)
    artifacts: list[dict[str, Any]] = []
    sarif_results: list[dict[str, Any]] = []
    for r in files:
        assert r.source is not None
        artifact = _artifact_location(r.path, base)
        artifact_ref = {**artifact, "index": len(artifacts)}
        artifacts.append({"location": artifact})
        seen: Counter[tuple[str, str]] = Counter()
        for d in r.diagnostics:
            sarif_results.append(_result(r.source, d, index[d.code], artifact_ref, seen))
    driver: dict[str, Any] = {
        "name": "spinlint",
        "version": ctx.version or "0",
        "rules": descriptors,
    }
    if ctx.version:
        driver["semanticVersion"] = ctx.version
    info = home_url()
    if info:
        driver["informationUri"] = info
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {SRCROOT: {"uri": base.as_uri() + "/"}},
        "artifacts": artifacts,
        "results": sarif_results,
        "columnKind": "unicodeCodePoints",
        "properties": {"files": [file_summary(r) for r in files]},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


# -- rules ------------------------------------------------------------------------------


def _rules(ctx: Context, files: list[FileResult]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Descriptors for every registered rule, plus any code met in the results that the
    context does not know (a rule from a pack named only in a project's configuration)."""
    descriptors = [_descriptor(rule, ctx) for _, rule in sorted(ctx.rules.items())]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    for r in files:
        for d in r.diagnostics:
            if d.code not in index:
                index[d.code] = len(descriptors)
                descriptors.append(_bare_descriptor(d, ctx))
    return descriptors, index


def _descriptor(rule: Rule, ctx: Context) -> dict[str, Any]:
    docs = rule.docs()
    owner = ctx.owners.get(rule.code, "")
    present = [s for s in DOC_SECTIONS if docs.get(s)]
    title = docs.get("title", "") or rule.name
    markdown = "\n\n".join(
        [f"**{rule.code}** `{rule.name}`: {title}"] + [f"## {s}\n\n{docs[s]}" for s in present]
    )
    text = "\n\n".join([f"{rule.code} {rule.name}: {title}"] + [f"{s}:\n{docs[s]}" for s in present])
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary() or title},
        "fullDescription": {"text": " ".join(docs.get("What it does", title).split())},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVEL[rule.severity.value], "enabled": rule.default_enabled},
        "properties": {
            "plugin": owner,
            "fixable": rule.fixable,
            "needs": sorted(rule.needs),
            "tags": _tags(rule.code, rule.fixable),
        },
    }
    url = rule_url(rule.code, owner)
    if url:
        descriptor["helpUri"] = url
    return descriptor


def _bare_descriptor(d: Diagnostic, ctx: Context) -> dict[str, Any]:
    return {
        "id": d.code,
        "name": d.rule,
        "shortDescription": {"text": d.rule},
        "defaultConfiguration": {"level": LEVEL[d.severity.value]},
        "properties": {
            "plugin": ctx.owners.get(d.code, ""),
            "fixable": d.fix is not None,
            "tags": _tags(d.code, d.fix is not None),
        },
    }


def _tags(code: str, fixable: bool) -> list[str]:
    """Filterable labels: every rule is about prose; the prefix names its plugin."""
    return ["prose", code[:-3]] + (["fixable"] if fixable else [])


# -- results ----------------------------------------------------------------------------


def _artifact_location(path: str, base: Path) -> dict[str, Any]:
    """A URI relative to ``%SRCROOT%`` when the file lies under it, else an absolute file URI."""
    if path == "-":
        return {"uri": "stdin"}
    absolute = Path(path).resolve()
    try:
        relative = absolute.relative_to(base)
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": SRCROOT}


def _region(source: SourceFile, span: Span, snippet: bool = True) -> dict[str, Any]:
    start, end = source.location(span.start), source.location(span.end)
    region: dict[str, Any] = {
        "startLine": start.row,
        "startColumn": start.column,
        "endLine": end.row,
        "endColumn": end.column,
    }
    if snippet:
        region["snippet"] = {"text": source.text[span.start : span.end]}
    return region


def _result(
    source: SourceFile,
    d: Diagnostic,
    rule_index: int,
    artifact: dict[str, Any],
    seen: Counter[tuple[str, str]],
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": LEVEL[d.severity.value],
        "message": {"text": d.message},
        "locations": [
            {"physicalLocation": {"artifactLocation": artifact, "region": _region(source, d.span)}}
        ],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(artifact["uri"], source, d, seen)},
        "properties": {
            "confidence": d.confidence,
            "suggestions": list(d.suggestions),
            "pass": d.found_by,
            **({"evidence": dict(d.evidence)} if d.evidence else {}),
        },
    }
    if d.fix is not None:
        result["fixes"] = [
            {
                "description": {"text": d.fix.message},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact,
                        "replacements": [
                            {
                                "deletedRegion": _region(source, e.span, snippet=False),
                                "insertedContent": {"text": e.content},
                            }
                            for e in d.fix.edits
                        ],
                    }
                ],
                "properties": {"applicability": d.fix.applicability.value},
            }
        ]
    return result


def _fingerprint(uri: str, source: SourceFile, d: Diagnostic, seen: Counter[tuple[str, str]]) -> str:
    """Stable across runs and across edits elsewhere in the file: the file, the rule and the
    flagged text (whitespace-normalised), never the line number; repeats of the same text in
    one file are told apart by their order of appearance."""
    flagged = " ".join(source.text[d.span.start : d.span.end].split())
    key = (d.code, flagged)
    occurrence = seen[key]
    seen[key] += 1
    digest = hashlib.sha256("\x00".join((uri, d.code, flagged)).encode("utf-8")).hexdigest()[:32]
    return f"{digest}:{occurrence}"
