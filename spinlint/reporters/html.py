"""``--format html``: one self-contained reviewer report (inline CSS and JS, no network).

The page has an overview table of files sorted by spin density with verdict badges, a legend
of rule families, and per file: the per-rule counts, a per-paragraph density strip and the
source text with every flagged span highlighted.  A side panel shows the message, evidence
and suggested original of the span under the pointer (or keyboard focus).

Design choices, for large inputs (a 300-page thesis) and hostile ones:

* Everything is built here, server-side: the text arrives as finished ``<mark>`` markup, the
  panel content of each diagnostic as an inert ``<template>``.  The script only copies a
  template into the panel, through one delegated listener; it never builds HTML from strings.
* Every piece of text (source, file names, messages, evidence) goes through ``html.escape``.
  A Content-Security-Policy allows no network at all and only this page's own script (by
  hash), so even an escaping bug could not run injected script or fetch anything.
* Overlapping spans are nested when they nest and split when they cross; the pieces of one
  diagnostic share ``data-d`` so the panel and the selection treat them as one.
* Families are told apart by colour (Okabe-Ito, safe for colour-blind readers), underline
  style and a letter tag, never by colour alone.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple, TextIO

from spinlint import verdict as verdict_mod
from spinlint.document import WORD
from spinlint.model import Diagnostic
from spinlint.reporters import Context
from spinlint.runner import FileResult
from spinlint.serialize import rule_url
from spinlint.sources import SourceFile, extract


class Family(NamedTuple):
    key: str  # CSS class suffix
    label: str
    letter: str
    colour: str
    underline: str  # CSS text-decoration-style
    lines: str = "underline"  # CSS text-decoration-line


# Code prefix -> family.  Colours: the Okabe-Ito palette; styles differ too, so that no
# family depends on colour vision.
FAMILIES: dict[str, Family] = {
    "GLT": Family("GLT", "glitch", "G", "#D55E00", "solid"),
    "COL": Family("COL", "collocation", "C", "#0072B2", "double"),
    "IDM": Family("IDM", "idiom", "I", "#009E73", "dotted"),
    "ENT": Family("ENT", "entity", "E", "#CC79A7", "dashed"),
    "LEX": Family("LEX", "lexical", "L", "#E69F00", "wavy"),
    "TPF": Family("TPF", "tortured-phrase pack", "T", "#56B4E9", "solid", "underline overline"),
    "SPN": Family("SPN", "detector", "S", "#000000", "dashed", "underline overline"),
}
OTHER = Family("other", "other", "O", "#666666", "dotted", "underline overline")
ALL_FAMILIES = (*FAMILIES.values(), OTHER)

# A paragraph ends at a blank line; a block with no blank lines (plain text with one line per
# paragraph) is cut every MAX_PARAGRAPH_LINES lines so the density strip stays informative.
BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
MAX_PARAGRAPH_LINES = 40

SCRIPT = """(()=>{
const panel=document.getElementById("panel-body");let sel=[];
function show(t){
 const m=t instanceof Element?t.closest("mark[data-d]"):null;if(!m)return;
 const ids=[];for(let e=m;e;e=e.parentElement&&e.parentElement.closest("mark[data-d]"))
  if(!ids.includes(e.dataset.d))ids.push(e.dataset.d);
 panel.replaceChildren(...ids.map(id=>document.getElementById(id).content.cloneNode(true)));
 sel.forEach(x=>x.classList.remove("sel"));
 sel=[...document.querySelectorAll('mark[data-d="'+ids[0]+'"]')];
 sel.forEach(x=>x.classList.add("sel"));}
for(const ev of ["mouseover","click","focusin"])document.addEventListener(ev,e=>show(e.target));
})();"""


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def family(code: str) -> Family:
    return FAMILIES.get(code[:-3], OTHER)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


# -- the text with highlighted spans ------------------------------------------------------


@dataclass
class _Item:
    """One interval to wrap: a diagnostic's mark, or a run of non-prose characters."""

    start: int
    end: int
    open: str
    open_cont: str  # the opening tag of a piece that is split off and continues later
    close: str


def wrap(text: str, start: int, end: int, items: list[_Item]) -> str:
    """``text[start:end]`` escaped, with each item's tags around its range.

    Items that nest are nested; where two cross, the inner one is closed and reopened, so
    the markup is always well formed.  Pieces that continue later use ``open_cont`` (no
    letter tag), so each diagnostic shows its tag once, after its last piece.
    """
    items = sorted(items, key=lambda it: (it.start, -it.end))
    out: list[str] = []
    stack: list[tuple[_Item, int]] = []  # open items and the index of their opening tag
    pos, i = start, 0
    while True:
        next_start = items[i].start if i < len(items) else None
        next_end = min((it.end for it, _ in stack), default=None)
        if next_start is None and next_end is None:
            break
        p = min(x for x in (next_start, next_end) if x is not None)
        out.append(html.escape(text[pos:p], quote=False))
        pos = p
        if next_end == p:
            k = next(n for n, (it, _) in enumerate(stack) if it.end == p)
            popped = stack[k:]
            del stack[k:]
            for it, _ in reversed(popped):
                out.append(it.close)
            for it, at in popped:
                if it.end != p:
                    out[at] = it.open_cont
                    stack.append((it, len(out)))
                    out.append(it.open)
        while i < len(items) and items[i].start == p:
            it = items[i]
            i += 1
            if it.end == p:
                out.append(it.open + it.close)
            else:
                stack.append((it, len(out)))
                out.append(it.open)
    out.append(html.escape(text[pos:end], quote=False))
    return "".join(out)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-blank blocks ``(start, end)`` of ``text``, split at blank lines (and every
    ``MAX_PARAGRAPH_LINES`` lines), with surrounding whitespace left out."""
    out: list[tuple[int, int]] = []
    pos = 0
    for sep in [*BLANK_LINE.finditer(text), None]:
        stop = sep.start() if sep else len(text)
        block = text[pos:stop]
        left = len(block) - len(block.lstrip())
        right = len(block.rstrip())
        if right > left:
            lines = block[left:right].split("\n")
            at = pos + left
            for n in range(0, len(lines), MAX_PARAGRAPH_LINES):
                chunk = "\n".join(lines[n : n + MAX_PARAGRAPH_LINES])
                s = at + len(chunk) - len(chunk.lstrip())
                e = at + len(chunk.rstrip())
                if e > s:
                    out.append((s, e))
                at += len(chunk) + 1
        if sep:
            pos = sep.end()
    return out


def _nonprose_runs(text: str, prose: str) -> Iterable[tuple[int, int]]:
    """Runs of source characters the reader masked (markup, code, URLs), to dim them."""
    for m in re.finditer(r"[ \t]+", prose):
        chunk = text[m.start() : m.end()]
        if chunk.isspace():
            continue
        left = len(chunk) - len(chunk.lstrip())
        yield m.start() + left, m.start() + len(chunk.rstrip())


# -- page pieces --------------------------------------------------------------------------


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _badge(v: str) -> str:
    icon = {"clean": "✓", "suspicious": "?", "likely-spun": "!"}[v]
    return f'<span class="badge v-{v}"><span aria-hidden="true">{icon}</span> {v}</span>'


def _template(dom_id: str, source: SourceFile, d: Diagnostic, url: str | None) -> str:
    fam = family(d.code)
    loc = source.location(d.span.start)
    flagged = source.text[d.span.start : d.span.end]
    parts = [
        f'<template id="{dom_id}"><article class="diag f-{fam.key}">',
        f'<h3><span class="tag">{fam.letter}</span> <span class="code">{esc(d.code)}</span> '
        f'<span class="rule">{esc(d.rule)}</span></h3>',
        f'<p class="where">{esc(source.path)}:{loc.row}:{loc.column} · {fam.label} · '
        f"{esc(d.severity.value)} · confidence {d.confidence:.2f}</p>",
        f'<p class="flagged">Flagged: <q>{esc(flagged)}</q></p>',
        f'<p class="msg">{esc(d.message)}</p>',
    ]
    if d.suggestions:
        parts.append(f'<p class="sugg">Suggested original: <strong>{esc(d.suggestions[0])}</strong>')
        if len(d.suggestions) > 1:
            parts.append(" (also: " + ", ".join(f"<q>{esc(s)}</q>" for s in d.suggestions[1:6]) + ")")
        parts.append("</p>")
    if d.fix is not None:
        parts.append(f'<p class="fix">Fix ({esc(d.fix.applicability.value)}): {esc(d.fix.message)}</p>')
    if d.evidence:
        rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in d.evidence)
        parts.append(f'<dl class="evidence">{rows}</dl>')
    if url:
        parts.append(
            f'<p class="docs"><a href="{esc(url)}" rel="noopener noreferrer">Rule documentation</a></p>'
        )
    else:
        parts.append(f'<p class="docs">Documentation: <code>spinlint rule {esc(d.code)}</code></p>')
    parts.append("</article></template>")
    return "".join(parts)


def _band(dens: float, marks: int) -> str:
    if not marks:
        return "b0"
    if dens >= verdict_mod.LIKELY_SPUN:
        return "b3"
    if dens >= verdict_mod.SUSPICIOUS:
        return "b2"
    return "b1"


@dataclass
class _FileView:
    index: int
    result: FileResult
    source: SourceFile
    density: float
    verdict: str


def _file_section(view: _FileView, first_id: int, ctx: Context) -> tuple[str, list[str]]:
    """The section for one file and the panel templates of its diagnostics."""
    r, src, fi = view.result, view.source, view.index
    text = src.text
    prose = extract(src).text
    paras = paragraphs(text)
    starts = [s for s, _ in paras]
    items: list[list[_Item]] = [[] for _ in paras]
    marks = [0] * len(paras)
    weight = [0.0] * len(paras)
    templates: list[str] = []

    def para_of(offset: int) -> int:
        return max(bisect.bisect_right(starts, offset) - 1, 0)

    for n, d in enumerate(r.diagnostics):
        dom_id = f"d{first_id + n}"
        templates.append(_template(dom_id, src, d, rule_url(d.code, ctx.owners.get(d.code))))
        fam = family(d.code)
        title = esc(f"{d.code} {d.rule}: {d.message}")
        attrs = f'data-d="{dom_id}" tabindex="0" title="{title}"'
        open_ = f'<mark class="f-{fam.key}" {attrs}>'
        open_cont = f'<mark class="f-{fam.key} cont" {attrs}>'
        home = para_of(d.span.start)
        if paras:
            marks[home] += 1
            weight[home] += d.confidence
        placed = False
        for p in range(home, len(paras)):
            s, e = paras[p]
            if s >= d.span.end:
                break
            lo, hi = max(d.span.start, s), min(d.span.end, e)
            if lo < hi:
                items[p].append(_Item(lo, hi, open_, open_cont, "</mark>"))
                placed = True
        if not placed and paras:  # an empty span, or one on whitespace between paragraphs
            s, e = paras[home]
            at = min(max(d.span.start, s), e)
            items[home].append(_Item(at, at, open_, open_, "</mark>"))
    for s, e in _nonprose_runs(text, prose):
        p = para_of(s)
        if paras and paras[p][0] <= s and e <= paras[p][1]:
            items[p].append(_Item(s, e, '<span class="np">', '<span class="np">', "</span>"))

    body: list[str] = []
    cells: list[str] = []
    rows = [src.location(s).row for s, _ in paras]
    for p, (s, e) in enumerate(paras):
        row = rows[p]
        words = sum(1 for _ in WORD.finditer(prose, s, e))
        dens = verdict_mod.density_of(weight[p], words)
        pid = f"f{fi}-p{p}"
        body.append(f'<p class="para" id="{pid}" data-line="{row}">{wrap(text, s, e, items[p])}</p>')
        band = _band(dens, marks[p])
        tip = f"¶{p + 1} (line {row}): {words} words, {marks[p]} marks, density {dens:.1f}"
        cells.append(
            f'<a class="cell {band}" href="#{pid}" style="flex-grow:{max(words, 1)}" title="{tip}"></a>'
        )

    counts = Counter((d.code, d.rule) for d in r.diagnostics)
    weights: dict[str, float] = {}
    for d in r.diagnostics:
        weights.setdefault(d.code, 0.0)
        weights[d.code] += d.confidence
    rule_rows = "".join(
        f'<tr><td><span class="tag f-{family(code).key}">{family(code).letter}</span> {esc(code)}</td>'
        f"<td>{esc(rule)}</td><td class=num>{n}</td><td class=num>{weights[code]:.2f}</td></tr>"
        for (code, rule), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    rules_table = (
        '<table class="rules"><thead><tr><th>Code</th><th>Rule</th><th class=num>Count</th>'
        f"<th class=num>Σ confidence</th></tr></thead><tbody>{rule_rows}</tbody></table>"
        if rule_rows
        else '<p class="none">No diagnostics.</p>'
    )
    score = "" if r.score is None else f" · P(spun) {r.score:.2f} ({'deep' if r.deep else 'default'} pass)"
    spun_items = []
    for para in verdict_mod.paragraph_summaries(r):
        if para["verdict"] == "clean":
            continue
        at = max(bisect.bisect_right(rows, para["line"]) - 1, 0)  # the page paragraph holding it
        spun_items.append(
            f'<li><a href="#f{fi}-p{at}">{verdict_mod.paragraph_lines(para, "–")}</a>: '
            f"{esc(para['verdict'])}, P(spun) {para['score']:.2f}</li>"
        )
    spun_list = (
        f'<details class="paras"><summary>{_count(len(spun_items), "paragraph")} judged spun</summary>'
        f"<ul>{''.join(spun_items)}</ul></details>"
        if spun_items
        else ""
    )
    section = (
        f'<section class="file" id="file-{fi}"><h2>{esc(src.path)} {_badge(view.verdict)}</h2>'
        f'<p class="figures">{_count(r.words, "word")} · {_count(len(r.diagnostics), "diagnostic")} · '
        f"density {view.density:.2f} per 1,000 words{score}</p>"
        f"{spun_list}"
        f"{rules_table}"
        f'<div class="strip" role="img" aria-label="Spin density per paragraph">{"".join(cells)}</div>'
        f'<div class="text">{"".join(body)}</div></section>'
    )
    return section, templates


def _legend(counts: Counter[str]) -> str:
    items = "".join(
        f'<li><mark class="f-{f.key} sample">{f.label}</mark> <span class="count">{counts[f.key]}</span></li>'
        for f in ALL_FAMILIES
    )
    bands = (
        '<li><span class="cell b0"></span> no marks</li>'
        f'<li><span class="cell b1"></span> below {verdict_mod.SUSPICIOUS:g}</li>'
        f'<li><span class="cell b2"></span> ≥ {verdict_mod.SUSPICIOUS:g}</li>'
        f'<li><span class="cell b3"></span> ≥ {verdict_mod.LIKELY_SPUN:g} (hatched)</li>'
    )
    return (
        '<section class="legend" aria-label="Legend"><h2>Legend</h2>'
        f'<ul class="families">{items}</ul>'
        "<p>Each highlight carries its family letter; dimmed text is markup or code that was not "
        "checked. Hover, click or tab to a highlight to see why it was flagged.</p>"
        "<p>Density strip, one cell per paragraph (width = words), by density per 1,000 words:</p>"
        f'<ul class="bands">{bands}</ul>'
        "</section>"
    )


CSS_FAMILIES = "".join(
    f"mark.f-{f.key}{{text-decoration-line:{f.lines};text-decoration-style:{f.underline}}}"
    f".f-{f.key}{{--c:{f.colour}}}"
    f'mark.f-{f.key}:not(.cont):not(.sample)::after{{content:"{f.letter}"}}'
    for f in ALL_FAMILIES
)

CSS = (
    """
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;
 display:grid;grid-template-columns:minmax(0,1fr) 24rem}
main{padding:1rem 2rem;min-width:0}
aside{position:sticky;top:0;height:100vh;overflow:auto;border-left:1px solid #ccc;
 background:#f7f7f7;padding:1rem}
@media (max-width:900px){body{display:block}aside{position:fixed;bottom:0;left:0;right:0;top:auto;
 height:35vh;border-left:0;border-top:1px solid #ccc}main{padding-bottom:36vh}}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
h3{font-size:1rem;margin:0 0 .3rem}
table{border-collapse:collapse;margin:.5rem 0}
th,td{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left}
.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:0 .5rem;border-radius:.8rem;font-size:.85rem;font-weight:600;
 border:1px solid;white-space:nowrap;vertical-align:middle}
.v-clean{background:#e6f4ea;color:#135c2b;border-color:#135c2b}
.v-suspicious{background:#fff4d6;color:#6b4a00;border-color:#6b4a00}
.v-likely-spun{background:#fde2e1;color:#8a1c14;border-color:#8a1c14}
.figures,.where,.none{color:#555}
mark{background:color-mix(in srgb,var(--c) 18%,transparent);color:inherit;
 text-decoration-color:var(--c);text-decoration-thickness:2px;
 text-underline-offset:3px;cursor:pointer;border-radius:2px}
mark::after{font-size:.65em;vertical-align:super;font-weight:700;color:var(--c);margin-left:1px}
mark.sel{outline:2px solid var(--c);outline-offset:1px}
mark:focus{outline:2px solid #000}
.tag{display:inline-block;min-width:1.3em;text-align:center;font-weight:700;font-size:.8em;
 color:#fff;background:var(--c);border-radius:3px}
.diag .tag{background:var(--c)}
.text{border-top:1px solid #ddd;margin-top:1rem}
.para{white-space:pre-wrap;overflow-wrap:anywhere;margin:.8rem 0 .8rem 3.5rem;position:relative}
.para::before{content:attr(data-line);position:absolute;left:-3.5rem;width:3rem;text-align:right;
 color:#999;font-size:.8em;font-variant-numeric:tabular-nums}
.np{color:#8a8a8a}
.strip{display:flex;flex-wrap:wrap;height:1.1rem;margin:.5rem 0;border:1px solid #bbb;overflow:hidden}
.cell{display:inline-block;min-width:2px;height:1.1rem;box-shadow:inset -1px 0 #fff}
.bands .cell{width:1.5rem;border:1px solid #bbb;vertical-align:middle}
.b0{background:#fff}.b1{background:#fde9b8}.b2{background:#f0a33a}
.b3{background:repeating-linear-gradient(45deg,#b2182b 0 4px,#6e0d17 4px 7px)}
.legend ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}
.legend .count{color:#555;font-size:.85em}
.diag{border-bottom:1px solid #ccc;padding:.5rem 0}
.diag p{margin:.25rem 0}.msg{font-weight:500}
.evidence{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .6rem;margin:.3rem 0;font-size:.9em}
.evidence dt{font-weight:600}.evidence dd{margin:0}
.hint{color:#555}
footer{color:#666;font-size:.85em;margin:2rem 0}
"""
    + CSS_FAMILIES
)


def report(results: list[FileResult], out: TextIO, ctx: Context) -> None:
    views = [
        _FileView(n, r, r.source, verdict_mod.density(r), verdict_mod.verdict(r))
        for n, r in enumerate(results)
        if r.source is not None
    ]
    views.sort(key=lambda v: (-v.density, v.source.path))
    for n, v in enumerate(views):
        v.index = n
    sections: list[str] = []
    templates: list[str] = []
    next_id = 0
    for v in views:
        section, tpls = _file_section(v, next_id, ctx)
        next_id += len(tpls)
        sections.append(section)
        templates.extend(tpls)

    fam_counts = Counter(family(d.code).key for v in views for d in v.result.diagnostics)
    verdicts = Counter(v.verdict for v in views)
    rows = "".join(
        f'<tr><td><a href="#file-{v.index}">{esc(v.source.path)}</a></td><td>{_badge(v.verdict)}</td>'
        f"<td class=num>{'–' if v.result.score is None else f'{v.result.score:.2f}'}</td>"
        f"<td class=num>{v.density:.2f}</td><td class=num>{v.result.words}</td>"
        f"<td class=num>{len(v.result.diagnostics)}</td><td>"
        + " ".join(
            f'<span class="tag f-{f.key}" title="{f.label}">{f.letter}</span>{n}'
            for f in ALL_FAMILIES
            if (n := sum(1 for d in v.result.diagnostics if family(d.code) == f))
        )
        + "</td></tr>"
        for v in views
    )
    words = sum(v.result.words for v in views)
    total = sum(len(v.result.diagnostics) for v in views)
    summary = ", ".join(f"{verdicts[k]} {k}" for k in verdict_mod.VERDICTS)
    version = f" {esc(ctx.version)}" if ctx.version else ""
    out.write(
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_csp()}">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>spinlint report</title><style>{CSS}</style></head><body>"
        "<main>"
        f"<h1>spinlint report</h1>"
        f'<p class="figures">{_count(len(views), "file")} · {_count(words, "word")} · '
        f"{_count(total, 'diagnostic')} · {summary}</p>"
        '<table class="overview"><thead><tr><th>File</th><th>Verdict</th><th class=num>P(spun)</th>'
        "<th class=num>Density</th><th class=num>Words</th><th class=num>Diagnostics</th>"
        f"<th>Families</th></tr></thead><tbody>{rows}</tbody></table>"
        f"{_legend(fam_counts)}"
        f"{''.join(sections)}"
        f"<footer>Verdict: from the detector's P(spun) when it scored the file (thresholds fitted "
        f"with the model; a paragraph is judged spun when its file is and its own P(spun) reaches "
        f"{verdict_mod.paragraph_bar(any(r.deep for r in results)):g}), else from the density, "
        "the sum of diagnostic confidences "
        f"per 1,000 words: suspicious at density ≥ {verdict_mod.SUSPICIOUS:g} with confidence sum ≥ "
        f"{verdict_mod.MIN_MASS_SUSPICIOUS:g}; likely-spun at density ≥ {verdict_mod.LIKELY_SPUN:g} "
        f"with confidence sum ≥ {verdict_mod.MIN_MASS_LIKELY_SPUN:g}. "
        f"Generated by spinlint{version}.</footer>"
        "</main>"
        '<aside id="panel" aria-live="polite"><h2>Details</h2><div id="panel-body">'
        '<p class="hint">Hover, click or tab to a highlighted span to see the message, the evidence '
        "and the suggested original.</p></div></aside>"
        f"<div hidden>{''.join(templates)}</div>"
        f"<script>{SCRIPT}</script></body></html>\n"
    )
