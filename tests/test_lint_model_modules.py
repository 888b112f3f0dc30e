"""Roots, local/remote/nested modules, providers maps and module-declared providers."""

from __future__ import annotations

import pytest

from drgen.lint.model.roots import Project
from tests.lint_model.support import build, resource_at, root_at


@pytest.fixture(scope="module")
def project() -> Project:
    built, errors = build("modules")
    assert errors == []
    return built


def test_examples_are_roots_and_called_modules_are_not(project: Project) -> None:
    assert [r.directory for r in project.roots] == [
        "examples/a",
        "examples/b",
        "examples/installed",
        "examples/remote",
    ]


def test_same_address_in_two_example_roots_is_kept_apart(project: Project) -> None:
    address = "module.db.module.db.aws_dynamodb_table.sessions"
    a = resource_at(root_at(project, "examples/a"), address)
    b = resource_at(root_at(project, "examples/b"), address)
    assert (a.region, b.region) == ("us-east-1", "eu-central-1")  # b passes a v6 region
    assert a.file == b.file == "modules/db/main.tf"


def test_nested_local_modules_are_addressed_as_terraform_does(project: Project) -> None:
    subnet = resource_at(
        root_at(project, "examples/b"),
        "module.db.module.db.module.network.module.subnets.aws_subnet.private",
    )
    assert subnet.module_path == ("db", "db", "network", "subnets")
    assert subnet.region == "eu-west-1"  # inherited default provider, no region argument


def test_providers_map_renames_configurations_for_the_child(project: Project) -> None:
    root = root_at(project, "examples/installed")
    source = resource_at(root, "module.pair.aws_s3_bucket.source")
    replica = resource_at(root, "module.pair.aws_s3_bucket.replica")
    assert (source.region, source.provider) == ("us-east-1", "aws.east")
    assert (replica.region, replica.provider) == ("us-west-2", "aws")


def test_module_with_its_own_provider_block_resolves_it_from_its_inputs(
    project: Project,
) -> None:
    topic = resource_at(
        root_at(project, "examples/installed"), "module.legacy.aws_sns_topic.alerts"
    )
    assert (topic.region, topic.provider) == ("ap-southeast-2", "module.legacy.aws")


def test_remote_module_is_followed_when_terraform_init_installed_it(project: Project) -> None:
    vpc = resource_at(root_at(project, "examples/remote"), "module.vpc.aws_vpc.this")
    assert vpc.region == "us-east-2"
    assert vpc.file == "examples/remote/.terraform/modules/vpc/main.tf"


def test_remote_module_not_installed_is_listed_as_not_analysed(project: Project) -> None:
    assert project.not_analysed == [
        "examples/remote:module.buckets (git::https://example.com/buckets.git?ref=v1)"
    ]


def test_a_module_that_calls_itself_stops_and_is_reported(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from drgen.lint.topology.project import build_project

    base = tmp_path_factory.mktemp("loop")
    (base / "main.tf").write_text(
        'module "again" {\n  source = "./"\n}\nresource "aws_sqs_queue" "q" {}\n'
    )
    project, errors = build_project([base], use_cache=False)
    assert errors == []
    (root,) = project.roots
    assert [r.address for r in root.resources] == ["aws_sqs_queue.q"]
    assert project.not_analysed == [".:module.again (recursive module call)"]


def test_directories_calling_each_other_in_a_cycle_are_still_analysed(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from drgen.lint.topology.project import build_project

    base = tmp_path_factory.mktemp("cycle")
    for here, there in (("a", "b"), ("b", "a")):
        (base / here).mkdir()
        (base / here / "main.tf").write_text(
            f'module "{there}" {{\n  source = "../{there}"\n}}\n'
            f'resource "aws_sqs_queue" "{here}" {{}}\n'
        )
    project, _ = build_project([base], use_cache=False)
    assert [r.directory for r in project.roots] == ["a"]
    assert [r.address for r in project.roots[0].resources] == [
        "aws_sqs_queue.a",
        "module.b.aws_sqs_queue.b",
    ]


def test_resources_of_a_repeated_module_are_expanded(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from drgen.lint.topology.project import build_project

    base = tmp_path_factory.mktemp("repeated")
    (base / "child").mkdir()
    (base / "child" / "main.tf").write_text('resource "aws_sqs_queue" "q" {}\n')
    (base / "main.tf").write_text(
        'module "per_region" {\n  source   = "./child"\n  for_each = toset(["a", "b"])\n}\n'
        'module "off" {\n  source = "./child"\n  count  = length([])\n}\n'
    )
    project, _ = build_project([base], use_cache=False)
    (root,) = project.roots
    assert [(r.address, r.expanded) for r in root.resources] == [
        ("module.per_region.aws_sqs_queue.q", True)
    ]
