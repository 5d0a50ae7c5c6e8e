"""Keep pytest out of the Sphinx extensions.

pytest runs ``--doctest-modules`` over ``docs/``; the extensions here import
Sphinx, which only the ``docs`` extra installs, so the test run must not
import them.  The documentation build exercises them instead.
"""

collect_ignore_glob = ["*.py"]
