"""``python -m tobacco_metrics``: see :mod:`tobacco_metrics.cli`."""

import sys

from tobacco_metrics.cli import main

sys.exit(main())
