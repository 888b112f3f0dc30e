"""Regions, providers, tags, count/for_each on a realistic primary/DR root."""

from __future__ import annotations

from pathlib import Path

import pytest

from drgen.lint.model.roots import Project, Resource
from drgen.lint.topology.project import build_project

FIXTURES = Path(__file__).parent / "fixtures" / "model"


@pytest.fixture(scope="module")
def project() -> Project:
    built, errors = build_project([FIXTURES / "regions"], use_cache=False)
    assert errors == []
    return built


def resource(project: Project, address: str) -> Resource:
    (root,) = project.roots
    found = root.by_address(address)
    assert found is not None, f"{address} missing; have {[r.address for r in root.resources]}"
    return found


def test_default_provider_region_comes_from_tfvars_over_the_default(project: Project) -> None:
    assert resource(project, "aws_s3_bucket.assets").region == "us-east-1"


def test_aliased_provider_region_resolves_through_a_local_and_a_map_variable(
    project: Project,
) -> None:
    bucket = resource(project, "aws_s3_bucket.assets_dr")
    assert (bucket.region, bucket.provider) == ("us-west-2", "aws.dr")


def test_v6_region_argument_overrides_the_provider(project: Project) -> None:
    assert resource(project, "aws_s3_bucket.logs_eu").region == "eu-west-1"


def test_unresolvable_region_is_none_not_a_guess(project: Project) -> None:
    assert resource(project, "aws_s3_bucket.unknown").region is None


def test_module_gets_the_provider_from_its_providers_map(project: Project) -> None:
    table = resource(project, "module.store.aws_dynamodb_table.this")
    assert (table.region, table.provider, table.file) == (
        "us-west-2",
        "aws.dr",
        "modules/store/main.tf",
    )


def test_tags_merge_over_provider_default_tags(project: Project) -> None:
    assert resource(project, "aws_s3_bucket.assets").tags == {
        "team": "payments",
        "managed-by": "terraform",
        "Name": "assets",
    }
    assert resource(project, "data.aws_region.current").tags == {}


def test_count_zero_and_empty_for_each_do_not_exist(project: Project) -> None:
    (root,) = project.roots
    addresses = {r.address for r in root.resources}
    assert "module.store.aws_dynamodb_table.optional" not in addresses
    assert "module.store.aws_sqs_queue.none" not in addresses
    assert not any(a.startswith("module.disabled.") for a in addresses)


def test_for_each_resource_is_one_expanded_node(project: Project) -> None:
    queue = resource(project, "module.store.aws_sqs_queue.events")
    assert queue.expanded
    assert not resource(project, "aws_s3_bucket.assets").expanded


def test_called_module_directory_is_not_a_root_and_files_are_counted(project: Project) -> None:
    assert [r.directory for r in project.roots] == ["."]
    assert project.files_scanned == 3
    assert project.not_analysed == []


def test_lines_point_at_block_headers(project: Project) -> None:
    bucket = resource(project, "aws_s3_bucket.assets")
    assert (bucket.file, bucket.line, bucket.body.line_of("tags")) == ("main.tf", 23, 25)
