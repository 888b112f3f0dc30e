"""Route 53 ARC facts the gate, the Region switch plan and the runbook share.

An ARC cluster answers routing-control reads and writes (its data plane) at five regional
endpoints, a fixed set of regions whatever the workload's regions are; the configuration
API (cluster, control panel, routing controls, safety rules) lives in us-west-2 only and is
needed just to apply the DNS root. During a failover the runbook talks to one endpoint: the
one in the recovery region when there is one, else the nearest that is not the primary.
"""

from __future__ import annotations

# The regions of every ARC cluster's data plane endpoints (Route 53 ARC developer guide).
CLUSTER_ENDPOINT_REGIONS = (
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "ap-northeast-1",
    "ap-southeast-2",
)

# Nearest endpoint regions first, by the region name's geography (prefix match, first wins).
_NEAREST: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("us-west-", ("us-west-2", "us-east-1")),
    ("ca-west-", ("us-west-2", "us-east-1")),
    ("us-", ("us-east-1", "us-west-2")),
    ("ca-", ("us-east-1", "us-west-2")),
    ("mx-", ("us-east-1", "us-west-2")),
    ("sa-", ("us-east-1", "us-west-2")),
    ("eu-", ("eu-west-1", "us-east-1")),
    ("il-", ("eu-west-1", "us-east-1")),
    ("me-", ("eu-west-1", "ap-northeast-1")),
    ("af-", ("eu-west-1", "us-east-1")),
    ("ap-northeast-", ("ap-northeast-1", "ap-southeast-2")),
    ("ap-east-", ("ap-northeast-1", "ap-southeast-2")),
    ("ap-", ("ap-southeast-2", "ap-northeast-1")),
)


def endpoint_regions(primary: str, recovery: str) -> tuple[str, ...]:
    """Every endpoint region in the order a failover should try them: the recovery region's
    own endpoint (if any), then the nearest ones; never the primary's, which may be lost."""
    nearest = next((order for prefix, order in _NEAREST if recovery.startswith(prefix)), ())
    ordered = dict.fromkeys((recovery, *nearest, *CLUSTER_ENDPOINT_REGIONS))
    return tuple(r for r in ordered if r in CLUSTER_ENDPOINT_REGIONS and r != primary)


def endpoint_region(primary: str, recovery: str) -> str:
    """The endpoint region the runbook and the ``arc_cluster_endpoint`` output use."""
    return endpoint_regions(primary, recovery)[0]
