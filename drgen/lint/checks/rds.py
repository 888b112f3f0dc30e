"""RDS and Aurora: no cross-region recovery (DR003), no HA inside the region (DR007)."""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.backup import has_cross_region_backup
from drgen.lint.checks.facts import is_set, other_region, pointing_at, targets, text, truth
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Resource, Root

INSTANCE = "aws_db_instance"
CLUSTER = "aws_rds_cluster"
GLOBAL = "aws_rds_global_cluster"
SHARD_GROUP = "aws_rds_shard_group"
AUTOSCALING_TARGET = "aws_appautoscaling_target"


def is_read_replica(database: Resource, root: Root | None = None) -> bool | None:
    """An instance replicating another, or a cluster replicating another cluster (None: the
    source is an expression that may be null). With ``root``, a source that leads to a
    database (say through a module output) settles it."""
    answers: set[bool | None] = set()
    for name in ("replicate_source_db", "replication_source_identifier"):
        answer = is_set(database.values, name)
        if answer is None and root is not None:
            found = targets(root, database, database.values.get(name), INSTANCE, CLUSTER)
            answer = True if found else None
        answers.add(answer)
    if True in answers:
        return True
    return None if None in answers else False


def global_members(root: Root, cluster: Resource) -> list[Resource]:
    """Every cluster of the global database ``cluster`` belongs to (itself included)."""
    members: dict[tuple[str, str], Resource] = {}
    joined = _globals_of(root, cluster)
    for member in root.linked_of_type(CLUSTER):
        if any(g is h for g in joined for h in _globals_of(root, member)):
            members[(root.home(member).directory, member.address)] = member
    return [members[key] for key in sorted(members)]


def is_secondary(root: Root, cluster: Resource) -> bool | None:
    """A cluster that joins a global database as a secondary (or replicates another cluster).

    The primary is the global cluster's ``source_db_cluster_identifier``, else the member that
    sets the master credentials, as primaries must and secondaries cannot.
    """
    replicating = is_set(cluster.values, "replication_source_identifier")
    if replicating is not False:
        return replicating
    joined = _globals_of(root, cluster)
    for global_cluster in joined:
        sources = targets(
            root, global_cluster, global_cluster.values.get("source_db_cluster_identifier"), CLUSTER
        )
        if sources:
            return all(source is not cluster for source in sources)
    members = global_members(root, cluster)
    owners = [m for m in members if _sets_credentials(m) is not False]
    if owners:
        return all(owner is not cluster for owner in owners)
    member = is_set(cluster.values, "global_cluster_identifier")
    if member is False or joined:
        return False
    # joins a global cluster drgen cannot see (another root's state, a variable): only a
    # primary may set master credentials
    credentials = _sets_credentials(cluster)
    if credentials is False:
        return member
    return False if credentials else None


def check_database_recovery(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    """DR003: an RDS instance or Aurora cluster with no copy in another region."""
    for database in root.of_type(INSTANCE, CLUSTER):
        replica = is_read_replica(database, root)
        if replica is False and database.type == CLUSTER:
            replica = is_secondary(root, database)
        if replica:
            continue  # the copy itself
        answers = {other_region(database.region, c.region) for c in copies_of(root, database)}
        answers |= {has_cross_region_backup(root, database), None if replica is None else False}
        if True in answers:
            continue
        where = f"{database.address} ({database.region or 'region unknown'})"
        if None in answers:
            yield Violation(
                database,
                f"{where}: cannot tell whether it has a copy in another region",
                unresolved=True,
                kind="undecided-copy",
            )
            continue
        fix = (
            "add a cross-region read replica or an aws_db_instance_automated_backups_replication"
            if database.type == INSTANCE
            else "make it the primary of an aws_rds_global_cluster with a secondary cluster in "
            "another region"
        )
        yield Violation(
            database,
            f"{where} has no cross-region recovery: {fix}, or cover it by an AWS Backup plan "
            "whose rule copies to a vault in another region.",
            kind="no-cross-region-copy",
        )


def check_database_ha(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    """DR007: a primary database that a single Availability Zone failure takes down."""
    for instance in root.of_type(INSTANCE):
        replica = is_read_replica(instance, root)
        if replica:
            continue
        multi_az = truth(instance.values.get("multi_az"))
        if multi_az is None or (replica is None and not multi_az):
            yield Violation(
                instance,
                f"{instance.address}: cannot tell whether it is a primary with multi_az on",
                unresolved=True,
                kind="undecided-multi-az",
            )
        elif not multi_az:
            yield Violation(
                instance,
                f"{instance.address} runs in a single Availability Zone: set multi_az = true.",
                line=instance.values.line_of("multi_az"),
                kind="single-az",
            )
    for cluster in root.of_type(CLUSTER):
        secondary = is_secondary(root, cluster)
        if secondary:
            continue
        if text(cluster.values.get("cluster_scalability_type")) == "limitless":
            yield from _limitless_ha(root, cluster)
            continue
        if not _needs_instances(cluster):
            continue
        members = pointing_at(root, cluster, ("aws_rds_cluster_instance",), "cluster_identifier")
        counts = [_instance_count(m) for m in members] + _autoscaled_readers(root, cluster)
        if sum(c or 0 for c in counts) >= 2:
            continue
        if None in counts or secondary is None:
            yield Violation(
                cluster,
                f"{cluster.address}: cannot tell whether it is a primary with two instances",
                unresolved=True,
                kind="undecided-instances",
            )
        else:
            yield Violation(
                cluster,
                f"{cluster.address} has fewer than two instances, so an Availability Zone "
                "failure stops it: add a second aws_rds_cluster_instance (a reader in another "
                "zone).",
                kind="one-instance",
            )


def copies_of(root: Root, database: Resource) -> list[Resource]:
    """Replicas, automated-backup replications and other global members of ``database``."""
    if database.type == INSTANCE:
        return pointing_at(root, database, (INSTANCE,), "replicate_source_db") + pointing_at(
            root,
            database,
            ("aws_db_instance_automated_backups_replication",),
            "source_db_instance_arn",
        )
    others = [m for m in global_members(root, database) if m is not database]
    return others + pointing_at(root, database, (CLUSTER,), "replication_source_identifier")


def _globals_of(root: Root, cluster: Resource) -> list[Resource]:
    joined = targets(root, cluster, cluster.values.get("global_cluster_identifier"), GLOBAL)
    sourced = pointing_at(root, cluster, (GLOBAL,), "source_db_cluster_identifier")
    return joined + [g for g in sourced if all(g is not j for j in joined)]


def _sets_credentials(cluster: Resource) -> bool | None:
    """Whether a cluster sets master credentials (or restores a snapshot that has them)."""
    answers = {
        is_set(cluster.values, name)
        for name in ("master_username", "manage_master_user_password", "snapshot_identifier")
    }
    if True in answers:
        return True
    return None if None in answers else False


def _limitless_ha(root: Root, cluster: Resource) -> Iterator[Violation]:
    """A Limitless Database runs in its shard group, not in cluster instances: its zone
    redundancy is the group's ``compute_redundancy`` (0 = no standby in another zone)."""
    groups = pointing_at(root, cluster, (SHARD_GROUP,), "db_cluster_identifier")
    for group in groups:
        redundancy = group.values.get("compute_redundancy")
        if redundancy == 0 and not isinstance(redundancy, bool):
            yield Violation(
                cluster,
                f"{cluster.address} is a Limitless Database whose shard group {group.address} "
                "has compute_redundancy = 0, so an Availability Zone failure stops it: set "
                "compute_redundancy = 1 or 2 (standbys in other zones).",
                kind="shard-group-no-standby",
            )
        elif not isinstance(redundancy, int) or isinstance(redundancy, bool):
            yield Violation(
                cluster,
                f"{cluster.address}: cannot tell whether its shard group {group.address} keeps "
                "a standby in another zone",
                unresolved=True,
                kind="undecided-shard-group",
            )
    if not groups:
        yield Violation(
            cluster,
            f"{cluster.address}: a Limitless Database with no shard group drgen can find",
            unresolved=True,
            kind="undecided-shard-group",
        )


def _autoscaled_readers(root: Root, cluster: Resource) -> list[int | None]:
    """The replicas Aurora Auto Scaling always keeps: each target's ``min_capacity``."""
    found: list[int | None] = []
    for target in pointing_at(root, cluster, (AUTOSCALING_TARGET,), "resource_id"):
        if text(target.values.get("scalable_dimension")) != "rds:cluster:ReadReplicaCount":
            continue
        minimum = target.values.get("min_capacity")
        single = _instance_count(target) == 1
        if isinstance(minimum, int) and not isinstance(minimum, bool) and single:
            found.append(minimum)
        else:
            found.append(None)
    return found


def _needs_instances(cluster: Resource) -> bool:
    """Serverless v1 and Multi-AZ DB clusters bring their own zone redundancy."""
    if text(cluster.values.get("engine_mode")) == "serverless":
        return False
    return is_set(cluster.values, "db_cluster_instance_class") is False


def _instance_count(instance: Resource) -> int | None:
    body = instance.values
    if "count" in body.attributes:
        count = body.get("count")
        return count if isinstance(count, int) and not isinstance(count, bool) else None
    if "for_each" in body.attributes:
        for_each = body.get("for_each")
        return len(for_each) if isinstance(for_each, list | dict) else None
    return 1
