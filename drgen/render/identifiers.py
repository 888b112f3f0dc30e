"""Deterministic AWS identifiers of everything a rendered tree creates and its runbook names.

The rendered tree is split into roots with separate states, so a value one root needs from
another travels by a name both can compute, never by a read in the other root's region. The
runbook, the failover script, the outputs and the templates all take their names from here:
one place, so an identifier in a runbook command always exists in the tree.

Names are cut to each service's limit without a trailing hyphen (see ``names.aws_name``).
"""

from __future__ import annotations

from dataclasses import dataclass

from drgen.render.names import aws_name, unique_name

# Side of the DR pair: "primary" serves today, "recovery" is the secondary region.
PRIMARY = "primary"
RECOVERY = "recovery"
_SUFFIX = {PRIMARY: "pri", RECOVERY: "dr"}


@dataclass(frozen=True)
class Identifiers:
    """Names derived from the workload name; per-store names take the store name too."""

    workload: str

    # --- compute and traffic -------------------------------------------------------------
    def autoscaling_group(self, side: str) -> str:
        return aws_name([self.workload, "app", _SUFFIX[side]], 255)

    def load_balancer(self, side: str) -> str:
        return aws_name([aws_name([self.workload], 28), _SUFFIX[side]], 32)

    def target_group(self, side: str) -> str:
        return self.load_balancer(side)

    def ami_copy_stem(self) -> str:
        """The recovery-region AMI copy is named ``<stem>-<source AMI id>``."""
        return aws_name([self.workload, "app"], 100)

    def gate_alarm(self, side: str) -> str:
        """CloudWatch alarm (in the recovery region) that opens or fences one region's traffic."""
        return aws_name([self.workload, "traffic", _SUFFIX[side]], 255)

    # The ARC gate (failover.gate: arc-routing-control) and the Region switch plan.
    def arc_cluster(self) -> str:
        return aws_name([self.workload, "gate"], 64)

    def control_panel(self) -> str:
        return aws_name([self.workload, "traffic"], 64)

    def routing_control(self, side: str) -> str:
        """One routing control per region: On lets Route 53 send that region traffic."""
        return aws_name([self.workload, "traffic", _SUFFIX[side]], 64)

    def safety_rule(self, purpose: str) -> str:
        return aws_name([self.workload, purpose], 64)

    def region_switch_plan(self) -> str:
        """Plan names are at most 32 letters, digits and hyphens."""
        return aws_name([aws_name([self.workload], 23), "failover"], 32)

    # The gate metric: the operator publishes TrafficAllowed=1|0 per region, in the recovery
    # region, through CloudWatch's data plane (PutMetricData); see templates/failover_gate.
    gate_namespace: str = "drgen/failover"
    gate_metric: str = "TrafficAllowed"

    # --- data stores ---------------------------------------------------------------------
    def dynamodb_table(self, store: str) -> str:
        """Same name in both regions (a global table)."""
        return aws_name([self.workload, store], 255)

    def aurora_global_cluster(self, store: str) -> str:
        return aws_name([self.workload, store], 50)

    def aurora_cluster(self, store: str, side: str) -> str:
        """The primary cluster keeps the global cluster's name (as drgen 0.1 named it)."""
        base = self.aurora_global_cluster(store)
        return base if side == PRIMARY else aws_name([base, _SUFFIX[side]], 63)

    def aurora_instance(self, store: str, side: str, number: int) -> str:
        return aws_name([self.aurora_cluster(store, side), str(number)], 63)

    def rds_instance(self, store: str, side: str) -> str:
        base = aws_name([self.workload, store], 50)
        return base if side == PRIMARY else aws_name([base, _SUFFIX[side]], 63)

    def db_master_secret(self) -> str:
        """The Secrets Manager secret holding the master credential of the databases that
        replicate across regions; its replica in the recovery region has the same name. The
        name never ends in a hyphen and six characters, which partial ARNs would confuse with
        the suffix Secrets Manager adds."""
        return aws_name([self.workload, "db-credentials"], 512)

    def bucket_stem(self, store: str, side: str) -> str:
        """Bucket names are ``<stem>-<account id>`` (globally unique, computed in Terraform)."""
        return unique_name([self.workload, store, _SUFFIX[side]], 50)

    # --- protection ----------------------------------------------------------------------
    def backup_vault(self, side: str) -> str:
        """Both vaults are new in 0.2 (each has its own backup key, and a vault's key cannot
        change), so neither takes drgen 0.1's name ``<workload>-dr``: a 0.1 vault with its
        recovery points stays beside them until its points expire."""
        return aws_name([self.workload, "primary" if side == PRIMARY else "recovery"], 50)

    def backup_plan(self, side: str) -> str:
        return aws_name([self.workload, _SUFFIX[side]], 50)

    def kms_alias(self, purpose: str) -> str:
        """``alias/<workload>-<purpose>``, the same alias in each region (``data``, ``backup``)."""
        return "alias/" + aws_name([self.workload, purpose], 200)

    # --- IAM (global; names are stable so other roots can build the ARNs) -------------------
    def role(self, purpose: str) -> str:
        return unique_name([self.workload, purpose], 64)

    def replication_role(self, store: str) -> str:
        """S3 replication role of one store."""
        return self.role(f"s3-replication-{store}")

    def instance_profile(self) -> str:
        return aws_name([self.workload, "app"], 128)
