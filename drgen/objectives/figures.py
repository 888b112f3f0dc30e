"""The public RPO/RTO figures (policies/objectives.yaml) as typed, validated ranges."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from drgen.bounded_read import read_text_or_fail
from drgen.errors import DrgenError
from drgen.resources import data_dir
from drgen.yamldoc.reader import MAX_BYTES, DocumentKind, load_located_yaml
from drgen.yamldoc.schema import schema_problems

FIGURES_FILE = DocumentKind(noun="document", described="the RPO/RTO figures file")


@dataclass(frozen=True)
class Range:
    """Seconds for one region loss; ``worst=None`` means AWS publishes no bound.

    ``sla`` is true only when an AWS service-level agreement backs ``worst``.
    """

    best: int
    typical: int
    worst: int | None
    sla: bool

    def __add__(self, other: Range) -> Range:
        """Two steps in sequence: every figure adds up; an SLA holds only if both have one."""
        worst = None if self.worst is None or other.worst is None else self.worst + other.worst
        return Range(
            self.best + other.best, self.typical + other.typical, worst, self.sla and other.sla
        )

    def guarantees(self, objective_seconds: int) -> bool:
        """True when an SLA-backed worst case stays within the objective."""
        return self.sla and self.worst is not None and self.worst <= objective_seconds

    @classmethod
    def schedule(cls, interval: int) -> Range:
        """Data written since the last scheduled run: none at best, a whole interval at worst.

        Objectives are maxima, so the typical figure plans for the whole interval.
        """
        return cls(0, interval, interval, sla=True)


@dataclass(frozen=True)
class Figure:
    id: str  # key in objectives.yaml, e.g. "s3-replication-rtc"
    title: str
    range: Range
    source: str  # public URL
    assumptions: str


def figures_path() -> Path:
    return data_dir("policies") / "objectives.yaml"


@cache
def load_figures(path: Path | None = None) -> dict[str, Figure]:
    """Read and validate the figures file; raises DrgenError pointing into it."""
    path = path or figures_path()
    text = read_text_or_fail(path, MAX_BYTES, what="RPO/RTO figures", hint="check the path")
    raw, source_map = load_located_yaml(str(path), text, FIGURES_FILE)
    problems = schema_problems(raw, "objectives.schema.json", source_map)
    if problems:
        raise DrgenError(problems)
    figures = {key: _figure(key, value) for key, value in raw["figures"].items()}
    problems = [
        source_map.problem(
            "figures must satisfy best <= typical <= worst",
            ("figures", figure.id),
            "order the figures: the best case is the smallest, the worst the largest",
        )
        for figure in figures.values()
        if not _ordered(figure.range)
    ]
    if problems:
        raise DrgenError(problems)
    return figures


def figure(figure_id: str) -> Figure:
    """One figure of the bundled file; a missing id is a drgen bug, not bad input."""
    return load_figures()[figure_id]


def _figure(key: str, raw: dict[str, Any]) -> Figure:
    return Figure(
        id=key,
        title=raw["title"],
        range=Range(raw["best"], raw["typical"], raw["worst"], raw["sla"]),
        source=raw["source"],
        assumptions=" ".join(raw["assumptions"].split()),
    )


def _ordered(span: Range) -> bool:
    return span.best <= span.typical and (span.worst is None or span.typical <= span.worst)


def route53_failover(request_interval: int, failure_threshold: int, ttl: int) -> Range:
    """Detection (interval x threshold) is the best case; caches expiring (TTL) make it typical."""
    detection = request_interval * failure_threshold
    return Range(detection, detection + ttl, None, sla=False)
