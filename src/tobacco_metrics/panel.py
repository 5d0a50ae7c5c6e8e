"""Labelled stores × brands × days panels: issue 6.

Work in progress: this module exports nothing yet.
"""

from __future__ import annotations

__all__: list[str] = []
