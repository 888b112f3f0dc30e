"""`drgen lint --list-suppressions`: every waiver in the scanned Terraform and the
configuration's exemptions, for reviewers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from drgen.lint.model.roots import Project, Suppression

if TYPE_CHECKING:
    from drgen.lint.engine.exemptions import Exemption


def collect(project: Project) -> list[Suppression]:
    """Each suppression once, by file and line: a module used by several roots repeats them,
    and comments attached to no block are listed too (the engine reports those as DR000)."""
    attached = (s for root in project.roots for r in root.resources for s in r.suppressions)
    unique = {
        (s.file, s.line, s.rule_ids): s for s in (*attached, *project.unattached_suppressions)
    }
    return [unique[key] for key in sorted(unique)]


def render(
    suppressions: list[Suppression], today: date, exemptions: Sequence[Exemption] = ()
) -> str:
    if not suppressions and not exemptions:
        return "No suppressions.\n"
    lines = []
    for s in suppressions:
        until = _until(s.until, today)
        reason = s.reason or "(no reason: reported as DR000)"
        if s.problem:
            reason += f"  [{s.problem}]"
        lines.append(f"{s.file}:{s.line}  {','.join(s.rule_ids)}{until}  {reason}")
    for e in exemptions:
        lines.append(f"{e.where}  {','.join(e.rules) or '*'}{_until(e.until, today)}  {e.reason}")
        lines.append(f"    exemption for {_selectors(e)}")
    dates = [s.until for s in suppressions] + [e.until for e in exemptions]
    expired = sum(1 for until in dates if until is not None and until < today)
    exempt = f", {len(exemptions)} exemption(s) in the configuration" if exemptions else ""
    lines.append(f"{len(suppressions)} suppression(s){exempt}, {expired} expired.")
    return "\n".join(lines) + "\n"


def _until(until: date | None, today: date) -> str:
    if until is None:
        return ""
    return f"  until {until.isoformat()} ({'EXPIRED' if until < today else 'active'})"


def _selectors(exemption: Exemption) -> str:
    parts = [
        f"{key} {value}"
        for key, value in (
            ("address", exemption.address),
            ("type", exemption.type),
            ("name", exemption.name),
        )
        if value is not None
    ]
    parts += [f"tag {key}={value}" for key, value in exemption.tags]
    return ", ".join(parts)
