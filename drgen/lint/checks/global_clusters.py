"""DR016: an Aurora global cluster with ``force_destroy = true``.

``force_destroy`` makes Terraform remove every member cluster from the global cluster when the
global cluster is destroyed or replaced (a changed engine version or identifier replaces it):
the apply succeeds and the secondary regions silently stop receiving the primary's writes. The
provider requires it with ``source_db_cluster_identifier``; such a global cluster is not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.facts import is_set, truth
from drgen.lint.checks.rds import GLOBAL
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Root


def check_global_cluster_force_destroy(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for cluster in root.of_type(GLOBAL):
        body = cluster.values
        force = truth(body.get("force_destroy"))
        if force is False or is_set(body, "source_db_cluster_identifier") is True:
            continue
        if force is None:
            yield Violation(
                cluster,
                f"{cluster.address}: cannot tell whether force_destroy is on",
                unresolved=True,
            )
            continue
        yield Violation(
            cluster,
            f"{cluster.address} sets force_destroy = true: destroying or replacing it (a "
            "changed engine version or identifier replaces it) detaches every member cluster "
            "without error, so the secondary regions silently stop receiving writes; remove "
            "force_destroy (or set it false) so such a plan fails while members remain.",
            line=body.line_of("force_destroy"),
        )
