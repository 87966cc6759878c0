"""Golden test: the seed page (a rendered German news page carrying an AFP story) read end to end.

Every field an editor sees is pinned, and none of the page furniture ("Auch interessant", "Meistgelesene
Artikel", "Kommentare", the repeated teaser titles) may appear in any field but ``related`` titles.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from normalizers.normalize import normalize
from normalizers.record import ArticleRecord
from parsers import detect_format, parse_document

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_2a8b06de0451aaca.txt"
TEASER_TITLES = [
    "Länder scheitern in Karlsruhe mit NPD-Verbotsantrag",
    "Bundesverfassungsgericht entscheidet: NPD wird nicht verboten",
    "Ethikkommission untersucht Privatinsel-Urlaub von Trudeau",
    "Verschleierte Schülerin: Wissenschaftler warnen vor Debatte",
]


@pytest.fixture(scope="module")
def record() -> ArticleRecord:
    if not SEED.is_file():
        pytest.skip(f"seed page not found at {SEED} (../shared/seeds is present in CI)")
    raw = SEED.read_bytes()
    assert detect_format(raw) == "text"
    items = parse_document(raw)
    assert len(items) == 1
    return normalize(items[0])


def test_seed_header(record: ArticleRecord) -> None:
    assert record.source_format == "text"
    assert record.caption == "Die Syrien-Gespräche zwischen USA und Russland werden weitergeführt."
    assert record.kicker == "Nach Drohung Washingtons"
    assert record.headline == "Syrien-Krise: Russland will weiter mit USA zusammenarbeiten"
    assert record.byline is None
    assert record.published_at is None
    assert record.status == "usable"
    assert record.language == "de"


def test_seed_dateline_and_agencies(record: ArticleRecord) -> None:
    assert record.dateline is not None
    assert record.dateline.place == "Moskau"
    assert record.dateline.date is None
    assert record.dateline.agencies == []
    assert record.agencies == ["AFP"]


def test_seed_body(record: ArticleRecord) -> None:
    assert len(record.body) == 6
    assert record.body[0].startswith("Ungeachtet von tiefen Differenzen")
    assert record.body[-1].endswith("mit voller Wucht auf.")
    assert not any(p.startswith("Moskau -") for p in record.body)
    assert "AFP" not in record.body


def test_seed_related_in_page_order(record: ArticleRecord) -> None:
    assert [r.title for r in record.related] == TEASER_TITLES
    assert all(r.teaser for r in record.related)
    assert record.related[0].teaser is not None
    assert record.related[0].teaser.startswith("Für die Politik ist es ein Schlag")
    datelines = [r.dateline for r in record.related]
    assert datelines[0] is None
    assert [(d.place, d.agencies) for d in datelines[1:] if d] == [
        ("Karlsruhe", []),
        ("Montreal", ["dpa"]),
        ("Belm", ["dpa"]),
    ]
    assert record.related[1].teaser == (
        "Das Bundesverfassungsgericht in Karlsruhe hat am Dienstag entschieden, "
        "dass die NPD nicht verboten wird."
    )


def test_seed_no_furniture_anywhere(record: ArticleRecord) -> None:
    texts = [record.caption, record.kicker, record.headline, record.byline, *record.body]
    texts += [r.teaser for r in record.related]
    joined = "\n".join(t for t in texts if t)
    for furniture in ("Auch interessant", "Meistgelesene", "Kommentare", *TEASER_TITLES):
        assert furniture not in joined
