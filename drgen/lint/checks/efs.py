"""EFS: file systems with no copy in another region (DR028).

A copy is an ``aws_efs_replication_configuration`` whose source is the file system and whose
destination lies in another region (``destination.region``; without it, the region of the
destination file system it names, else the configuration's own region: the provider creates
the replica where it runs), or a cross-region AWS Backup copy. The EFS backup policy
(``aws_efs_backup_policy``) enables AWS Backup's default plan, which keeps its recovery points
in the file system's own region: it is no cross-region copy. A file system that is itself a
replication destination is the copy and is not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.backup import has_cross_region_backup
from drgen.lint.checks.dynamic_blocks import nested
from drgen.lint.checks.facts import is_resolvable, may_denote, other_region, targets, text
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Block, Resource, Root

FILE_SYSTEM = "aws_efs_file_system"
REPLICATION = "aws_efs_replication_configuration"


def replication_regions(root: Root, file_system: Resource) -> set[str | None]:
    """Destination regions of the replication configurations that may copy ``file_system``
    (None for one drgen cannot place, or whose source it cannot tell is this one)."""
    regions: set[str | None] = set()
    for configuration in root.linked_of_type(REPLICATION):
        source = configuration.values.get("source_file_system_id")
        sources = targets(root, configuration, source, FILE_SYSTEM)
        if not any(s is file_system for s in sources):
            if not is_resolvable(root, configuration, source, FILE_SYSTEM) and may_denote(
                root, configuration, source, file_system
            ):
                regions.add(None)
            continue
        destinations = nested(configuration.values, "destination")
        regions |= {_destination_region(root, configuration, d) for d in destinations}
    return regions


def replication_destinations(root: Root) -> list[Resource]:
    """File systems that some replication configuration names as its destination."""
    found: list[Resource] = []
    for configuration in root.linked_of_type(REPLICATION):
        for destination in nested(configuration.values, "destination"):
            named = destination.get("file_system_id")
            found.extend(targets(root, configuration, named, FILE_SYSTEM))
    return found


def copy_elsewhere(root: Root, file_system: Resource) -> bool | None:
    """Whether the file system has a copy in another region (None: cannot tell)."""
    answers = {other_region(file_system.region, r) for r in replication_regions(root, file_system)}
    answers.add(has_cross_region_backup(root, file_system))
    if True in answers:
        return True
    return None if None in answers else False


def check_file_system_copy(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    copies = {id(d) for d in replication_destinations(root)}
    for file_system in root.of_type(FILE_SYSTEM):
        if id(file_system) in copies:
            continue  # the replica itself
        copied = copy_elsewhere(root, file_system)
        if copied is True:
            continue
        where = f"{file_system.address} ({file_system.region or 'region unknown'})"
        if copied is None:
            yield Violation(
                file_system,
                f"{where}: cannot tell whether it has a copy in another region",
                unresolved=True,
                kind="undecided-copy",
            )
            continue
        yield Violation(
            file_system,
            f"{where} has no copy in another region (its backup policy, if any, keeps "
            f"recovery points in its own region): add an {REPLICATION} with a destination in "
            "another region, or cover it by an AWS Backup plan whose rule copies to a vault in "
            "another region.",
            kind="no-cross-region-copy",
        )


def _destination_region(root: Root, configuration: Resource, destination: Block) -> str | None:
    region = destination.get("region")
    if region is not None:
        return text(region)
    named = destination.get("file_system_id")
    if named is not None:
        found = targets(root, configuration, named, FILE_SYSTEM)
        return found[0].region if found else None
    return configuration.region
