"""The manifest drgen keeps beside a rendered tree: which files it wrote, with their hashes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from drgen.errors import DrgenError, Problem

MANIFEST_NAME = ".drgen-manifest.json"
_FORMAT = 1


@dataclass(frozen=True)
class Manifest:
    drgen_version: str
    spec: str  # spec file name, never an absolute path
    files: dict[str, str]  # relative posix path -> sha256 hex of the text drgen wrote

    def to_text(self) -> str:
        body = {
            "format": _FORMAT,
            "drgen_version": self.drgen_version,
            "spec": self.spec,
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(body, indent=2, sort_keys=True) + "\n"


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(out: Path) -> Manifest | None:
    """The manifest in ``out``, or None when there is none. A damaged one is an error."""
    path = out / MANIFEST_NAME
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        files = raw["files"]
        if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in files.items()
        ):
            raise TypeError("files must map paths to hashes")
        return Manifest(str(raw["drgen_version"]), str(raw["spec"]), dict(files))
    except (ValueError, KeyError, TypeError) as error:
        raise DrgenError(
            Problem(
                f"drgen manifest is damaged ({error})",
                file=str(path),
                hint="restore it from version control, or delete the output directory and "
                "render again",
            )
        ) from error
