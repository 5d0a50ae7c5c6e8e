"""Sales structure, assortment, ledger and segments (卷烟结构): issue 4.

Work in progress: this module exports nothing yet.
"""

from __future__ import annotations

__all__: list[str] = []
