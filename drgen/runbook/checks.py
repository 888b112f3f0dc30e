"""What a failover must never do, checked on the runbook model (the drill and the tests).

Every AWS call names ``--region`` explicitly (a default region could be the lost one), none
names the lost region (``--region``, ``--source-region``, an endpoint URL), and Terraform is
read only in roots whose state is kept in the surviving region.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.runbook.context import RECOVERY_STATE_ROOTS
from drgen.runbook.model import Command, Procedure

# Options that pick where a call goes (or where it reads from).
_WHERE = ("--region", "--source-region", "--endpoint-url")
# AWS CLI services whose endpoint is global (us-east-1's control plane) whatever --region says.
GLOBAL_CONTROL_PLANES = frozenset({"iam", "route53", "cloudfront", "organizations"})


def lost_region_calls(procedure: Procedure, lost: str) -> Iterator[tuple[int, Command, str]]:
    """(step number, command, why) for each call the procedure must not make."""
    for number, step in enumerate(procedure.steps, 1):
        for command in step.commands:
            why = command_problem(command, lost)
            if why:
                yield number, command, why


def command_problem(command: Command, lost: str) -> str:
    """Why ``command`` depends on the ``lost`` region, or ""."""
    argv = command.argv[2:] if command.program == "expect" else command.argv  # expect VALUE cmd…
    program = argv[0]
    if program == "aws":
        service = argv[1] if len(argv) > 1 else ""
        if service in GLOBAL_CONTROL_PLANES and lost == "us-east-1":
            return f"aws {service} calls a control plane that lives in us-east-1"
        regions = [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "--region"]
        if not regions:
            return (
                "an AWS call without --region goes to the default region, which may be the lost one"
            )
        for index, arg in enumerate(argv[:-1]):
            value = argv[index + 1]
            if arg in _WHERE and isinstance(value, str) and lost in value:
                return f"{arg} {value} names the lost region"
    if program == "terraform":
        chdir = next((a for a in argv if isinstance(a, str) and a.startswith("-chdir=")), "")
        root = chdir.removeprefix("-chdir=")
        if root not in RECOVERY_STATE_ROOTS:
            return (
                f"terraform in {root or 'the current folder'} reads state kept in the lost region"
            )
    return ""
