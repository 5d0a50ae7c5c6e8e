"""Sphinx configuration of the tobacco_metrics documentation.

Build (what CI runs; warnings are errors, references are checked):

    python -m sphinx -W --keep-going -n -b html docs docs/_build/html

Sphinx + pydata-sphinx-theme + numpydoc + MyST Markdown, the stack of numpy,
pandas and xarray.  The API reference is generated at build time from
``tobacco_metrics.__all__`` by ``_ext/tm_apidocs.py``; figures are drawn at
build time by matplotlib's plot directive; the ``>>>`` examples of every page
are run by pytest (``--doctest-glob=*.md``), not by Sphinx.
"""

from __future__ import annotations

import builtins
import sys
from pathlib import Path

import tobacco_metrics

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- Project -----------------------------------------------------------------

project = "tobacco_metrics"
author = "tobacco_metrics developers"
copyright = "tobacco_metrics developers"
release = tobacco_metrics.__version__
version = ".".join(release.split(".")[:2])

# -- General -----------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "matplotlib.sphinxext.plot_directive",
    "tm_apidocs",  # _ext/: the API reference from tobacco_metrics.__all__
    "tm_plot",  # _ext/: matplotlib's plot directive in MyST Markdown
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "_ext"]
language = "en"
today_fmt = "%Y-%m-%d"

# Every reference is checked (-n).  The build runs offline, without
# intersphinx inventories, so references to other projects' objects (Python
# builtins, numpy, pandas, dask, datetime, attrs, hypothesis, dateutil) cannot
# resolve and are ignored; every reference to tobacco_metrics itself must.
_EXTERNAL = (
    "numpy|np|numpy.typing|pandas|pd|dask|distributed|datetime|dt|attrs|attr|hypothesis"
    "|dateutil|typing|typing_extensions|collections|enum|decimal|fractions|os|pathlib|io"
)
nitpicky = True
nitpick_ignore_regex = [
    ("py:.*", rf"(~?)({_EXTERNAL})(\..+)?"),
    ("py:.*", "|".join(name for name in dir(builtins) if not name.startswith("_"))),
    ("py:.*", r"(array_like|array-like|optional|scalar|sequence|iterable|mapping|callable)"),
]

# -- MyST --------------------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "fieldlist", "substitution"]
myst_heading_anchors = 3
myst_dmath_double_inline = True

# -- autodoc / autosummary / numpydoc ----------------------------------------

# Signatures show names and defaults only; the numpydoc docstrings give each
# parameter's type and unit in words (array_like [cartons]), as numpy's own
# reference does.  Annotations would expand the result aliases into
# ``numpy.float64 | numpy.ndarray[Any, numpy.dtype[numpy.float64]]`` and repeat
# every @overload.
autodoc_typehints = "none"
autodoc_member_order = "bysource"
autodoc_preserve_defaults = False
autodoc_class_signature = "mixed"
autoclass_content = "class"
add_module_names = False
autosummary_generate = False  # the stubs are written by tm_apidocs

# attrs classes document their fields in the class docstring (Parameters /
# Attributes); numpydoc must not add member tables or toctrees on top of
# autodoc's, which would describe the same attributes twice.
numpydoc_show_class_members = False
numpydoc_show_inherited_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# -- matplotlib plot directive -----------------------------------------------

plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 110)]
plot_pre_code = "import numpy as np\nimport matplotlib.pyplot as plt\n"
plot_rcparams = {"figure.autolayout": True, "font.size": 9}
plot_apply_rcparams = True

# -- HTML ----------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"tobacco_metrics {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_last_updated_fmt = None
html_show_sourcelink = False
html_theme_options = {
    "navigation_depth": 2,
    "show_toc_level": 2,
    "header_links_before_dropdown": 6,
    "navbar_align": "left",
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_sidebars = {"index": [], "getting-started": [], "changelog": []}
