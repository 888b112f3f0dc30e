"""A recording stand-in for ``aws``, ``terraform`` and ``curl`` with just enough AWS state.

Each call is appended to $STUB_LOG as JSON. Answers follow what the runbook asks: the
global database's writer changes only on failover-global-cluster / switchover-global-cluster,
an RDS replica loses its source only once promoted, a routing control (Off at first) is what
update-routing-control-states last set; jobs complete, tables are ACTIVE. A
runbook step that polls before the step that causes the change never sees its value.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ACCOUNT = "123456789012"


def main() -> int:
    program, args = Path(sys.argv[0]).name, sys.argv[1:]
    with Path(os.environ["STUB_LOG"]).open("a", encoding="utf-8") as log:
        log.write(json.dumps({"program": program, "argv": args}) + "\n")
    if program == "terraform":
        print(f"stub-{args[-1]}")
        return 0
    if program == "curl":
        return 0
    state_path = Path(os.environ["STUB_STATE"])
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    answer = _answer(args, state)
    state_path.write_text(json.dumps(state))
    if answer is not None:
        print(answer)
    return 0


def _option(args: list[str], name: str) -> str:
    return args[args.index(name) + 1] if name in args else ""


def _answer(args: list[str], state: dict[str, dict[str, str]]) -> str | None:
    operation = args[2] if args[1] == "wait" else args[1]
    region, query = _option(args, "--region"), _option(args, "--query")
    writers, promoted = state.setdefault("writers", {}), state.setdefault("promoted", {})
    if operation == "get-caller-identity":
        return ACCOUNT
    if operation == "describe-db-clusters":
        return f"arn:aws:rds:{region}:{ACCOUNT}:cluster:{_option(args, '--db-cluster-identifier')}"
    if operation in ("failover-global-cluster", "switchover-global-cluster"):
        target = _option(args, "--target-db-cluster-identifier")
        writers[_option(args, "--global-cluster-identifier")] = target
        return None
    if operation == "describe-global-clusters":
        writer = writers.get(_option(args, "--global-cluster-identifier"), "")
        if "[?IsWriter]" in query:
            return writer or "None"
        if "DBClusterArn=='" in query:
            return str(query.split("'")[1] == writer)
        return None
    if operation == "promote-read-replica":
        promoted[_option(args, "--db-instance-identifier")] = "yes"
        return None
    if operation == "describe-db-instances" and "ReadReplicaSource" in query:
        instance = _option(args, "--db-instance-identifier")
        return "None" if instance in promoted and "DBInstanceStatus" not in query else "source"
    if operation == "update-routing-control-states":
        controls = state.setdefault("controls", {})
        for entry in args[args.index("--update-routing-control-state-entries") + 1 :]:
            if entry.startswith("--"):
                break
            fields = dict(part.split("=", 1) for part in entry.split(","))
            controls[fields["RoutingControlArn"]] = fields["RoutingControlState"]
        return None
    if operation == "get-routing-control-state":
        return state.setdefault("controls", {}).get(_option(args, "--routing-control-arn"), "Off")
    if operation == "describe-table":
        return "ACTIVE"
    if operation in ("describe-restore-job", "describe-backup-job", "describe-copy-job"):
        if query == "RecoveryPointArn":
            return f"arn:aws:backup:{region}:{ACCOUNT}:recovery-point:made"
        return "COMPLETED"
    if operation.startswith("start-"):
        return "job-1"
    if operation == "list-recovery-points-by-backup-vault":
        return f"arn:aws:rds:{region}:{ACCOUNT}:snapshot:awsbackup:copy"
    if operation == "describe-target-groups":
        return f"arn:aws:elasticloadbalancing:{region}:{ACCOUNT}:targetgroup/x/1"
    if operation == "describe-load-balancers":
        return f"lb.{region}.elb.amazonaws.com"
    return None


if __name__ == "__main__":
    sys.exit(main())
