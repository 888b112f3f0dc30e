"""Which regions of a DR topology serve today (the sources of its cross-region copies) and
which hold the copies (the recovery side).

A location is a resource's region, or, when drgen cannot resolve it (``region = var.region``
without a default), the provider configuration it uses: a bucket under ``aws`` replicated to a
bucket under ``aws.dr`` puts ``aws`` on the serving side whatever its region.
"""

from __future__ import annotations

from dataclasses import dataclass

from drgen.lint.checks.caches import GLOBAL_DATASTORE, REPLICATION_GROUP
from drgen.lint.checks.dynamodb import TABLE, replicas
from drgen.lint.checks.facts import pointing_at, targets
from drgen.lint.checks.rds import CLUSTER, INSTANCE, copies_of, is_secondary
from drgen.lint.checks.s3 import replications
from drgen.lint.model.roots import Resource, Root


@dataclass(frozen=True)
class Sides:
    sources: frozenset[str]  # locations holding data that is copied to another region
    copies: frozenset[str]  # locations holding those copies

    @property
    def primary(self) -> frozenset[str]:
        """Regions that only serve (a region that is both, as in two-way replication, is
        neither side)."""
        return self.sources - self.copies


def location(resource: Resource) -> str:
    """The resource's region, else ``provider <address>``."""
    return resource.region or f"provider {resource.provider}"


def sides(root: Root) -> Sides:
    """The source and copy regions of the root and every root linked with it (known ones)."""
    sources: set[str] = set()
    copies: set[str] = set()

    def pair(source: Resource, copy: Resource) -> None:
        apart = source.region != copy.region or source.region is None
        if apart and location(source) != location(copy):
            sources.add(location(source))
            copies.add(location(copy))

    for member in (root, *root.peers):
        for replication in replications(member):
            for source in replication.sources:
                for destination in replication.destinations:
                    pair(source, destination)
        for table in member.of_type(TABLE):
            for region in replicas(member, table).regions - {table.region}:
                if table.region is not None:
                    sources.add(location(table))
                    copies.add(region)
        for datastore in member.of_type(GLOBAL_DATASTORE):
            primary = datastore.values.get("primary_replication_group_id")
            for source in targets(member, datastore, primary, REPLICATION_GROUP):
                for copy in pointing_at(
                    member, datastore, (REPLICATION_GROUP,), "global_replication_group_id"
                ):
                    pair(source, copy)
        for database in member.of_type(INSTANCE, CLUSTER):
            if database.type == CLUSTER and is_secondary(member, database) is not False:
                continue
            for copy in copies_of(member, database):
                pair(database, copy)
    return Sides(frozenset(sources), frozenset(copies))
