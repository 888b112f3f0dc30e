"""Which variables and shared data sources a root's rendered text references.

A root declares a variable (or ``data.aws_caller_identity.current``) exactly when one of
its blocks uses it, so no root carries an input it ignores, and the recovery root has
no primary-region variable at all.
"""

from __future__ import annotations

import re

_SHARED = ("var", "data.aws_caller_identity", "data.aws_partition", "data.aws_kms_alias")
_NAMED = re.compile(r"(?<![\w.\-])(" + "|".join(map(re.escape, _SHARED)) + r")\.([\w-]+)")


def used_names(text: str) -> frozenset[str]:
    """``{"var.secondary_region", "data.aws_partition.current", ...}`` referenced in ``text``."""
    return frozenset(f"{kind}.{name}" for kind, name in _NAMED.findall(text))
