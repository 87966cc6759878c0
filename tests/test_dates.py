"""Wire timestamps: offsets kept exactly, offset-less values naive (the normalizer places them), zone
abbreviations honoured, and nothing misread by a lenient parser."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parsers._feeds import _date as feed_date
from parsers.dates import assume_zone, parse_datetime


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2016-09-09T00:01:00+01:00", datetime(2016, 9, 8, 23, 1, tzinfo=UTC)),
        ("20160909T000100+0100", datetime(2016, 9, 8, 23, 1, tzinfo=UTC)),
        ("2016-09-09T00:01:00Z", datetime(2016, 9, 9, 0, 1, tzinfo=UTC)),
        ("Sun, 11 Jun 2023 10:00:00 +0200", datetime(2023, 6, 11, 8, 0, tzinfo=UTC)),
        ("11 Jun 2023 10:00 EDT", datetime(2023, 6, 11, 14, 0, tzinfo=UTC)),
        ("Mon, 6 Sep 2010 00:01:00 -0000", datetime(2010, 9, 6, 0, 1, tzinfo=UTC)),  # RFC 5322: UTC
    ],
)
def test_stated_offsets_give_aware_utc(text: str, want: datetime) -> None:
    assert parse_datetime(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2022-05-10T00:30:33", datetime(2022, 5, 10, 0, 30, 33)),
        ("20220510T003033", datetime(2022, 5, 10, 0, 30, 33)),
        ("2022-05-10 00:30", datetime(2022, 5, 10, 0, 30)),
        ("Tue, 10 May 2022 00:30:33", datetime(2022, 5, 10, 0, 30, 33)),
    ],
)
def test_offsetless_values_stay_naive(text: str, want: datetime) -> None:
    value = parse_datetime(text)
    assert value == want and value.tzinfo is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("June 11, 2023 10:00 AM EST", datetime(2023, 6, 11, 15, 0, tzinfo=UTC)),
        ("11. Juni 2023 10:00 MESZ", datetime(2023, 6, 11, 8, 0, tzinfo=UTC)),
        ("11 giugno 2023 10:00 CEST", datetime(2023, 6, 11, 8, 0, tzinfo=UTC)),
    ],
)
def test_feed_dates_with_zone_abbreviations(text: str, want: datetime) -> None:
    assert parse_datetime(text) is None  # not RFC 822: never half-read by the mail parser
    assert feed_date(text) == want


def test_assume_zone_only_places_naive_values() -> None:
    from zoneinfo import ZoneInfo

    helsinki = ZoneInfo("Europe/Helsinki")
    assert assume_zone(datetime(2022, 5, 10, 0, 30), helsinki) == datetime(
        2022, 5, 9, 21, 30, tzinfo=UTC
    )
    aware = datetime(2022, 5, 10, 0, 30, tzinfo=UTC)
    assert assume_zone(aware, helsinki) == aware
    assert assume_zone(None, helsinki) is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # zone abbreviations email.utils does not know, as European and Asia-Pacific feeds write them
        ("Mon, 30 Nov 2026 14:05:00 MEZ", datetime(2026, 11, 30, 13, 5, tzinfo=UTC)),
        ("Tue, 07 Jul 2026 09:30:00 CEST", datetime(2026, 7, 7, 7, 30, tzinfo=UTC)),
        ("Wed, 02 Dec 2026 18:00:00 JST", datetime(2026, 12, 2, 9, 0, tzinfo=UTC)),
        ("Thu, 03 Dec 2026 07:15 AEDT", datetime(2026, 12, 2, 20, 15, tzinfo=UTC)),
        ("Fri, 04 Dec 2026 10:00:00 MSK", datetime(2026, 12, 4, 7, 0, tzinfo=UTC)),
    ],
)
def test_rfc822_zone_abbreviations_are_offsets(text: str, want: datetime) -> None:
    assert parse_datetime(text) == want


def test_ambiguous_zone_abbreviation_stays_local_time() -> None:
    # IST is India, Ireland or Israel: the agency's zone decides later
    value = parse_datetime("Mon, 30 Nov 2026 14:05:00 IST")
    assert value == datetime(2026, 11, 30, 14, 5) and value.tzinfo is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Пн, 30 ноя 2026 14:05:00 +0300", datetime(2026, 11, 30, 11, 5, tzinfo=UTC)),
        ("Pzt, 30 Kas 2026 14:05:00 +0300", datetime(2026, 11, 30, 11, 5, tzinfo=UTC)),
        ("pon, 30 lis 2026 14:05:00 +0100", datetime(2026, 11, 30, 13, 5, tzinfo=UTC)),
        ("ma, 30 marraskuuta 2026 14:05:00 +0200", datetime(2026, 11, 30, 12, 5, tzinfo=UTC)),
        ("čt, 16 července 2026 08:00:00 +0200", datetime(2026, 7, 16, 6, 0, tzinfo=UTC)),
        ("lun., 30 nov. 2026 14h05 +0100", datetime(2026, 11, 30, 13, 5, tzinfo=UTC)),
        ("Δευ, 30 Νοε 2026 14:05:00 +0200", datetime(2026, 11, 30, 12, 5, tzinfo=UTC)),
        ("30/11/2026 14:05:00 +0100", datetime(2026, 11, 30, 13, 5, tzinfo=UTC)),
        ("30.11.2026 14:05 MEZ", datetime(2026, 11, 30, 13, 5, tzinfo=UTC)),
        ("11/30/2026 14:05:00 -0500", datetime(2026, 11, 30, 19, 5, tzinfo=UTC)),
    ],
)
def test_feed_dates_in_other_languages_and_numeric_forms(text: str, want: datetime) -> None:
    assert feed_date(text) == want


@pytest.mark.parametrize("text", ["1796047500", "1796047500000"])
def test_feed_unix_time_is_not_a_year(text: str) -> None:
    assert feed_date(text) == datetime(2026, 11, 30, 14, 5, tzinfo=UTC)
