"""The runbook as data: procedures of ordered steps, each with complete commands.

Renderers (Markdown, bash) and checks (the runbook test, ``drgen drill``) read this one model,
so what the README says, what the script runs and what the drill proves are the same steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Var:
    """A shell variable an earlier command captured, e.g. the account id."""

    name: str


@dataclass(frozen=True)
class Join:
    """One argument built from literal text and variables: ``arn:aws:iam::${ACCOUNT_ID}:…``."""

    parts: tuple[str | Var, ...]


Arg = str | Var | Join


@dataclass(frozen=True)
class Command:
    """One program call. ``capture`` names the variable its output goes to; ``probe`` marks a
    check whose failure is information (the lost primary not answering), not an error."""

    argv: tuple[Arg, ...]
    capture: str | None = None
    probe: bool = False

    @property
    def program(self) -> str:
        first = self.argv[0]
        assert isinstance(first, str)
        return first

    def option(self, name: str) -> Arg | None:
        """The value after ``--name`` (``--region`` …), None when absent."""
        for index, arg in enumerate(self.argv[:-1]):
            if arg == name:
                return self.argv[index + 1]
        return None

    @property
    def literals(self) -> tuple[str, ...]:
        return tuple(arg for arg in self.argv if isinstance(arg, str))


class Phase(StrEnum):
    CONFIRM = "confirm"
    FENCE = "fence"
    PROMOTE = "promote data"
    COMPUTE = "bring compute up"
    VERIFY = "verify"
    TRAFFIC = "shift traffic"
    RESYNC = "copy data back"
    STANDBY = "return to standby"


@dataclass(frozen=True)
class Step:
    """One step an operator confirms. Its commands start the work for every store and then
    wait for all of it, so its duration is its slowest figure (keys of objectives.yaml), or
    their sum when ``figures_in_sequence``. A step without commands is work drgen does not
    render (the application of a backup-restore workload)."""

    phase: Phase
    title: str
    why: str
    commands: tuple[Command, ...]
    figures: tuple[str, ...]
    on_critical_path: bool = True  # False: after service is back (automatic failover)
    figures_in_sequence: bool = False  # True: the figures add up instead (one after another)


@dataclass(frozen=True)
class Procedure:
    name: str  # "failover" or "failback"
    summary: str
    steps: tuple[Step, ...]
    # the region whose control plane the procedure must not call (the lost one), if any
    avoid_region: str | None


@dataclass(frozen=True)
class Runbook:
    workload: str
    primary_region: str
    recovery_region: str
    failover: Procedure
    failback: Procedure

    @property
    def procedures(self) -> tuple[Procedure, Procedure]:
        return (self.failover, self.failback)
