"""Deterministic names: within AWS limits, distinct per store, the same across renders."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from drgen.render.identifiers import PRIMARY, RECOVERY, Identifiers
from drgen.render.names import unique_name

_NAME = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True).filter(
    lambda n: len(n) <= 31
)


def test_a_name_that_fits_is_kept_as_written() -> None:
    assert unique_name(["shop", "assets", "dr"], 50) == "shop-assets-dr"


def test_long_names_that_share_their_first_characters_stay_distinct() -> None:
    workload = "w" * 31
    first = unique_name([workload, "s" * 29 + "1", "dr"], 50)
    second = unique_name([workload, "s" * 29 + "2", "dr"], 50)
    assert first != second
    assert len(first) == len(second) == 50
    assert not first.endswith("-") and "--" not in first


@given(_NAME, _NAME, _NAME)
def test_per_store_names_fit_and_differ_between_stores(workload: str, a: str, b: str) -> None:
    ids = Identifiers(workload)
    for store in (a, b):
        for side in (PRIMARY, RECOVERY):
            assert len(ids.bucket_stem(store, side)) <= 50
            assert len(ids.bucket_stem(store, side) + "-123456789012") <= 63
        assert len(ids.replication_role(store)) <= 64
    if a != b:
        assert ids.bucket_stem(a, RECOVERY) != ids.bucket_stem(b, RECOVERY)
        assert ids.replication_role(a) != ids.replication_role(b)
    assert ids.bucket_stem(a, PRIMARY) != ids.bucket_stem(a, RECOVERY)


def test_the_primary_cluster_keeps_the_name_drgen_0_1_gave_it() -> None:
    ids = Identifiers("shop")
    assert ids.aurora_cluster("orders", PRIMARY) == "shop-orders"
    assert ids.aurora_cluster("orders", RECOVERY) == "shop-orders-dr"
    assert ids.rds_instance("legacy", RECOVERY) == "shop-legacy-dr"
    assert ids.backup_vault(PRIMARY) == "shop-primary"
    assert ids.backup_vault(RECOVERY) == "shop-recovery"
