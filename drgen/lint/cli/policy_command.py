"""`drgen policies list` and `drgen policies show ID`: the catalog and its doc pages."""

from __future__ import annotations

import sys
from pathlib import Path

from drgen.errors import ExitCode
from drgen.lint.cli.policy_pages import PageFormat, policy_page
from drgen.lint.engine.catalog import Policy, load_policies


def run_policies_list(policies_dirs: list[Path]) -> int:
    print(policies_table(load_policies(policies_dirs)), end="")
    return ExitCode.OK


def run_policies_show(policy_id: str, policies_dirs: list[Path], page_format: str = "text") -> int:
    formats = {f.value: f for f in PageFormat}
    if page_format not in formats:
        print(f"unknown format {page_format!r}; use one of: {', '.join(formats)}", file=sys.stderr)
        return ExitCode.USAGE
    policies = load_policies(policies_dirs)
    found = next((p for p in policies if p.id == policy_id.strip().upper()), None)
    if found is None:
        known = ", ".join(p.id for p in policies)
        print(f"unknown policy {policy_id!r}; known policies: {known}", file=sys.stderr)
        return ExitCode.USAGE
    print(policy_page(found, formats[page_format]), end="")
    return ExitCode.OK


def policies_table(policies: list[Policy]) -> str:
    rows = [("ID", "SEVERITY", "TITLE")] + [(p.id, p.severity.value, p.title) for p in policies]
    id_width = max(len(r[0]) for r in rows)
    severity_width = max(len(r[1]) for r in rows)
    return "".join(
        f"{i:<{id_width}}  {severity:<{severity_width}}  {title}\n" for i, severity, title in rows
    )
