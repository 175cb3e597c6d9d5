"""Placeholder reader: treats the file as plain text until the html reader lands."""

from __future__ import annotations

from spinlint.sources.text import read

__all__ = ["read"]
