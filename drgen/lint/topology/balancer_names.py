"""Elastic Load Balancing DNS names and alias hosted zones, as Route 53 aliases quote them.

AWS builds a load balancer's DNS name from the load balancer's name and an id that changes
whenever the load balancer is recreated: an Application or Classic Load Balancer answers at
``<name>-<id>.<region>.elb.amazonaws.com`` (``internal-<name>-<id>...`` when internal), a
Network Load Balancer at ``<name>-<id>.elb.<region>.amazonaws.com``; the China regions end in
``.amazonaws.com.cn`` and a dual-stack alias prefixes ``dualstack.``. DNS is case-insensitive,
so names compare in lower case. An alias to a load balancer also names the hosted zone AWS
keeps its records in, one per region and kind (the AWS provider's ``aws_lb_hosted_zone_id``
table, from https://docs.aws.amazon.com/general/latest/gr/elb.html).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REGION = r"[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]"
_DNS_NAME = re.compile(
    r"(?:dualstack\.)?(?P<label>[a-z0-9-]+)\."
    rf"(?:(?P<region>{_REGION})\.elb|elb\.(?P<network_region>{_REGION}))"
    r"\.amazonaws\.com(?:\.cn)?\.?"
)
# the first label: the load balancer's name, a hyphen and the id AWS gave it
_LABEL = re.compile(r"(?P<name>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)-(?P<id>[a-z0-9]+)")
_INTERNAL = "internal-"

# Application and Classic Load Balancers, then Network Load Balancers.
BALANCER_ZONES = frozenset(
    {
        "Z268VQBMOI5EKX",
        "Z3DQVH9N71FHZ0",
        "Z14GRHDCWA56QT",
        "ZWKZPGTI48KDX",
        "Z5LXEXXYW11ES",
        "ZP97RAFLXTNZK",
        "Z0173938T07WNTVAEPZN",
        "Z1LMS91P8CMLE5",
        "Z1GM3OXH4ZPM65",
        "Z08888821HLRG5A9ZRTER",
        "ZQSVJUPU6J1EY",
        "Z1GDH35T77C1KE",
        "ZM7IZAIOVVDZF",
        "Z215JYRZR1TBD5",
        "Z06391101F2ZOEP8P5EB3",
        "Z23TAZ6LKFMNIO",
        "Z3ULH7SSC9OV64",
        "Z0956581394HF5D5LXGAP",
        "Z32O12XQLNTSW2",
        "ZHURV8PSTC4K8",
        "Z3Q77PNBQS71R4",
        "Z08230872XQRWHG2XF6I",
        "ZS929ML54UICD",
        "Z2P70J7HTTTPLU",
        "Z35SXDOTRQ7X7K",
        "Z3AADJGX6KTTL2",
        "Z166TLBEWOO7G0",
        "Z33AYJ8TM3BH4J",
        "Z368ELLRRE2KJ0",
        "Z1H1FL5HABSF5",
        "Z203XCE67M25HM",
        "Z12Y7K3UBGUAD1",
        "Z31USIVHYNEOWT",
        "ZIBE1TIR4HY56",
        "Z1GWIQ4HH19I5X",
        "ZVDDRBQ08TROA",
        "Z0711778386UTO08407HT",
        "ZKVM4W9LS7TM",
        "ZCT6FZBF4DROD",
        "Z01971771FYVNCOVWJU1G",
        "Z2EPGBW3API2WT",
        "Z3QFB96KMJ7ED6",
        "ZQEIKTCZ8352D",
        "Z3F0SRJ5LGBH90",
        "Z02239872DOALSIDCX66S",
        "Z1UDT6IFJ4EJM",
        "Z23146JA1KNAFP",
        "Z1011216NVTVYADP1SSV",
        "Z2IFOLAFXWLO4F",
        "ZD4D7Y8KGAS4G",
        "Z1CMS0P5QUZ6D5",
        "Z00282643NTTLPANJJG2P",
        "Z3QSRYVP46NYYV",
        "ZTK26PT1VY4CU",
        "Z26RNL4JYFTOTI",
        "ZLMOA37VPKANP",
        "Z1ZSMQQ6Q24QQ8",
        "ZMG1MZ2THAWF1",
        "Z24FKFUX50B4VW",
        "Z18D5FSROUN65G",
    }
)


@dataclass(frozen=True)
class BalancerDnsName:
    """What a load balancer DNS name says about the load balancer it belongs to."""

    names: tuple[str, ...]  # the names it can have, in lower case (``internal-`` is ambiguous)
    region: str


def balancer_dns_name(text: str) -> BalancerDnsName | None:
    """The load balancer a DNS name belongs to, or None when it is no load balancer's name."""
    if "amazonaws.com" not in text.lower():
        return None
    found = _DNS_NAME.fullmatch(text.strip().lower())
    label = _LABEL.fullmatch(found.group("label")) if found else None
    if found is None or label is None:
        return None
    name = label.group("name")
    names: tuple[str, ...] = (name,)
    if name.startswith(_INTERNAL) and len(name) > len(_INTERNAL):
        names = (name, name.removeprefix(_INTERNAL))  # or one named "internal-..." itself
    return BalancerDnsName(names, found.group("region") or found.group("network_region"))
