"""An assessment as JSON (versioned shape), text (``drgen assess``) and Markdown (README)."""

from __future__ import annotations

from typing import Any

from drgen.objectives.figures import Range
from drgen.objectives.model import Assessment, ComponentEstimate
from drgen.objectives.timeline import Timeline, TimelineEntry

JSON_VERSION = 2  # 2: rto_timeline; estimate.rto_seconds is the timeline's total


def assessment_to_json(assessment: Assessment) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "objectives": {
            "rpo_seconds": assessment.rpo_objective,
            "rto_seconds": assessment.rto_objective,
        },
        "estimate": {
            "rpo_seconds": assessment.estimate_rpo,
            "rto_seconds": assessment.estimate_rto,
        },
        "meets": {"rpo": assessment.meets_rpo, "rto": assessment.meets_rto},
        "guaranteed": {"rpo": assessment.guaranteed_rpo, "rto": assessment.guaranteed_rto},
        "components": [_component_json(c) for c in assessment.components],
        "rto_timeline": _timeline_json(assessment.timeline),
    }


def _timeline_json(timeline: Timeline | None) -> list[dict[str, Any]] | None:
    if timeline is None:
        return None
    return [
        {
            "step": entry.label,
            "rto": _range_json(entry.range),
            "basis": entry.basis,
            "figures": list(entry.figures),
            "sources": list(entry.sources),
        }
        for entry in timeline.entries
    ]


def _component_json(component: ComponentEstimate) -> dict[str, Any]:
    return {
        "name": component.name,
        "kind": component.kind,
        "rpo": _range_json(component.rpo) if component.rpo else None,
        "rto": _range_json(component.rto),
        "basis": component.basis,
        "sla": component.sla,
        "source": component.source,
        "figures": [
            {"id": f.id, "source": f.source, "sla": f.range.sla} for f in component.figures
        ],
    }


def _range_json(span: Range) -> dict[str, Any]:
    return {"best": span.best, "typical": span.typical, "worst": span.worst, "sla": span.sla}


def human_duration(seconds: int) -> str:
    """Exact, in every non-zero unit: 150 -> "2m 30s", 14700 -> "4h 5m", 86400 -> "1d"."""
    parts: list[str] = []
    rest = seconds
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if rest >= size:
            parts.append(f"{rest // size}{unit}")
            rest %= size
    return " ".join(parts) or "0s"


def span_text(span: Range | None) -> str:
    """``1s / 15s / 15m``; an unbounded worst case reads ``no bound``; stateless reads ``-``."""
    if span is None:
        return "-"
    worst = "no bound" if span.worst is None else human_duration(span.worst)
    return f"{human_duration(span.best)} / {human_duration(span.typical)} / {worst}"


def verdict_text(assessment: Assessment, key: str) -> str:
    objective = assessment.rpo_objective if key == "rpo" else assessment.rto_objective
    estimate = assessment.estimate_rpo if key == "rpo" else assessment.estimate_rto
    meets = assessment.meets_rpo if key == "rpo" else assessment.meets_rto
    guaranteed = assessment.guaranteed_rpo if key == "rpo" else assessment.guaranteed_rto
    weakest = assessment.weakest_rpo if key == "rpo" else assessment.weakest_rto
    state = ("met" if meets else "MISSED") + (
        ", guaranteed by an SLA" if guaranteed else ", no SLA guarantee"
    )
    by = f" (weakest: {weakest.name})" if weakest else ""
    if key == "rto" and assessment.timeline is not None:
        by = " (the failover timeline)"
    return (
        f"{key.upper()} {human_duration(estimate)} against objective "
        f"{human_duration(objective)}: {state}{by}"
    )


def assessment_text(assessment: Assessment) -> str:
    header = (
        "component",
        "kind",
        "RPO best / typical / worst",
        "RTO best / typical / worst",
        "SLA",
    )
    rows = [header] + [
        (c.name, c.kind, span_text(c.rpo), span_text(c.rto), "yes" if c.sla else "no")
        for c in assessment.components
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        f"{assessment.name} ({assessment.pattern}): estimated RPO/RTO for a region loss",
        "",
        *("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
          for row in rows),
        "",
        "basis:",
        *(f"  {c.name}: {c.basis}" for c in assessment.components),
        "",
        *timeline_text(assessment.timeline),
        "workload (RPO: typical figure of the weakest component; RTO: the timeline's total):",
        f"  {verdict_text(assessment, 'rpo')}",
        f"  {verdict_text(assessment, 'rto')}",
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def timeline_text(timeline: Timeline | None) -> list[str]:
    """The RTO timeline: one row per serial entry, with a running total of typical figures."""
    if timeline is None:
        return []
    rows = [("step", "RTO best / typical / worst", "elapsed (typical)")]
    elapsed = 0
    for entry in timeline.entries:
        elapsed += entry.range.typical
        rows.append((entry.label, span_text(entry.range), human_duration(elapsed)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return [
        "RTO timeline (failover after the loss of the primary region, steps in sequence):",
        *("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
          for row in rows),
        "",
        "timeline basis:",
        *(f"  {entry.label}: {entry.basis}" for entry in timeline.entries),
        "",
    ]  # fmt: skip


def assessment_markdown(assessment: Assessment) -> str:
    """The README's RPO/RTO table: one row per component, each figure linked to its source."""
    lines = [
        "| Component | Kind | RPO (best / typical / worst) | RTO (best / typical / worst) "
        "| SLA | Basis | Sources |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {c.name} | {c.kind} | {span_text(c.rpo)} | {span_text(c.rto)} "
            f"| {'yes' if c.sla else 'no'} | {c.basis} "
            f"| {', '.join(f'[{f.id}]({f.source})' for f in c.figures)} |"
            for c in assessment.components
        ),
        "",
        *_timeline_markdown(assessment.timeline),
        f"- {verdict_text(assessment, 'rpo')}",
        f"- {verdict_text(assessment, 'rto')}",
    ]
    return "\n".join(lines) + "\n"


def _timeline_markdown(timeline: Timeline | None) -> list[str]:
    if timeline is None:
        return []
    lines = [
        "RTO timeline of the failover (the steps run in sequence; the total is the RTO estimate):",
        "",
        "| # | Step | RTO (best / typical / worst) | Elapsed (typical) | Basis | Sources |",
        "|---|---|---|---|---|---|",
    ]
    elapsed = 0
    for number, entry in enumerate(timeline.entries, 1):
        elapsed += entry.range.typical
        links = ", ".join(
            f"[{key}]({source})" for key, source in zip(_keys(entry), entry.sources, strict=True)
        )
        lines.append(
            f"| {number} | {entry.label} | {span_text(entry.range)} | {human_duration(elapsed)} "
            f"| {entry.basis} | {links} |"
        )
    total = timeline.total
    lines += ["", f"Total: {span_text(total)} (best / typical / worst).", ""]
    return lines


def _keys(entry: TimelineEntry) -> tuple[str, ...]:
    return entry.figures or tuple("source" for _ in entry.sources)
