"""RTO as a timeline: detection + decision + the runbook's serial steps + DNS caches.

Detection is the Route 53 health check drgen renders (request interval x failure threshold);
the decision is ``failover.decision_time`` (none when Route 53 fails over by itself); each
runbook step on the critical path takes its slowest figure; resolvers then keep the old
answer for the record's TTL. Nothing here is backed by an SLA.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from drgen.objectives.figures import Range, figure
from drgen.spec.model import Spec

if TYPE_CHECKING:
    from drgen.runbook.model import Step

# What templates/failover_dns renders; alias records to a load balancer have Route 53's TTL.
HEALTH_CHECK_INTERVAL = 30
FAILURE_THRESHOLD = 3
ALIAS_TTL = 60
_DNS_SOURCE = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html"
_DECISION_SOURCE = "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html"


@dataclass(frozen=True)
class TimelineEntry:
    label: str
    range: Range
    basis: str
    sources: tuple[str, ...]
    figures: tuple[str, ...] = ()  # objectives.yaml keys, empty for computed entries


@dataclass(frozen=True)
class Timeline:
    entries: tuple[TimelineEntry, ...]

    @property
    def total(self) -> Range:
        total = Range(0, 0, 0, sla=False)
        for entry in self.entries:
            total = total + entry.range
        return total


def rto_timeline(spec: Spec) -> Timeline:
    """The failover's timeline for a loss of the primary region."""
    # the runbook imports this package's figures, so it is imported when first needed
    from drgen.runbook import build_runbook
    from drgen.runbook.context import runbook_context

    runbook = build_runbook(spec)
    context = runbook_context(spec)
    routed, automatic = context.routed, context.automatic
    entries = [_detection(routed), _decision(spec, automatic)]
    for step in runbook.failover.steps:
        if not step.on_critical_path:
            continue
        entries.append(_step_entry(step))
    if routed:
        entries.append(
            TimelineEntry(
                label="DNS caches expire",
                range=Range(ALIAS_TTL, ALIAS_TTL, None, sla=False),
                basis=f"record TTL {ALIAS_TTL}s (alias to a load balancer); resolvers that "
                "ignore it take longer",
                sources=(_DNS_SOURCE,),
            )
        )
    return Timeline(tuple(entries))


def _step_entry(step: Step) -> TimelineEntry:
    figures = [figure(key) for key in step.figures]
    if step.figures_in_sequence:
        total = figures[0].range
        for item in figures[1:]:
            total = total + item.range
        chosen = figures
    else:
        chosen = [max(figures, key=lambda f: f.range.typical)]
        total = chosen[0].range
    return TimelineEntry(
        label=step.title,
        range=total,
        basis=" + ".join(f.title for f in chosen),
        sources=tuple(f.source for f in chosen),
        figures=tuple(f.id for f in chosen),
    )


def _detection(routed: bool) -> TimelineEntry:
    if not routed:
        return TimelineEntry(
            label="Detection",
            range=Range(0, 0, 0, sla=False),
            basis="no health check is rendered without DNS: count detection in "
            "failover.decision_time",
            sources=(_DECISION_SOURCE,),
        )
    seconds = HEALTH_CHECK_INTERVAL * FAILURE_THRESHOLD
    return TimelineEntry(
        label="Detection",
        range=Range(seconds, seconds, None, sla=False),
        basis=f"Route 53 health check every {HEALTH_CHECK_INTERVAL}s, {FAILURE_THRESHOLD} failures",
        sources=(_DNS_SOURCE,),
    )


def _decision(spec: Spec, automatic: bool) -> TimelineEntry:
    if automatic:
        return TimelineEntry(
            label="Decision",
            range=Range(0, 0, 0, sla=False),
            basis="failover.mode automatic: Route 53 fails over on the health check",
            sources=(_DNS_SOURCE,),
        )
    seconds = spec.failover.decision_seconds
    return TimelineEntry(
        label="Decision",
        range=Range(seconds, seconds, seconds, sla=False),
        basis=f"failover.decision_time {spec.failover.decision_time}: people decide to fail over",
        sources=(_DECISION_SOURCE,),
    )
