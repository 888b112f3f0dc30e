"""`drgen lint --list-suppressions`: every waiver in the scanned Terraform, for reviewers."""

from __future__ import annotations

from datetime import date

from drgen.lint.model import Project, Suppression


def collect(project: Project) -> list[Suppression]:
    """Each suppression once, by file and line: a module used by several roots repeats them,
    and comments attached to no block are listed too (the engine reports those as DR000)."""
    attached = (s for root in project.roots for r in root.resources for s in r.suppressions)
    unique = {
        (s.file, s.line, s.rule_ids): s for s in (*attached, *project.unattached_suppressions)
    }
    return [unique[key] for key in sorted(unique)]


def render(suppressions: list[Suppression], today: date) -> str:
    if not suppressions:
        return "No suppressions.\n"
    lines = []
    for s in suppressions:
        until = ""
        if s.until is not None:
            state = "EXPIRED" if s.until < today else "active"
            until = f"  until {s.until.isoformat()} ({state})"
        reason = s.reason or "(no reason: reported as DR000)"
        if s.problem:
            reason += f"  [{s.problem}]"
        lines.append(f"{s.file}:{s.line}  {','.join(s.rule_ids)}{until}  {reason}")
    expired = sum(1 for s in suppressions if s.until is not None and s.until < today)
    lines.append(f"{len(suppressions)} suppression(s), {expired} expired.")
    return "\n".join(lines) + "\n"
