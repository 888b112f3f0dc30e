"""DR000: suppression comments that do not say why, or name a policy that does not exist."""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Resource, Root, Suppression

SUPPRESSIONS_CHECK = "suppressions"  # the registry name of check_suppressions


def check_suppressions(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for resource in root.resources:
        for suppression in resource.suppressions:
            yield from _problems(suppression, resource, ctx)


def unattached_violations(suppression: Suppression, ctx: CheckContext) -> Iterator[Violation]:
    """A comment above or inside no resource block waives nothing: say so, plus its other faults."""
    yield Violation(
        None,
        f"suppression `drgen:ignore[{','.join(suppression.rule_ids)}]` is next to no resource "
        "block, so it waives nothing: put it on the line above the block it is about, or inside "
        "it.",
        line=suppression.line,
        file=suppression.file,
        kind="next-to-no-block",
    )
    yield from _problems(suppression, None, ctx)


def _problems(
    suppression: Suppression, resource: Resource | None, ctx: CheckContext
) -> Iterator[Violation]:
    comment = f"drgen:ignore[{','.join(suppression.rule_ids)}]"
    where = f" on {resource.address}" if resource is not None else ""
    if not suppression.rule_ids:  # drgen:ignore[], drgen:ignore DR001, an unclosed bracket
        yield Violation(
            resource,
            f"suppression `drgen:ignore`{where} names no policy in brackets, so it waives"
            " nothing: list the ids it waives, e.g. `# drgen:ignore[DR001] <reason>`.",
            line=suppression.line,
            file=suppression.file,
            kind="no-policy",
        )
        return
    if not suppression.reason:
        yield Violation(
            resource,
            f"suppression `{comment}`{where} has no reason, so it waives nothing: say why the "
            f"finding is accepted after the bracket, e.g. `# {comment} <reason>`.",
            line=suppression.line,
            file=suppression.file,
            kind="no-reason",
        )
    if suppression.problem:
        yield Violation(
            resource,
            f"suppression `{comment}`{where}: {suppression.problem}; write the expiry as "
            "until=YYYY-MM-DD.",
            line=suppression.line,
            file=suppression.file,
            kind="bad-expiry",
        )
    for rule_id in suppression.rule_ids:
        if rule_id not in ctx.policy_ids:
            yield Violation(
                resource,
                f"suppression `{comment}`{where} names unknown policy {rule_id}: fix the id "
                "(see `drgen policies list`) or remove it.",
                line=suppression.line,
                file=suppression.file,
                kind=f"unknown-policy:{rule_id}",
            )
