"""What an RPO/RTO assessment says: per component ranges, the workload estimate, the verdict."""

from __future__ import annotations

from dataclasses import dataclass

from drgen.objectives.figures import Figure, Range
from drgen.objectives.timeline import Timeline


@dataclass(frozen=True)
class ComponentEstimate:
    """One recovery path: a data store, the compute tier or DNS failover.

    ``rpo`` is None for stateless components (nothing to lose).
    """

    name: str
    kind: str  # "s3" | "dynamodb" | "aurora" | "rds" | "compute" | "dns"
    rpo: Range | None
    rto: Range
    rpo_basis: str  # the figures (and settings) the RPO rests on, in words ("" if stateless)
    rto_basis: str
    figures: tuple[Figure, ...]

    @property
    def basis(self) -> str:
        rpo = f"RPO: {self.rpo_basis}; " if self.rpo_basis else ""
        return f"{rpo}RTO: {self.rto_basis}"

    @property
    def sla(self) -> bool:
        """True when the RPO or the RTO range rests only on SLA-backed figures."""
        return (self.rpo is not None and self.rpo.sla) or self.rto.sla

    @property
    def source(self) -> str:
        return self.figures[0].source


@dataclass(frozen=True)
class Assessment:
    """The estimate for a region loss: the weakest component's typical figure decides."""

    name: str
    pattern: str
    rpo_objective: int  # seconds
    rto_objective: int
    components: tuple[ComponentEstimate, ...]
    # the failover's RTO as detection + decision + serial runbook steps; None: judge by the
    # weakest component alone (assessments built without a runbook)
    timeline: Timeline | None = None

    @property
    def weakest_rpo(self) -> ComponentEstimate | None:
        stateful = [c for c in self.components if c.rpo is not None]
        return max(stateful, key=_typical_rpo, default=None)

    @property
    def weakest_rto(self) -> ComponentEstimate | None:
        return max(self.components, key=lambda c: c.rto.typical, default=None)

    @property
    def estimate_rpo(self) -> int:
        weakest = self.weakest_rpo
        return weakest.rpo.typical if weakest and weakest.rpo else 0

    @property
    def estimate_rto(self) -> int:
        if self.timeline is not None:
            return self.timeline.total.typical
        weakest = self.weakest_rto
        return weakest.rto.typical if weakest else 0

    @property
    def meets_rpo(self) -> bool:
        return self.estimate_rpo <= self.rpo_objective

    @property
    def meets_rto(self) -> bool:
        return self.estimate_rto <= self.rto_objective

    @property
    def guaranteed_rpo(self) -> bool:
        """Every stateful component's SLA-backed worst case meets the RPO (none: no guarantee)."""
        ranges = [c.rpo for c in self.components if c.rpo is not None]
        return bool(ranges) and all(r.guarantees(self.rpo_objective) for r in ranges)

    @property
    def guaranteed_rto(self) -> bool:
        if self.timeline is not None:
            return self.timeline.total.guarantees(self.rto_objective)
        ranges = [c.rto for c in self.components]
        return bool(ranges) and all(r.guarantees(self.rto_objective) for r in ranges)


def _typical_rpo(component: ComponentEstimate) -> int:
    return component.rpo.typical if component.rpo else 0
