"""The managed resource addresses a rendered tree declares."""

from __future__ import annotations

import re
from collections.abc import Mapping

_RESOURCE_HEADER = re.compile(r'^resource "([A-Za-z0-9_]+)" "([A-Za-z0-9_-]+)" \{', re.MULTILINE)


def planned_addresses(files: Mapping[str, str]) -> frozenset[str]:
    """``{"aws_s3_bucket.assets_primary", ...}`` from every ``.tf`` file's resource blocks."""
    return frozenset(
        f"{match.group(1)}.{match.group(2)}"
        for path, text in files.items()
        if path.endswith(".tf")
        for match in _RESOURCE_HEADER.finditer(text)
    )
