"""Render the runbook as README sections: numbered steps, each with its commands."""

from __future__ import annotations

import re

from drgen.objectives.figures import figure
from drgen.objectives.report import human_duration
from drgen.runbook.model import Procedure, Runbook, Step
from drgen.runbook.shell import readme_line

_TITLES = {
    "failover": "Failover (the primary region is lost)",
    "failback": "Failback (both regions healthy)",
}


def runbook_markdown(runbook: Runbook) -> str:
    """The "Failover" and "Failback" sections (level-2 headings)."""
    return "\n".join(_procedure(runbook, p) for p in runbook.procedures)


def _procedure(runbook: Runbook, procedure: Procedure) -> str:
    intro = (
        f"Run `bash runbook/{procedure.name}.sh` from this folder: it asks before each step and "
        "polls where a step must wait. By hand, run the commands below from this folder in "
        "order (each line that sets a variable is needed by later ones). "
        + (
            f"Every AWS call names `--region {runbook.recovery_region}` and nothing calls "
            f"{procedure.avoid_region}; Terraform is read only in roots whose state is kept in "
            f"{runbook.recovery_region}."
            if procedure.avoid_region
            else "Every AWS call names the region it acts on."
        )
    )
    parts = [f"## {_TITLES[procedure.name]}", "", intro, ""]
    for number, step in enumerate(procedure.steps, 1):
        parts += _step(number, step)
    return "\n".join(parts)


def _step(number: int, step: Step) -> list[str]:
    typicals = [figure(key).range.typical for key in step.figures]
    typical = sum(typicals) if step.figures_in_sequence else max(typicals)
    heading = [
        f"{number}. **{step.title}** ({step.phase.value}, typically {human_duration(typical)}). "
        f"{step.why}",
        "",
    ]
    if not step.commands:
        return heading
    lines = [readme_line(c) for c in step.commands]
    fence = _fence("\n".join(lines))
    return [*heading, f"   {fence}sh", *(f"   {line}" for line in lines), f"   {fence}", ""]


def _fence(body: str) -> str:
    """A code fence longer than any backtick run inside (user text cannot close it)."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    return "`" * max(3, longest + 1)
