"""DR021: a read replica of a source whose master password Secrets Manager manages.

RDS refuses to create a read replica of a DB instance with ``manage_master_user_password =
true`` (every engine but RDS for SQL Server; RDS user guide, "Limitations for Secrets Manager
integration"): the create fails with InvalidParameterValue, so the replica, often the only copy
in another region, never exists. The provider schema accepts the pair; only apply time tells.
A source the configuration does not declare (named by a literal ARN of another stack) is not
judged: its password setting is not in the code.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.facts import targets, text, truth
from drgen.lint.checks.rds import INSTANCE
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Resource, Root

_SOURCE = "replicate_source_db"
_MANAGED = "manage_master_user_password"


def check_replica_of_managed_password(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for replica in root.of_type(INSTANCE):
        value = replica.values.get(_SOURCE)
        if value is None:
            continue
        for source in targets(root, replica, value, INSTANCE):
            managed = _managed_password(source)
            if managed is False:
                continue
            if managed is None:
                yield Violation(
                    replica,
                    f"{replica.address}: cannot tell whether Secrets Manager manages the master "
                    f"password of its source {source.address}",
                    unresolved=True,
                )
                continue
            yield Violation(
                replica,
                f"{replica.address} is a read replica of {source.address}, whose master password "
                f"Secrets Manager manages ({_MANAGED} = true): RDS refuses to create a read "
                "replica of such a source and the create fails; give the source a password "
                "RDS does not manage (password_wo from an ephemeral variable, kept in a secret "
                "of your own replicated to the replica's region).",
                line=replica.values.line_of(_SOURCE),
            )


def _managed_password(source: Resource) -> bool | None:
    """Whether RDS refuses replicas because of the source's managed password (None: unknown).
    RDS for SQL Server is the one engine that allows it."""
    managed = truth(source.values.get(_MANAGED), default=False)
    if managed is False:
        return False
    engine = source.values.get("engine")
    literal = text(engine) if engine is not None else ""
    if literal is None:
        return None
    if literal.startswith("sqlserver"):
        return False
    return managed
