"""ParsedItem -> ArticleRecord: the one normalization every format goes through."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from normalizers.agencies import (
    RUNNING_WORDS,
    agency_for_host,
    agency_timezone,
    canonical_agency,
    canonical_list,
    parse_credit_line,
    split_author,
    split_credit_suffix,
)
from normalizers.dateline import find_credited_dateline, split_dateline
from normalizers.fingerprint import content_hash, fallback_guid
from normalizers.language import detect_language, prose_text
from normalizers.record import ArticleRecord, Dateline, RelatedItem
from normalizers.text import clean_field as _clean_field
from normalizers.text import clean_list as _clean_list
from normalizers.text import clean_paragraphs, clean_text
from normalizers.versions import derived_identity
from parsers._placeholders import MAX_LENGTH as _PLACEHOLDER_MAX
from parsers._placeholders import is_placeholder, is_placeholder_author
from parsers.base import ParsedDateline, ParsedItem, ParsedRelated


def clean_field(value: str | None) -> str | None:
    """A cleaned metadata value, ``None`` for nothing or a placeholder in any of the spellings agencies
    send (``N.N.``, ``#N/A``, a lone dash, "unknown" in their languages: ``parsers._placeholders``), so
    formats that never pass ``parsers._inline.clean_item`` (7901, ANPA, pages, feeds) lose them too."""
    if value is None:
        return None
    text = _clean_field(value)
    if text is None or len(text) > _PLACEHOLDER_MAX:  # speed: no placeholder is long
        return text
    return None if is_placeholder(text) else text


def clean_list(values: list[str]) -> list[str]:
    """Cleaned, de-duplicated values without placeholders (:func:`clean_field`)."""
    if not values:  # most lists of most items are empty
        return []
    return [value for value in _clean_list(values) if not is_placeholder(value)]


def _byline_field(value: str | None) -> str | None:
    """:func:`clean_field` for an author line: ``By N/A`` names nobody."""
    text = clean_field(value)
    return None if text is None or is_placeholder_author(text) else text


@dataclass(slots=True)
class NormalizedRecord(ArticleRecord):
    """The record as ``normalize`` builds it, plus whether its ``version`` was given by the source.

    ``version_from_source`` is not part of the JSON contract (``to_dict`` is the record's): the store needs
    it because a source that numbers its versions (NewsML, ninjs, NITF with ``version``) means the same
    item when it repeats a number, while a source that numbers nothing (RSS, Atom, text, HTML, most NITF)
    re-sends a corrected copy under the same guid with the default version 1 (DESIGN.md, "Storage rules";
    ``storage.store.settle_version``). Survives pickling to and from parser processes."""

    version_from_source: bool = True


def strip_credit_lines(body: list[str], host: str | None = None) -> tuple[list[str], list[str]]:
    """Remove trailing credit-only paragraphs (``AFP``, ``(dpa)``, ``mit Material von dpa``, ``Quelle:
    ntv.de, ino/dpa`` with the page's ``host``) and sign-offs (:func:`is_sign_off`); return the body and
    the credited agencies in reading order."""
    agencies: list[str] = []
    end = len(body)
    while end > 0:
        last = body[end - 1]
        credit = parse_credit_line(last, host)
        if credit is None:
            if (
                len(last) > _SIGN_OFF_MAX
            ):  # speed: every sign-off is short, most last paragraphs are not
                break
            credit = _desk_sign_off(last)
        if credit is None:
            if not is_sign_off(last, after_text=end > 1):
                break
            end -= 1  # ``(END)``, ``Enditem``, ``-30-``, ``ASR // JMR``, ``Editor: Wang Li``, ``ol/ks``
            continue
        agencies = credit + [a for a in agencies if a not in credit]
        end -= 1
    return body[:end], agencies


# The last paragraph of line-wrapped copy may end in a sign-off the wrap joined to it (a flush-left
# ``Enditem``, ``(END)``, ``AGERPRES/(AS - autor: ...)`` or ``ol/ks`` right under an indented paragraph's
# last line): the story's last sentence, a space, then a tail without sentence punctuation.
_GLUED_TAIL = re.compile(r"\w[.!?][\"”»’)]?\s+(?P<tail>[^.!?\s][^.!?]{0,78})$")
_OPEN_END = frozenset(".!?\"”»’'…:;,")
# A credit in brackets after the last sentence (ANSA ``... necessario. (ANSA).``, ``... (AGI)``).
_GLUED_BRACKET_CREDIT = re.compile(r"\w[.!?][\"”»’]?\s+(?P<tail>\([^()]{2,40}\)\.?)$")


# dpa's notepad after the story (``+++ dpa-Notizblock +++``, then editorial notes, places, links):
# the notes of the desk, never text for publication.
_NOTEPAD = re.compile(r"^[+*#=\s-]*dpa[\s-]*notizblock[+*#=\s-]*$", re.IGNORECASE)


# Reuters-style markers the headline keeps (CONVENTIONS: ``CORRECTED-``, ``UPDATE 2-``, ``REFILE-``), chained
# as in ``CORRECTED-UPDATE 2-``: each one is also the item's signal.
_HEADLINE_MARKER = re.compile(r"(CORRECTED|CORRECTING|UPDATE\s+\d+|REFILE|RPT)\s?-")
_MARKER_SIGNALS = {
    "CORRECTED": "correction",
    "CORRECTING": "correction",
    "REFILE": "refile",
    "RPT": "repeat",
}


def headline_signals(headline: str | None) -> list[str]:
    """Signals of the markers opening a headline (``CORRECTED-UPDATE 2-Fed holds rates`` -> correction,
    update); markers count only at the start, in capitals, each followed by a hyphen."""
    if not headline or not headline[:1].isupper() or "-" not in headline[:40]:
        return []
    signals: list[str] = []
    position = 0
    while (marker := _HEADLINE_MARKER.match(headline, position)) is not None:
        word = marker.group(1)
        signal = "update" if word.startswith("UPDATE") else _MARKER_SIGNALS[word]
        if signal not in signals:
            signals.append(signal)
        position = marker.end()
    return signals


def split_notepad(body: list[str]) -> tuple[list[str], list[str]]:
    """(story, notes): the body up to a notepad heading, and the lines after it (they go to ``ednotes``)."""
    for index in range(len(body) - 1, 0, -1):
        if "otizblock" in body[index] and _NOTEPAD.match(body[index]):
            return body[:index], body[index + 1 :]
    return body, []


def split_glued_sign_off(body: list[str], host: str | None = None) -> list[str]:
    """``body`` with a sign-off joined to the end of its last paragraph split off as a paragraph of its
    own (the sign-off rules then judge it); ``body`` itself when there is none."""
    if not body:
        return body
    last = body[-1]
    if last.endswith((")", ").")):
        bracketed = _GLUED_BRACKET_CREDIT.search(last, max(0, len(last) - 48))
        if bracketed is not None and parse_credit_line(bracketed.group("tail"), host) is not None:
            return [*body[:-1], last[: bracketed.start("tail")].rstrip(), bracketed.group("tail")]
    if last[-1:] in _OPEN_END:  # speed: a story's last paragraph ends a sentence
        return body
    glued = _GLUED_TAIL.search(last, max(0, len(last) - 82))
    if glued is None:
        return body
    tail = glued.group("tail")
    signs = (
        parse_credit_line(tail, host) is not None
        or _desk_sign_off(tail) is not None
        or is_sign_off(tail)
        or len(strip_signed_trailer([last, tail], host)[0]) == 1
    )
    if not signs:
        return body
    return [*body[:-1], last[: glued.start("tail")].rstrip(), tail]


# What agencies put after the story's last sentence that is neither text nor credit. End marks (Yonhap
# ``(END)``, Xinhua ``Enditem``, CP ``-30-``, AP ``-0-``, PA ``ENDS``, ``###``, ``(MORE)``, APA ``(Schluss)``,
# ``Fim``/``Ende``/``Fin``/``Slutt``/``Konec``, Korean ``(끝)``, Chinese ``（完）``, Arabic ``انتهى``/KUNA
# ``(النهاية) ع ب``), also
# with the desk's initials after them (KUNA ``(end) ta.gb``, APA ``(Schluss) rat/tsc``) or between dashes
# (``-- END --``, ``*** ENDE ***``); transmission stamps (APA ``APA0312 2024-12-05/11:20``); editors' initials
# joined by slashes in any script (Lusa ``ASR // JMR``, ``JH (PMC) // HB``, PAP ``jk/ mhr/``, Ukrinform
# ``ВВ/ОЛ``) or between slashes (BTA ``/ВС/``, ``/NF/``, ``/ИВ, ВЧ/``); Xinhua's ``Editor: NAME``
# trailer; a reporter's mail address on its own (Yonhap ``jdoe@yna.co.kr``).
_END_OF_COPY = re.compile(
    r"^\s*(?:(?:[-–—*=]+\s*)?(?P<open>[(（])?(?:end|enditem|ends|fin|fim|ende|schluss|slut|slutt|loppu|"
    r"koniec|konec|vége|einde|конец|край|kraj|끝|完|انتهى|النهاية)[)）]?\.?(?:\s*[-–—*=]+)?"
    # initials only after a parenthesised mark: ``Ende gut`` is two words
    r"(?(open)(?:\s+[a-z\u0621-\u064a]{1,4}(?:\s*[./ ]\s*[a-z\u0621-\u064a]{1,4}){0,4}/?)?)"
    # transmission stamps: APA ``APA0312 2024-12-05/11:20``, 7901-style ``AFP 051120 GMT Dec 24``
    r"|(?:[A-Z]{2,5}\d{3,5}\s+)?\d{4}-\d{2}-\d{2}[/ T]\d{2}:\d{2}(?::\d{2})?"
    r"|(?:[A-Za-z]{2,6}\s+)?\d{6}\s+(?:GMT\s+|UTC\s+)?[^\W\d_]{3,4}\.?\s+\d{2}(?:\d{2})?"
    r"|-+\s*(?:30|0)\s*-+|#{3,}|\*{3,}|\(more\)|-+\s*more\s*-+"
    # a take that goes on (or ends) in another message: ``(Fortsetzung folgt)``, EFE ``(AMPLIARÁ)``,
    # ANSA ``(SEGUE)``, ANP ``(EINDE BERICHT)``, Kyodo ``（了）``
    r"|[(（]\s*(?:mehr|fortsetzung(?:\s+folgt)?|ampliará|ampliaremos|ampliación|sigue|seguirá|segue|suite|"
    r"à\s+suivre|a\s+suivre|continua|continúa|continuará|vervolg|wordt\s+vervolgd|einde\s+bericht|fine|"
    r"了)\s*[)）]\.?"
    # EFE's media marks on their own line: ``(Foto) (Vídeo)``
    r"|(?:[(（](?:foto|fotos|vídeo|video|audio|infografía|gráfico)[)）]\s*){1,4}"
    r"|[^\W\d_]{2,4}(?:\s*\([^\W\d_]{2,4}\))?(?:\s*/{1,2}\s*[^\W\d_]{2,4}(?:\s*\([^\W\d_]{2,4}\))?){1,4}/?"
    r"|/\s*[^\W\d_]{1,4}(?:\s*[,/]\s*[^\W\d_]{1,4}){0,4}\s*/"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?:\s*[,;]?\s+[\w.+-]+@[\w-]+(?:\.[\w-]+)+)*"
    r"(?:\s*[(（](?:end|끝|完)[)）])?"
    r"|(?:editor|editors|edited by)\s*:\s*[A-Z][\w.'’ -]{1,40})\s*$",
    re.IGNORECASE,
)
# Desks' lower-case initials alone (Ukrinform ``ol``, ``ol/ks``; ČTK-style ``jw mbh``; AFP ``burs-jm/lth``):
# short letter groups joined by spaces, hyphens or slashes, nothing in capitals.
_LOWER_INITIALS = re.compile(r"^[^\W\d_]{1,5}(?:\s*[ /-]\s*[^\W\d_]{1,5}){0,5}/?$")
_SIGN_OFF_MAX = 80


def is_sign_off(text: str, *, after_text: bool = True) -> bool:
    """Whether a paragraph after the story is an end mark, a desk code or initials, not text. Real last
    sentences (``Er wurde 78 Jahre alt.``, ``Die Polizei ermittelt.``) end in punctuation or hold words of
    running text, so they never match. Lower-case initials sign only a story (``after_text``): alone
    they are the text (a service message ``test test test``)."""
    if len(text) > _SIGN_OFF_MAX:
        return False
    if _END_OF_COPY.match(text):
        return True
    stripped = text.strip()
    if after_text and stripped.islower() and _LOWER_INITIALS.match(stripped):
        words = [w for w in re.split(r"[\s/-]+", stripped) if w]
        if len(words) == 1 and len(words[0]) > 3:
            return False  # one lower-case word of four letters or more is a word, not a desk code
        return not any(word in RUNNING_WORDS for word in words)
    return False


# An agency followed by the desk's initials in capitals (PTI ``PTI ABC DEF``, ``PTI SK RC``): a sign-off
# only in this place, after the story (in a headline ``AP TOP 25`` is a title).
_UPPER_SIGN_OFF = re.compile(r"^\(?(?P<agency>[^\W\d_][\w-]{1,15})\)?(?:\s+[A-Z]{1,4}){1,6}$")


def _desk_sign_off(text: str) -> list[str] | None:
    """The agency of an ``AGENCY INITIALS`` sign-off in capitals, else ``None``."""
    if " " not in text:
        return None
    found = _UPPER_SIGN_OFF.match(text.strip())
    agency = canonical_agency(found.group("agency")) if found else None
    return [agency] if agency else None


# An author line after the story (PAP ``autor: Jan Kowalski``, ``Autor: Max Mustermann, dpa``, ``Auteur :
# ...``): a label, a colon, then a name of two to five words (an agency after a comma allowed).
_NAME_CREDIT = re.compile(r"\s*\(([^()]{2,30})\)$")
_AUTHOR_TRAILER = re.compile(
    r"^\s*(?:autor(?:ka|in|a)?|author|auteur|autore|autorka|tekst|text|texto|muhabir|yazar|reporter|"
    r"szerző|συντάκτης|kirjoittaja)\s*:\s*"
    r"(?P<name>[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){1,4}"
    r"(?:\s*,\s*[\w/ -]{2,30}|\s*\([\w/ -]{2,30}\))?)\s*$",
    re.IGNORECASE,
)
# A credit with the story's roles in parentheses (Agerpres ``AGERPRES/(AS - autor: Ion Popescu, editor:
# Maria Ionescu, editor online: Andrei Pop)``): an optional desk code, then ``role: name`` pairs.
_ROLE_TRAILER = re.compile(
    r"^\s*(?P<credit>[^()]{0,60}?)\s*/?\s*\((?P<roles>[^()]{4,240})\)\s*\.?$"
)
# One desk's part of the roles (Agerpres English ``RO - author: ..., editor: ...; EN - author: ...``): an
# optional desk code, then ``role: name`` pairs.
_DESK_CODE = re.compile(r"^\s*[^\W\d_]{1,6}\s*[-–—]\s*")
_ROLE = re.compile(
    r"^\s*(?P<label>[^\W\d_][^\W\d_ ]*(?:\s[^\W\d_]+)?)\s*:\s*(?P<name>[^():,;]{2,60}?)\s*$"
)


def _role_pairs(roles: str) -> list[list[tuple[str, str]]] | None:
    """``role: name`` pairs per desk's part, or ``None`` when any part is something else."""
    parts: list[list[tuple[str, str]]] = []
    for segment in roles.split(";"):
        pairs = []
        for piece in _DESK_CODE.sub("", segment, count=1).split(","):
            found = _ROLE.match(piece)
            if found is None or not _person(found.group("name")):
                return None
            pairs.append((found.group("label").casefold(), found.group("name").strip()))
        parts.append(pairs)
    return parts


_AUTHOR_ROLES = frozenset(
    {"autor", "autora", "autorka", "author", "authors", "auteur", "autore", "reporter", "reporting",
     "text", "texto", "tekst", "autori", "autorzy"}
)  # fmt: skip
# Person names: capitalised words (particles aside), no digits.
_NAME_WORD = re.compile(r"^[^\W\d_][\w.'’-]*$")
# ``Anna Svensson/TT``, ``Kari Nordmann / NTB``: a signature naming the reporter, then the agency.
_SIGNATURE = re.compile(
    r"^\s*(?P<name>[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){1,3})\s*/\s*(?P<credit>[^/]{2,40})\s*$"
)


def _person(name: str) -> bool:
    """One to five capitalised name words (particles aside): a signature names a person, not a page."""
    words = name.split()
    return 1 <= len(words) <= 5 and all(
        _NAME_WORD.match(w) and (w[0].isupper() or w.casefold() in _PARTICLES) for w in words
    )


_PARTICLES = frozenset(
    {"von", "van", "der", "den", "de", "da", "di", "del", "la", "le", "zu", "dos", "do"}
)


def strip_signed_trailer(
    body: list[str], host: str | None = None
) -> tuple[list[str], str | None, list[str]]:
    """The body without a last paragraph that only signs the story, the author it names (the byline when
    the document gives none) and the agencies it credits: an author line (``autor: Jan Kowalski``), a
    credit with roles (``AGERPRES/(AS - autor: Ion Popescu, editor: Maria Ionescu)``) or a signature
    (``Anna Svensson/TT``). ``(body, None, [])`` when the last paragraph is none of these."""
    if len(body) < 2:  # a signature signs a story: alone it is all the text there is
        return body, None, []
    last = body[-1]
    if len(last) > 200:
        return body, None, []
    found = _AUTHOR_TRAILER.match(last) if ":" in last else None
    if found:
        name = found.group("name").strip()
        person = re.split(r"[,(]", name)[0].split()
        if all(word[0].isupper() for word in person):  # a name, not "Text: die Verfassung"
            # ``autor: Jan Kowalski (PAP)``: the bracket credits the agency
            bracket = _NAME_CREDIT.search(name)
            credit = parse_credit_line(bracket.group(1), host) if bracket else None
            if bracket and credit:
                return body[:-1], name[: bracket.start()].strip(), credit
            return body[:-1], name, []
        return body, None, []
    if last.endswith((")", ").")) and ":" in last:
        roles = _ROLE_TRAILER.match(last)
        parts = _role_pairs(roles.group("roles")) if roles else None
        if roles and parts:
            credit = parse_credit_line(roles.group("credit"), host) if roles.group("credit") else []
            if credit is not None:
                # the first desk's author wrote the story; later desks' are its translators
                authors = [name for label, name in parts[0] if label in _AUTHOR_ROLES]
                return body[:-1], ", ".join(authors) or None, credit
        return body, None, []
    if "/" in last:
        signed = _SIGNATURE.match(last)
        if signed and _person(signed.group("name")):
            credit = parse_credit_line(signed.group("credit"), host)
            if credit:
                return body[:-1], signed.group("name"), credit
    return body, None, []


def strip_author_trailer(body: list[str]) -> tuple[list[str], str | None]:
    """The body without a last paragraph that only names the author, and that name (the byline when the
    document gives none); ``(body, None)`` when the last paragraph is not one."""
    rest, author, _credit = strip_signed_trailer(body)
    return rest, author


def strip_dateline(body: list[str]) -> tuple[list[str], Dateline | None]:
    """Split the dateline off the first paragraph (or drop a paragraph that is only a dateline)."""
    if not body:
        return body, None
    found = split_dateline(body[0])
    if found:
        return [found.rest, *body[1:]], found.dateline
    if len(body) > 1 and len(body[0]) <= 80:
        joined = split_dateline(f"{body[0]} {body[1]}")
        if joined and joined.rest == body[1]:
            return body[1:], joined.dateline
    later = find_credited_dateline(body[1:])
    if later:
        index, found = later[0] + 1, later[1]
        return [*body[:index], found.rest, *body[index + 1 :]], found.dateline
    return body, None


_LEAD_CREDIT_MAX = 60


def _metadata_dateline(parsed: ParsedDateline | None) -> Dateline | None:
    if parsed is None:
        return None
    place = clean_field(parsed.place)
    date = clean_field(parsed.date)
    agencies = canonical_list(parsed.agencies)
    if not (place or date or agencies):
        return None
    return Dateline(place=place, date=date, agencies=agencies)


def _merge_datelines(text: Dateline | None, metadata: Dateline | None) -> Dateline | None:
    """The text wins; metadata fills only what the text does not say."""
    if text is None:
        return metadata
    if metadata is not None and text.place is None:
        text.place = metadata.place
    return text


def _related(items: list[ParsedRelated]) -> list[RelatedItem]:
    result = []
    for item in items:
        title = clean_field(item.title)
        if not title:
            continue
        teaser = clean_field(item.teaser)
        dateline = None
        if teaser:
            found = split_dateline(teaser)
            if found:
                teaser, dateline = found.rest, found.dateline
        result.append(RelatedItem(title=title, teaser=teaser, url=item.url, dateline=dateline))
    return result


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


# An http(s) URL whose authority is only a plain host name (and maybe a port): nothing ``urlsplit`` strips,
# removes or rejects can occur in what it matches, so the host name is the group, lower-cased.
_PLAIN_HOST = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9.-]*)(?::[0-9]*)?(?=[/?#]|\Z)")


def _host(url: str | None) -> str | None:
    """``urlsplit(url).hostname``, ``None`` for no URL or an invalid one; the common plain form is read
    without ``urlsplit`` (per item, and its cache holds only 128 URLs; tests/test_normalize_speed.py)."""
    if not url:
        return None
    plain = _PLAIN_HOST.match(url)
    if plain is not None:
        return plain.group(1).lower() or None
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def _author_credits(
    authors: list[str], byline: str | None, host: str | None
) -> tuple[list[str], str | None]:
    """Agencies named by the author fields (through the agency table) and the byline: the format's own
    byline, else the persons among the authors. A byline naming an agency credits it too."""
    agencies: list[str] = []
    persons: list[str] = []
    for author in authors:
        cleaned = _byline_field(author)
        if not cleaned:
            continue
        found, named = split_author(cleaned, host)
        agencies.extend(a for a in found if a not in agencies)
        persons.extend(p for p in named if p not in persons)
    if byline:
        # ``By The Associated Press`` (AP agate, roundups) credits AP and stays the byline as written.
        credit = parse_credit_line(byline, host)
        agencies.extend(a for a in credit or [] if a not in agencies)
    return agencies, byline or (", ".join(persons) or None)


def _fold(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def drop_repeated_title(body: list[str], headline: str | None, kicker: str | None) -> list[str]:
    """Drop a first paragraph that only repeats the displayed headline (alone, or with the kicker before
    it: ``Kicker – Headline``, ``Kicker: Headline``); pages and text dumps often carry it in the body."""
    if not body or not headline or len(body[0]) > len(headline) + len(kicker or "") + 8:
        return body
    first = _fold(body[0])
    titles = {_fold(headline)}
    if kicker:
        titles |= {_fold(kicker) + _fold(headline), _fold(headline) + _fold(kicker)}
    return body[1:] if first and first in titles and len(body) > 1 else body


def _naive(value: datetime | None) -> bool:
    """A time the source sent without an offset (its zone must be found)."""
    return value is not None and value.tzinfo is None


def localise(value: datetime | None, agencies: list[str]) -> datetime | None:
    """Aware UTC for a parsed time: an aware value as it is; a naive one (the source gave no offset) read
    in the zone of the first credited agency that has one in the agency table, else as UTC."""
    if value is None or value.tzinfo is not None:
        return value.astimezone(UTC) if value is not None else None
    zone = next((z for z in map(agency_timezone, agencies) if z is not None), None)
    try:
        return value.replace(tzinfo=zone or UTC).astimezone(UTC)
    except OverflowError:
        return None


def normalize(
    item: ParsedItem,
    *,
    feed: str | None = None,
    source: str | None = None,
    default_agency: str | None = None,
    language_hint: str | None = None,
) -> NormalizedRecord:
    """Build the record for ``item``. ``source`` overrides what seeds the fallback guid (default: the feed,
    else the first agency, else the format -- never a file path, so a copied file is the same item);
    ``default_agency`` and ``language_hint`` come from the feed configuration and are used only when the
    document itself says nothing. ``version_from_source`` is False when the version is the default 1 or
    inferred from take labels (``normalizers.versions``): the source gave no version number."""
    host = _host(item.url)
    headline = clean_field(item.headline)
    kicker = clean_field(item.kicker)
    body, notepad = split_notepad(
        drop_repeated_title(clean_paragraphs(item.body), headline, kicker)
    )
    body, credited = strip_credit_lines(split_glued_sign_off(body, host), host)
    unsigned = len(body)
    body, trailer_author, signed = strip_signed_trailer(body, host)
    if len(body) < unsigned:
        # credits and sign-offs may stand before the signature too
        body, before = strip_credit_lines(body, host)
        before += [a for a in signed if a not in before]
        credited = before + [a for a in credited if a not in before]
    if len(body) > 1 and len(body[0]) <= _LEAD_CREDIT_MAX:
        # a credit line opening the copy (``Reuters`` under a ``By ...`` line, ``AFP`` above the dateline)
        lead_credit = parse_credit_line(body[0], host)
        if lead_credit:
            body = body[1:]
            credited = credited + [a for a in lead_credit if a not in credited]
    body, text_dateline = strip_dateline(body)
    dateline = _merge_datelines(text_dateline, _metadata_dateline(item.dateline))
    from_authors, byline = _author_credits(
        item.authors, _byline_field(item.byline) or trailer_author, host
    )
    # A "kicker" or "headline" that is only an agency's name (``Polska Agencja Prasowa`` above a text dump's
    # headline, ``Agencia EFE`` as a dump's first line) is the page's credit, not a title.
    kicker_credit = parse_credit_line(kicker, host) if kicker else None
    if kicker_credit:
        kicker = None
    headline_credit = parse_credit_line(headline, host) if headline else None
    if headline_credit:
        # the line above the credit, read as the kicker, is the title (a kicker over no headline is none)
        headline, kicker = kicker, None
    # ``Headline | Agencia EFE`` (a page title kept in a text dump): the suffix is the credit; a kicker
    # ``Noticias | Agencia EFE`` is the site's section label and name, not a kicker.
    suffix_credit: list[str] = []
    if headline:
        headline, suffix_credit = split_credit_suffix(headline, host)
    if kicker and split_credit_suffix(kicker, host)[1]:
        kicker = None
    for named in (kicker_credit or [], headline_credit or [], suffix_credit):
        credited = credited + [a for a in named if a not in credited]
    in_text = _unique((text_dateline.agencies if text_dateline else []) + credited + from_authors)
    metadata = [a for a in item.agencies if not is_placeholder(a)] if item.agencies else []
    agencies = in_text or canonical_list(metadata)
    if not agencies and byline:
        # ``By John Smith, PA Political Correspondent``, ``AP Business Writer``: the employer named in the
        # byline's title credits the story when nothing else does
        agencies = split_author(byline, host)[0]
    if not agencies:
        own_site = agency_for_host(host)
        agencies = [own_site] if own_site else canonical_list([default_agency or ""])
    # Offset-less times are the sending system's clock: the document's own provider's zone comes first
    # (an STT item crediting AFP carries Helsinki times), then the agencies the text credits.
    senders = agencies
    if metadata and (
        _naive(item.published_at) or _naive(item.updated_at) or _naive(item.embargo_until)
    ):
        provider = canonical_list(metadata)
        senders = provider + [a for a in agencies if a not in provider]
    declared = item.language if item.language and not is_placeholder(item.language) else None
    language = detect_language(prose_text(body), declared or language_hint)  # ``xx``, ``N/A``: none
    derived = derived_identity(item, agencies)
    guid = (
        clean_text(item.guid)
        or (derived[0] if derived else None)
        or fallback_guid(
            source or feed or (agencies[0] if agencies else item.source_format),
            headline,
            body[0] if body else None,
        )
    )
    return NormalizedRecord(
        guid=guid,
        version=item.version if item.version is not None else (derived[1] if derived else 1),
        version_from_source=item.version is not None,
        source_format=item.source_format,
        feed=feed,
        agencies=agencies,
        kicker=kicker,
        headline=headline,
        caption=clean_field(item.caption),
        dateline=dateline,
        byline=byline,
        body=body,
        related=_related(item.related),
        language=language,
        urgency=item.urgency if item.urgency is not None and 1 <= item.urgency <= 8 else None,
        status=item.status,
        embargo_until=localise(item.embargo_until, senders),
        published_at=localise(item.published_at, senders),
        updated_at=localise(item.updated_at, senders),
        subjects=clean_list(item.subjects),
        keywords=clean_list(item.keywords),
        content_hash=content_hash(body),
        signals=clean_list(item.signals + headline_signals(headline)),
        ednotes=clean_list(item.ednotes + notepad),
        replaces=[r for r in clean_list(item.replaces) if r != item.guid],
    )
