"""tobacco_metrics: the metrics tobacco distributors' customer managers live by.

Stockout days (脱销天数), projected lost sales (预计脱销销售), fulfilment ratio
(销售满足度), days of cover (存销比), quotas (合理定量), sales structure
(卷烟结构) and visits (拜访), as immutable attrs domain classes beside pure,
vectorised numpy functions.  Every public name is importable from here; the
subject modules (``stock``, ``quota``, ``structure``, ``visits``, ``demand``,
…) group them.  Hypothesis strategies live in :mod:`tobacco_metrics.strategies`,
which this package never imports.
"""

# Subject modules under private aliases, so that the package namespace holds only
# the public names the star-imports bring.
from tobacco_metrics import agreements as _agreements
from tobacco_metrics import assessment as _assessment
from tobacco_metrics import controls as _controls
from tobacco_metrics import decisions as _decisions
from tobacco_metrics import demand as _demand
from tobacco_metrics import domain as _domain
from tobacco_metrics import errors as _errors
from tobacco_metrics import ledger as _ledger
from tobacco_metrics import panel as _panel
from tobacco_metrics import pricing as _pricing
from tobacco_metrics import quota as _quota
from tobacco_metrics import reading as _reading
from tobacco_metrics import reporting as _reporting
from tobacco_metrics import schedule as _schedule
from tobacco_metrics import screening as _screening
from tobacco_metrics import segments as _segments
from tobacco_metrics import simulate as _simulate
from tobacco_metrics import stock as _stock
from tobacco_metrics import structure as _structure
from tobacco_metrics import supply as _supply
from tobacco_metrics import units as _units
from tobacco_metrics import visits as _visits
from tobacco_metrics import workcalendar as _workcalendar
from tobacco_metrics._version import __version__
from tobacco_metrics.agreements import *
from tobacco_metrics.assessment import *
from tobacco_metrics.controls import *
from tobacco_metrics.decisions import *
from tobacco_metrics.demand import *
from tobacco_metrics.domain import *
from tobacco_metrics.errors import *
from tobacco_metrics.ledger import *
from tobacco_metrics.panel import *
from tobacco_metrics.pricing import *
from tobacco_metrics.quota import *
from tobacco_metrics.reading import *
from tobacco_metrics.reporting import *
from tobacco_metrics.schedule import *
from tobacco_metrics.screening import *
from tobacco_metrics.segments import *
from tobacco_metrics.simulate import *
from tobacco_metrics.stock import *
from tobacco_metrics.structure import *
from tobacco_metrics.supply import *
from tobacco_metrics.units import *
from tobacco_metrics.visits import *
from tobacco_metrics.workcalendar import *

__all__ = ["__version__"]
__all__ += _errors.__all__
__all__ += _pricing.__all__
__all__ += _stock.__all__
__all__ += _domain.__all__
__all__ += _units.__all__
__all__ += _quota.__all__
__all__ += _reading.__all__
__all__ += _supply.__all__
__all__ += _controls.__all__
__all__ += _structure.__all__
__all__ += _ledger.__all__
__all__ += _segments.__all__
__all__ += _visits.__all__
__all__ += _agreements.__all__
__all__ += _workcalendar.__all__
__all__ += _schedule.__all__
__all__ += _panel.__all__
__all__ += _simulate.__all__
__all__ += _demand.__all__
__all__ += _decisions.__all__
__all__ += _assessment.__all__
__all__ += _screening.__all__
__all__ += _reporting.__all__
