"""Time lines of rendered news pages, read as data: when a page says it was published or updated.

A page shows its times as one line: ``Updated 10:02 PM EST, January 24, 2023`` (AP), ``Stand: 24.01.2023
22:02 Uhr``, ``Publié le 24 janvier 2023 à 22h02, mis à jour le 25 janvier 2023 à 08h15``, ``Actualizado el
24 de enero de 2023 a las 22:02 CET``, ``Pubblicato il 24 gennaio 2023 alle ore 22:02``. The grammar covers
English, German, French, Spanish and Italian: labels (published/updated), weekday and month names, day-first
and month-first orders, numeric and ISO dates, 12 h and 24 h clocks (``Uhr``, ``h``, ``22h02``), ``à``,
``a las``, ``alle ore``, and zone abbreviations. US abbreviations are read as the US zones (``EST`` = UTC-5,
``CST`` = UTC-6), as US pages use them; ``ET``/``CT``/``MT``/``PT`` follow daylight saving time.

A time without a zone is the page's local time: it is placed in ``zone`` when the caller knows the site's
zone, and otherwise stays **naive** (``parsers.base``: the normalizer reads it in the credited agency's
zone). A line that reads as a time line but gives no usable instant (``Updated 2 hours ago``, ``31.02.2016``,
a time without a date) is still a time line: it is never story text or a headline, it just sets nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from parsers.dates import parse_datetime

# Labels in front of a time, per language: (published, updated).
LABELS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        ("Published", "First published", "Originally published", "Posted", "Created"),
        ("Updated", "Last updated", "Last update", "Last modified", "Modified", "Update"),
    ),
    "de": (
        ("Veröffentlicht", "Erstellt", "Erschienen", "Publiziert"),
        ("Aktualisiert", "Zuletzt aktualisiert", "Letzte Aktualisierung", "Aktualisierung", "Stand",
         "Geändert", "Zuletzt geändert"),
    ),
    "fr": (
        ("Publié", "Publiée", "Mis en ligne", "Mise en ligne", "Créé"),
        ("Mis à jour", "Mise à jour", "Dernière mise à jour", "MAJ", "Modifié", "Modifiée", "Actualisé",
         "Actualisée"),
    ),
    "es": (
        ("Publicado", "Publicada", "Fecha de publicación", "Creado"),
        ("Actualizado", "Actualizada", "Última actualización", "Modificado", "Modificada"),
    ),
    "it": (
        ("Pubblicato", "Pubblicata", "Creato"),
        ("Aggiornato", "Aggiornata", "Ultimo aggiornamento", "Modificato", "Modificata"),
    ),
    "pt": (
        ("Publicado", "Publicada", "Data de publicação"),
        ("Atualizado", "Atualizada", "Actualizado", "Actualizada", "Última atualização",
         "Última actualização"),
    ),
    "nl": (
        ("Gepubliceerd", "Geplaatst", "Verschenen"),
        ("Bijgewerkt", "Laatst bijgewerkt", "Laatste update", "Gewijzigd", "Aangepast"),
    ),
    "pl": (
        ("Opublikowano", "Data publikacji", "Publikacja"),
        ("Zaktualizowano", "Aktualizacja", "Ostatnia aktualizacja", "Data aktualizacji"),
    ),
    "sv": (
        ("Publicerad", "Publicerat"),
        ("Uppdaterad", "Uppdaterat", "Senast uppdaterad", "Senast uppdaterat"),
    ),
    "da": (
        ("Publiceret", "Offentliggjort"),
        ("Opdateret", "Sidst opdateret", "Senest opdateret"),
    ),
    "no": (
        ("Publisert",),
        ("Oppdatert", "Sist oppdatert", "Sist endret"),
    ),
    "fi": (
        ("Julkaistu",),
        ("Päivitetty", "Päivitetty viimeksi", "Viimeksi päivitetty"),
    ),
    "cs": (
        ("Publikováno", "Zveřejněno", "Vydáno"),
        ("Aktualizováno", "Aktualizace", "Naposledy aktualizováno"),
    ),
    "sk": (
        ("Publikované", "Zverejnené", "Uverejnené"),
        ("Aktualizované", "Aktualizácia", "Naposledy aktualizované"),
    ),
    "tr": (
        ("Yayınlanma", "Yayınlanma tarihi", "Yayın tarihi", "Yayınlandı", "Oluşturulma tarihi"),
        ("Güncelleme", "Güncellenme", "Güncelleme tarihi", "Güncellenme tarihi", "Son güncelleme",
         "Güncellendi"),
    ),
    "ro": (
        ("Publicat", "Data publicării"),
        ("Actualizat", "Actualizare", "Ultima actualizare", "Data actualizării"),
    ),
    "hu": (
        ("Közzétéve", "Megjelent", "Publikálva", "Létrehozva"),
        ("Frissítve", "Frissítés", "Utolsó frissítés", "Módosítva"),
    ),
    "el": (
        ("Δημοσίευση", "Δημοσιεύθηκε", "Δημοσιεύτηκε"),
        ("Ενημερώθηκε", "Ενημέρωση", "Τελευταία ενημέρωση"),
    ),
}  # fmt: skip

MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene", "gennaio", "gen",
        "janeiro", "januari", "stycznia", "styczeń", "ledna", "leden", "januára", "január", "ocak",
        "tammikuuta", "tammikuu", "tammik", "ianuarie", "ian", "ιανουαρίου", "ιανουάριος", "ιαν"),
    2: ("february", "feb", "februar", "feber", "février", "fevrier", "févr", "fevr", "febrero", "febbraio",
        "fevereiro", "fev", "februari", "lutego", "luty", "února", "únor", "februára", "február", "şubat",
        "helmikuuta", "helmikuu", "helmik", "februarie", "febr", "φεβρουαρίου", "φεβρουάριος", "φεβ"),
    3: ("march", "mar", "märz", "maerz", "mär", "mrz", "mars", "marzo", "março", "marco", "maart", "mrt",
        "marca", "marzec", "března", "březen", "marec", "mart", "marts", "maaliskuuta", "maaliskuu",
        "maalisk", "martie", "március", "márc", "μαρτίου", "μάρτιος", "μαρ"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile", "kwietnia", "kwiecień", "dubna", "duben",
        "apríla", "apríl", "nisan", "huhtikuuta", "huhtikuu", "huhtik", "aprilie", "április", "ápr",
        "απριλίου", "απρίλιος", "απρ"),
    5: ("may", "mai", "mayo", "maggio", "mag", "maio", "mei", "maja", "maj", "května", "květen", "mája",
        "máj", "mayıs", "toukokuuta", "toukokuu", "toukok", "május", "μαΐου", "μαίου", "μάιος", "μαΐ"),
    6: ("june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho", "czerwca", "czerwiec", "června",
        "červen", "júna", "jún", "haziran", "kesäkuuta", "kesäkuu", "kesäk", "iunie", "iun", "június",
        "ιουνίου", "ιούνιος", "ιουν"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho", "lipca", "lipiec",
        "července", "červenec", "júla", "júl", "temmuz", "heinäkuuta", "heinäkuu", "heinäk", "iulie",
        "iul", "július", "ιουλίου", "ιούλιος", "ιουλ"),
    8: ("august", "aug", "août", "aout", "agosto", "ago", "augustus", "sierpnia", "sierpień", "srpna",
        "srpen", "augusta", "ağustos", "augusti", "elokuuta", "elokuu", "elok", "augusztus",
        "αυγούστου", "αύγουστος", "αυγ"),
    9: ("september", "sept", "sep", "septembre", "septiembre", "setiembre", "settembre", "set", "setembro",
        "września", "wrzesień", "září", "septembra", "eylül", "syyskuuta", "syyskuu", "syysk",
        "septembrie", "szeptember", "szept", "σεπτεμβρίου", "σεπτέμβριος", "σεπ"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro", "out",
         "października", "październik", "října", "říjen", "októbra", "október", "ekim", "lokakuuta",
         "lokakuu", "lokak", "octombrie", "οκτωβρίου", "οκτώβριος", "οκτ"),
    11: ("november", "nov", "novembre", "noviembre", "novembro", "listopada", "listopad", "listopadu",
         "novembra", "kasım", "marraskuuta", "marraskuu", "marrask", "noiembrie", "noi",
         "νοεμβρίου", "νοέμβριος", "νοε"),
    12: ("december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic",
         "dicembre", "dezembro", "grudnia", "grudzień", "prosince", "prosinec", "decembra", "aralık",
         "desember", "des", "joulukuuta", "joulukuu", "jouluk", "decembrie", "δεκεμβρίου", "δεκέμβριος",
         "δεκ"),
}  # fmt: skip

WEEKDAYS: tuple[str, ...] = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag",
    "mo", "di", "mi", "do", "fr", "sa", "so",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "lun", "mar", "mer", "jeu", "ven", "sam", "dim",
    "lunes", "martes", "miércoles", "miercoles", "jueves", "viernes", "sábado", "sabado", "domingo",
    "mié", "jue", "vie", "sáb", "dom",
    "lunedì", "lunedi", "martedì", "martedi", "mercoledì", "mercoledi", "giovedì", "giovedi",
    "venerdì", "venerdi", "sabato", "domenica", "gio", "sab",
)  # fmt: skip
# Weekday names of the other languages time lines are read in (pt, nl, pl, sv, da, no, fi, cs, sk, tr, ro,
# hu, el). Kept apart from ``WEEKDAYS``, which the dateline grammar also uses to find where a date starts
# in ``Rimavská Sobota 30. novembra (TASR)``: some of these are place names too (Sobota, Pazar).
MORE_WEEKDAYS: tuple[str, ...] = (
    "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "segunda", "terça",
    "quarta", "quinta", "sexta", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag",
    "zondag", "poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela", "måndag",
    "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag", "mandag", "tirsdag", "lørdag", "søndag",
    "maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai", "pondělí",
    "úterý", "středa", "čtvrtek", "pátek", "neděle", "pondelok", "utorok", "streda", "štvrtok", "piatok",
    "nedeľa", "pazartesi", "salı", "çarşamba", "perşembe", "cuma", "cumartesi", "pazar", "luni", "marți",
    "miercuri", "joi", "vineri", "sâmbătă", "duminică", "hétfő", "kedd", "szerda", "csütörtök", "péntek",
    "szombat", "vasárnap", "δευτέρα", "τρίτη", "τετάρτη", "πέμπτη", "παρασκευή", "σάββατο", "κυριακή",
)  # fmt: skip

# Zone abbreviations with a fixed offset (hours). US abbreviations as US pages use them.
FIXED_ZONES: dict[str, float] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "WEST": 1, "CET": 1, "MEZ": 1, "CEST": 2,
    "MESZ": 2, "EET": 2, "OEZ": 2, "EEST": 3, "OESZ": 3, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
    "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10,
    # Asia-Pacific agencies' own (Kyodo, Yonhap, AAP, Xinhua's Hong Kong desk): no daylight saving
    # except the Australian/New Zealand summer forms, which are spelled out. (IST and China's CST are
    # ambiguous and left out: such times fall back to the agency's zone.)
    "JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "PHT": 8, "AWST": 8, "WIB": 7, "ICT": 7, "ACST": 9.5,
    "ACDT": 10.5, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13, "MSK": 3,
    # Africa, Turkey, Pakistan and South America (agencies' and their pages' own abbreviations)
    "SAST": 2, "CAT": 2, "EAT": 3, "WAT": 1, "TRT": 3, "PKT": 5, "BRT": -3, "ART": -3,
}  # fmt: skip
# Zone names that follow daylight saving time (``10:02 a.m. ET``).
NAMED_ZONES: dict[str, str] = {
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}  # fmt: skip
_US_ZONES = frozenset(
    {"EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AKST", "AKDT", "HST", *NAMED_ZONES}
)

MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_LINE_CHARS = 160


_Trie = dict[str, "_Trie"]


def _alternation(words: Iterable[str]) -> str:
    """The words as one regex alternation, built as a trie (``m(?:a(?:r(?:ch|zo|s|)|i|y)|...)``): a longer
    word wins over its prefix (``mis à jour`` over ``mis``, ``march`` over ``mar``) as with longest-first
    alternatives, but a text is compared with each first letter once instead of with every word (thirteen
    languages of labels, months and weekdays). Spaces match any whitespace. Case is kept: the patterns
    that need it compile with ``re.IGNORECASE``."""
    trie: _Trie = {}
    for word in set(words):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: _Trie) -> str:
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_pattern(child)
        for char, child in sorted(node.items())
        if char
    ]
    if "" in node:
        branches.append("")  # the word ends here: tried after every longer continuation
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


_LABEL_KIND: dict[str, tuple[str, str]] = {
    " ".join(label.casefold().split()): (language, kind)
    for language, (published, updated) in LABELS.items()
    for kind, labels in (("published", published), ("updated", updated))
    for label in labels
}
_LETTER_BEFORE = r"(?<![^\W\d_])"
_LETTER_AFTER = r"(?![^\W\d_])"
_LABEL_PATTERN = rf"{_LETTER_BEFORE}(?P<label>{_alternation(_LABEL_KIND)}){_LETTER_AFTER}"
# Separators pages print between the parts of a time line and between a label and its time (``Published
# 10:02 · Updated 11:30``, ``Aktualisiert · 24.01.2023``, ``Stand | 24.01.2023``, ``Actualizado – ...``):
# middle dots, bullets, bars, slashes and dashes, wherever they stand.
SEPARATORS = "|·•‧∙⋅/–—-"
_SEPS = re.escape(SEPARATORS)  # inside a character class
_MONTH_NUMBER = {name: number for number, names in MONTHS.items() for name in names}
_MON = rf"(?P<mon>{_alternation(_MONTH_NUMBER)}){_LETTER_AFTER}\.?"
_WEEKDAY = rf"(?:{_alternation([*WEEKDAYS, *MORE_WEEKDAYS])}){_LETTER_AFTER}\.?"
_WD = rf"(?:{_WEEKDAY},?\s+)?"
# Turkish and Hungarian pages print the weekday after the date (``30 Kasım 2026 Pazartesi 14:05``,
# ``2026. november 30., hétfő``); only their names are tried there (each weekday table in every date
# pattern would triple the grammars' compile time).
_WEEKDAYS_AFTER = (
    "pazartesi", "salı", "çarşamba", "perşembe", "cuma", "cumartesi", "pazar", "hétfő", "kedd", "szerda",
    "csütörtök", "péntek", "szombat", "vasárnap",
)  # fmt: skip
_WD_AFTER = rf"(?:,?\s+(?:{_alternation(_WEEKDAYS_AFTER)}){_LETTER_AFTER})?"
_ZONE = (
    rf"(?:\s*\(?(?-i:(?P<zone>{_alternation([*FIXED_ZONES, *NAMED_ZONES])})){_LETTER_AFTER}\)?"
    r"|\s*\(?(?-i:(?P<off>(?:UTC|GMT)\s*[+−-]\s*\d{1,2}(?::?\d{2})?))\)?)?"
)
_TIME = (
    r"(?P<H>\d{1,2})(?:[:.](?P<M>\d{2})(?:[:.]\d{2})?|(?P<hm>\s?h\s?(?P<Mh>\d{2})?))?"
    r"(?:\s*(?P<ampm>[ap]\.?\s?m\b\.?))?"
    r"(?P<unit>\s*(?:Uhr|hrs?|horas?|ore|uur|h)\b\.?)?" + _ZONE
)
_DATES = (
    # 24.01.2023, 1/24/23, 24. 1. 2023 (Czech, Slovak)
    r"(?P<d>\d{1,2})(?P<sep>[./-])\s?(?P<m>\d{1,2})(?P=sep)\s?(?P<y>\d{4}|\d{2})(?!\d)",
    # 2023-01-24, 2023.01.24. and 2023. 01. 24. (Hungarian)
    r"(?P<y>\d{4})(?P<sep>[-/.])\s?(?P<m>\d{1,2})(?P=sep)\s?(?P<d>\d{1,2})(?!\d)\.?",
    rf"(?P<y>\d{{4}})\.?\s*{_MON}\s*(?P<d>\d{{1,2}})\.?",  # 2023. január 24. (Hungarian)
    # 24. Januar 2023, 1er février 2023, 24 de enero de 2023, 24 gennaio 2023, 24th January 2023
    rf"(?P<d>\d{{1,2}})(?:\.|er|º|°|st|nd|rd|th)?\s*(?:de\s+)?{_MON},?\s*(?:de\s+|del\s+)?(?P<y>\d{{4}})",
    rf"{_MON}\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<y>\d{{4}})",  # January 24, 2023; Jan. 24 2023
)
# Words between a date and its time: de, en, fr, es, it, pt (às), nl (om), sv/da/no (kl.), fi (klo), ro (ora),
# tr (saat), pl (o godz.), cs/sk (v), el (στις).
_AT = (
    r"(?:(?:um|at|à|a\s+las?|alle\s+ore|alle|ore|kl\.?|klo|às|as|om|ora|saat|o\s+godz\.?|godz\.?|o|v"
    r"|στις)\s+)?"
)
_DATE_TIME_SEP = rf"\s*[,{_SEPS}]?\s*{_AT}"
_TIME_DATE_SEP = (
    rf"\s*[,{re.escape(SEPARATORS.replace('/', ''))}]?\s*"
    r"(?:(?:on|am|le|el|il|del|em|op|den|dne|dnia)\s+)?"
)


# The label and date/time grammars are compiled on first use (``functools.cache``): with every month,
# weekday and label of five languages they take longer to compile than the rest of a parser takes to import,
# and most documents never read a time line.
@cache
def _label() -> re.Pattern[str]:
    return re.compile(_LABEL_PATTERN, re.IGNORECASE)


@cache
def _label_start() -> re.Pattern[str]:
    """A label at the start of a line, with its colon or separator."""
    return re.compile(rf"^(?:{_LABEL_PATTERN})\s*:?", re.IGNORECASE)


@cache
def _segments(digit_first: bool) -> tuple[re.Pattern[str], ...]:
    """The date/time grammars for a part that opens with a digit, or with a word (weekday, month, ``at``):
    each text is tried only against the patterns that can match its first character, so a numeric date
    never walks the weekday alternation of thirteen languages."""
    weekday = "" if digit_first else _WD
    dated = tuple(
        re.compile(rf"^{weekday}{d}{_WD_AFTER}(?:{_DATE_TIME_SEP}{_TIME})?$", re.IGNORECASE)
        for d in _DATES
        if not digit_first or not d.startswith("(?P<mon>")
    )
    if not digit_first:
        return (*dated, re.compile(rf"^{_AT}{_TIME}$", re.IGNORECASE))
    return (
        *dated,
        *(re.compile(rf"^{_TIME}{_TIME_DATE_SEP}{_WD}{d}$", re.IGNORECASE) for d in _DATES),
        re.compile(rf"^{_TIME}$", re.IGNORECASE),
    )


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_LEAD = re.compile(
    rf"^[\s:,.{_SEPS}]*"
    rf"(?:(?:am|on|le|el|il|del|the|at|um|à|a\s+las?|alle\s+ore|alle|ore|em|às|op|om|den|dne|dnia)"
    rf"(?:\s+|:\s*)[\s:,{_SEPS}]*)?",
    re.IGNORECASE,
)
# Connectors between two parts (``..., et mis à jour le ...``); lower case only, ``ET`` is a zone.
# A full stop too: ``... 9:15 a.m. PST. Updated 11:40 a.m.`` (``a.m`` and ``Uhr`` still read without it).
_TRAIL_CHARS = " \t,;:.([" + SEPARATORS
_TRAIL_WORDS = (" and", " und", " et", " y", " e")
# A relative time (``2 hours ago``, ``vor 2 Stunden``, ``il y a 3 heures``, ``hace 2 horas``, ``há 2 horas``,
# ``2 uur geleden``, ``2 godziny temu``, ``för 2 timmar sedan``, ``for 2 timer siden``, ``2 tuntia sitten``,
# ``před 2 hodinami``, ``2 saat önce``, ``acum 2 ore``, ``2 órája``, ``πριν από 2 ώρες``): a time line
# that gives no date of its own.
_RELATIVE = re.compile(
    r"^(?:vor|il\s+y\s+a|hace|since|há|před|pred|acum|πριν(?:\s+από)?)\s+(?:ca\.\s+)?\d+\s+[^\W\d_]+\.?$"
    r"|^(?:för\s+)?\d+\s+[^\W\d_]+\.?\s+sedan$|^(?:for\s+)?\d+\s+[^\W\d_]+\.?\s+siden$"
    r"|^\d+\s+[^\W\d_]+\.?\s+(?:ago|fa|geleden|temu|sitten|önce|назад)$"
    r"|^\d+\s+(?:másodperce|perce|órája|napja|hete|hónapja|éve)$",
    re.IGNORECASE,
)
_HAS_DIGIT = re.compile(r"\d")


_PUNCTUATION = " \t,;:()[]" + SEPARATORS
_WORD = re.compile(r"[^\W\d_]+")
_LABEL_FIRST_WORDS = frozenset(label.split()[0] for label in _LABEL_KIND)
# A date/time expression opens with a number, a weekday or a month name.
_START_WORDS = frozenset([*WEEKDAYS, *MORE_WEEKDAYS, *_MONTH_NUMBER])


def _labels(text: str) -> list[re.Match[str]]:
    """The labels in ``text``, tried only where a word starts that opens some label (a regex scan of the
    whole label alternation at every position costs ten times more)."""
    found: list[re.Match[str]] = []
    end = 0
    for word in _WORD.finditer(text):
        if word.start() < end or word.group().casefold() not in _LABEL_FIRST_WORDS:
            continue
        if match := _label().match(text, word.start()):
            found.append(match)
            end = match.end()
    return found


def _first_word(text: str) -> str:
    match = _WORD.match(text)
    return match.group().casefold() if match else ""


@dataclass(frozen=True, slots=True)
class TimeLine:
    """What one time line says: aware UTC, naive (local time, zone unknown) or ``None`` per kind."""

    published: datetime | None = None
    updated: datetime | None = None


@dataclass(frozen=True, slots=True)
class _Stamp:
    day: date | None
    clock: time | None
    zone: tzinfo | None
    valid: bool = True


@cache
def zone_named(name: str) -> tzinfo | None:
    """An IANA zone, ``None`` when the system has no zone data for it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _zone(parts: dict[str, str | None]) -> tzinfo | None:
    if abbreviation := parts.get("zone"):
        if abbreviation in NAMED_ZONES:
            return zone_named(NAMED_ZONES[abbreviation])
        return timezone(timedelta(hours=FIXED_ZONES[abbreviation]))
    if offset := parts.get("off"):
        sign = -1 if ("-" in offset or "−" in offset) else 1
        digits = re.sub(r"\D", "", offset[3:])
        hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
        if int(hours) > 14 or int(minutes) > 59:
            return None
        return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
    return None


def _clock(parts: dict[str, str | None]) -> time | None:
    """``None`` when the match has no time; raises ``ValueError`` for an impossible one (``25:70``)."""
    if parts.get("H") is None:
        return None
    minute = parts.get("M") or parts.get("Mh")
    ampm = (parts.get("ampm") or "").replace(".", "").replace(" ", "").casefold()
    if minute is None and not ampm and not parts.get("unit") and not parts.get("hm"):
        raise ValueError("a bare number is not a time")
    hour = int(parts["H"] or 0)
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError("12-hour clock out of range")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    return time(hour, int(minute or 0))


def _day(
    parts: dict[str, str | None], year_first: bool, language: str | None, us_hint: bool
) -> date | None:
    """The calendar day; ``None`` when the match has none. Numeric ``a/b/yyyy`` with both parts up to 12
    is month-first next to a US clock or zone, day-first in the other languages, and unreadable in an
    English line without such a hint (British pages write day-first); ``a.b.yyyy`` is always day-first.
    Raises ``ValueError`` for impossible dates and years outside ``MIN_YEAR``..``MAX_YEAR``."""
    if parts.get("y") is None:
        return None
    digits = parts["y"] or ""
    year = int(digits) + (2000 if len(digits) == 2 else 0)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError("year out of range")
    day = int(parts.get("d") or 0)
    if name := parts.get("mon"):
        month = _MONTH_NUMBER[" ".join(name.casefold().split())]
    else:
        month = int(parts.get("m") or 0)
        if parts.get("sep") in {"/", "-"} and not year_first and day != month:
            if month > 12 >= day or (max(day, month) <= 12 and us_hint):
                day, month = month, day
            elif max(day, month) <= 12 and language == "en":
                raise ValueError("ambiguous numeric date in an English line")
    return date(year, month, day)


def _segment(text: str, language: str | None) -> _Stamp | None:
    """One labelled part of a time line; ``None`` when it is not a date/time expression at all."""
    text = _LEAD.sub("", text, count=1).rstrip(_TRAIL_CHARS)
    while text.endswith(_TRAIL_WORDS):
        text = text[: text.rindex(" ")].rstrip(_TRAIL_CHARS)
    if not text:
        return None
    if _RELATIVE.match(text):
        return _Stamp(None, None, None, valid=False)
    if not (text[0].isdigit() or _first_word(text) in _START_WORDS):
        if _RELATIVE_WORDS.match(text):  # ``... / Updated an hour ago``
            return _Stamp(None, None, None, valid=False)
        return None
    if _ISO.match(text):
        value = parse_datetime(text)
        if value is None:
            return _Stamp(None, None, None, valid=False)
        return _Stamp(value.date(), value.timetz().replace(tzinfo=None), value.tzinfo)
    for pattern in _segments(text[0].isdigit()):
        match = pattern.match(text)
        if match is None:
            continue
        parts: dict[str, str | None] = match.groupdict()
        year_first = parts.get("y") is not None and match.start("y") < match.start("d")
        us_hint = bool(parts.get("ampm")) or (parts.get("zone") or "") in _US_ZONES
        try:
            day = _day(parts, year_first, language, us_hint)
            return _Stamp(day, _clock(parts), _zone(parts))
        except (ValueError, KeyError):
            return _Stamp(None, None, None, valid=False)
    return None


def _instant(stamp: _Stamp, day: date | None, default_zone: tzinfo | None) -> datetime | None:
    if not stamp.valid or day is None:
        return None
    local = datetime.combine(day, stamp.clock or time())
    zone = stamp.zone or default_zone
    if zone is None:
        return local
    try:
        return local.replace(tzinfo=zone).astimezone(UTC)
    except OverflowError:
        return None


# Spans a browser copy runs together: ``2:05 PM GMTUpdated an hour ago`` (a capitalised label right after
# capitals or digits), ``November 30, 20262:05 PM`` (a year and the clock after it).
_GLUED_WORD = re.compile(r"(?<=[A-Z\d])(?=[A-Z][a-z])")
_GLUED_CLOCK = re.compile(r"(?<=[\s,])((?:19|20)\d\d)(\d{1,2}:\d\d)(?!\d)")


def parse_time_line(text: str, default_zone: tzinfo | None = None) -> TimeLine | None:
    """Read one displayed line as a page's time line.

    Returns ``None`` when the line is not a time line (story text, a heading); a ``TimeLine`` otherwise,
    whose values may be ``None`` when the line gives no usable instant. The whole line must be labels and
    date/time expressions (``Publié le X, mis à jour le Y``); an unlabelled time is ``published``. A later
    part with only a clock takes the day (and zone) of the part before it (``..., updated 11:15 PM``).
    Times without a zone are placed in ``default_zone`` (aware UTC), else returned naive. Spans run
    together by the copy (``GMTUpdated``, ``20262:05``) are read apart when the line does not read as is.
    """
    if len(text) > MAX_LINE_CHARS or not _HAS_DIGIT.search(text):
        return None
    if "年" in text or "년" in text:
        return _east_asian_time_line(text, default_zone)
    found = _parse_time_line(text, default_zone)
    if found is not None:
        return found
    opening = text.lstrip(_PUNCTUATION)
    first = _first_word(opening)
    if not (opening[:1].isdigit() or first in _START_WORDS or first in _LABEL_FIRST_WORDS):
        return None  # a time line opens with a date, a time or a label, glued or not
    apart = _GLUED_CLOCK.sub(r"\1 \2", _GLUED_WORD.sub(" ", text))
    return None if apart == text else _parse_time_line(apart, default_zone)


# Chinese/Japanese ``2026年11月30日 14:05`` and Korean ``2026년 11월 30일 14:05``, with an optional label
# word before (``发布时间：``, ``更新``, ``입력``, ``수정``) and weekday after the day (``(月)``, ``(월)``).
_EAST_ASIAN = re.compile(
    r"^\s*(?:[^\d\s]{1,6}\s*[:：]?\s*)?(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]"
    r"\s*(?:[(（][^)）]{1,3}[)）])?\s*(?:(?P<H>\d{1,2})\s*[:：時시]\s*(?P<M>\d{2})\s*分?)?\s*$"
)
_EAST_ASIAN_UPDATED = ("更新", "수정", "업데이트")


def _east_asian_time_line(text: str, default_zone: tzinfo | None) -> TimeLine | None:
    """An East Asian date (year, month, day marked by 年月日 or 년월일) with an optional clock."""
    found = _EAST_ASIAN.match(text)
    if found is None:
        return None
    try:
        value = datetime(
            int(found["y"]),
            int(found["m"]),
            int(found["d"]),
            int(found["H"] or 0),
            int(found["M"] or 0),
        )
    except ValueError:
        return TimeLine()
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return TimeLine()
    if default_zone is not None:
        value = value.replace(tzinfo=default_zone).astimezone(UTC)
    if any(word in text[: found.start("y")] for word in _EAST_ASIAN_UPDATED):
        return TimeLine(updated=value)
    return TimeLine(published=value)


def _parse_time_line(text: str, default_zone: tzinfo | None) -> TimeLine | None:
    opening = text.lstrip(_PUNCTUATION)
    # Only a line whose first word opens some label can start with one (a set look-up before the regex).
    if _first_word(opening) not in _LABEL_FIRST_WORDS or not _label_start().match(opening):
        # No label first: the line must open with a date or time (``24.01.2023``, ``Tuesday, ...``).
        bare = _LEAD.sub("", opening, count=1)
        if not bare or not (bare[0].isdigit() or _first_word(bare) in _START_WORDS):
            return None
    labels = _labels(text)
    pieces: list[tuple[str, str | None, str]] = []  # (kind, language, text)
    head = text[: labels[0].start()] if labels else text
    if head.strip(_PUNCTUATION):
        pieces.append(("published", None, head))
    for index, label in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        lang, kind = _LABEL_KIND[" ".join(label.group("label").casefold().split())]
        pieces.append((kind, lang, text[label.end() : end]))
    found: dict[str, datetime | None] = {}
    day: date | None = None
    zone: tzinfo | None = None
    for kind, language, piece in pieces:
        stamp = _segment(piece.strip(" \t()[]"), language)
        if stamp is None:
            return None
        if stamp.day is not None:
            day, zone = stamp.day, stamp.zone
        elif stamp.zone is None and stamp.clock is not None:
            stamp = _Stamp(None, stamp.clock, zone, stamp.valid)
        found.setdefault(kind, _instant(stamp, stamp.day or day, default_zone))
    if not found:
        return None
    return TimeLine(published=found.get("published"), updated=found.get("updated"))


_SENTENCE_END = re.compile(r"[.!?…]$")
MAX_CHROME_WORDS = 6
# What makes the words after a label a time rather than a headline (``Update 2: Fed raises rates``,
# ``Aktualizacja Windows 11 już dostępna``): a clock, a numeric date, an hour unit, or one of ``_DAY_WORDS``,
# a relative marker or a month name.
_TIME_HINT = re.compile(
    r"\d{1,2}\s?[:.h]\s?\d{2}(?!\d)|\d{1,2}[./]\s?\d{1,2}[./]|\d\s*(?:Uhr|uur|h|hrs?|horas?|ore|heures?)\b",
    re.IGNORECASE,
)
# Days named relative to today, and markers of relative times, in the languages of ``LABELS``.
_DAY_WORDS = frozenset(
    [
        "today", "yesterday", "heute", "gestern", "vorgestern", "aujourd", "hui", "hier", "hoy", "ayer",
        "anteayer", "oggi", "ieri", "hoje", "ontem", "vandaag", "gisteren", "dzisiaj", "dziś", "wczoraj",
        "idag", "igår", "går", "tänään", "eilen", "dnes", "včera", "bugün", "dün", "azi", "astăzi", "tegnap",
        "σήμερα", "χθες", "ago", "vor", "hace", "há", "geleden", "temu", "sedan", "siden", "sitten", "před",
        "pred", "önce", "acum", "πριν", "órája", "perce", "napja",
    ]
)  # fmt: skip
# A relative time without a number: ``an hour ago``, ``vor einer Stunde``, ``il y a une heure``, ``hace
# una hora``, ``há uma hora``, ``een uur geleden``, ``godzinę temu``, ``en timme sedan``.
_RELATIVE_WORDS = re.compile(
    r"^(?:(?:vor|il\s+y\s+a|hace|há|před|pred|acum|πριν(?:\s+από)?)\s+(?:einer|einem|une?|una?|uma|um|"
    r"jednou|o|μία|μια|ένα|few|kurzem|peu)\s+[^\W\d_]+\.?"
    r"|(?:an?|one|a\s+few|een|en|ett|et|jedną|bir|egy)\s+[^\W\d_]+\s+(?:ago|geleden|temu|sedan|siden|önce)"
    r"|[^\W\d_]+\s+(?:ago|geleden|temu|sitten|önce)|just\s+now|gerade\s+eben)$",
    re.IGNORECASE,
)


# First and last words of the relative times ``_RELATIVE`` and ``_RELATIVE_WORDS`` read.
_RELATIVE_OPENERS = frozenset(
    ["vor", "il", "hace", "há", "před", "pred", "acum", "πριν", "since", "för", "for", "an", "a", "one",
     "een", "en", "ett", "et", "jedną", "bir", "egy", "just", "gerade"]
)  # fmt: skip
_RELATIVE_CLOSERS = frozenset(
    ["ago", "fa", "geleden", "temu", "sedan", "siden", "sitten", "önce", "назад", "másodperce", "perce",
     "órája", "napja", "hete", "hónapja", "éve", "now", "eben"]
)  # fmt: skip


# Today and yesterday opening a line with its clock (``Heute, 14:05 Uhr``).
_TODAY_WORDS = frozenset(
    ["today", "yesterday", "heute", "gestern", "aujourd", "hoy", "ayer", "oggi", "ieri", "hoje", "ontem",
     "vandaag", "gisteren", "dzisiaj", "dziś", "wczoraj", "idag", "igår", "tänään", "eilen", "dnes",
     "včera", "bugün", "dün", "azi", "astăzi", "tegnap", "σήμερα", "χθες"]
)  # fmt: skip
_MAX_DAY_CLOCK_WORDS = 4
_CHROME_OPENERS = _RELATIVE_OPENERS | _LABEL_FIRST_WORDS | _TODAY_WORDS


def _time_words(text: str) -> bool:
    """Whether ``text`` names a day relative to today, a relative time or a month."""
    return any(
        (word := match.group().casefold()) in _DAY_WORDS or word in _MONTH_NUMBER
        for match in _WORD.finditer(text)
    )


def looks_like_time_line(text: str) -> bool:
    """A short line that opens with a time label followed by a few words that name a time (a clock, a
    numeric date, an hour unit, a relative day or time, a month: ``Updated 2 hours ago``, ``Stand: gestern,
    18 Uhr``, ``Updated an hour ago``), or a relative time alone (``vor einer Stunde``): page chrome even
    when its value is unreadable. ``Stand 2022 lag die Zahl bei 300.`` is a sentence and ``Update 2: Fed
    raises rates`` a headline, not chrome. Cheap tests first: most lines asked are story text or headings
    whose first and last words rule both shapes out."""
    text = text.strip()
    if not text or len(text) > 80 or text[-1] in ".!?…":
        return False
    head, _, _ = text.partition(" ")
    first = head.casefold() if head.isalpha() else _first_word(text)
    if first not in _CHROME_OPENERS and text.rpartition(" ")[2].casefold() not in _RELATIVE_CLOSERS:
        return False
    if _RELATIVE.match(text) or _RELATIVE_WORDS.match(text):
        return True
    if first in _TODAY_WORDS:
        # ``Heute, 14:05 Uhr``, ``Today 2:05 PM``, ``Ayer, 18:30``: a clock on a named day, nothing more
        return len(text.split()) <= _MAX_DAY_CLOCK_WORDS and bool(_TIME_HINT.search(text))
    if first not in _LABEL_FIRST_WORDS:
        return False
    label = _label_start().match(text)
    if label is None:
        return False
    rest = text[label.end() :].strip(_PUNCTUATION)
    if not rest or len(rest.split()) > MAX_CHROME_WORDS:
        return False
    return bool(_TIME_HINT.search(rest)) or bool(_RELATIVE_WORDS.match(rest)) or _time_words(rest)
