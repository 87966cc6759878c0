"""Issue 15 wire kinds beyond the shared cases (those run in ``tests/test_shared_cases.py``): the parser side
of F02 on its own, and this project's own fixtures of the same kinds from other agencies and languages,
checked for the invariants each kind promises: no literal tags, no format codes and no placeholder values in
any text field of the normalized record; offset-less times placed in the agency's zone."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from parsers import parse_document
from parsers._inline import clean_line
from parsers._wiretext import lift_lead_notes, preformatted_paragraphs
from tests.shared_cases import CASES, records

FIXTURES = Path(__file__).parent / "fixtures"


def _records(path: Path) -> list[dict[str, Any]]:
    return records(path)


def test_wire_case_f02_parser_side() -> None:
    """Reuters' one-<p> story: paragraphs rebuilt, advisory and byline lifted, dateline kept in place."""
    path = CASES / "wire" / "F02_reuters_single_p_wiretext.xml"
    if not path.is_file():
        pytest.skip(f"shared wire case not found at {path}")
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    (item,) = parse_document(path.read_bytes())
    want = list(expected["body"])
    want[2] = "Jan 30 (Reuters) - " + want[2]
    assert item.body == want
    assert item.byline == expected["byline"]
    assert any(expected["ednotes_contains"] in note for note in item.ednotes)


# --- own fixtures of the same kinds, end to end ---------------------------------------------------------

OWN = [
    "nitf/ansa_escaped_inline_markup.xml",
    "nitf/kyodo_single_p_wiretext.xml",
    "nitf/efe_case_variants_pre_table.xml",
    "newsml12/anp_case_variants_roles.xml",
    "newsml12/afp_escaped_markup_wiretext.xml",
    "newsmlg2/ntb_case_variants_placeholder_naive.xml",
    "anpa1312/no_word_count_story.tst",
    "anpa1312/agate_hockey.tst",
    "iptc7901/zczc_older_profile.tst",
    "iptc7901/sda_multiline_note.iptc",
    # F01/F13 from other agencies: entity-escaped tags in JSON strings and twice-escaped XML, literal tags
    # in 7901 text, placeholders in other spellings and languages (N.N., N/D, n/d, unbekannt, neznámý, —)
    "ninjs/apa_de_escaped_markup_placeholders.json",
    "iptc7901/hina_hr_inline_tags.iptc",
    "nitf/efe_es_placeholders.xml",
    "newsmlg2/ctk_cs_escaped_placeholders.xml",
]
_TAG = re.compile(r"<\s*/?\s*[A-Za-z][\w.:-]*[^<>]*>")
_CODES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|^\^|[=<]$")
_PLACEHOLDERS = re.compile(
    r"^(?:(?:by|von|por)\s+)?(?:No-Data-Available|N/A|N/D|n\.?a\.?|none|unknown|unbekannt|desconocido|"
    r"neznámý|N\.\s?N\.|#N/A|\(null\)|-|—|TBD)$",
    re.IGNORECASE,
)
_ENTITY_TAG = re.compile(r"&lt;/?[A-Za-z]", re.IGNORECASE)
_TEXT_FIELDS = ("headline", "kicker", "caption", "byline")
_LIST_FIELDS = ("body", "ednotes", "keywords", "subjects", "agencies")


def _texts(record: dict[str, Any]) -> list[tuple[str, str]]:
    found = [(name, record[name]) for name in _TEXT_FIELDS if record.get(name)]
    found += [(name, value) for name in _LIST_FIELDS for value in record.get(name) or []]
    dateline = record.get("dateline") or {}
    found += [(f"dateline.{k}", v) for k, v in dateline.items() if isinstance(v, str)]
    return found


@pytest.mark.parametrize("name", OWN)
def test_own_fixture_record_is_clean(name: str) -> None:
    """No literal tag, format code or placeholder value reaches any text field of the stored record."""
    records = _records(FIXTURES / name)
    assert records, "the fixture yields a record"
    for record in records:
        assert record["body"], "a story body"
        for field, text in _texts(record):
            assert not _TAG.search(text), f"{field}: literal tag in {text!r}"
            assert not _ENTITY_TAG.search(text), f"{field}: escaped tag in {text!r}"
            assert not _CODES.search(text), f"{field}: format code in {text!r}"
            assert not _PLACEHOLDERS.match(text), f"{field}: placeholder {text!r}"


def test_naive_local_time_is_placed_in_the_agency_zone() -> None:
    """A NewsML 1.2 Belga time without offset (January: CET) is 12:45:50 local = 11:45:50 UTC."""
    (record,) = _records(FIXTURES / "newsml12" / "belga_escaped_iso-8859-15.xml")
    assert record["published_at"] in {"2024-01-29T11:45:50Z", "2024-01-29T11:45:50+00:00"}


# --- F08 and kin: sign-offs of other agencies, in the formats that carry them ----------------------------

# (fixture, the story's last paragraph, agencies, byline): the sign-off leaves the body, credits what it
# names, and a real short last sentence (``Er wurde 78 Jahre alt.``) stays.
SIGN_OFFS = [
    (
        "iptc7901/agerpres_ro_role_trailer.iptc",
        "Proiectul va fi trimis Parlamentului saptamana viitoare.",
        ["Agerpres"],
        "Ion Popescu",
    ),
    (
        "nitf/ukrinform_en_desk_code.xml",
        "The ministry said insurance costs for shipowners had fallen by a third since the summer.",
        ["Ukrinform"],
        None,
    ),
    (
        "newsml12/bta_bg_slash_initials.xml",
        "Второто четене се очаква до края на месеца.",
        ["BTA"],
        None,
    ),
    (
        "newsmlg2/pti_en_upper_initials.xml",
        "Opposition parties have demanded a debate on price rise.",
        ["PTI"],
        None,
    ),
    (
        "ninjs/yonhap_en_email_end.json",
        "Chip exports hit a monthly record of 12.5 billion dollars.",
        ["Yonhap"],
        None,
    ),
    (
        "nitf/tt_sv_signature.xml",
        "Drygt 14 000 personer sökte till de fem lärosäten som erbjuder utbildningen.",
        ["TT"],
        "Anna Svensson",
    ),
    ("newsmlg2/apa_de_schluss.xml", "Er wurde 78 Jahre alt.", ["APA"], None),
    (
        "iptc7901/xinhua_en_glued_enditem.iptc",  # the flush-left end mark joined to the paragraph
        "Imports fell 3.9 percent over the same period, according to the General Administration of "
        "Customs.",
        ["Xinhua"],
        None,
    ),
]


@pytest.mark.parametrize(
    ("name", "last", "agencies", "byline"), SIGN_OFFS, ids=[s[0] for s in SIGN_OFFS]
)
def test_sign_offs_leave_the_body_and_credit(
    name: str, last: str, agencies: list[str], byline: str | None
) -> None:
    (record,) = _records(FIXTURES / name)
    assert record["body"][-1] == last
    assert record["agencies"] == agencies
    assert record["byline"] == byline


def test_agerpres_trailer_time_is_bucharest_local() -> None:
    """The 7901 trailer without GMT is the sender's local time: 14:32 in Bucharest (EET) = 12:32 UTC."""
    (record,) = _records(FIXTURES / "iptc7901" / "agerpres_ro_role_trailer.iptc")
    assert record["published_at"] in {"2024-12-10T12:32:00Z", "2024-12-10T12:32:00+00:00"}


def test_escaped_markup_and_placeholders_of_other_agencies() -> None:
    """APA ninjs: escaped tags in headline, ednote, body and keywords are markup (``&lt;/p&gt;&lt;p&gt;``
    splits the paragraph, ``AT&amp;T`` is decoded with them); ``Von N.N.``, ``-``, ``unbekannt``, ``n/d``
    are no values."""
    (record,) = _records(FIXTURES / "ninjs" / "apa_de_escaped_markup_placeholders.json")
    assert record["headline"] == "Hochwasser: Donau erreicht Höchststand"
    assert record["ednotes"] == ["Achtung: Aktualisierte Pegelstände"]
    assert record["body"][:2] == [
        "Die Donau hat am Freitag in der Wachau ihren Höchststand erreicht, der Pegel lag bei 9,60 Metern.",
        "Die Einsatzkräfte sind seit Donnerstag im Dauereinsatz.",
    ]
    assert "AT&T" in record["body"][2]
    assert record["keywords"] == ["Hochwasser", "Donau"]
    assert (record["byline"], record["kicker"]) == (None, None)
    assert record["dateline"]["place"] == "Krems"
    (efe,) = _records(FIXTURES / "nitf" / "efe_es_placeholders.xml")
    assert (efe["byline"], efe["kicker"], efe["dateline"]) == (None, None, None)
    assert efe["agencies"] == ["EFE"]
    (ctk,) = _records(FIXTURES / "newsmlg2" / "ctk_cs_escaped_placeholders.xml")
    assert ctk["byline"] is None and ctk["keywords"] == ["rozpočet"]
    assert ctk["dateline"]["place"] == "Praha"


# --- F02 in other agencies' layouts and other containers ---------------------------------------------

# (fixture, byline, ednote, first story paragraph, paragraph count): AP indents paragraphs and puts the
# byline's title on its own line, AFP writes advisory and byline flush-left above indented paragraphs, PA
# and Reuters/AAP separate paragraphs with blank lines (a credit line under the byline).
WIRE_TEXT = [
    (
        "ninjs/ap_en_wiretext_body_text.json",
        "By JANE DOE, Associated Press",
        "(Updates with details of injured in paragraph 4)",
        "The Senate passed the spending bill late on Friday, sending it to the president with hours to "
        "spare before a government shutdown.",
        3,
    ),
    (
        "newsmlg2/afp_fr_plain_wiretext.xml",
        "Par Marie DUPONT",
        "(Ajoute réaction du ministre, détails)",
        "Le gouvernement a présenté mardi son projet de budget, qui prévoit des économies importantes.",
        3,
    ),
    (
        "newsml12/pa_en_plain_blank_lines.xml",
        "By John Smith, PA Political Correspondent",
        "(Corrects spelling of name in para 3)",
        "The Prime Minister has announced a review of energy bills, saying households deserve certainty "
        "this winter.",
        3,
    ),
    (
        "nitf/reuters_en_single_p_credit_line.xml",
        "By Tom Brown",
        "(Adds economist comment in paragraph 3)",
        "Australia's central bank held interest rates at a 13-year high on Tuesday, as expected.",
        3,
    ),
    (
        "iptc7901/aap_en_zczc_advisory_byline.tst",  # the line formats lift them too
        "By Sarah Jones",
        "(Updates with evacuation order)",
        "Bushfire crews are battling dozens of blazes across NSW as temperatures climb above 40C.",
        2,
    ),
    (
        "iptc7901/ats_fr_advisory_par.iptc",
        "Par Jean Dupont",
        "(Ajoute reaction du PS)",
        "Le Conseil national a rejete mercredi l initiative.",
        2,
    ),
    (
        "afpjson/afp_fr_advisory_par.json",  # and the JSON formats (AFP's desk initials leave too)
        "Par Marie DUPONT",
        "(Ajoute réaction de l'opposition, détails)",
        "Le gouvernement a présenté mardi son projet de budget, qui prévoit des économies importantes.",
        2,
    ),
    (
        "nitf/ansa_it_single_p_di_byline.xml",
        "di Mario Rossi",
        "(Aggiorna con dichiarazioni del ministro)",
        "Il Senato ha approvato in via definitiva la legge di bilancio con 108 voti favorevoli e 63 "
        "contrari.",
        3,
    ),
]


@pytest.mark.parametrize(
    ("name", "byline", "ednote", "first", "count"), WIRE_TEXT, ids=[w[0] for w in WIRE_TEXT]
)
def test_wire_text_in_one_container_of_other_agencies(
    name: str, byline: str, ednote: str, first: str, count: int
) -> None:
    (record,) = _records(FIXTURES / name)
    assert record["byline"] == byline
    assert record["ednotes"] == [ednote]
    assert record["body"][0] == first and len(record["body"]) == count
    assert record["agencies"] or record["dateline"]["place"], "the copy's credit or dateline"


def test_lead_lines_stand_alone_however_indented() -> None:
    """A flush-left byline after an advisory, and an agency title line after the byline, are their own
    paragraphs; a flush-left line in the story continues its paragraph."""
    text = (
        "(Adds quotes)\nBy JANE DOE\n  AP Business Writer\n  NEW YORK (AP) -- Stocks fell on\n"
        "Monday.\n  By the close, the index was down 1%.\n"
    )
    paragraphs = preformatted_paragraphs(text)
    assert paragraphs == [
        "(Adds quotes)",
        "By JANE DOE",
        "AP Business Writer",
        "NEW YORK (AP) -- Stocks fell on Monday.",
        "By the close, the index was down 1%.",
    ]
    assert paragraphs is not None
    lead = lift_lead_notes(paragraphs)
    assert (lead.ednotes, lead.byline) == (["(Adds quotes)"], "By JANE DOE, AP Business Writer")
    assert lead.body == paragraphs[3:]


@pytest.mark.parametrize(
    "second", ["The talks resumed on Monday.", "Mr. Smith, a former Press secretary, said so."]
)
def test_a_story_paragraph_after_the_byline_is_no_title(second: str) -> None:
    lead = lift_lead_notes(["By Jane Doe", second, "Third paragraph of the story."])
    assert lead.byline == "By Jane Doe" and lead.body[0] == second


def test_provider_named_by_its_domain_credits_and_places_naive_times() -> None:
    """NewsML 1.2 from Kyodo names itself only as ``kyodonews.net``: the agency's own domain credits
    Kyodo, and 18:30 without offset is Tokyo time (09:30 UTC)."""
    (record,) = _records(FIXTURES / "newsml12" / "kyodo_en_domain_provider_naive.xml")
    assert record["agencies"] == ["Kyodo"]
    assert record["published_at"] in {"2024-12-12T09:30:00Z", "2024-12-12T09:30:00+00:00"}


@pytest.mark.parametrize(
    "advisory",
    [
        "(neu: mehr Details, Zitate)",  # dpa
        "(Atualiza com reação do ministro)",  # Lusa
        "(Aangevuld met reactie van de minister)",  # ANP
        "(Uppdaterad med nya uppgifter)",  # TT
        "(Oppdatert med kommentar)",  # NTB
        "(Päivitetty klo 12.30)",  # STT
        "(Aktualizacja: dodano komentarz)",  # PAP
        "(Doplněno o reakci ministra)",  # ČTK
        "(Actualizează cu declarații)",  # Agerpres
    ],
)
def test_advisories_in_the_agencies_languages_are_ednotes(advisory: str) -> None:
    lead = lift_lead_notes([advisory, "First paragraph of the story.", "Second paragraph."])
    assert lead.ednotes == [advisory] and lead.body[0] == "First paragraph of the story."


@pytest.mark.parametrize(
    "first", ["(Es ist neu)", "(Der neue Plan ist teuer)", "Di questo si parla"]
)
def test_parenthesised_text_and_di_sentences_stay_story(first: str) -> None:
    lead = lift_lead_notes([first, "Second paragraph of the story."])
    assert lead.body[0] == first and lead.ednotes == [] and lead.byline is None


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("Sturm &lt;i&gt;Xavier&lt;/i&gt; trifft Küste", "Sturm Xavier trifft Küste"),
        ("Sturm &#60;i&#62;Xavier&#60;/i&#62; &amp; Regen", "Sturm Xavier & Regen"),
        ("Bild &lt;br /&gt;Foto: APA", "Bild Foto: APA"),
        ("x &lt; y and AT&amp;T", "x &lt; y and AT&amp;T"),  # no escaped tag: left as sent
    ],
)
def test_entity_escaped_tags_in_one_line_fields(text: str, clean: str) -> None:
    assert clean_line(text) == clean


@pytest.mark.parametrize(
    ("title", "byline"),
    [
        ("Associated Press", "By JANE DOE, Associated Press"),
        ("AP Medical Writer", "By JANE DOE, AP Medical Writer"),
        ("dpa-Korrespondentin", "By JANE DOE, dpa-Korrespondentin"),
    ],
)
def test_the_title_line_under_a_byline_joins_it(title: str, byline: str) -> None:
    lead = lift_lead_notes(["By JANE DOE", title, "WASHINGTON (AP) -- The Senate passed the bill."])
    assert lead.byline == byline and lead.body == ["WASHINGTON (AP) -- The Senate passed the bill."]


# --- F03 element-name variants ------------------------------------------------------------------------


def _newsml12(item_body: str, root_attrs: str = "") -> bytes:
    return (
        f'<NewsML Version="1.2"{root_attrs}><NewsItem><Identification><NewsIdentifier>'
        "<ProviderId>belga.be</ProviderId><DateId>20261130</DateId><NewsItemId>1</NewsItemId>"
        "<RevisionId>1</RevisionId><PublicIdentifier>urn:newsml:belga.be:20261130:1:1</PublicIdentifier>"
        f"</NewsIdentifier></Identification>{item_body}</NewsItem></NewsML>"
    ).encode()


def _component(role: str, text: str, inner: str = "") -> str:
    role_tag = f'<Role FormalName="{role}"/>' if role else ""
    return (
        f'<NewsComponent>{role_tag}{inner}<ContentItem><MediaType FormalName="Text"/>'
        f'<MimeType FormalName="text/plain"/><DataContent>{text}</DataContent></ContentItem></NewsComponent>'
    )


@pytest.mark.parametrize(
    ("headline_tag", "lines_tag", "attribute"),
    [
        ("HeadLine", "NewsLines", "FormalName"),
        ("Headline", "Newslines", "formalname"),
        ("HEADLINE", "NEWSLINES", "FORMALNAME"),
        ("Head_Line", "News-Lines", "Formal_Name"),
    ],
)
def test_newsml12_name_and_attribute_variants(
    headline_tag: str, lines_tag: str, attribute: str
) -> None:
    """Case and separator variants of NewsML 1.2 element and attribute names read as the DTD's."""
    body = (
        f'<NewsManagement><Urgency {attribute}="2"/><Status {attribute}="Withheld"/></NewsManagement>'
        f"<NewsComponent><{lines_tag}><{headline_tag}>Kop van het bericht</{headline_tag}></{lines_tag}>"
        + _component("Body", "De tekst van het bericht staat hier.")
        + "</NewsComponent>"
    )
    (item,) = parse_document(_newsml12(body))
    assert item.headline == "Kop van het bericht"
    assert item.urgency == 2
    assert item.status == "withheld"


def test_newsml12_attribute_variant_not_renamed_inside_datacontent() -> None:
    """XHTML inside DataContent keeps its own attribute names (``href`` is not NewsML's ``Href``)."""
    from lxml import etree

    from parsers.newsml12 import _OPAQUE, _SPELLINGS
    from parsers.xmlsafe import canonical_tags

    root = etree.fromstring(
        b'<NewsML><ContentItem href="x"><DataContent><a href="y">z</a></DataContent></ContentItem></NewsML>'
    )
    canonical_tags(root, _SPELLINGS, _OPAQUE, attributes=True)
    assert root.find("ContentItem").get("Href") == "x"
    assert root.find("ContentItem/DataContent/a").get("href") == "y"


@pytest.mark.parametrize(
    "content_tag", ["body.content", "body_content", "Body.Content", "BODY-CONTENT"]
)
def test_nitf_compound_name_variants(content_tag: str) -> None:
    """NITF's dotted and hyphenated names with the separator swapped or in capitals are the DTD's; a
    ``body_head`` headline block never reaches the body."""
    head_tag = (
        content_tag.replace("content", "head").replace("Content", "Head").replace("CONTENT", "HEAD")
    )
    raw = (
        f'<nitf BASELANG="nl"><head><docdata><DOC_ID ID_STRING="anp-1"/></docdata></head><body>'
        f"<{head_tag}><hedline><hl1>Kabinet valt</hl1></hedline></{head_tag}>"
        f"<{content_tag}><p>Het kabinet is gevallen na een conflict over asiel.</p></{content_tag}>"
        "</body></nitf>"
    ).encode()
    (item,) = parse_document(raw)
    assert item.headline == "Kabinet valt"
    assert item.body == ["Het kabinet is gevallen na een conflict over asiel."]
    assert item.guid == "anp-1"
    assert item.language == "nl"


# --- F04 components by role -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part_role", "story_role"),
    [
        ("Caption", "Main"),
        ("Bildtext", "Haupttext"),
        ("Didascalia", "Testo"),
        ("Samenvatting", "Tekst"),
        ("Contact_Info", "Main Text"),
        ("Résumé", "Texte"),
        ("Tweet-Text", "body"),
    ],
)
def test_newsml12_story_component_by_role(part_role: str, story_role: str) -> None:
    """The story is the text component with a story role in any agency's language, never a part beside
    it that comes first."""
    body = (
        "<NewsComponent><NewsLines><HeadLine>H</HeadLine></NewsLines>"
        + _component(part_role, "Not the story.")
        + _component(story_role, "The story text of the item.")
        + "</NewsComponent>"
    )
    (item,) = parse_document(_newsml12(body))
    assert item.body == ["The story text of the item."]


def test_newsml12_text_inside_photo_component_is_not_the_story() -> None:
    """A text without a story role inside a photo component is the photo's (its description)."""
    photo = (
        '<NewsComponent><Role FormalName="Photo"/>'
        + _component("", "Ministers shake hands in Tokyo.")
        + "</NewsComponent>"
    )
    body = f"<NewsComponent>{photo}{_component('', 'The story text of the item.')}</NewsComponent>"
    (item,) = parse_document(_newsml12(body))
    assert item.body == ["The story text of the item."]


def test_g2_story_rendition_variants() -> None:
    """G2 renditions compared folded: ``rnd:Image-Description`` and ``rnd:tweet_text`` are parts beside
    the story; capitalised attributes (``ContentType``, ``Rendition``) are the specification's."""
    part = (
        '<InlineXML ContentType="application/xhtml+xml" Rendition="rnd:{r}">'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>{t}</p></body></html></InlineXML>'
    )
    raw = (
        '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g1" version="1">'
        '<itemMeta><itemClass QCode="ninat:text"/></itemMeta><contentSet>'
        + part.format(r="Image-Description", t="A photo description.")
        + part.format(r="tweet_text", t="A tweet.")
        + part.format(r="Main-Text", t="The story text of the item.")
        + "</contentSet></newsItem>"
    ).encode()
    (item,) = parse_document(raw)
    assert item.body == ["The story text of the item."]


# --- F05/F07 header grammars and F06/F10 tables in the line formats -------------------------------------

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LINE_FIXTURES = [
    "iptc7901/apa_no_wordcount_wrapped_note.iptc",
    "iptc7901/sda_zczc_framed_fr.iptc",
    "iptc7901/ansa_results_table_it.iptc",
    "anpa1312/cp_fr_standings_tabs.tst",
    "anpa1312/yonhap_stock_list.tst",
    "anpa1312/cp_wrapped_eds_note.tst",
]


@pytest.mark.parametrize("name", _LINE_FIXTURES)
def test_line_format_records_hold_no_header_or_control_text(name: str) -> None:
    """Header lines, telex frames (ZCZC/NNNN), trailers and control characters never reach a text field."""
    (record,) = _records(FIXTURES / name)
    texts = [record["headline"] or "", record["byline"] or "", *record["body"], *record["ednotes"]]
    for text in texts:
        assert not _CONTROL_CHARS.search(text), text
        assert not re.search(r"\b(?:ZCZC|NNNN)\b|^\^|=$|<$", text), text
        assert not re.match(r"^[a-z]{2,4}\d{1,6} \d ", text), text  # a 7901 header line


@pytest.mark.parametrize(
    ("header", "urgency"),
    [
        ("apa0312 4 ii  APA0312", 4),  # no word count, optional fields
        ("ans0021 3 pol", 3),  # nothing after the category
        ("sda0456 2 pol 0243 SDA", 2),  # the full grammar
    ],
)
def test_iptc7901_header_word_count_optional(header: str, urgency: int) -> None:
    raw = f"\x01{header}\r\nPolitik/\r\n\x02Titel der Meldung =\r\n\r\n   Text der Meldung.\r\n\x03".encode()
    (item,) = parse_document(raw)
    assert item.source_format == "iptc7901"
    assert item.urgency == urgency
    assert item.headline == "Titel der Meldung"
    assert item.body == ["Text der Meldung."]


def test_iptc7901_in_zczc_frame_is_7901_not_aap() -> None:
    raw = b"ZCZC\r\n\x01ats0456 3 pol 0243 SDA-ATS\r\nSuisse/\r\n\x02Titre =\r\n\r\n   Texte.\r\n\x03\r\nNNNN\r\n"
    (item,) = parse_document(raw)
    assert (item.headline, item.body, item.urgency) == ("Titre", ["Texte."], 3)


def test_iptc7901_wrapped_note_is_one_note() -> None:
    (record,) = _records(FIXTURES / "iptc7901/apa_no_wordcount_wrapped_note.iptc")
    assert record["ednotes"] == [
        "Achtung: Diese Meldung ersetzt APA0298 vom selben Tag. Der Name der Ministerin war falsch "
        "geschrieben."
    ]
    assert record["headline"] == "Nationalrat beschließt Budget 2027"
    assert record["kicker"] is None


def test_anpa_wrapped_eds_note_is_one_note_and_credit_is_the_copy_s() -> None:
    (record,) = _records(FIXTURES / "anpa1312/cp_wrapped_eds_note.tst")
    assert record["headline"] == "Ottawa tables budget with $40-billion deficit"
    assert len(record["ednotes"]) == 1 and record["ednotes"][0].endswith("the news conference.")
    assert record["agencies"] == [
        "CP"
    ]  # AP is only the default sender, never over the copy's own credit


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        (
            "iptc7901/ansa_results_table_it.iptc",
            ["Inter-Milan 2-1", "Juventus-Roma 0-0", "Inter 34"],
        ),
        (
            "anpa1312/cp_fr_standings_tabs.tst",
            ["PJ V D Pts", "Canadiens 24 15 7 32", "Oilers 24 16 6 34"],
        ),
        (
            "anpa1312/yonhap_stock_list.tst",
            ["Samsung Electronics 71,500 +1.2%", "SK hynix 132,000 +2.1%"],
        ),
    ],
)
def test_table_rows_one_paragraph_each(name: str, rows: list[str]) -> None:
    (record,) = _records(FIXTURES / name)
    for row in rows:
        assert row in record["body"]


def test_agate_headings_are_not_bylines_and_language_not_guessed() -> None:
    (record,) = _records(FIXTURES / "anpa1312/cp_fr_standings_tabs.tst")
    assert (
        record["byline"] == "Par La Presse Canadienne"
    )  # the credit line, like AP's 'By The Associated Press'
    assert "Association de l'Est" in record["body"]
    assert record["agencies"] == ["CP"]
    assert record["language"] is None  # a table of names and numbers: no prose to judge


def test_wrapped_prose_lines_still_join() -> None:
    """Two spaces after a full stop or a number in a wrapped line are no column gap."""
    from parsers._wirelines import paragraphs

    lines = ["   The index rose 1.2 percent.  Analysts had expected", "a smaller gain in 2026."]
    assert paragraphs(lines) == [
        "The index rose 1.2 percent. Analysts had expected a smaller gain in 2026."
    ]


def test_iptc7901_bare_keyword_line_is_keywords() -> None:
    """Without STX, a slash-joined keyword line with no leading or trailing slash is keywords, not the
    kicker, when the heading's `` =`` line follows."""
    (record,) = _records(FIXTURES / "iptc7901/apa_bare_keyword_line_stocks.txt")
    assert record["keywords"] == ["Wirtschaft", "Börse", "Wien"]
    assert record["kicker"] is None
    assert "ATX Prime 1.820,10 +0,7%" in record["body"]


def test_iptc7901_credited_lead_is_never_the_headline() -> None:
    """A message without a `` =`` heading: its first line, a credited dateline lead, is text."""
    (record,) = _records(FIXTURES / "iptc7901/hina_no_heading_dateline_lead.iptc")
    assert record["headline"] is None
    assert record["dateline"]["place"] == "ZAGREB"
    assert record["body"][0] == "Vlada je u ponedjeljak usvojila proračun."


def test_newsml12_nitf_in_capitals_inside_datacontent() -> None:
    """NITF inside DataContent with capital or underscore names (``<BODY_HEAD>``, ``<BYLINE>``) is read
    by the DTD's names: its byline is found and its headline block is not body."""
    (item,) = parse_document(
        (FIXTURES / "newsml12/anp_nitf_capitals_in_datacontent.xml").read_bytes()
    )
    assert item.byline == "Door Jan de Vries"
    assert item.body[0].startswith("Het kabinet heeft dinsdag")


def test_newsml12_provider_id_credits_when_nothing_else_does() -> None:
    """No CreditLine, party or copyright line: the NewsIdentifier's ProviderId is the credit, read
    through the agency table (``kyodonews.net`` -> Kyodo)."""
    (record,) = _records(FIXTURES / "newsml12/kyodo_photo_description_contact.xml")
    assert record["agencies"] == ["Kyodo"]


def test_newsml12_all_lower_case_document() -> None:
    """An exporter that lower-cases every element name (``<newsml>``, ``<newsitem>``, ``<headline>``):
    still NewsML 1.2, read by the DTD's names."""
    raw = _newsml12(
        "<NewsComponent><NewsLines><HeadLine>Titolo</HeadLine></NewsLines>"
        + _component("Testo", "Il testo della notizia.")
        + "</NewsComponent>"
    )
    lowered = re.sub(rb"<(/?)(\w+)", lambda m: b"<" + m.group(1) + m.group(2).lower(), raw)
    (item,) = parse_document(lowered)
    assert item.source_format == "newsml12"
    assert (item.headline, item.body) == ("Titolo", ["Il testo della notizia."])
