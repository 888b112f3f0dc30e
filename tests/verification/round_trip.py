"""Read a rendered tree back with python-hcl2: which resources does it really declare?"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

import hcl2


def _label(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _parse_dir(files: Mapping[str, str], directory: str) -> list[dict[str, Any]]:
    return [
        hcl2.loads(text)
        for path, text in sorted(files.items())
        if path.endswith(".tf") and str(PurePosixPath(path).parent) == directory
    ]


def declared_addresses(
    files: Mapping[str, str], directory: str = ".", prefix: str = ""
) -> set[str]:
    """Addresses of managed resources and data sources, following local module calls.

    ``files`` maps relative posix paths to text, as in ``RenderedTree.files``.
    """
    addresses: set[str] = set()
    for document in _parse_dir(files, directory):
        for kind, address_prefix in (("resource", ""), ("data", "data.")):
            for by_type in document.get(kind, []):
                for type_name, by_name in by_type.items():
                    for name in by_name:
                        addresses.add(f"{prefix}{address_prefix}{_label(type_name)}.{_label(name)}")
        for call in document.get("module", []):
            for name, body in call.items():
                source = _label(str(body.get("source", "")))
                if source.startswith(("./", "../")):
                    child = str(PurePosixPath(directory, source))
                    child = str(PurePosixPath(*_normalise(child)))
                    addresses |= declared_addresses(files, child, f"{prefix}module.{_label(name)}.")
    return addresses


def round_trip_mismatch(
    files: Mapping[str, str], intended: frozenset[str], roots: Sequence[str] = (".",)
) -> str | None:
    """Why the managed resources read back differ from the planned ones, or None. Each root
    is read on its own; an address in a root folder reads ``<root>/<address>``."""
    read_back = {
        address if root == "." else f"{root}/{address}"
        for root in roots
        for address in declared_addresses(files, root)
        if not _is_data(address)
    }
    planned = {a for a in intended if not _is_data(a)}
    if read_back == planned:
        return None
    return (
        f"declared but not planned: {sorted(read_back - planned)}; "
        f"planned but not declared: {sorted(planned - read_back)}"
    )


def _is_data(address: str) -> bool:
    return address.split(".")[-3:-2] == ["data"]


def _normalise(path: str) -> list[str]:
    parts: list[str] = []
    for part in PurePosixPath(path).parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return parts or ["."]
