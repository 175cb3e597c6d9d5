"""The shared spaCy pipeline loads without PyTorch, which stays importable afterwards."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="PyTorch is not installed")
def test_loading_the_pipeline_does_not_import_torch_and_torch_still_imports() -> None:
    code = (
        "import sys\n"
        "from spinlint import nlp\n"
        "assert nlp.load(nlp.components_for(['parser'])) is not None\n"
        "assert 'torch' not in sys.modules, 'spaCy pulled in torch'\n"
        "import torch\n"
        "print('ok', torch.__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok torch"
