"""Baselines: adopt drgen on an existing repository and fail only on new findings.

A baseline records unsuppressed findings by fingerprint (drgen.fingerprints: rule, root and
address relative to the repository root, kind of problem; never the line). The file is JSON,
sorted and versioned so it diffs cleanly in review. Version 1 files (keys relative to the
folder given to lint, no kind) are still honoured, with a message saying how to migrate.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from drgen import atomic, bounded_json
from drgen.bounded_read import UnreadableFile, read_regular
from drgen.errors import DrgenError, Problem
from drgen.findings import Finding
from drgen.fingerprints import (
    declaration_key,
    finding_declaration_key,
    fingerprint,
    repo_relative,
)

BASELINE_VERSION = 2
_LEGACY_VERSION = 1
_REGENERATE = "regenerate it with `drgen lint --write-baseline FILE`"
_MAX_BASELINE_BYTES = 64 << 20  # ~300,000 findings
_MAX_BASELINE_DEPTH = 16  # a baseline nests 3 deep


@dataclass(frozen=True)
class Baseline:
    """What a baseline file knows, ready for matching."""

    fingerprints: frozenset[str] = frozenset()
    declarations: frozenset[str] = frozenset()  # where the resources are written (see module)
    legacy: frozenset[tuple[str, str, str]] = frozenset()  # version 1: (rule, root, target)

    def knows(self, finding: Finding, repo_prefix: str) -> bool:
        if fingerprint(finding, repo_prefix) in self.fingerprints:
            return True
        declared = finding_declaration_key(finding, repo_prefix)
        if declared is not None and declared in self.declarations:
            return True
        return bool(self.legacy) and _legacy_match(self.legacy, finding, repo_prefix)


def _legacy_match(
    legacy: frozenset[tuple[str, str, str]], finding: Finding, repo_prefix: str
) -> bool:
    """A version 1 key's root was relative to whatever folder was linted: accept any root
    that ends with it."""
    root = repo_relative(finding.root, repo_prefix)
    target = finding.resource or finding.file
    for rule_id, old_root, old_target in legacy:
        if rule_id != finding.rule_id or old_target != target:
            continue
        if old_root == "." or root == old_root or root.endswith("/" + old_root):
            return True
    return False


def baseline_text(findings: Iterable[Finding], repo_prefix: str = "") -> str:
    entries = {}
    for f in findings:
        if f.suppressed:
            continue
        key = fingerprint(f, repo_prefix)
        entries[key] = {
            "fingerprint": key,
            "rule_id": f.rule_id,
            "root": repo_relative(f.root, repo_prefix),
            "resource": f.resource,
            "kind": f.kind,
            "file": repo_relative(f.file, repo_prefix),
        }
    document = {
        "version": BASELINE_VERSION,
        "findings": [entries[key] for key in sorted(entries)],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: Path, findings: Iterable[Finding], repo_prefix: str = "") -> int:
    """Write the baseline atomically; return how many findings it records."""
    text = baseline_text(findings, repo_prefix)
    atomic.write_text(path, text)
    return len(json.loads(text)["findings"])


def load_baseline(path: Path) -> tuple[Baseline, str | None]:
    """What a baseline file knows, and a note for the user when it uses an old format.

    Raises DrgenError on a missing or bad file.
    """

    def problem(message: str, hint: str = _REGENERATE) -> DrgenError:
        return DrgenError(Problem(message, file=str(path), hint=hint))

    try:
        text = read_regular(path, _MAX_BASELINE_BYTES).decode("utf-8")
        document = bounded_json.loads(text, max_depth=_MAX_BASELINE_DEPTH)
    except FileNotFoundError:
        raise problem(
            "baseline file not found", "create it with `drgen lint --write-baseline FILE`"
        ) from None
    except UnreadableFile as error:
        raise problem(f"cannot read baseline: {error.reason}", "check the path") from None
    except OSError as error:
        raise problem(
            f"cannot read baseline: {error.strerror or error}", "check the path"
        ) from None
    except UnicodeDecodeError:
        raise problem("baseline is not UTF-8 text") from None
    except bounded_json.JsonShapeError as error:
        raise problem(f"baseline is {error}") from None
    version = document.get("version") if isinstance(document, dict) else None
    if version not in (BASELINE_VERSION, _LEGACY_VERSION):
        raise problem(f"not a drgen baseline (expected version {BASELINE_VERSION})")
    entries = document.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries
    ):
        raise problem("baseline findings must be a list of objects with a fingerprint")
    if version == _LEGACY_VERSION:
        return _legacy(path, entries)
    return _current(path, entries), None


def _current(path: Path, entries: list[dict[str, object]]) -> Baseline:
    declarations = set()
    for index, entry in enumerate(entries):
        fields = [entry.get(k) for k in ("rule_id", "file", "resource", "kind")]
        if not all(isinstance(value, str) for value in fields):
            raise DrgenError(
                Problem(
                    "baseline entry lacks rule_id, file, resource or kind",
                    file=str(path),
                    json_path=f"$.findings[{index}]",
                    hint=_REGENERATE,
                )
            )
        rule_id, file, resource, kind = (str(value) for value in fields)
        if resource:
            declarations.add(declaration_key(rule_id, file, resource, kind))
    return Baseline(
        fingerprints=frozenset(str(e["fingerprint"]) for e in entries),
        declarations=frozenset(declarations),
    )


def _legacy(path: Path, entries: list[dict[str, object]]) -> tuple[Baseline, str]:
    legacy = set()
    for entry in entries:
        parts = str(entry["fingerprint"]).split("|")
        if len(parts) == 3:
            rule_id, root, target = parts
            legacy.add((rule_id, posixpath.normpath(root), target))
    note = (
        f"drgen: {path} is a version 1 baseline, whose keys depend on the folder given to lint "
        "and cannot tell two problems of one rule on one resource apart; it is matched by rule "
        "and address for now. Migrate it: from the repository root run `drgen lint . "
        f"--write-baseline {path}` (version {BASELINE_VERSION})."
    )
    return Baseline(legacy=frozenset(legacy)), note


def apply_baseline(
    findings: list[Finding], known: Baseline, repo_prefix: str
) -> tuple[list[Finding], int]:
    """Drop unsuppressed findings the baseline knows; return the rest and how many were hidden."""
    kept = [f for f in findings if f.suppressed or not known.knows(f, repo_prefix)]
    return kept, len(findings) - len(kept)
