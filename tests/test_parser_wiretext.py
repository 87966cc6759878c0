"""Line-oriented wire formats (IPTC 7901 + AAP ZCZC, ANPA 1312 + Kyodo, News Bites): hand-written
fixtures, the shared corpus read in place, sniffing precision and robustness on damaged input."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers import ParseError, _wirelines, anpa1312, iptc7901, newsbites
from parsers.registry import detect_format
from tests.fixture_check import check_fixture, fixture_cases

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
MODULES: dict[str, ModuleType] = {
    "iptc7901": iptc7901,
    "anpa1312": anpa1312,
    "newsbites": newsbites,
}
CORPUS_FORMATS = {"iptc7901/": "iptc7901", "anpa/": "anpa1312", "other/newsbites": "newsbites"}


@pytest.mark.parametrize(
    ("document", "expected"),
    fixture_cases("iptc7901") + fixture_cases("anpa1312") + fixture_cases("newsbites"),
)
def test_fixture(document: Path, expected: Path) -> None:
    check_fixture(document, expected)


# --- shared corpus ----------------------------------------------------------------------------------


def _need_corpus() -> None:
    if not (CORPUS / "expected.jsonl").exists():
        pytest.skip(f"shared corpus not found at {CORPUS} (tests read it in place, never copy it)")


def _format_of(name: str) -> str | None:
    return next((fmt for prefix, fmt in CORPUS_FORMATS.items() if name.startswith(prefix)), None)


def _expected_lines() -> list[dict[str, Any]]:
    path = CORPUS / "expected.jsonl"
    if not path.exists():
        return []
    lines = [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return [ln for ln in lines if _format_of(ln["file"])]


def _corpus_files() -> list[Path]:
    found: list[Path] = []
    for prefix in CORPUS_FORMATS:
        folder, _, stem = prefix.partition("/")
        if (CORPUS / folder).is_dir():
            found.extend(sorted((CORPUS / folder).glob(f"{stem}*")))
    return found


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


EXPECTED = _expected_lines()


@pytest.mark.parametrize("case", EXPECTED, ids=[c["file"] for c in EXPECTED] or None)
def test_corpus_expected_values(case: dict[str, Any]) -> None:
    """Parser-level facts from expected.jsonl; the dateline is still on the first paragraph, so the
    expected start must appear inside it."""
    _need_corpus()
    fmt = _format_of(case["file"])
    assert fmt is not None
    raw = (CORPUS / case["file"]).read_bytes()
    assert detect_format(raw) == fmt
    items = MODULES[fmt].parse(raw)
    assert len(items) == 1
    item = items[0]
    assert item.source_format == fmt
    assert item.headline == case["headline"]
    assert item.urgency == case["urgency"]
    assert item.version == case["version"]
    assert item.status == case["status"]
    assert (item.embargo_until is not None) == case["embargo"]
    assert len(item.body) >= case["min_paragraphs"]
    assert _norm(case["first_paragraph_starts"]) in _norm(item.body[0])


def _parse_corpus(name: str) -> Any:
    _need_corpus()
    raw = (CORPUS / name).read_bytes()
    items = MODULES[_format_of(name) or ""].parse(raw)
    assert len(items) == 1
    return items[0]


def test_corpus_iptc7901_traps() -> None:
    """Take labels, bylines, notebooks, encodings and trailers named in the corpus notes."""
    lead = _parse_corpus("iptc7901/dpa_en_1st-lead.txt")
    assert lead.signals == ["lead:1"]
    assert lead.byline == "By Manuel Schwarz, dpa"
    assert any("Thomas Müller" in p for p in lead.body)
    assert (
        lead.published_at is not None
        and lead.published_at.isoformat() == "2015-10-07T13:41:00+00:00"
    )

    refile = _parse_corpus("iptc7901/dpa_en_refile_1st-lead.txt")
    assert refile.signals == ["refile", "lead:1"]
    assert not any("Corbett" in p or "Reporting by" in p for p in refile.body)

    second = _parse_corpus("iptc7901/dpa_en_2nd-lead_no-ctrl.txt")
    assert second.headline == "Top EU court: Britain can unilaterally reverse Brexit decision"
    assert second.signals == ["lead:2", "net:3"]
    assert second.ednotes == ["Adds reaction from British minister, opposition"]
    assert second.body[0].startswith("Luxembourg (dpa) - Britain could")

    tns = _parse_corpus("iptc7901/dpa-tns_en_two-byline.txt")
    assert tns.byline == "By Tom Krasovic, The San Diego Union-Tribune"
    assert tns.body[-1].endswith("Kansas City's hopes will hinge on firming its defence.")

    ats = _parse_corpus("iptc7901/ats_fr_latin1.txt")
    assert ats.kicker == "France"
    assert ats.body[-1].endswith("pouvoir d'achat.")  # '(SDA\/sj)' sign-off dropped

    eil = _parse_corpus("iptc7901/dpa_de_eilmeldung_CONVERTED.iptc")
    assert (eil.headline, eil.urgency, eil.signals) == (
        "Grünen-Spitze tritt nach Wahlniederlagen ab",
        2,
        ["urgent"],
    )

    preview = _parse_corpus("iptc7901/dpa_de_tagesvorschau_CONVERTED.iptc")
    assert preview.signals == ["correction", "preview"]
    assert preview.status == "usable"

    service = _parse_corpus("iptc7901/dpa_en_copyright_notice.txt")
    assert service.signals == ["service"]

    aap = _parse_corpus("iptc7901/aap_en_headlines.tst")
    assert aap.keywords[0] == "AM Sydney headlines"  # the '#' slug is not the headline


def test_corpus_anpa_traps() -> None:
    restores = _parse_corpus("anpa/ap_en_1st-ld-writethru_restores.tst")
    assert restores.signals == ["priority:r", "lead:1", "writethru"]
    assert restores.keywords == ["BC-US--Ethanol-Losing Grassland"]
    assert restores.byline == "By CHET BROKAW and JACK GILLUM, Associated Press"
    assert restores.ednotes[1].startswith("Eds: Restores reference in 3rd paragraph")
    assert "___" not in restores.body
    assert restores.body[-1].startswith("Gillum reported from Washington.")

    sports = _parse_corpus("anpa/ap_en_1st-ld-writethru_sports.tst")
    assert sports.body[0].startswith("ATLANTA (AP) — Luol Deng")  # the abstract line is not body
    assert sum("Luol Deng scored 30 points" in p for p in sports.body) == 1
    assert "TIP-INS" in sports.body

    feature = _parse_corpus("anpa/ap_en_asian_feature.tst")
    assert feature.headline == "For Argentine chemo patients, mirrors can hurt"
    assert feature.ednotes == [
        "AP Photo XNP101, XNP102, XNP103, XNP104, XNP105, XNP106",
        "Eds: With AP Photos.",
    ]

    alert = _parse_corpus("anpa/ap_en_newsalert.tst")
    assert alert.signals == ["priority:b", "alert"]
    assert alert.urgency is None

    weather = _parse_corpus("anpa/ap_en_weather_agate.tst")
    assert weather.body[-1] == "Source: Weather Underground"  # '^END<' and trailer are not text

    kyodo = _parse_corpus("anpa/kyodo_en_2018.txt")
    assert kyodo.agencies == ["Kyodo"]
    assert not any("==Kyodo" in p for p in kyodo.body)
    assert kyodo.body[0].startswith(
        "SAITAMA, Japan, Dec. 9 Kyodo - Urawa Reds claimed their seventh"
    )


def test_corpus_newsbites_abstract_not_body() -> None:
    item = _parse_corpus("other/newsbites_en_2016_cp1252.tst")
    assert item.guid == "26945219"
    assert len(item.body) == 3
    assert "\u0092" not in item.body[0]


@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_damaged_corpus_files_raise_only_parse_error(path: Path) -> None:
    """Truncated and byte-flipped copies never raise anything but ParseError."""
    raw = path.read_bytes()
    module = MODULES[_format_of(f"{path.parent.name}/{path.name}") or ""]
    variants = [raw[:cut] for cut in range(0, len(raw), max(1, len(raw) // 40))]
    variants += [raw.replace(b"\x02", b""), raw.replace(b"\n", b"\r"), raw[::-1]]
    variants += [bytes(b ^ 0x55 if i % 7 == 0 else b for i, b in enumerate(raw))]
    for variant in variants:
        module.can_parse(variant)
        try:
            module.parse(variant)
        except ParseError as error:
            assert error.reason


# --- sniffing and robustness ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        b"Hello world.\n\nThis is a plain text file with a few paragraphs.\n",
        b"Berlin (dpa) - Die Bundesregierung hat am Montag ...\n\nZweiter Absatz.\n",
        b"ZCZC\nplain telex text without fields\nNNNN\n",
        b"abc123 some text that is not a header\nSecond line =\n",
        b"AN#123 but no text tag\nTI#Headline\n",
        b"<?xml version='1.0'?><nitf/>",
        b"",
    ],
)
def test_plain_text_is_not_claimed(text: bytes) -> None:
    for module in MODULES.values():
        assert not module.can_parse(text), module.FORMAT


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_never_crash(raw: bytes) -> None:
    for module in MODULES.values():
        assert isinstance(module.can_parse(raw), bool)
        try:
            module.parse(raw)
        except ParseError as error:
            assert error.reason


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "\x01",
                "\x02",
                "\x03",
                "\x04",
                "\r\n",
                "\n",
                "   ",
                "\t",
                "=",
                "^",
                "<",
                "#",
                "AN#",
                "TX#",
                "eca01 3 i 20 dpa 1",
                "r a BC-X 01-01 0100",
                "ZCZC",
                "NNNN",
                "Text",
                "1ST LEAD",
                "é",
            ]
        ),
        max_size=40,
    )
)
def test_structured_noise_never_crashes(parts: list[str]) -> None:
    raw = "".join(parts).encode("utf-8")
    for module in MODULES.values():
        module.can_parse(raw)
        try:
            module.parse(raw)
        except ParseError as error:
            assert error.reason


def test_garbage_is_a_clear_error() -> None:
    with pytest.raises(ParseError, match="header line"):
        iptc7901.parse(b"no header here\nat all\n")
    with pytest.raises(ParseError, match="SOH"):
        anpa1312.parse(b"plain text")
    with pytest.raises(ParseError, match="AN#"):
        newsbites.parse(b"plain text")


# --- shared line utilities --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "signals"),
    [
        ("1ST LEAD", ["lead:1"]),
        ("2ND LEAD", ["lead:2"]),
        ("1st Ld-Writethru", ["lead:1", "writethru"]),
        ("1stLd-Writethru", ["lead:1", "writethru"]),
        ("3RD NET", ["net:3"]),
        ("REFILE", ["refile"]),
        ("EXTRA", ["extra"]),
        ("(Achtung)", ["service"]),
        ("(Berichtigung: Uhrzeit korrigiert)", ["correction"]),
        ("2. Zusammenfassung", ["lead:2"]),
    ],
)
def test_read_label(label: str, signals: list[str]) -> None:
    found = _wirelines.read_label(label)
    assert found is not None
    assert found.signals == signals


def test_read_label_rejects_headlines() -> None:
    assert _wirelines.read_label("Storm closes Dutch ports") is None
    assert _wirelines.read_label("Extra time decides the final") is None
    kill = _wirelines.read_label("KILL")
    assert kill is not None and kill.status == "canceled"


def test_paragraphs_join_wrapped_lines_and_respect_indents_and_bullets() -> None:
    lines = [
        "   First paragraph starts",
        "and continues here.",
        "   Second one.",
        "",
        "Third after a blank, wrapped before a dash",
        "- and a number: the",
        "2. Bundesliga.",
        "  * bullet one wraps",
        "    onto a second line",
        "+ another bullet",
    ]
    assert _wirelines.paragraphs(lines) == [
        "First paragraph starts and continues here.",
        "Second one.",
        "Third after a blank, wrapped before a dash - and a number: the 2. Bundesliga.",
        "* bullet one wraps onto a second line",
        "+ another bullet",
    ]


def test_strip_controls_keeps_text_and_line_ends() -> None:
    assert _wirelines.strip_controls("\x01a\x07b\tc\n\x7fd\x1f") == "ab\tc\nd"
    assert _wirelines.decode_text(b"a\r\nb\rc\n") == "a\nb\nc\n"


def test_message_count_is_limited() -> None:
    message = b"\x01eca1 3 i 1 dpa 1\r\n\r\nX/\r\n\x02Head =\r\n\r\nText.\r\n\x03\x04"
    with pytest.raises(ParseError, match="over the limit"):
        iptc7901.parse(message * 5001)
    assert len(iptc7901.parse(message * 3)) == 3
