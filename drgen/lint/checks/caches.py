"""ElastiCache: when a cache is DR data, and the regions its global datastores span.

An ElastiCache replication group or serverless cache is a cache, rebuilt from the system of
record, unless it keeps automatic snapshots (``snapshot_retention_limit`` above 0): then its
owner restores its contents after a loss, and it is data the stack must protect. A global
datastore (``aws_elasticache_global_replication_group``) copies its primary replication group
(``primary_replication_group_id``) to the members that join it by
``global_replication_group_id``, each in its own region.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.facts import pointing_at, targets
from drgen.lint.model.roots import Expression, Resource, Root

REPLICATION_GROUP = "aws_elasticache_replication_group"
SERVERLESS = "aws_elasticache_serverless_cache"
CACHES = (REPLICATION_GROUP, SERVERLESS)
GLOBAL_DATASTORE = "aws_elasticache_global_replication_group"


def holds_data(cache: Resource) -> bool:
    """Whether a cache keeps snapshots (an expression counts: it may)."""
    limit = cache.values.get("snapshot_retention_limit")
    if isinstance(limit, Expression):
        return True
    return isinstance(limit, int | float) and not isinstance(limit, bool) and limit > 0


def global_datastore_regions(root: Root) -> Iterator[str | None]:
    """Regions of every member of the root's global datastores."""
    for datastore in root.of_type(GLOBAL_DATASTORE):
        primary = datastore.values.get("primary_replication_group_id")
        for member in targets(root, datastore, primary, REPLICATION_GROUP):
            yield member.region
        for member in pointing_at(
            root, datastore, (REPLICATION_GROUP,), "global_replication_group_id"
        ):
            yield member.region
