"""Link the roots of one scan into DR topologies.

Split stacks keep the primary and the recovery half in separate roots (separate states). Two
roots are linked when one reads the other's state (``terraform_remote_state`` of a ``local``
backend, or of a backend whose settings a scanned root declares: the key and every other known
setting agree, or a partial backend's folder is the one its key names) or names one of its resources
by a literal id, ARN or shape (``destination { bucket = "arn:aws:s3:::app-dr" }``,
``global_cluster_identifier = "app"``, ``replicate_source_db = "arn:aws:rds:...:db:app"``,
a KMS alias, a load balancer's DNS name ``app-dr-123.us-west-2.elb.amazonaws.com`` in a record
of a DNS root). Linked roots (transitively) form one topology: checks look resources up across
it, and stack-level policies judge it as a whole.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from drgen.lint.evaluation.instances import Instance
from drgen.lint.model.roots import Block, Expression, Resource, Root, Value
from drgen.lint.topology.balancer_names import balancer_dns_name

# Resource types whose name-like argument a literal ID or ARN may quote instead of a reference.
NATURAL_ID = {
    "aws_s3_bucket": "bucket",
    "aws_db_instance": "identifier",
    "aws_rds_cluster": "cluster_identifier",
    "aws_rds_global_cluster": "global_cluster_identifier",
    "aws_dynamodb_table": "name",
    "aws_backup_vault": "name",
    "aws_backup_plan": "name",
    "aws_kms_alias": "name",
    "aws_docdb_cluster": "cluster_identifier",
    "aws_docdb_global_cluster": "global_cluster_identifier",
    "aws_neptune_cluster": "cluster_identifier",
    "aws_neptune_global_cluster": "global_cluster_identifier",
    "aws_iam_role": "name",  # a role ARN ends in role/<path><name>
}
# Data sources that read one managed resource by its natural id: type -> the argument naming it.
NATURAL_ID_OF_DATA = {
    "aws_s3_bucket": "bucket",
    "aws_db_instance": "db_instance_identifier",
    "aws_rds_cluster": "cluster_identifier",
    "aws_dynamodb_table": "name",
    "aws_backup_vault": "name",
    "aws_kms_alias": "name",
    "aws_kms_key": "key_id",
}
LOAD_BALANCERS = ("aws_lb", "aws_alb", "aws_elb")
# Names every region has (AWS Backup's default vault): they identify nothing.
_UBIQUITOUS = frozenset({"Default", "default", "aws/backup"})
# Arguments that describe rather than point.
_NOT_POINTERS = frozenset({"tags", "tags_all", "description", "name_prefix", "bucket_prefix"})
REMOTE_STATE = "terraform_remote_state"


def natural_id(resource: Resource) -> str | None:
    """A resource's literal name (or its shape), when its type has one."""
    argument = NATURAL_ID.get(resource.type)
    if argument is None or resource.mode != "managed":
        return None
    return literal_text(resource.values.get(argument))


def literal_text(value: Value) -> str | None:
    """A literal string, or the shape of an unknown one."""
    if isinstance(value, str):
        return value
    if isinstance(value, Expression) and value.shape:
        return value.shape
    return None


def backend_settings(root: Instance) -> tuple[str, dict[str, str]] | None:
    """The root's backend type and its literal settings (backend blocks allow no variables)."""
    block = root.module.backend
    if block is None or not block.labels:
        return None
    settings = {k: v for k, v in block.attributes.items() if isinstance(v, str)}
    return block.labels[0], settings


def backend_location(root: Instance) -> tuple[str, int] | None:
    """The file and line of the root's backend block."""
    block = root.module.backend
    return (root.module.backend_file, block.line) if block is not None else None


def link_roots(roots: list[Root]) -> None:
    """Set every root's ``remote_states`` and ``peers`` (the other roots of its topology)."""
    group = {root.directory: root.directory for root in roots}

    def find(directory: str) -> str:
        while group[directory] != directory:
            group[directory] = group[group[directory]]
            directory = group[directory]
        return directory

    def union(a: Root, b: Root) -> None:
        first, second = sorted((find(a.directory), find(b.directory)))
        group[second] = first

    for root in roots:
        for state in (r for r in root.resources if r.type == REMOTE_STATE and r.mode == "data"):
            read = _state_root(state, roots)
            root.remote_states[state.address] = read
            if read is not None and read is not root:
                union(root, read)
    named = _natural_index(roots)
    balancers = _balancer_index(roots)
    for root in roots:
        for resource in root.resources:
            for text in _pointer_strings(resource):
                linked = [o for c in _suffixes(text) for o in named.get(c, ())]
                linked.extend(_balancer_roots(balancers, text))
                for other in linked:
                    if other is not root:
                        union(root, other)
    state_buckets = frozenset(_state_buckets(roots))
    for root in roots:
        root.state_buckets = state_buckets
        root.peers = [
            r for r in roots if r is not root and find(r.directory) == find(root.directory)
        ]


def _state_buckets(roots: list[Root]) -> Iterator[str]:
    """Buckets that a scanned backend or ``terraform_remote_state`` keeps state in (shared state
    buckets link nothing: unrelated stacks often share one)."""
    for root in roots:
        if root.backend is not None and root.backend[1].get("bucket"):
            yield root.backend[1]["bucket"]
        for state in (r for r in root.resources if r.type == REMOTE_STATE):
            config = state.values.get("config")
            bucket = literal_text(config.get("bucket")) if isinstance(config, dict) else None
            if bucket:
                yield bucket


def _state_root(state: Resource, roots: list[Root]) -> Root | None:
    """The scanned root whose state a ``terraform_remote_state`` data source reads."""
    backend = literal_text(state.values.get("backend"))
    config = state.values.get("config")
    if backend is None or not isinstance(config, dict):
        return None
    if backend == "local":
        path = literal_text(config.get("path"))
        if path is None:
            return None
        here = posixpath.dirname(state.file)
        directory = posixpath.normpath(posixpath.join(here, posixpath.dirname(path)))
        return next((r for r in roots if r.directory == directory), None)
    wanted = {k: literal_text(config.get(k)) for k in ("bucket", "key", "container_name")}
    known = {k: v for k, v in wanted.items() if k in config and v is not None}
    if "key" not in known:
        return None
    backends = [
        (r, r.backend[1]) for r in roots if r.backend is not None and r.backend[0] == backend
    ]
    matches = [r for r, settings in backends if _same(settings, known)]
    if not matches:
        matches = [r for r, settings in backends if _named_by_key(r, settings, known)]
    return matches[0] if len(matches) == 1 else None


def _same(settings: dict[str, str], known: dict[str, str]) -> bool:
    """Whether a backend stores its state where the remote state's known settings say (one
    read from a variable is unknown and agrees with any)."""
    return all(settings.get(k) == v for k, v in known.items())


def _named_by_key(root: Root, settings: dict[str, str], known: dict[str, str]) -> bool:
    """A partial backend (``backend "s3" {}``, the key given to ``terraform init
    -backend-config``) read by a key that names the root's folder, the common
    ``<folder>/terraform.tfstate`` convention (``environments/primary/s3/terraform.tfstate``
    for the root in environments/primary/s3); its other literal settings must agree."""
    if "key" in settings or not _names_folder(known["key"], root.directory):
        return False
    return all(settings.get(k, v) == v for k, v in known.items() if k != "key")


def _names_folder(key: str, directory: str) -> bool:
    """Whether the folder of a state key and a root's folder end the same way (one may carry
    a prefix the other lacks: a key prefix, or the scanned base)."""
    folder = posixpath.dirname(key).strip("/").split("/")
    parts = directory.split("/")
    if directory == "." or folder == [""]:
        return False
    shorter = min(len(folder), len(parts))
    return folder[-shorter:] == parts[-shorter:]


def _natural_index(roots: list[Root]) -> dict[str, list[Root]]:
    index: dict[str, list[Root]] = {}
    for root in roots:
        for resource in root.resources:
            name = natural_id(resource)
            if name and name not in _UBIQUITOUS and root not in index.get(name, []):
                index.setdefault(name, []).append(root)
    return index


def _balancer_index(roots: list[Root]) -> dict[str, list[tuple[Root, str | None]]]:
    """Literal load balancer names (lower case) -> the roots declaring one, with its region."""
    index: dict[str, list[tuple[Root, str | None]]] = {}
    for root in roots:
        for balancer in root.of_type(*LOAD_BALANCERS):
            name = balancer.values.get("name")
            if isinstance(name, str) and name:
                index.setdefault(name.lower(), []).append((root, balancer.region))
    return index


def _balancer_roots(index: dict[str, list[tuple[Root, str | None]]], text: str) -> list[Root]:
    """Roots declaring the load balancer a DNS name belongs to (in its region, or one drgen
    cannot resolve)."""
    dns = balancer_dns_name(text) if index else None
    if dns is None:
        return []
    found = (entry for name in dns.names for entry in index.get(name, ()))
    return [root for root, region in found if region in (None, dns.region)]


def _pointer_strings(resource: Resource) -> Iterator[str]:
    """Literal strings (and shapes) of a resource that may name another resource: every
    argument except its own name and descriptive ones."""
    own = NATURAL_ID.get(resource.type) if resource.mode == "managed" else None
    for name, value in resource.values.attributes.items():
        if name != own and name not in _NOT_POINTERS:
            yield from _strings(value)
    for block in resource.values.blocks:
        yield from _block_strings(block)


def _block_strings(block: Block) -> Iterator[str]:
    for value in block.attributes.values():
        yield from _strings(value)
    for nested in block.blocks:
        yield from _block_strings(nested)


def _strings(value: Value) -> Iterator[str]:
    text = literal_text(value)
    if text is not None:
        yield text
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def _suffixes(text: str) -> Iterator[str]:
    """``text`` and what follows each ``:`` or ``/`` in it (an ARN ends with the name), each
    also cut at its first ``/`` (``arn:aws:s3:::bucket/*`` names the bucket)."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c in ":/" and i + 1 < len(text)]
    for start in starts:
        rest = text[start:]
        yield rest
        if "/" in rest:
            yield rest.split("/", 1)[0]
