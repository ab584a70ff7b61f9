"""Client tests import ``dataflow_client`` from the source tree.

An editable install made while ``client/python/dataflow_client`` had no
``__init__.py`` yet maps the package as a namespace package (its ``__init__``
never runs); putting the source directory first on ``sys.path`` makes the
regular package win regardless. A fresh ``make venv`` does not need this.
"""

from __future__ import annotations

import sys
from pathlib import Path

_CLIENT = str(Path(__file__).resolve().parents[2] / "client" / "python")
if _CLIENT not in sys.path:
    sys.path.insert(0, _CLIENT)
