"""The drill's text report: lost, keeps serving, the recovery path, the runbook, RPO/RTO."""

from __future__ import annotations

from drgen.drill.analyse import DrillResult
from drgen.objectives.model import Assessment
from drgen.objectives.report import span_text, timeline_text, verdict_text

_SHOWN = 4  # addresses listed per root before "and N more"
_LISTED = 12  # dependencies listed per root


def drill_text(
    target: str,
    result: DrillResult,
    runbook: list[str],
    assessment: Assessment | None,
    *,
    judged: bool,
) -> str:
    lost = result.lost_region
    lines = [f"drill: {target} loses {lost}", ""]
    lines += ["lost with the region:"]
    lines += [f"  {r.directory}: {_some(r.lost)}" for r in result.roots if r.lost] or ["  nothing"]
    lines += ["", "keeps serving:"]
    lines += [f"  {r.directory}: {_some(r.serving)}" for r in result.roots if r.serving] or [
        "  nothing"
    ]
    undecided = [r for r in result.roots if r.undecided]
    if undecided:
        lines += ["", "region unknown (not judged):"]
        lines += [f"  {r.directory}: {_some(r.undecided)}" for r in undecided]
    lines += ["", "recovery path (roots an operator plans and applies during the outage):"]
    path = [r for r in result.roots if r.on_recovery_path]
    for root in path:
        status = "no dependency on " + lost if not root.dependencies else "DEPENDS ON " + lost
        lines.append(f"  {root.directory}: {status}")
        lines += [f"    {d.kind} {d.what}: {d.why}" for d in root.dependencies[:_LISTED]]
        if len(root.dependencies) > _LISTED:
            lines.append(f"    and {len(root.dependencies) - _LISTED} more")
    if not path:
        lines.append("  none: nothing outside the lost region serves or holds data")
    others = [r for r in result.roots if not r.on_recovery_path and r.dependencies]
    if others:
        lines += ["", "not on the recovery path (not needed until the region returns):"]
        for root in others:
            kinds = sorted({d.kind for d in root.dependencies})
            lines.append(
                f"  {root.directory}: {len(root.dependencies)} uses of {lost} ({', '.join(kinds)})"
            )
    if result.data:
        lines += ["", "data in the lost region, and the copy that recovers it:"]
        lines += [
            f"  {d.root} {d.address}: {d.recovery or 'NO COPY outside the region'}"
            for d in result.data
        ]
    lines += ["", "failover runbook:"]
    lines += [f"  {line}" for line in runbook] or ["  no call depends on " + lost]
    if assessment is not None:
        lines += ["", "RPO per store:"]
        lines += [
            f"  {c.name} ({c.kind}): {span_text(c.rpo)}" for c in assessment.components if c.rpo
        ]
        lines += ["", *timeline_text(assessment.timeline)]
        lines += [
            f"  {verdict_text(assessment, 'rpo')}",
            f"  {verdict_text(assessment, 'rto')}",
            "",
        ]
    broken = len(result.broken) + len(runbook)
    if not judged:
        lines.append(f"result: {lost} is the recovery region; the primary keeps serving")
    elif broken:
        lines.append(f"result: the recovery path is BROKEN: {broken} dependencies on {lost}")
    else:
        lines.append(f"result: the recovery path holds without {lost}")
    return "\n".join(lines) + "\n"


def _some(addresses: list[str]) -> str:
    shown = ", ".join(addresses[:_SHOWN])
    more = len(addresses) - _SHOWN
    return f"{len(addresses)} resources ({shown}{f', and {more} more' if more > 0 else ''})"
