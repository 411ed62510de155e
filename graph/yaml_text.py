"""YAML text to Python values, safely, with libyaml's C parser when PyYAML was built with it.

The pure-Python parser spends about 3 s on the case file of a 2,000-person case; the C
parser a small fraction of that. Both build plain values only (no Python objects), and
both give errors with a ``problem_mark`` (line and column).
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """The value of a YAML document (``yaml.safe_load``, faster when libyaml is there)."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, C or Python
