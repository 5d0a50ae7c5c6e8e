"""Units of quantity (条, 标准箱, 包, 支): issue 4.

Work in progress: this module exports nothing yet.
"""

from __future__ import annotations

__all__: list[str] = []
