"""DR010: a store writable in more than one region with no declared write owner.

Multi-writer stores: DynamoDB tables with replicas (``replica`` blocks,
``aws_dynamodb_table_replica``, ``aws_dynamodb_global_table``), S3 buckets replicating to each
other across regions, and independent RDS/Aurora primaries of one database in several regions.
Guarded by the ``drgen:write-mode`` tag (``write-global``/``write-origin``) or, for DynamoDB,
by every replica using multi-region strong consistency. ``write-local`` is the dual-master
anti-pattern: reported, and acknowledged only by a suppression with a reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from drgen.domain import WRITE_MODE_TAG, WriteMode
from drgen.lint.checks.dynamic_blocks import optional_nested
from drgen.lint.checks.dynamodb import TABLE, replicas
from drgen.lint.checks.facts import other_region, text
from drgen.lint.checks.rds import CLUSTER, INSTANCE, is_read_replica, is_secondary
from drgen.lint.checks.s3 import replications
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Block, Expression, Resource, Root

_GUARDS = (WriteMode.WRITE_GLOBAL.value, WriteMode.WRITE_ORIGIN.value)


def check_multi_region_writes(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for table in root.of_type(TABLE):
        found = replicas(root, table)
        maybe = optional_nested(table.values, "replica")
        if not (found.resources or any(all(b is not m for m in maybe) for b in found.blocks)):
            if maybe:  # dynamic "replica" blocks whose for_each drgen cannot evaluate
                yield Violation(
                    table,
                    f"{table.address}: cannot tell whether it has replicas",
                    unresolved=True,
                    kind="undecided-replicas",
                )
            continue
        modes = {_consistency(block) for block in found.blocks}
        if found.blocks and not found.resources and modes == {"STRONG"}:
            continue  # multi-region strong consistency: no conflicting writes
        regions = sorted(found.regions | ({table.region} if table.region else set()))
        where = " and ".join(regions) if len(regions) > 1 else "several regions"
        yield from _unless_guarded(table, where, unknown_mode=None in modes)
    yield from _buckets_replicating_both_ways(root)
    yield from _independent_primaries(root)


def _buckets_replicating_both_ways(root: Root) -> Iterator[Violation]:
    pairs = {
        (source.address, destination.address): (source, destination)
        for replication in replications(root)
        for source in replication.sources
        for destination in replication.destinations
    }
    for (source_address, destination_address), (source, destination) in sorted(pairs.items()):
        if (destination_address, source_address) not in pairs:
            continue
        apart = other_region(source.region, destination.region)
        if apart is None:
            yield Violation(
                source,
                f"{source.address}: replicates both ways with "
                f"{destination_address} in a region drgen cannot resolve",
                unresolved=True,
                kind=f"undecided-region:{destination_address}",
            )
        elif apart:
            yield from _unless_guarded(
                source,
                f"{source.region} and {destination.region} (replicates both ways with "
                f"{destination_address})",
            )


def _independent_primaries(root: Root) -> Iterator[Violation]:
    """Primaries sharing a database name or identifier, in more than one region."""
    groups: dict[str, list[Resource]] = defaultdict(list)
    for database in root.of_type(INSTANCE, CLUSTER):
        if is_read_replica(database, root) is not False:
            continue  # a replica, or maybe one: never guess a second primary
        if database.type == CLUSTER and is_secondary(root, database) is not False:
            continue
        for key in _identity(database):
            groups[key].append(database)
    reported: set[str] = set()
    for key in sorted(groups):
        members = groups[key]
        regions = {m.region for m in members}
        if len(members) < 2 or len(regions - {None}) < 2:
            continue
        where = " and ".join(sorted(r for r in regions if r))
        for member in members:
            if member.address not in reported:
                reported.add(member.address)
                yield from _unless_guarded(
                    member, f"{where} (independent primaries of database {key.split(':', 1)[1]})"
                )


def _identity(database: Resource) -> list[str]:
    names = ("db_name", "name") if database.type == INSTANCE else ("database_name",)
    identifier = "identifier" if database.type == INSTANCE else "cluster_identifier"
    keys = [f"name:{text(database.values.get(n))}" for n in names if text(database.values.get(n))]
    if text(database.values.get(identifier)):
        keys.append(f"id:{text(database.values.get(identifier))}")
    return keys


def _consistency(replica: Block) -> str | None:
    """A replica block's consistency mode; None when it is an expression."""
    value = replica.get("consistency_mode")
    return "EVENTUAL" if value is None else text(value)


def _unless_guarded(
    store: Resource, where: str, *, unknown_mode: bool = False
) -> Iterator[Violation]:
    mode = store.tags.get(WRITE_MODE_TAG)
    if mode in _GUARDS:
        return
    if mode is None and (unknown_mode or isinstance(store.values.get("tags"), Expression)):
        yield Violation(
            store,
            f"{store.address}: cannot tell whether its tags or replicas guard its writes",
            unresolved=True,
            kind="undecided-guard",
        )
        return
    if mode == WriteMode.WRITE_LOCAL.value:
        yield Violation(
            store,
            f"{store.address} accepts writes in {where} and is tagged write-local (dual master): "
            "conflicting writes to one key diverge silently; if that is handled, acknowledge it "
            "with `# drgen:ignore[DR010] <reason>` above the block, else tag it "
            f"{WRITE_MODE_TAG} = write-global or write-origin.",
            kind="dual-master",
        )
        return
    yield Violation(
        store,
        f"{store.address} accepts writes in {where} with no declared write owner: tag it "
        f"{WRITE_MODE_TAG} = write-global (one writer region) or write-origin (each record "
        'written in its home region), or use consistency_mode = "STRONG" on every DynamoDB '
        "replica.",
        kind="no-write-owner",
    )
