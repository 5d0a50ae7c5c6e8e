"""The customer manager's monthly work calendar: issue 5.

Work in progress: this module exports nothing yet.
"""

from __future__ import annotations

__all__: list[str] = []
