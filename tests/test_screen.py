"""spinlint screen: the same answers as the CLI, every document accounted for, resumable runs.

Local-engine runs happen in this process (fast); one test starts a Dask ``LocalCluster`` with
two worker processes over a JSONL and a Parquet input together.
"""

from __future__ import annotations

import io
import json
import os
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from spinlint import cli, screen  # noqa: E402

SPUN = "The bosom peril cases rose. A Kremlin- backed group said so.\n"
HONEST = "The breast cancer cases rose in the city last year, the hospital said.\n"
TEXTS = {
    "spun.txt": SPUN,
    "spun-md.md": "# Report\n\n" + SPUN + "\n> " + SPUN,
    "deep.md": "> " * 50 + "bosom peril here\n",
    "honest.txt": HONEST,
    "mac.txt": "First line.\r\r" + SPUN.replace("\n", "\r"),
    "paper.tex": "\\begin{document}\n\\section{Intro} " + SPUN + "\\end{document}\n",
}


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # records take the working directory's configuration


def jsonl(path: Path, rows: list[Any], extra_lines: tuple[str, ...] = ()) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row) + "\n")
        for line in extra_lines:
            fh.write(line + "\n")
    return path


def run(*args: str | Path) -> int:
    return screen.main([str(a) for a in args])


def table(out: Path, name: str) -> list[dict[str, Any]]:
    return pq.read_table(out / name).to_pylist()  # type: ignore[no-any-return]


def files_state(out: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(out)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


MIXED_ROWS: list[Any] = [
    {"id": "spun", "text": SPUN},
    {"id": "honest", "text": HONEST},
    {"id": "empty", "text": "  \n"},
    {"id": "no-text"},
    {"id": "number", "text": 42},
    {"id": "spun", "text": "a duplicate id"},
    {"id": 7, "filename": "x/notes.md", "text": "Some *notes* on bosom peril.\n"},
]


def check_mixed(docs: list[dict[str, Any]], source: str) -> None:
    by_source = {d["source"]: d for d in docs if d["source"].startswith(source)}
    errors = {d["id"]: d["error"] for d in by_source.values() if d["error"]}
    assert errors.pop("empty") == "empty text"
    assert errors.pop("no-text") == "missing text field 'text'"
    assert errors.pop("number") == "text field 'text' is int, not a string"
    assert errors.pop("spun").startswith("duplicate id (first at ")
    ok = {d["id"]: d for d in by_source.values() if not d["error"]}
    assert sorted(ok) == ["7", "honest", "spun"]
    assert ok["spun"]["verdict"] != "clean" and ok["spun"]["diagnostics"] >= 2
    assert ok["honest"]["verdict"] == "clean" and ok["honest"]["diagnostics"] == 0
    assert ok["7"]["format"] == "markdown" and ok["7"]["name"] == "notes.md"
    return None


# -- the same answers as the CLI -------------------------------------------------------------


def test_screen_gives_the_cli_answers(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_bytes(text.encode())
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert (
            cli.main(["--format", "json", "--summary", "--no-cache", *sorted(map(str, folder.iterdir()))])
            == 1
        )
    report = json.loads(buf.getvalue())
    expected_diags = sorted(
        (
            os.path.basename(d["filename"]),
            d["code"],
            d["location"]["row"],
            d["location"]["column"],
            d["end_location"]["row"],
            d["end_location"]["column"],
            d["message"],
        )
        for d in report["diagnostics"]
    )
    expected_files = {
        os.path.basename(f["filename"]): (f["words"], f["density"], f["verdict"]) for f in report["files"]
    }

    rows = [{"id": name, "filename": name, "text": text} for name, text in TEXTS.items()]
    for out, inputs in (("from-jsonl", [jsonl(tmp_path / "c.jsonl", rows)]), ("from-folder", [folder])):
        assert run(*inputs, "-o", out) == 0
        docs = table(tmp_path / out, "documents")
        got_files = {os.path.basename(d["name"]): (d["words"], d["density"], d["verdict"]) for d in docs}
        assert got_files == expected_files
        ids = {d["id"]: os.path.basename(d["name"]) for d in docs}
        got_diags = sorted(
            (ids[d["id"]], d["code"], d["line"], d["column"], d["end_line"], d["end_column"], d["message"])
            for d in table(tmp_path / out, "diagnostics")
        )
        assert got_diags == expected_diags
    assert any(row[0] == "deep.md" and row[1] == "TPF001" for row in expected_diags)
    assert ("mac.txt", "TPF001", 3, 5, 3, 16) in [row[:6] for row in expected_diags]


# -- a LocalCluster with two worker processes ------------------------------------------------


def test_dask_local_cluster_screens_jsonl_and_parquet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("distributed")
    src = jsonl(tmp_path / "c.jsonl", MIXED_ROWS, ("{not json", "", "[1, 2]"))
    pq.write_table(
        pa.Table.from_pylist(
            [
                {"id": str(r.get("id")), "text": r.get("text") if isinstance(r.get("text"), str) else None}
                for r in MIXED_ROWS
            ]
        ),
        tmp_path / "c.parquet",
    )
    out = tmp_path / "out"
    code = run(
        src, tmp_path / "c.parquet", "-o", out, "--engine", "dask", "--workers", "2", "--partition-size", "2"
    )
    assert code == 2  # some documents have errors
    docs = table(out, "documents")
    assert len(docs) == 2 * len(MIXED_ROWS) + 2  # every row once; the blank line is no document
    check_mixed(docs, str(src))
    malformed = [d for d in docs if d["source"] in (f"{src}:8", f"{src}:10")]
    assert [d["error"].split(":")[0] for d in malformed] == ["line 8", "line 10"]
    pq_docs = [d for d in docs if d["source"].startswith(str(tmp_path / "c.parquet"))]
    # in the Parquet copy the ids repeat the JSONL ones: all duplicates, named as such
    assert all(d["error"] for d in pq_docs)
    assert sum("duplicate id" in d["error"] for d in pq_docs) == 4
    summary = json.loads((out / "summary.json").read_text())
    assert summary["documents"] == len(docs) and summary["errors"] == sum(1 for d in docs if d["error"])
    assert summary["engine"] == "dask" and 1 <= len(summary["workers"]) <= 2
    assert all(not k.endswith(f":{os.getpid()}") for k in summary["workers"])  # done in the workers
    assert summary["codes"]["GLT001"] == 1 and summary["codes"]["TPF001"] == 2
    assert "screened 16 documents" in capsys.readouterr().err


# -- resume, re-run, changed settings --------------------------------------------------------


def test_resume_redoes_only_missing_partitions_and_a_rerun_changes_nothing(tmp_path: Path) -> None:
    rows = [{"id": f"d{i}", "text": SPUN if i % 3 == 0 else HONEST} for i in range(9)]
    src = jsonl(tmp_path / "c.jsonl", rows)
    out = tmp_path / "out"
    assert run(src, "-o", out, "--partition-size", "2", "-j", "2") == 0
    before = files_state(out)
    assert len([k for k in before if k.startswith("documents/")]) == 5

    assert run(src, "-o", out, "--partition-size", "2") == 0  # unchanged: nothing is rewritten
    assert files_state(out) == before

    # a run killed halfway: one partition never written, another caught mid-write
    (out / "documents" / screen.part_name(3)).unlink()
    (out / "diagnostics" / ".tmp-x.parquet").write_bytes(b"half")
    assert run(src, "-o", out, "--partition-size", "2") == 0
    after = files_state(out)
    redone = {k for k in after if after[k][0] != before.get(k, (0, b""))[0]}
    assert redone == {"documents/part-000003.parquet", "diagnostics/part-000003.parquet", "summary.json"}
    assert all(after[k][1] == before[k][1] for k in after if k != "summary.json")
    assert json.loads(after["summary.json"][1])["partitions_reused"] == 4


def test_changed_settings_are_refused_then_redone_with_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = jsonl(tmp_path / "c.jsonl", [{"id": "a", "text": SPUN}])
    out = tmp_path / "out"
    assert run(src, "-o", out, "--select", "TPF,GLT") == 0
    assert run(src, "-o", out, "--select", "GLT") == 2
    assert "other settings (changed: options)" in capsys.readouterr().err
    assert [d["code"] for d in table(out, "diagnostics")] == ["TPF001", "GLT001"]
    assert run(src, "-o", out, "--select", "GLT", "--overwrite") == 0
    assert [d["code"] for d in table(out, "diagnostics")] == ["GLT001"]
    jsonl(src, [{"id": "a", "text": SPUN + "More text here.\n"}])  # a changed input: refused too
    assert run(src, "-o", out, "--select", "GLT") == 2
    assert "changed: input_files" in capsys.readouterr().err


# -- files -----------------------------------------------------------------------------------


def test_folder_input_accounts_for_bad_files(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.md").write_text(SPUN)
    (folder / "latin1.txt").write_bytes("caf\xe9 bosom peril\n".encode("latin-1"))
    (folder / "empty.txt").write_text("")
    with open(folder / "huge.txt", "wb") as fh:
        fh.truncate(10 * 1024 * 1024 + 1)
    out = tmp_path / "out"
    assert run(folder, "-o", out) == 2
    errors = {os.path.basename(d["id"]): d["error"] for d in table(out, "documents")}
    assert errors.pop("good.md") is None
    assert "not valid UTF-8" in errors.pop("latin1.txt")
    assert errors.pop("empty.txt") == "empty text"
    assert "over the 10 MB limit" in errors.pop("huge.txt")
    assert errors == {}


def test_dask_engine_without_dask_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "distributed", None)
    src = jsonl(tmp_path / "c.jsonl", [{"id": "a", "text": SPUN}])
    assert run(src, "-o", tmp_path / "out", "--engine", "dask") == 2
    assert 'pip install "spinlint[screen]"' in capsys.readouterr().err


def test_cli_dispatches_screen(tmp_path: Path) -> None:
    src = jsonl(tmp_path / "c.jsonl", [{"id": "a", "text": HONEST}])
    assert cli.main(["screen", str(src), "-o", str(tmp_path / "out")]) == 0
    assert table(tmp_path / "out", "documents")[0]["verdict"] == "clean"


def test_an_unreadable_parquet_file_stops_with_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")
    assert run(tmp_path / "bad.parquet", "-o", tmp_path / "out") == 2
    assert "bad.parquet: cannot read Parquet after 0 rows" in capsys.readouterr().err


def test_a_run_interrupted_mid_write_resumes_where_it_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [{"id": f"d{i}", "text": SPUN if i % 2 else HONEST} for i in range(7)]
    src = jsonl(tmp_path / "c.jsonl", rows)
    out = tmp_path / "out"
    real_write = screen.write_partition
    calls = []

    def killed_on_the_third(out_: Path, k: int, result: screen.PartitionResult, meta: dict[str, str]) -> None:
        calls.append(k)
        if len(calls) == 3:  # the kill lands in the middle of a write
            (out_ / "documents" / ".tmp-killed.parquet").write_bytes(b"PAR1 half a file")
            raise KeyboardInterrupt
        real_write(out_, k, result, meta)

    monkeypatch.setattr(screen, "write_partition", killed_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        run(src, "-o", out, "--partition-size", "2")
    monkeypatch.setattr(screen, "write_partition", real_write)
    assert sorted(p.name for p in (out / "documents").glob("part-*")) == [
        screen.part_name(0),
        screen.part_name(1),
    ]
    assert run(src, "-o", out, "--partition-size", "2") == 0
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["partitions_reused"], summary["partitions_screened"]) == (2, 2)
    assert not list(out.rglob(".tmp-*"))
    assert run(src, "-o", tmp_path / "fresh", "--partition-size", "2") == 0
    assert table(out, "documents") == table(tmp_path / "fresh", "documents")
    assert table(out, "diagnostics") == table(tmp_path / "fresh", "diagnostics")


def test_dask_engine_joins_a_running_scheduler(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    src = jsonl(tmp_path / "c.jsonl", [{"id": f"d{i}", "text": SPUN} for i in range(3)])
    with distributed.LocalCluster(
        n_workers=1, processes=False, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address
        assert run(src, "-o", tmp_path / "out", "--engine", "dask", "--scheduler", address) == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["scheduler"] == address and summary["documents"] == 3
    assert all(d["verdict"] != "clean" and d["error"] is None for d in table(tmp_path / "out", "documents"))


def test_the_tables_say_which_pass_decided() -> None:
    from spinlint.runner import Options
    from spinlint.screen import DIAG_FIELDS, DOC_FIELDS, Record, screen_partition

    text = b"Stock showcases fell after the bank raised loan costs; the plant closed ten a long time back.\n"
    out = screen_partition([Record("a", "a.md", "a.md", text)], Options(use_cache=False))
    assert "pass" in DOC_FIELDS and "pass" in DIAG_FIELDS
    assert out.documents["pass"] == ["default"]  # no --deep: the default stages gave the score
    assert out.diagnostics["pass"] and set(out.diagnostics["pass"]) == {"default"}


def test_a_rule_that_fails_leaves_the_documents_other_figures_beside_the_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from spinlint.plugins.glitch.detached_hyphen import DetachedHyphen
    from spinlint.runner import Options
    from spinlint.screen import Record, screen_partition

    def broken(self: object, doc: object) -> object:
        raise RuntimeError("index out of range")

    monkeypatch.setattr(DetachedHyphen, "check", broken)
    text = b"A Kremlin- backed group met. The bosom peril cases rose.\n"
    out = screen_partition(
        [Record("a", "a.md", "a.md", text), Record("b", "b.md", "b.md", b"")],
        Options(use_cache=False, select=("GLT001", "TPF001")),
    )
    assert "GLT001 failed (RuntimeError: index out of range)" in out.documents["error"][0]
    assert out.documents["words"][0] == 10 and out.documents["diagnostics"][0] == 1
    assert out.diagnostics["code"] == ["TPF001"]
    assert out.documents["error"][1] == "empty text" and out.documents["words"][1] is None
