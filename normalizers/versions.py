"""Story identity for formats whose item ids are not story ids (IPTC 7901, ANPA 1312).

Agencies send a story as takes: the first take, ``1ST LEAD``, ``2ND LEAD``, ``REFILE``, AP ``1st
Ld-Writethru`` ... with a new message number each time. What ties them together is the slug (dpa keyword line,
AP ``BC-`` slug) on one day. The derived guid is marked ``wiredesk:take:`` so the store knows it is an
inference: it checks the content before filing a take under an earlier one (two different stories may share
a slug such as ``Germany-politics``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import xxhash

from parsers.base import ParsedItem

TAKE_FORMATS = frozenset({"iptc7901", "anpa1312"})
DERIVED_PREFIX = "wiredesk:take:"
_REVISION = re.compile(r"^(?:lead|net|take):(\d{1,3})$")


def take_version(signals: Iterable[str]) -> int:
    """``lead:2`` (2ND LEAD, 2nd Ld-Writethru) -> version 3; the first take is version 1."""
    numbers = [int(m.group(1)) for m in map(_REVISION.match, signals) if m]
    return max(numbers) + 1 if numbers else 1


def derived_identity(item: ParsedItem, agencies: list[str]) -> tuple[str, int] | None:
    """(guid, version) from slug + day + take label, or None when the format has real ids or no slug/date."""
    if (
        item.guid
        or item.source_format not in TAKE_FORMATS
        or not item.keywords
        or item.published_at is None
    ):
        return None
    slug = " ".join(item.keywords[0].split()).casefold()
    agency = agencies[0] if agencies else item.source_format
    day = item.published_at.date().isoformat()
    digest = xxhash.xxh3_128_hexdigest(f"{agency}\x1f{slug}\x1f{day}".encode())
    return DERIVED_PREFIX + digest, take_version(item.signals)


def is_derived(guid: str) -> bool:
    return guid.startswith(DERIVED_PREFIX)
