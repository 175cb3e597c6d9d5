"""Lint a batch of documents with one tool in a fresh process, timing every document.

``python benchmarks/worker.py JOB.json OUT.json``.  Run as a subprocess (through
benchmarks/measure.py) so that its peak memory and its start-up belong to that tool alone.
Start-up (imports, rule loading, the spaCy pipeline) is paid on a warm-up document and
reported apart; the per-document times cover linting only, with spinlint's cache off.

The job file: ``{"tool": "spinlint" | "proselint", "ignore": [codes], "deep": bool, "docs":
[{"id", "name", "text"}], "timed_ids": [ids]}`` (``deep``: spinlint with ``--deep``); for
spinlint the time spent in each rule's check is summed over the ``timed_ids`` documents.  The
output: per document its word count (spinlint's prose word count, the same for both tools),
wall and CPU seconds and findings.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spinlint.runner import Options

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "bench.toml")  # an empty configuration: defaults, never the repo's
# Start-up: one page through every rule (the lexicon tables' first loads), then the spaCy
# pipeline (``load_pipeline``).  The last sentence is COL001's documented example.
WARMUP = (
    "The committee met on Tuesday to review the budget. Officials said the plan, which was\n"
    "first proposed last year, would be put to a vote in March after a public consultation.\n"
    "The clinic treats many heart assaults every winter.\n"
)

# words, findings, and the document figures: density, the detector's score and the verdict
Linter = Callable[[str, str], tuple[int, list[dict[str, Any]], dict[str, Any]]]


def time_rules(timing: dict[str, float]) -> None:
    """Wrap each rule's ``check`` so the time spent in it adds to ``timing[code]`` while
    ``timing["__on__"]`` is set.  A spaCy parse shared by several rules is charged to the
    first rule that asks for it."""
    from spinlint.runner import engine_for

    for rule in engine_for(()).rules:
        original = rule.check

        def timed(doc: Any, _check: Any = original, _code: str = rule.code) -> list[Any]:
            t0 = time.perf_counter()
            out = list(_check(doc))
            if timing.get("__on__"):
                timing[_code] = timing.get(_code, 0.0) + time.perf_counter() - t0
            return out

        rule.check = timed  # type: ignore[method-assign]


def spinlint_options(ignore: list[str], deep: bool = False) -> Options:
    from spinlint.runner import Options

    return Options(use_cache=False, ignore=tuple(ignore), config_path=CONFIG, deep=deep)


def spinlint_linter(ignore: list[str], deep: bool = False) -> Linter:
    from spinlint.runner import lint_file
    from spinlint.verdict import density, paragraph_summaries, verdict

    options = spinlint_options(ignore, deep)

    def lint(name: str, text: str) -> tuple[int, list[dict[str, Any]], dict[str, Any]]:
        result = lint_file(os.path.join(HERE, ".data", name), options, data=text.encode("utf-8"))
        if result.error:
            raise RuntimeError(result.error)
        if deep and not result.deep:  # asked for, but the deep pass did not decide: say why
            raise RuntimeError(f"the deep pass did not run: {result.notice or 'the deep extra is missing'}")
        out = []
        for d in result.diagnostics:
            if d.fix is not None:
                edits = [[e.span.start, e.span.end, e.content] for e in d.fix.edits]
            elif d.suggestions:
                edits = [[d.span.start, d.span.end, d.suggestions[0]]]
            else:
                edits = []
            out.append(
                {
                    "start": d.span.start,
                    "end": d.span.end,
                    "code": d.code,
                    "edits": edits,
                    "confidence": d.confidence,
                    "pass": d.found_by,
                }
            )
        paras = paragraph_summaries(result)
        figures = {
            "density": density(result),
            "score": result.score,
            "verdict": verdict(result),
            "paragraphs": [p["verdict"] for p in paras],
            # the same paragraphs' first and last lines (1-based) and P(paragraph spun): the
            # partly spun documents' figures (``detection.mixed``) label them by line
            "paragraph_spans": [[p["line"], p["end_line"], p["score"]] for p in paras],
        }
        return result.words, out, figures

    return lint


def load_pipeline(ignore: list[str], deep: bool) -> bool:
    """Load the spaCy pipeline the enabled rules need, as the first file that asks for a
    parse would: part of start-up, not of the first timed document that needs a parse (the
    warm-up text raises no candidate that does since the detector decides first).  Whether
    a pipeline is loaded."""
    from spinlint import nlp
    from spinlint.config import load_file
    from spinlint.runner import engine_for

    config = load_file(Path(CONFIG))
    options = spinlint_options(ignore, deep)
    engine = engine_for(config.packs)
    loader, _ = engine.pipeline(engine.enabled(config, options))
    if loader is not None:
        loader()
    return nlp.load.cache_info().currsize > 0


def prose_of(name: str, text: str) -> tuple[str, int]:
    """The prose spinlint sees, for a tool that reads plain text only, and its word count.

    spinlint masks markup with spaces (keeping offsets); where it masked anything (HTML,
    Markdown), runs of spaces are collapsed, or proselint would charge the masking to the
    text as double spaces.  Plain text passes unchanged, so offsets into it stay exact.
    """
    import re

    from spinlint.document import WORD
    from spinlint.sources import decode, extract

    prose = extract(decode(name, text.encode("utf-8"))).text
    words = sum(1 for _ in WORD.finditer(prose))
    if prose != text:
        prose = re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n\n", re.sub(r"[ \t]{2,}", " ", prose))
    return prose, words


def proselint_linter() -> Linter:
    from proselint.checks import __register__
    from proselint.registry import CheckRegistry
    from proselint.tools import LintFile

    CheckRegistry().register_many(__register__)

    def lint(name: str, text: str) -> tuple[int, list[dict[str, Any]], dict[str, Any]]:
        out = []
        for r in LintFile(name, text).lint():
            c = r.check_result
            start, end = c.span[0] - 1, c.span[1] - 1  # proselint pads the text with "\n"
            rep = c.replacements
            if isinstance(rep, (list, tuple)):
                rep = rep[0] if rep else None
            edits = [[start, end, rep]] if isinstance(rep, str) else []
            out.append({"start": start, "end": end, "code": c.check_path, "edits": edits, "confidence": 1.0})
        return -1, out, {}

    return lint


def main(job_path: str, out_path: str) -> int:
    with open(job_path, encoding="utf-8") as fh:
        job = json.load(fh)
    t0 = time.perf_counter()
    tool = job["tool"]
    if tool == "spinlint":
        lint = spinlint_linter(job.get("ignore", []), bool(job.get("deep")))
    else:
        lint = proselint_linter()
    lint("warmup.txt", WARMUP)
    pipeline_loaded = None
    if tool == "spinlint":
        pipeline_loaded = load_pipeline(job.get("ignore", []), bool(job.get("deep")))
    startup = time.perf_counter() - t0
    timing: dict[str, float] = {}
    timed_ids = set(job.get("timed_ids", ()))
    if tool == "spinlint":
        time_rules(timing)
    results = []
    for doc in job["docs"]:
        timing["__on__"] = float(doc["id"] in timed_ids)
        text = doc["text"]
        words = -1
        if tool != "spinlint":
            text, words = prose_of(doc["name"], text)
        w0, c0 = time.perf_counter(), time.process_time()
        error = None
        try:
            n, findings, figures = lint(doc["name"], text)
        except Exception as exc:  # a rule that crashes must not hide the other figures
            error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}"
            n, findings, figures = prose_of(doc["name"], text)[1], [], {}
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        results.append(
            {
                "id": doc["id"],
                "words": n if n >= 0 else words,
                "wall": wall,
                "cpu": cpu,
                "findings": findings,
                "density": figures.get("density"),
                "score": figures.get("score"),
                "verdict": figures.get("verdict"),
                "paragraphs": figures.get("paragraphs"),
                "paragraph_spans": figures.get("paragraph_spans"),
                "error": error,
            }
        )
    rules: list[str] = []
    if tool == "spinlint":
        from spinlint.runner import engine_for

        rules = [r.code for r in engine_for(()).rules]
    with open(out_path, "w", encoding="utf-8") as fh:
        timing.pop("__on__", None)
        json.dump(
            {
                "tool": tool,
                "startup": startup,
                "pipeline_loaded_in_startup": pipeline_loaded,
                "rules": rules,
                "rule_seconds": timing,
                "results": results,
            },
            fh,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
