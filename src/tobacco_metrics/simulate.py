"""Demand simulator with known truth: issue 8.

Work in progress: this module exports nothing yet.
"""

from __future__ import annotations

__all__: list[str] = []
