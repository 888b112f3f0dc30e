"""DocumentDB and Neptune clusters with no copy in another region (DR031), and the global
databases that give them one.

A DocumentDB (``aws_docdb_cluster``) or Neptune (``aws_neptune_cluster``) cluster has a copy
in another region when it belongs to a global cluster (``aws_docdb_global_cluster`` /
``aws_neptune_global_cluster``, joined by ``global_cluster_identifier``) with a member cluster
in another region (the primary and a secondary are each other's copy), or when an AWS Backup
plan copies it to a vault in another region. Members are found in every linked root (a
secondary usually lives in the recovery region's root).
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.backup import has_cross_region_backup
from drgen.lint.checks.facts import is_resolvable, is_set, other_region, pointing_at, targets
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Resource, Root

GLOBAL_OF = {
    "aws_docdb_cluster": "aws_docdb_global_cluster",
    "aws_neptune_cluster": "aws_neptune_global_cluster",
}
_ENGINE = {"aws_docdb_cluster": "DocumentDB", "aws_neptune_cluster": "Neptune"}


def global_of(root: Root, cluster: Resource) -> list[Resource] | None:
    """The global cluster(s) ``cluster`` joins, by its ``global_cluster_identifier`` or as a
    global cluster's ``source_db_cluster_identifier`` ([] for none; None: cannot tell)."""
    kind = GLOBAL_OF[cluster.type]
    sourced = pointing_at(root, cluster, (kind,), "source_db_cluster_identifier")
    identifier = cluster.values.get("global_cluster_identifier")
    member = is_set(cluster.values, "global_cluster_identifier")
    if member is False:
        return sourced
    found = targets(root, cluster, identifier, kind) + sourced
    if found:
        return found
    return None if member is None or not is_resolvable(root, cluster, identifier, kind) else []


def copy_elsewhere(root: Root, cluster: Resource) -> bool | None:
    """Whether the cluster has a copy in another region (None: cannot tell)."""
    answers: set[bool | None] = {has_cross_region_backup(root, cluster)}
    joined = global_of(root, cluster)
    if joined is None:
        answers.add(None)
    for global_cluster in joined or ():
        for member in root.linked_of_type(cluster.type):
            if member is cluster:
                continue
            if any(g is global_cluster for g in global_of(root, member) or ()):
                answers.add(other_region(cluster.region, member.region))
    if True in answers:
        return True
    return None if None in answers else False


def check_document_graph_recovery(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for cluster in root.of_type(*GLOBAL_OF):
        copied = copy_elsewhere(root, cluster)
        if copied is True:
            continue
        where = f"{cluster.address} ({cluster.region or 'region unknown'})"
        if copied is None:
            yield Violation(
                cluster,
                f"{where}: cannot tell whether it has a copy in another region",
                unresolved=True,
                kind="undecided-copy",
            )
            continue
        yield Violation(
            cluster,
            f"{where} is a {_ENGINE[cluster.type]} cluster with no copy in another region: "
            f"make it the primary of an {GLOBAL_OF[cluster.type]} with a secondary cluster in "
            "another region, or cover it by an AWS Backup plan whose rule copies to a vault in "
            "another region.",
            kind="no-cross-region-copy",
        )
