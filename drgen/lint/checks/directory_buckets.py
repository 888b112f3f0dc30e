"""DR030: S3 directory buckets, whose data lives in one Availability Zone (or Local Zone).

An ``aws_s3_directory_bucket`` (S3 Express One Zone, or a Local Zone's dedicated storage)
keeps its objects in the single zone named by its ``location``: S3 replication and AWS Backup
do not cover directory buckets, so nothing in Terraform gives them a copy elsewhere. A zone
failure makes the data unavailable, and the loss of the zone loses it. That is right only for
data that can be regenerated from a source kept elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.dynamic_blocks import first
from drgen.lint.checks.facts import text
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Root

DIRECTORY_BUCKET = "aws_s3_directory_bucket"


def check_directory_bucket_zone(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for bucket in root.of_type(DIRECTORY_BUCKET):
        location = first(bucket.values, "location")
        zone = text(location.get("name")) if location is not None else None
        where = f"zone {zone}" if zone else "one zone"
        yield Violation(
            bucket,
            f"{bucket.address} is an S3 directory bucket: its objects live in {where} only, "
            "and neither S3 replication nor AWS Backup copies a directory bucket, so a zone "
            "failure takes the data with it; keep the system of record in a regional bucket "
            "replicated to another region and use the directory bucket for data you can "
            "regenerate from it (then suppress with that reason).",
        )
