"""Hypothesis strategies for the domain classes and panels: issue 7.

Work in progress: this module exports nothing yet.
"""

from __future__ import annotations

__all__: list[str] = []
