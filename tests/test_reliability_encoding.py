"""One bad byte must not turn a UTF-8 document into cp1252 mojibake: UTF-8 with damage is decoded as UTF-8
with U+FFFD (and logged), legacy 8-bit text still decodes as windows-1252, in every format that reads text."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ingest.parse_stage import parse_records
from ingest.pipeline import ingest_document
from parsers.encoding import decode_bytes
from storage.search import ArticleQuery, search
from storage.store import Store
from tests.conftest import CORPUS

HEADLINE = "Außenminister reist nach Genève"
BODY = (
    "Der Außenminister der Schweiz traf in Genève seine Amtskollegen aus Österreich und Frankreich "
    "zu Gesprächen über die künftige Zusammenarbeit der Staaten."
)
BAD = "\x92"  # a lone windows-1252 apostrophe spliced into UTF-8 text (placeholder, made a raw byte below)
DOCUMENTS = {
    "rss": (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>SDA</title>'
        f"<item><title>{HEADLINE}</title><guid>sda-1</guid><description>{BODY} Ende{BAD}s.</description>"
        "</item></channel></rss>"
    ),
    "nitf": (
        f'<?xml version="1.0" encoding="ISO-8859-1"?><nitf><head><title>{HEADLINE}</title></head><body>'
        f"<body.head><hedline><hl1>{HEADLINE}</hl1></hedline></body.head><body.content><p>{BODY}</p>"
        f"<p>Zweiter{BAD} Absatz.</p></body.content></body></nitf>"
    ),
    "ninjs": (
        f'{{"uri": "urn:sda:1", "type": "text", "headline": "{HEADLINE}", '
        f'"body_text": "{BODY}\\n\\nZweiter{BAD} Absatz."}}'
    ),
    "html": (
        f'<!doctype html><html lang="de"><head><meta charset="windows-1252"><title>{HEADLINE}</title>'
        f"</head><body><article><h1>{HEADLINE}</h1><p>{BODY}</p><p>Zweiter{BAD} Absatz mit mehr Text, "
        "damit es ein Absatz ist.</p></article></body></html>"
    ),
    "text": f"{HEADLINE}\n\n{BODY}\n\nZweiter{BAD} Absatz.\n",
}


def damaged(document: str) -> bytes:
    """UTF-8 bytes of ``document`` with the marker turned into one invalid byte."""
    return document.encode("utf-8").replace(BAD.encode("utf-8"), b"\x92")


def test_damaged_utf8_is_utf8_with_a_replacement_character(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="parsers.encoding"):
        text, encoding = decode_bytes(damaged(f"{BODY} Ende{BAD}s."))
    assert encoding == "utf-8"
    assert text == f"{BODY} Ende\ufffds."
    assert any("damaged UTF-8" in r.getMessage() for r in caplog.records)


def test_legacy_8bit_text_stays_windows_1252() -> None:
    legacy = "Außenminister in Genève – «Gespräche»".encode("cp1252")
    assert decode_bytes(legacy) == ("Außenminister in Genève – «Gespräche»", "cp1252")
    # a single high byte in ASCII text is legacy too
    assert decode_bytes(b"Caf\xe9 de Paris") == ("Café de Paris", "cp1252")
    # more damage than valid sequences: not UTF-8 (one chance pair among many Latin-1 letters)
    mixed = "Ã©".encode() + "été à Genève où".encode("cp1252")
    assert decode_bytes(mixed)[1] == "cp1252"


@pytest.mark.parametrize(
    "name", ["iptc7901/dpa_en_1st-lead.txt", "other/newsbites_en_2016_cp1252.tst"]
)
def test_corpus_legacy_files_keep_decoding_as_cp1252(name: str) -> None:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"shared corpus file {path} not found (it is present in CI)")
    raw = path.read_bytes()
    assert decode_bytes(raw) == (raw.decode("cp1252", errors="replace"), "cp1252")


@pytest.mark.parametrize("fmt", sorted(DOCUMENTS))
def test_every_format_reads_damaged_utf8_as_utf8(fmt: str) -> None:
    records = parse_records(damaged(DOCUMENTS[fmt]), f"sda.{fmt}", format_name=fmt)
    assert records, fmt
    record = records[0]
    assert record.headline == HEADLINE
    text = "\n".join(record.body)
    assert "Außenminister" in text and "Ã" not in text
    assert (
        "\ufffd" in text or fmt == "html"
    )  # html may drop the short damaged paragraph as furniture


def test_damaged_document_is_stored_searchable(store: Store, tmp_path: Path) -> None:
    result = ingest_document(store, damaged(DOCUMENTS["ninjs"]), str(tmp_path / "sda.json"))
    assert result.stored == 1 and not result.quarantined
    found = search(store, ArticleQuery(text="Außenminister", include_all=True))
    assert [r.headline for r in found] == [HEADLINE]


# Java's modified UTF-8 / CESU-8: an emoji as two encoded surrogates; a JavaScript string cut mid-pair.
EMOJI = "\U0001f4e3"  # MEGAPHONE, outside the BMP
PAIR = b"\xed\xa0\xbd\xed\xb3\xa3"  # U+1F4E3 as two 3-byte surrogate sequences
LONE = b"\xed\xa0\xbd"  # a high surrogate without its partner


def test_surrogate_pairs_are_joined_and_lone_ones_replaced(
    caplog: pytest.LogCaptureFixture,
) -> None:
    text = "Sciopero a Napoli: città ferma".encode()
    assert decode_bytes(text.replace(b":", b" " + PAIR + b":")) == (
        f"Sciopero a Napoli {EMOJI}: città ferma",
        "utf-8",
    )
    with caplog.at_level(logging.WARNING, logger="parsers.encoding"):
        assert decode_bytes(LONE + b" Roma, tutto esaurito") == (
            "\ufffd Roma, tutto esaurito",
            "utf-8",
        )
    assert any("lone UTF-16 surrogates" in r.getMessage() for r in caplog.records)


ASCII_FOLD = str.maketrans({"ß": "ss", "è": "e", "Ö": "Oe", "ü": "ue", "ä": "ae"})


@pytest.mark.parametrize("fmt", sorted(DOCUMENTS))
def test_every_format_reads_utf8_with_surrogates_as_utf8(fmt: str) -> None:
    """A surrogate the only non-ASCII bytes: still UTF-8 (U+FFFD), not cp1252's ``í\xa0½``."""
    document = DOCUMENTS[fmt].translate(ASCII_FOLD)
    raw = document.encode("utf-8").replace(BAD.encode("utf-8"), LONE)
    records = parse_records(raw, f"ansa.{fmt}", format_name=fmt)
    assert records, fmt
    assert records[0].headline == HEADLINE.translate(ASCII_FOLD)
    text = "\n".join(records[0].body)
    assert "í" not in text and "½" not in text
    assert "\ufffd" in text or fmt == "html"  # html may drop the short paragraph as furniture
