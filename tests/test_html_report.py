"""The HTML report: structure and escaping (always), then the real page in headless Chromium.

The documents are written here, with glitches the GLT rules flag, and linted with
``--select GLT`` semantics so rules added later cannot change what these tests look for.
Browser tests skip, with the reason, when Chromium, chromedriver or Selenium is missing.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from spinlint import verdict as verdict_mod
from spinlint.reporters import Context
from spinlint.reporters import html as html_reporter
from spinlint.runner import FileResult, Options, lint_file
from tests.conftest import run_cli

SPUN = (
    "# Talks stall\n\n"
    "A Kremlin- backed group met theUN on Monday.\n\n"
    "Officials said talks would resume next week.\n"
)
CLEAN = "# Talks resume\n\nOfficials met on Monday and agreed to resume talks next week.\n"
HOSTILE = (
    "# <b>Not bold</b>\n\n"
    'A Kremlin- backed group <script>document.title="pwned"</script> met theUN & friends.\n\n'
    "<img src=x onerror=\"document.title='pwned'\">\n"
)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _lint(path: Path) -> FileResult:
    return lint_file(str(path), Options(select=("GLT",), use_cache=False))


def _render(results: list[FileResult]) -> str:
    out = io.StringIO()
    html_reporter.report(results, out, Context(version="test"))
    return out.getvalue()


def _docs(tmp_path: Path, **texts: str) -> list[FileResult]:
    results = []
    for name, text in texts.items():
        path = tmp_path / f"{name}.md"
        path.write_text(text, encoding="utf-8")
        results.append(_lint(path))
    return results


def _glt(result: FileResult, code: str) -> tuple[str, str]:
    """The flagged text and top suggestion of the one ``code`` diagnostic in ``result``."""
    [d] = [d for d in result.diagnostics if d.code == code]
    assert result.source is not None
    return result.source.text[d.span.start : d.span.end], d.suggestions[0]


class _Balance(HTMLParser):
    """Fails on any end tag that does not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def _balanced(markup: str) -> bool:
    p = _Balance()
    p.feed(markup)
    p.close()
    return not p.errors and not p.stack


# -- structure, always -----------------------------------------------------------------------


def test_marks_badges_and_panel_templates(tmp_path: Path) -> None:
    spun, clean = _docs(tmp_path, spun=SPUN, clean=CLEAN)
    page = _render([clean, spun])
    assert _balanced(page)
    soup = BeautifulSoup(page, "html.parser")

    rows = soup.select("table.overview tbody tr")
    assert [r.a.get_text() for r in rows] == [spun.path, clean.path]  # sorted by density
    assert [r.select_one(".badge").get_text(strip=True)[1:].strip() for r in rows] == [
        verdict_mod.verdict(spun),
        verdict_mod.verdict(clean),
    ]
    assert verdict_mod.verdict(clean) == "clean"

    templates = {t["id"]: t for t in soup.select("template")}
    assert len(templates) == len(spun.diagnostics)
    for code in ("GLT001", "GLT002"):
        flagged, suggestion = _glt(spun, code)
        [mark] = [m for m in soup.select("mark[data-d]") if m.get_text() == flagged]
        assert "f-GLT" in mark["class"]
        assert mark["title"].startswith(code)
        panel = BeautifulSoup(templates[mark["data-d"]].decode_contents(), "html.parser")
        assert panel.select_one(".code").get_text() == code
        assert panel.select_one(".sugg strong").get_text() == suggestion
        assert panel.select_one(".flagged q").get_text() == flagged
    # every mark points at a template
    assert {m["data-d"] for m in soup.select("mark[data-d]")} <= set(templates)
    # per-rule counts and a strip cell per paragraph
    section = soup.select_one("#file-0")
    counts = {
        tr.td.get_text(strip=True)[1:].strip(): int(tr.select_one(".num").get_text())
        for tr in section.select("table.rules tbody tr")
    }
    assert counts == {"GLT001": 1, "GLT002": 1}
    assert len(section.select(".strip .cell")) == len(section.select("p.para")) == 3


def test_page_is_self_contained(tmp_path: Path) -> None:
    page = _render(_docs(tmp_path, spun=SPUN))
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.select("link, img, iframe, object, embed, [src]")
    [script] = soup.select("script")
    csp = soup.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    digest = base64.b64encode(hashlib.sha256(script.string.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp and "default-src 'none'" in csp
    assert script.string.count("addEventListener") == 1  # one delegated listener loop, no per-mark handlers
    assert not soup.select("[onclick], [onmouseover]")


def test_hostile_text_and_file_names_are_escaped(tmp_path: Path) -> None:
    [r] = _docs(tmp_path, **{"<i>evil&amp;": HOSTILE})
    page = _render([r])
    assert _balanced(page)
    soup = BeautifulSoup(page, "html.parser")
    assert len(soup.select("script")) == 1  # only the report's own
    assert not soup.select("img, b, i")
    assert soup.select_one("table.overview a").get_text() == r.path
    text = soup.select_one("#file-0 .text").get_text()
    assert '<script>document.title="pwned"</script>' in text
    assert "<b>Not bold</b>" in text and "theUN & friends" in text
    assert "Kremlin- backed" in [m.get_text() for m in soup.select("mark")]


def test_report_text_is_the_source(tmp_path: Path) -> None:
    """Tags stripped, each paragraph is exactly the source text of its lines."""
    [r] = _docs(tmp_path, spun=SPUN + "\n\nA *bold* move by `code` and anEU-wide panel.\r\n")
    assert r.source is not None
    soup = BeautifulSoup(_render([r]), "html.parser")
    paras = [p.get_text() for p in soup.select("p.para")]
    spans = html_reporter.paragraphs(r.source.text)
    assert paras == [r.source.text[s:e].replace("\r\n", "\n") for s, e in spans]
    assert " ".join(paras).split() == r.source.text.split()
    assert soup.select("p.para .np")  # markup the reader skipped is dimmed


# -- overlapping spans -----------------------------------------------------------------------


def _items(spans: list[tuple[int, int]]) -> list[html_reporter._Item]:
    return [
        html_reporter._Item(s, e, f'<mark data-d="d{n}">', f'<mark class="cont" data-d="d{n}">', "</mark>")
        for n, (s, e) in enumerate(spans)
    ]


def test_crossing_spans_are_split_and_nested_ones_nest() -> None:
    text = "abcdefghij"
    out = html_reporter.wrap(text, 0, len(text), _items([(1, 5), (3, 8), (4, 5)]))
    assert _balanced(out)
    soup = BeautifulSoup(out, "html.parser")
    for n, (s, e) in enumerate([(1, 5), (3, 8), (4, 5)]):
        pieces = soup.select(f'mark[data-d="d{n}"]')
        assert (
            "".join(p.get_text() for p in pieces if not p.find_parent("mark", attrs={"data-d": f"d{n}"}))
            == text[s:e]
        )
        # only the last piece is the non-continued one (it carries the letter tag)
        assert [("cont" in (p.get("class") or [])) for p in pieces] == [True] * (len(pieces) - 1) + [False]
    assert soup.get_text() == text


class _Covered(HTMLParser):
    """The text of a fragment, and the text each ``data-d`` id covers (all of its pieces)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str | None] = []
        self.text = ""
        self.by_id: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        did = dict(attrs).get("data-d")
        self.open.append(did)
        if did is not None:
            self.by_id.setdefault(did, "")

    def handle_endtag(self, tag: str) -> None:
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text += data
        for did in {d for d in self.open if d is not None}:
            self.by_id[did] += data


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="ab<&\">' \n", min_size=1, max_size=30),
    raw=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=8),
)
def test_wrap_is_always_well_formed_and_keeps_every_range(text: str, raw: list[tuple[int, int]]) -> None:
    n = len(text)
    spans = [tuple(sorted((a % (n + 1), b % (n + 1)))) for a, b in raw]
    out = html_reporter.wrap(text, 0, n, _items(spans))  # type: ignore[arg-type]
    assert _balanced(out)
    covered = _Covered()
    covered.feed(out)
    covered.close()
    assert covered.text == text
    for k, (s, e) in enumerate(spans):
        # even an empty range leaves a mark to point at, and the pieces add up to the range
        assert covered.by_id[f"d{k}"] == text[s:e]


def test_odd_spans_all_get_a_mark(tmp_path: Path) -> None:
    """Spans across paragraphs, on the blank line between them, empty ones and spans at the
    very ends of the text each leave a mark that points at their panel."""
    from spinlint.model import Diagnostic, Span
    from spinlint.sources import SourceFile

    text = "\n  First para here.\n\n\nSecond para.\n"
    gap = text.index("\n\n\n") + 1
    spans = [
        Span(text.index("here"), text.index("Second") + 6),  # across the blank lines
        Span(gap, gap + 1),  # whitespace only, between paragraphs
        Span(0, 0),  # empty, before the first paragraph
        Span(len(text), len(text)),  # empty, after the last
        Span(text.index("para."), text.index("para.")),  # empty, inside a word
    ]
    diags = [Diagnostic("GLT001", "detached-hyphen", f"m{n}", sp) for n, sp in enumerate(spans)]
    page = _render([FileResult("x.txt", SourceFile(path="x.txt", text=text), diags, words=5)])
    assert _balanced(page)
    soup = BeautifulSoup(page, "html.parser")
    marked = {m["data-d"] for m in soup.select("#file-0 mark[data-d]")}
    assert marked == {t["id"] for t in soup.select("template")} and len(marked) == len(diags)
    assert [p.get_text() for p in soup.select("p.para")] == ["First para here.", "Second para."]
    across = soup.select(f'mark[data-d="{soup.select("template")[0]["id"]}"]')
    assert [m.get_text() for m in across] == ["here.", "Second"]


def test_paragraphs_cover_all_text_and_cut_long_blocks() -> None:
    text = "  one\ntwo\n\n\n three \n" + "\n".join(f"line {i}" for i in range(95)) + "\n"
    spans = html_reporter.paragraphs(text)
    covered = " ".join(text[s:e] for s, e in spans)
    assert covered.split() == text.split()
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)
    assert max(text[s:e].count("\n") + 1 for s, e in spans) <= html_reporter.MAX_PARAGRAPH_LINES


def test_cli_writes_one_file(tmp_path: Path) -> None:
    (tmp_path / "spun.md").write_text(SPUN, encoding="utf-8")
    proc = run_cli(
        "spun.md", "--select", "GLT", "--no-cache", "--format", "html", "-o", "report.html", cwd=tmp_path
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


# -- in a real browser -----------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    driver_bin = shutil.which("chromedriver") or (CHROMEDRIVER if Path(CHROMEDRIVER).exists() else None)
    if not chromium or not driver_bin:
        pytest.skip(
            "Chromium or chromedriver not installed (Debian: apt-get install chromium chromium-driver)"
        )
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chrome-profile'}",
        "--window-size=1280,900",
    ):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(driver_bin), options=opts)
    try:
        yield driver
    finally:
        driver.quit()


def _open(driver: Any, tmp_path: Path, results: list[FileResult], name: str = "report.html") -> Path:
    page = tmp_path / name
    page.write_text(_render(results), encoding="utf-8")
    driver.get(page.as_uri())
    return page


def _panel(driver: Any) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, "panel-body")


def test_browser_report_marks_badges_and_panel(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    spun, clean = _docs(tmp_path, spun=SPUN, clean=CLEAN)
    _open(browser, tmp_path, [clean, spun])
    assert browser.title == "spinlint report"

    badges = [b.text for b in browser.find_elements(By.CSS_SELECTOR, "table.overview .badge")]
    assert [b.split()[-1] for b in badges] == [verdict_mod.verdict(spun), "clean"]

    marks = {m.text.rstrip("G"): m for m in browser.find_elements(By.CSS_SELECTOR, "#file-0 mark[data-d]")}
    hyphen, hyphen_fix = _glt(spun, "GLT001")
    glued, glued_fix = _glt(spun, "GLT002")
    assert {hyphen, glued} <= set(marks)
    mark = marks[hyphen]
    assert mark.is_displayed()
    assert mark.value_of_css_property("text-decoration-line").startswith("underline")
    # the letter tag is drawn by CSS after the mark
    tag = browser.execute_script("return getComputedStyle(arguments[0], '::after').content", mark)
    assert tag == '"G"'

    mark.click()
    panel = _panel(browser)
    assert "GLT001" in panel.text and hyphen_fix in panel.text and hyphen in panel.text
    assert "sel" in mark.get_attribute("class").split()

    ActionChains(browser).move_to_element(marks[glued]).perform()
    assert "GLT002" in panel.text and glued_fix in panel.text
    assert "GLT001" not in panel.text

    strip_cells = browser.find_elements(By.CSS_SELECTOR, "#file-0 .strip .cell")
    assert len(strip_cells) == 3 and all(c.size["width"] >= 2 for c in strip_cells)
    browser.save_screenshot(str(tmp_path / "report.png"))
    assert (tmp_path / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_browser_injected_script_does_not_run(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    [r] = _docs(tmp_path, hostile=HOSTILE)
    _open(browser, tmp_path, [r])
    time.sleep(0.2)  # an onerror handler would have fired by now
    assert browser.title == "spinlint report"
    text = browser.find_element(By.CSS_SELECTOR, "#file-0 .text").text
    assert '<script>document.title="pwned"</script>' in text
    assert not browser.find_elements(By.CSS_SELECTOR, "#file-0 .text img, #file-0 .text script")
    browser.save_screenshot(str(tmp_path / "hostile.png"))


def test_browser_large_document_stays_responsive(browser: Any, tmp_path: Path) -> None:
    """About 100k words with a glitch every ~300 words: build, load and use the panel."""
    from selenium.webdriver.common.by import By

    para = " ".join(["The committee met on Monday to review the budget for the coming year."] * 6)
    blocks = [f"{para} A state- owned firm {i} agreed." if i % 4 == 0 else para for i in range(1300)]
    path = tmp_path / "thesis.md"
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    r = _lint(path)
    assert r.words > 90_000 and len(r.diagnostics) == 325

    t0 = time.perf_counter()
    page = _render([r])
    build = time.perf_counter() - t0
    out = tmp_path / "thesis.html"
    out.write_text(page, encoding="utf-8")
    t0 = time.perf_counter()
    browser.get(out.as_uri())
    load = time.perf_counter() - t0
    marks = browser.find_elements(By.CSS_SELECTOR, "mark[data-d]")
    assert len(marks) == len(r.diagnostics)
    t0 = time.perf_counter()
    marks[-1].click()
    assert "GLT001" in _panel(browser).text
    click = time.perf_counter() - t0
    # the times are printed, never asserted (a shared machine makes any bound flaky): the test
    # asserts that a 100k-word report builds, loads whole and answers a click
    print(f"100k words: {len(page) / 1e6:.1f} MB, build {build:.2f}s, load {load:.2f}s, click {click:.2f}s")


def test_browser_overlapping_marks_show_every_diagnostic(browser: Any, tmp_path: Path) -> None:
    """Hand-made crossing and nested spans: the markup holds, the panel lists all of them."""
    from selenium.webdriver.common.by import By

    from spinlint.model import Diagnostic, Span
    from spinlint.sources import SourceFile

    text = "The flag to clamor proportion rose sharply.\n"

    def at(phrase: str) -> Span:
        return Span(text.index(phrase), text.index(phrase) + len(phrase))

    diags = [
        Diagnostic("TPF001", "tortured-phrase", "outer", at("flag to clamor proportion"), confidence=0.9),
        Diagnostic("COL101", "odd-collocation", "inner", at("clamor"), confidence=0.6),
        Diagnostic("LEX001", "odd-word", "crossing", at("proportion rose"), confidence=0.5),
    ]
    src = SourceFile(path="x.txt", text=text)
    _open(browser, tmp_path, [FileResult("x.txt", src, diags, words=7)])
    inner = next(m for m in browser.find_elements(By.CSS_SELECTOR, "#file-0 mark.f-COL"))
    inner.click()
    codes = [h.text.split()[1] for h in _panel(browser).find_elements(By.CSS_SELECTOR, "h3")]
    assert codes == ["COL101", "TPF001"]  # innermost first
    # the crossing span is split into pieces that all select together
    lex = browser.find_elements(By.CSS_SELECTOR, "#file-0 mark.f-LEX")
    assert (
        len(lex) == 2 and "".join(m.text for m in lex).replace("T", "").replace("L", "") == "proportion rose"
    )
    lex[-1].click()
    assert all("sel" in m.get_attribute("class").split() for m in lex)


def test_the_report_gives_each_files_score_and_its_paragraphs_judged_spun(tmp_path: Path) -> None:
    spun_text = (
        "Offer costs fell on Monday after the focal bank raised intrigue rates once more. Brokers "
        "said the stock showcases of Europe and Asia would stay powerless for the remainder of the week."
    )
    path = tmp_path / "story.md"
    path.write_text(f"{spun_text}\n\n{spun_text}\n", encoding="utf-8")
    r = lint_file(str(path), Options(use_cache=False))  # the detector runs: a score
    assert r.score is not None
    soup = BeautifulSoup(_render([r]), "html.parser")
    cells = [td.get_text() for td in soup.select("table.overview tbody tr td.num")]
    assert cells[0] == f"{r.score:.2f}"  # the P(spun) column
    figures = soup.select_one("#file-0 .figures").get_text()
    assert f"P(spun) {r.score:.2f} (default pass)" in figures
    reported = [p for p in verdict_mod.paragraph_summaries(r) if p["verdict"] != "clean"]
    listed = soup.select("#file-0 details.paras li")
    assert len(listed) == len(reported) > 0
    for li, p in zip(listed, reported, strict=True):
        assert f"P(spun) {p['score']:.2f}" in li.get_text()
        target = li.a["href"].lstrip("#")
        assert soup.find(id=target)["data-line"] == str(p["line"])  # the link lands on its paragraph
    # the detector's marks have a family of their own in the legend and the highlights
    spn = soup.select("mark.f-SPN[data-d]")
    assert spn and all(m["title"].startswith("SPN") for m in spn)
    assert "detector" in soup.select_one("section.legend").get_text()
