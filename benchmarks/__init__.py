"""spinlint's benchmark: accuracy and speed, side by side with proselint.

Run it with ``python benchmarks/run.py [--quick]``; see benchmarks/README.md.  The modules
here are importable (``benchmarks.spinner``, ``benchmarks.scorer``, ...) so the unit tests in
tests/test_benchmark_tools.py can check the spinner and the scorer without any corpus.
"""
