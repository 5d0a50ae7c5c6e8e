"""tobacco_metrics: the metrics tobacco distributors' customer managers live by.

Stockout days (脱销天数), projected lost sales (预计脱销销售), fulfilment ratio
(销售满足度), days of cover (存销比), quotas (合理定量), sales structure
(卷烟结构) and visits (拜访), as immutable attrs domain classes beside pure,
vectorised numpy functions.  Every public name is importable from here; the
subject modules group them.  Hypothesis strategies live in
:mod:`tobacco_metrics.strategies`, which this package never imports.
"""

from tobacco_metrics import (
    domain,
    errors,
    lost_sales,
    panel,
    pricing,
    quota,
    simulate,
    stock,
    structure,
    units,
    visits,
    workcalendar,
)
from tobacco_metrics._version import __version__
from tobacco_metrics.domain import *
from tobacco_metrics.errors import *
from tobacco_metrics.lost_sales import *
from tobacco_metrics.panel import *
from tobacco_metrics.pricing import *
from tobacco_metrics.quota import *
from tobacco_metrics.simulate import *
from tobacco_metrics.stock import *
from tobacco_metrics.structure import *
from tobacco_metrics.units import *
from tobacco_metrics.visits import *
from tobacco_metrics.workcalendar import *

__all__ = ["__version__"]
__all__ += errors.__all__
__all__ += pricing.__all__
__all__ += stock.__all__
__all__ += domain.__all__
__all__ += units.__all__
__all__ += quota.__all__
__all__ += structure.__all__
__all__ += visits.__all__
__all__ += workcalendar.__all__
__all__ += panel.__all__
__all__ += simulate.__all__
__all__ += lost_sales.__all__
