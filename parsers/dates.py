"""Date parsing for wire metadata.

Formats seen on the wire: ISO 8601 with ``Z``, ``+02:00`` or ``+0200``; the compact NewsML 1.2 / NITF form
``20160909T000100+0100``; RFC 822 dates; date-only values. A value that states its offset comes back aware
UTC. A value *without* an offset comes back **naive**: it is the source's local time, and which zone that is
cannot be known here (STT sends Helsinki time, Belga Brussels time, dpa Berlin time, all without offsets).
The normalizer places naive values in the credited agency's zone (``normalizers.agencies``), else UTC; a
format whose specification fixes the zone states it itself (:func:`assume_zone`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

_COMPACT = re.compile(
    r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)
# RFC 822/2822 dates as feeds and mail send them: ``[Sun,] 11 Jun 2023 10:00[:00] ZONE``.
_RFC822 = re.compile(
    r"^(?:[A-Za-z]{3},?\s*)?\d{1,2}\s+[A-Za-z]{3}[a-z]*\.?\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s+(?:[+-]\d{4}|[A-Za-z]{1,5}))?\s*$"
)
_OFFSET_NO_COLON = re.compile(r"([+-])(\d{2})(\d{2})$")
# Speed: the RFC 822 shape nearly every feed sends (``Sun, 11 Jun 2023 10:00:00 +0200``/``GMT``), read
# directly. It is a subset of ``_RFC822`` that no earlier rule reads, read as ``email.utils`` reads it
# (tests/test_parser_speed.py compares the two); years below 1000 are left to ``email`` (it turns ``0050``
# into 2050).
_RFC822_COMMON = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]\d{3}) "
    r"(\d{2}):(\d{2})(?::(\d{2}))? (?:([+-])(\d{2})(\d{2})|GMT|UTC?)\Z"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


def _offset(text: str) -> timezone:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4]))
    return timezone(sign * delta)


def to_utc(value: datetime) -> datetime:
    """Make ``value`` aware UTC; naive values are taken as UTC (only for formats whose spec says so).

    Raises ``OverflowError`` when the offset shifts year 1 or 9999 out of range."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def assume_zone(value: datetime | None, zone: tzinfo) -> datetime | None:
    """``value`` if it is aware (as UTC), else the naive local time read in ``zone`` and converted to UTC;
    ``None`` when that falls outside the representable range."""
    if value is None:
        return None
    try:
        if value.tzinfo is None:
            return value.replace(tzinfo=zone).astimezone(UTC)
        return value.astimezone(UTC)
    except OverflowError:
        return None


def parse_datetime(text: str | None) -> datetime | None:
    """Parse a wire timestamp: aware UTC when ``text`` states an offset, naive (the source's local time)
    when it does not; ``None`` for empty or unreadable values (metadata is never fatal)."""
    if text is None:
        return None
    value = text.strip()
    if not value:
        return None
    common = _RFC822_COMMON.match(value)
    if common:
        return _rfc822_common(common)
    compact = _COMPACT.match(value)
    if compact:
        parts = compact.groupdict()
        try:
            result = datetime(
                int(parts["y"]),
                int(parts["m"]),
                int(parts["d"]),
                int(parts["H"] or 0),
                int(parts["M"] or 0),
                int(parts["S"] or 0),
                tzinfo=_offset(parts["tz"]) if parts["tz"] else None,
            )
        except (ValueError, OverflowError):
            return None
        return _safe_utc(result)
    iso = value.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", value) else value
    iso = _OFFSET_NO_COLON.sub(r"\1\2:\3", iso)
    try:
        return _safe_utc(datetime.fromisoformat(iso.replace("Z", "+00:00")))
    except ValueError:
        pass
    if not _RFC822.match(value):
        return None  # email's lenient parser misreads other shapes (``June 11, 2023 10:00 AM EST``)
    try:
        stamp = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    # ``-0000`` (RFC 5322 3.3): the time is UTC, only the sender's own zone is unknown.
    if stamp.tzinfo is None and value.endswith("-0000"):
        stamp = stamp.replace(tzinfo=UTC)
    elif stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=_named_zone(value))
    return _safe_utc(stamp)


def _named_zone(value: str) -> tzinfo | None:
    """The fixed offset of a zone abbreviation ``email`` does not know (``MEZ``, ``CEST``, ``JST``, ``AEDT``:
    European and Asia-Pacific feeds write their own), from the one table the time-line grammar uses;
    ``None`` (the value stays the source's local time) for an unknown or ambiguous one (``IST``)."""
    # parsers._timelines imports this module: its table is read at call time
    from parsers._timelines import FIXED_ZONES

    hours = FIXED_ZONES.get(value.rsplit(None, 1)[-1])
    return timezone(timedelta(hours=hours)) if hours is not None else None


def _rfc822_common(match: re.Match[str]) -> datetime | None:
    """An ``_RFC822_COMMON`` match as ``parsedate_to_datetime`` and the ``-0000`` rule read it."""
    day, month, year, hour, minute, second, sign, zone_h, zone_m = match.groups()
    try:
        if sign is None or (sign == "-" and zone_h == zone_m == "00"):
            zone: tzinfo = UTC  # GMT/UT/UTC, or -0000 (UTC, the sender's zone unknown)
        else:
            offset = int(zone_h) * 3600 + int(zone_m) * 60
            zone = timezone(timedelta(seconds=-offset if sign == "-" else offset))
        stamp = datetime(
            int(year),
            _MONTHS[month],
            int(day),
            int(hour),
            int(minute),
            int(second or 0),
            tzinfo=zone,
        )
    except ValueError:
        return None
    return _safe_utc(stamp)


def _safe_utc(value: datetime) -> datetime | None:
    """Aware values as UTC, naive ones as they are. UTC conversion of placeholder dates like
    ``0001-01-01T00:00+05:00`` overflows: no date, no crash."""
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return None
