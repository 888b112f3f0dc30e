"""UNKNOWN: the value of anything drgen cannot establish statically."""

from __future__ import annotations

from typing import TypeAlias

from drgen.lint.model.roots import Value


class Unknown:
    """A value known only at plan/apply time (or not at all)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


class EvaluationError(Unknown):
    """What Terraform would reject (a missing map key, an index out of range).

    It is as unknown as UNKNOWN everywhere except in ``try``/``can``, which
    Terraform defines by whether their argument fails.
    """

    def __repr__(self) -> str:
        return "ERROR"


UNKNOWN = Unknown()
ERROR = EvaluationError()
Resolved: TypeAlias = "Value | Unknown"


class Shaped(Unknown):
    """An unknown string whose unknown parts are the same in every root of one account.

    ``shape`` spells it with placeholders (drgen/lint/evaluation/shapes.py), so a bucket named
    ``"app-dr-${data.aws_caller_identity.me.account_id}"`` in one root matches the ARN
    ``"arn:aws:s3:::app-dr-${local.account_id}"`` written in another.
    """

    def __init__(self, shape: str) -> None:
        self.shape = shape

    def __repr__(self) -> str:
        return f"SHAPED({self.shape!r})"


class NotNull(Unknown):
    """Unknown, but certainly set: the ``arn`` or ``id`` of a resource or data source, which
    the provider always fills in. ``x != null`` is true for it (``var.kms_key_id != null ?
    "aws:kms" : "AES256"`` with the caller passing ``aws_kms_key.k.arn``)."""

    def __repr__(self) -> str:
        return "NOT_NULL"


NOT_NULL = NotNull()
