"""The pre-commit hook, end to end: `pre-commit try-repo` against a throwaway repository fails
on a spun sentence and passes on a clean one.  Slow (pre-commit builds the hook's own
virtualenv from this checkout), but part of .ci/run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_hook_manifest() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "spinlint")
    assert hook["language"] == "python"
    assert hook["types_or"] == ["markdown", "mdx", "rst", "plain-text", "html", "tex"]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.slow
def test_try_repo_fails_on_spun_and_passes_on_clean(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    # pre-commit clones committed state: snapshot this checkout (with uncommitted work) first
    src = tmp_path / "spinlint-src"
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(".git", "*.egg-info", "__pycache__", ".spinlint_cache", "benchmarks"),
    )
    _git(src, "init", "-q")
    _git(src, "add", "-A")
    _git(src, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "snapshot")

    work = tmp_path / "docs-repo"
    work.mkdir()
    _git(work, "init", "-q")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(Path.home() / ".cache" / "pre-commit-spinlint-tests"),
        "SPINLINT_CACHE_DIR": str(tmp_path / "cache"),
    }

    def try_repo(name: str, text: str) -> subprocess.CompletedProcess[str]:
        for p in work.glob("*.md"):
            p.unlink()
        (work / name).write_text(text)
        _git(work, "add", "-A")
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(src), "spinlint", "--all-files"],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )

    spun = try_repo("spun.md", "A Kremlin- backed group met theUN on Monday.\n")
    assert spun.returncode == 1, spun.stdout + spun.stderr
    assert "spun.md:1:3: GLT001" in spun.stdout
    clean = try_repo("clean.md", "A Kremlin-backed group met the UN on Monday.\n")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout
