"""The managed resource addresses a rendered tree declares, per root."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePosixPath

_RESOURCE_HEADER = re.compile(r'^resource "([A-Za-z0-9_]+)" "([A-Za-z0-9_-]+)" \{', re.MULTILINE)


def planned_addresses(files: Mapping[str, str]) -> frozenset[str]:
    """``{"3-primary/aws_s3_bucket.assets_primary", ...}`` from every ``.tf`` file's resource
    blocks: the file's folder (its root), then the address; no folder for a file at the top."""
    return frozenset(
        _in_root(path, f"{match.group(1)}.{match.group(2)}")
        for path, text in files.items()
        if path.endswith(".tf")
        for match in _RESOURCE_HEADER.finditer(text)
    )


def _in_root(path: str, address: str) -> str:
    root = PurePosixPath(path).parent
    return address if root == PurePosixPath(".") else f"{root}/{address}"
