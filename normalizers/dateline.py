"""Dateline recognition: split ``Berlin (dpa) - Die ...`` into place, date, agencies and the paragraph text.

Forms (DESIGN.md and the corpus): ``Moskau -``, ``Moskau (AFP) -``, ``München/London –``,
``Frankfurt (dpa-AFX) -``, ``WASHINGTON (AP) —``, ``FORT WASHINGTON, Pa. (AP) _``,
``PARIS, 28 sept 2016 (AFP) -``, ``LONDON, Sept 28 (Reuters) -``, ``Jan 3 (Reuters) -`` (no place),
``Nueva Delhi, 21 ene (EFE).-``, ``MOSCOW, January 21. /TASS/.``, ``København /ritzau/:``,
``(ANSA) - Rome, October 11 -``, ``SAITAMA, Japan, Dec. 9 Kyodo -``, ``TORONTO, 26 mai 2020 (GLOBE NEWSWIRE) --``,
``لندن (أ ف ب) -``. A dateline without an agency credit (``Moskau -``) is only accepted when its place looks
like a place (one to four capitalised words, no article or pronoun), so prose is never cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from normalizers.agencies import find_agencies, parse_credit_line
from normalizers.record import Dateline

# ``LOS ANGELES (AP)—A storm``: a dash set tight against the story after a credit is a separator too
# (``_split_head`` accepts it only when the bracket names an agency).
# ``BRUSSEL 30/11 (BELGA) = De regering ...``: an equals sign after a credit (IPTC 7901 house style).
_SEPARATOR = re.compile(
    r"(?:(?<=\s)|(?<=\)))(?:--|[-–—_])(?:\s+|$)|(?<=\))\.\s?[-–—]\s*|(?<=/)[.:]\s+|(?<=\))[.:]\s+"
    r"|(?:(?<=\))|(?<=\)\s))[–—](?=[^\W\d_])|(?:(?<=\))|(?<=\)\s))=(?:\s+|$)"
)
_TIGHT_DASHES = frozenset({"–", "—"})
# Speed: every ``_SEPARATOR`` match starts on one of these characters, and trying the pattern only there
# finds the same first match (its lookbehinds see the text before the start; tests/test_normalize_speed.py).
_SEPARATOR_START = re.compile(r"[-–—_.:=]")
# ``Paris (ats afp) Les violences ...``: a known credit in brackets may end the dateline on its own.
_BRACKET_ONLY = re.compile(r"(?<=\))\s+(?=[^\W\d_])")
_PREFIX_CREDIT = re.compile(r"^\(([^()]{1,30})\)\s*(?:--|[-–—_])\s*")
_TRAILING_CREDIT = re.compile(r"\s*(?:\(([^()]{1,40})\)|/([^/\s][^/]{0,20})/)\.?$")
_HAS_DIGIT = re.compile(r"\d")
# An agency's acronym in capitals (``RSS``, ``TTXVN``, ``BERNAMA``, ``Infobae``'s would not be): 2-10 letters.
_UNKNOWN_CREDIT = re.compile(r"^[^\W\d_a-z]{2,10}$")
_MAX_HEAD = 90
# A date part longer than this is prose; with an agency credit after it, longer forms are real
# (``2026. november 30., szerda`` in MTI copy).
_MAX_DATE = 25
_MAX_CREDITED_DATE = 40
_NOT_PLACE_WORDS = frozenset(
    ["der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "im", "in", "am", "an", "auf", "aus", "bei", "mit", "nach", "von", "vor", "zu", "zum", "zur", "und", "oder", "aber", "doch", "er", "sie", "es", "wir", "ihr", "man", "the", "a", "an", "in", "on", "at", "of", "for", "and", "or", "but", "he", "she", "it", "we", "they", "this", "that", "le", "la", "les", "un", "une", "des", "et", "ou", "il", "elle", "on", "el", "los", "las", "y", "o", "lo", "ella", "es", "da", "het", "een", "de", "en", "je", "ich", "du", "mehr", "weniger", "nur", "auch", "noch", "schon", "so", "wie", "was", "wer", "wo", "wann", "warum", "dies", "diese", "dieser", "dieses", "jetzt", "heute"]
)  # fmt: skip
_LOWER_PLACE_PARTICLES = frozenset(
    {"am", "an", "de", "del", "la", "le", "im", "upon", "on", "sur", "di"}
)


@dataclass(slots=True)
class DatelineMatch:
    dateline: Dateline
    rest: str


# Articles that begin real place names (Los Angeles, La Paz, Le Havre, El Paso, The Hague, Den Haag, Des
# Moines, Dos Hermanas).
_PLACE_ARTICLES = frozenset(
    {
        "los",
        "las",
        "la",
        "le",
        "les",
        "el",
        "the",
        "den",
        "de",
        "des",
        "del",
        "dos",
        "da",
        "al",
        "il",
        "lo",
    }
)
_PARTICLES = _PLACE_ARTICLES | _LOWER_PLACE_PARTICLES
_QUALIFIER = re.compile(r"^\([^\W\d_][^()]{0,30}\)$")
# Dutch places open with an elided article: ``'s-Hertogenbosch``, ``’s-Gravenhage``, ``'t Harde``.
_ELIDED_ARTICLE = re.compile(r"^['’][sStT](?:-|$)")
# Lower-case words inside a place named with a credit or a date: ``Mülheim an der Ruhr``, ``Alphen aan den
# Rijn``, ``Bergen op Zoom``, ``Rothenburg ob der Tauber``, ``Kostelec nad Orlicí``.
_MAX_INNER_PARTICLE = 4
# A credited place may run to six words when the extra ones are articles and particles (``SAN SEBASTIÁN DE
# LOS REYES``, ``Santa Cruz de la Sierra``); four name words at most, as without a credit.
_MAX_CREDITED_WORDS = 6


def _plausible_place(place: str, *, credited: bool = False) -> bool:
    """One to four capitalised words per comma segment, not starting with an article or pronoun.

    With an agency credit after it (``LOS ANGELES (AP) —``, ``Den Haag (dpa) -``, ``Frankfurt (Oder) (dpa)
    -``) the place is taken as written: article-like first words (LOS, Den, EL, LA, THE) and a bracketed
    qualifier are allowed, since the credit already proves this is a dateline. Without a credit the grammar
    stays strict, so prose is never cut."""
    if len(place) > 60:
        return False
    for segment in place.split(","):
        words = [w for w in re.split(r"[\s/]+", segment.strip()) if w]
        if words and _ELIDED_ARTICLE.match(words[0]):
            words = [rest, *words[1:]] if (rest := words[0][3:]) else words[1:]
        if credited:
            words = [w for w in words if not _QUALIFIER.match(w)] if len(words) > 1 else words
        if not words or len(words) > (_MAX_CREDITED_WORDS if credited else 4):
            return False
        if len(words) > 4 and sum(w.casefold() not in _PARTICLES for w in words) > 4:
            return False  # ``LAS PALMAS DE GRAN CANARIA``: five words, four of them names
        first = words[0].casefold()
        if first in _NOT_PLACE_WORDS and not (credited and first in _PLACE_ARTICLES):
            return False
        last = len(words) - 1
        for index, word in enumerate(words):
            head = word[0]
            if not head.isalpha():
                return False
            cased = head.upper() != head.lower()
            if (
                cased
                and not head.isupper()
                and word.casefold() not in _LOWER_PLACE_PARTICLES
                and not (credited and 0 < index < last and len(word) <= _MAX_INNER_PARTICLE)
            ):
                return False
    return True


def _split_place_date(head: str, *, credited: bool = False) -> tuple[str | None, str | None]:
    """``"SAITAMA, Japan, Dec. 9"`` -> (``"SAITAMA, Japan"``, ``"Dec. 9"``): the first segment holding a digit
    starts the date. Central European agencies write no comma (``Bratislava 30. novembra``, ``Praha 1.
    prosince``, ``LONDON Dec 1``): when an agency credit follows (``credited``), inside that segment the date
    starts at its first number, or at the month or weekday name right before it. Without a credit a place
    needs its comma, so prose (``Berlin 2 Tore -``) is never read as a dateline."""
    segments = [seg.strip() for seg in head.split(",")]
    for index, segment in enumerate(segments):
        if _HAS_DIGIT.search(segment):
            words = segment.split()
            start = _date_start(words) if credited else 0
            place = ", ".join([*segments[:index], *([" ".join(words[:start])] if start else [])])
            date = ", ".join([" ".join(words[start:]), *segments[index + 1 :]]).rstrip(".").strip()
            return place or None, date or None
    return head.strip() or None, None


def _date_start(words: list[str]) -> int:
    """Index of the word a date starts at: the first holding a digit, moved back over month and weekday
    names (``Dec.``, ``novembra``, ``Dienstag``: the table in ``parsers._timelines``) and over words in
    lower case, which place names never are (``Vilnius, lapkričio 30 d.``: a month the table lacks)."""
    start = next(i for i, word in enumerate(words) if _HAS_DIGIT.search(word))
    while start and _date_word(words[start - 1]):
        start -= 1
    return start


def _date_word(word: str) -> bool:
    return word[:1].islower() or word.rstrip(".,").casefold() in _date_words()


@cache
def _date_words() -> frozenset[str]:
    """Month and weekday names of ``parsers._timelines``, loaded on first use (only a credited dateline
    without a comma asks): ``wiredesk parse`` of most documents never imports the time-line grammars."""
    from parsers._timelines import MONTHS, WEEKDAYS

    return frozenset(name.casefold() for names in (*MONTHS.values(), WEEKDAYS) for name in names)


_NUMERIC_DATE = re.compile(r"\d{1,4}[./-]\s?\d{1,2}")


def _reads_as_date(date: str | None) -> bool:
    """``30 NOV``, ``28 sept 2016``, ``30.11.2026``: a number with a month name, or a numeric date (not
    ``2 Tore`` or ``3 goals``)."""
    if date is None or not _HAS_DIGIT.search(date):
        return False
    if _NUMERIC_DATE.search(date):
        return True
    months = _date_words()
    return any(word.strip(".,").casefold() in months for word in date.split())


def _trailing_bare_agency(head: str) -> tuple[str, list[str]]:
    """Kyodo writes ``SAITAMA, Japan, Dec. 9 Kyodo -`` without brackets."""
    words = head.split()
    for size in (3, 2, 1):
        if len(words) > size:
            tail = " ".join(words[-size:])
            found = find_agencies(tail)
            if found and parse_credit_line(tail) == found and tail[0].isupper():
                return " ".join(words[:-size]), found
    return head, []


def split_dateline(paragraph: str) -> DatelineMatch | None:
    """Recognise a dateline at the start of ``paragraph``; ``None`` when there is none."""
    text = paragraph.strip()
    prefix = _PREFIX_CREDIT.match(text)
    if prefix:
        # ANSA puts the credit first: ``(ANSA) - Rome, October 11 - ...`` or only ``(Sports Network) - ...``.
        found = find_agencies(prefix.group(1))
        if not found:
            return None
        rest = text[prefix.end() :]
        after = _split_head(rest, list(found))
        return after or DatelineMatch(Dateline(agencies=list(found)), rest.strip())
    return _split_head(text, [])


def find_separator(text: str, end: int) -> re.Match[str] | None:
    """The first dateline separator in ``text[:end]`` (``_SEPARATOR``, else ``_BRACKET_ONLY``): the same
    match as ``_SEPARATOR.search(text, 0, end)``, trying the pattern only where a match can start."""
    for start in _SEPARATOR_START.finditer(text, 0, end):
        found = _SEPARATOR.match(text, start.start(), end)
        if found is not None:
            return found
    if text.find(")", 0, end) < 0:
        return None  # ``_BRACKET_ONLY`` follows a ``)``
    return _BRACKET_ONLY.search(text, 0, end)


def _split_head(text: str, agencies: list[str]) -> DatelineMatch | None:
    """Place, date and credit before the dateline's separator (dash, ``.-``, ``/AGENCY/:`` ...)."""
    separator = find_separator(text, _MAX_HEAD + 4)
    if not separator:
        return None
    head, rest = text[: separator.start()].strip(), text[separator.end() :].strip()
    if not head or not rest or len(head) > _MAX_HEAD:
        return None
    credit = _TRAILING_CREDIT.search(head)
    if credit:
        named = find_agencies(credit.group(1) or credit.group(2))
        if named:
            agencies.extend(a for a in named if a not in agencies)
            head = head[: credit.start()].strip()
        elif credit.group(2):
            return None
        elif _UNKNOWN_CREDIT.match(credit.group(1)) and _HAS_DIGIT.search(head[: credit.start()]):
            # ``KATHMANDU, Nov 30 (RSS) -``: an agency the table does not know, in the credit's slot
            # after a date; it is not part of the date (and not credited: the table names agencies)
            head = head[: credit.start()].strip()
    else:
        head, bare = _trailing_bare_agency(head)
        agencies.extend(a for a in bare if a not in agencies)
    terminator = separator.group().strip()
    if (terminator in {".", ":", ".-", ""} or separator.group() in _TIGHT_DASHES) and not agencies:
        return None
    place, date = _split_place_date(head.rstrip(",").strip(), credited=bool(agencies))
    if date is not None and len(date) > (_MAX_CREDITED_DATE if agencies else _MAX_DATE):
        return None
    # A date is evidence like a credit (``LA SPEZIA, 30 NOV -`` in ANSA copy): the place is taken as
    # written then too. Prose never has a month name or a numeric date in that slot.
    if (
        place is not None
        and not _plausible_place(place, credited=bool(agencies))
        and (agencies or not _reads_as_date(date) or not _plausible_place(place, credited=True))
    ):
        return None
    if place is None and (date is None or not agencies):
        return None
    return DatelineMatch(Dateline(place=place, date=date, agencies=agencies), rest)


def find_credited_dateline(
    paragraphs: list[str], limit: int = 8
) -> tuple[int, DatelineMatch] | None:
    """A dateline *with* an agency credit in one of the first paragraphs (press releases open with notes and
    bullet points before ``TORONTO, 26 mai 2020 (GLOBE NEWSWIRE) --``). Only credited datelines count here:
    a bare ``Place -`` deep in the text is too likely to be prose. Reuters' ``Jan 30 (Reuters) -`` (date, no
    place) after bullet points counts too."""
    for index, paragraph in enumerate(paragraphs[:limit]):
        found = split_dateline(paragraph)
        if found and found.dateline.agencies and (found.dateline.place or found.dateline.date):
            return index, found
    return None
