"""Rendered-page text dumps: the text a browser shows for a news page.

The reference is the seed page (``../shared/seeds``): photo marker ``+`` and caption, kicker, headline,
paragraphs (the first with its dateline), a credit line, then page furniture -- "Auch interessant",
"Meistgelesene Artikel" with teasers listed as title / teaser / title again, "Kommentare". Dumps come in three
shapes, all read here: blank lines between paragraphs (the seed), one paragraph per line without blank lines
(a browser copy), and hard-wrapped paragraphs (``lynx -dump``). The site vocabulary is data
(``TextDumpLayout``) so other sites' furniture words are rows, not code; the furniture phrases shared with the
HTML parser (``parsers.furniture``) are noise here too.

Time lines (``Updated 10:02 PM EST, January 24, 2023``, ``Stand: ...``, ``Publié le ..., mis à jour le ...``)
are read by ``parsers._timelines`` wherever they stand (header, below the text, teaser cards) and never become
a heading or a paragraph; a time without a zone stays naive unless the layout names the site's zone. A unit
opening with a dateline (``LOS ANGELES (AP) —``, ``Frankfurt (Oder) (dpa) -``) is always story text, so the
normalizer can split it. This is the fallback format and is asked last: it accepts readable prose, but not
Markdown, delimited tables or source code (``parsers._textsniff``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from itertools import pairwise

from parsers import furniture
from parsers._datelead import is_dateline_lead
from parsers._textsniff import kind_of_non_dump
from parsers._timelines import (
    MAX_LINE_CHARS,
    TimeLine,
    looks_like_time_line,
    parse_time_line,
    zone_named,
)
from parsers._wiretext import ADVISORY
from parsers.base import ParsedItem, ParsedRelated, ParseError
from parsers.encoding import decode_bytes

logger = logging.getLogger(__name__)

FORMAT = "text"
SNIFF_ORDER = 100


def _words(*phrases: str) -> frozenset[str]:
    return frozenset(p.casefold() for p in phrases)


# "Read also" and "related" in the other languages of the desk (pt, nl, pl, sv, da, no, fi, cs, sk, tr, ro,
# hu, el): a heading before teasers, or a lead-in before one linked title.
_READ_ALSO = (
    "Leia também",
    "Leia mais",
    "Veja também",
    "Saiba mais",
    "Lees ook",
    "Lees meer",
    "Meer nieuws",
    "Czytaj także",
    "Czytaj też",
    "Czytaj również",
    "Zobacz także",
    "Zobacz też",
    "Läs också",
    "Läs mer",
    "Læs også",
    "Læs mere",
    "Les også",
    "Les mer",
    "Lue myös",
    "Lue lisää",
    "Čtěte také",
    "Čtěte též",
    "Přečtěte si také",
    "Čítajte aj",
    "Čítajte tiež",
    "Bunu da okuyun",
    "Ayrıca okuyun",
    "İlginizi çekebilir",
    "Citește și",
    "Citeste si",
    "Citește și:",
    "Olvassa el ezt is",
    "Kapcsolódó",
    "Ajánljuk",
    "Διαβάστε επίσης",
    "Διαβάστε ακόμη",
    "Σχετικά άρθρα",
)


@dataclass(frozen=True, slots=True)
class TextDumpLayout:
    """Words that mark page furniture in a text dump, by what follows them."""

    photo_markers: frozenset[str] = frozenset(
        {"+", "Foto", "Bild", "Photo", "Video", "[Bild]", "▶"}
    )
    # Followed by teasers of other stories (they go to ``related``, never to the body).
    related_headings: frozenset[str] = _words(
        "Auch interessant", "Meistgelesene Artikel", "Meistgelesen", "Meist gelesen", "Mehr zum Thema",
        "Das könnte Sie auch interessieren", "Das könnte dich auch interessieren", "Lesen Sie auch",
        "Lies auch", "Weitere Artikel", "Weitere Nachrichten", "Weitere Meldungen", "Verwandte Artikel",
        "Verwandte Themen", "Dazu passend", "Passend zum Thema", "Empfehlungen", "Top-Themen", "Top Themen",
        "Aktuelle Nachrichten", "Neueste Artikel", "Most Read", "Most popular", "Most viewed", "Related",
        "Related articles", "Related stories", "Related content", "Read more", "Read also", "See also",
        "More on this story", "More stories", "More news", "You may also like", "Recommended",
        "Top stories", "Lire aussi", "À lire aussi", "A lire aussi", "Lire également", "Voir aussi",
        "Les plus lus", "Sur le même sujet", "Sur le même thème", "Articles liés", "Dans la même rubrique",
        "Nos articles", "Lee también", "Leggi anche", "Noticias relacionadas", "Te puede interesar",
        "Lo más leído", "Más leídas", "Lo más visto", "Articoli correlati", "I più letti", "Più letti",
        "Potrebbe interessarti", "Ti potrebbe interessare", "Další články", "Související články",
        "Ďalšie články", "Súvisiace články", "Powiązane artykuły", "Gerelateerde artikelen",
        "Notícias relacionadas", "Artigos relacionados", "İlgili Haberler", "Liittyvät uutiset",
        "Read next", "Up next", "What to read next", "Related coverage", "Also read", "Related news",
        *_READ_ALSO,
    )  # fmt: skip
    # ``Lesen Sie auch: Titel`` inside the body is a link to another story, not a paragraph. The lead-in
    # phrases of ``parsers.furniture`` (shared with the HTML parser) count too.
    inline_related_prefixes: frozenset[str] = _words(
        *(phrase for phrases in furniture.LEAD_INS.values() for phrase in phrases),
        "Related",
        *_READ_ALSO,
    )
    # Everything after these is not part of the story (comments, sharing, site footer).
    terminal_headings: frozenset[str] = _words(
        "Kommentare", "Leserkommentare", "Kommentar schreiben", "Kommentieren", "Diskussion", "Comments",
        "Comment", "Leave a comment", "Join the conversation", "Commentaires", "Commentaire", "Réagir",
        "Réactions", "Commenti", "Comentarios", "Newsletter", "Artikel teilen", "Teilen", "Share",
        "Share this article", "Partager", "Partager cet article", "Impressum", "Datenschutz", "Privacy",
        "Mentions légales", "Deja tu comentario", "Lascia un commento", "Diskuse", "Diskusia",
        "Komentáře", "Komentáre", "Komentarze", "Reacties", "Kommentarer", "Comentários", "Yorumlar",
        "Kommentit", "Komentari", "Comentarii", "Hozzászólások",
    )  # fmt: skip
    # Chrome lines beyond the shared furniture phrases (``parsers.furniture``: advertising labels, share
    # and print links, newsletter and reading-time boxes, rights notices), which are noise as well.
    # Sharing buttons: above the story they are chrome, below it they end it (like terminal headings).
    share_bars: frozenset[str] = _words(
        "Share", "Share this article", "Share this story", "Teilen", "Artikel teilen", "Jetzt teilen",
        "Partager", "Partager cet article", "Compartir", "Condividi",
    )  # fmt: skip
    noise_lines: frozenset[str] = _words(
        "Advertising", "Merken", "Mehr", "Zurück", "Lire plus", "Fermer", "Schließen", "Cerrar", "Chiudi",
        # A copy-link button and its confirmation toast rendered as one line.
        "Copy link copied", "Link kopieren Link kopiert", "Copier le lien Lien copié",
    )  # fmt: skip
    # Page chrome that reads as text: reading time, share counts.
    noise_pattern: re.Pattern[str] = re.compile(
        r"^(?:Lesezeit|Lesedauer|Reading time|Temps de lecture)\s*:?\s*(?:ca\.\s*)?\d+\s*\w*\.?$"
        r"|^\d+\s*(?:min|minute|minutes|Min\.?|Minuten)\s*(?:read|Lesezeit|de lecture)$",
        re.IGNORECASE,
    )
    # ``Foto:``, ``Fotografia:``, ``fot.`` (Polish), ``Kuva:``, ``Fotó:``, ``Fotoğraf:``, ``Φωτογραφία:`` ...
    # The labels are ``parsers.furniture.PHOTO_CREDITS`` (one table for pages and dumps).
    photo_credit: re.Pattern[str] = re.compile(
        rf"^(?:(?:{furniture.photo_credit_labels()})\s*:|fot\.\s|©|\(c\)\s)", re.IGNORECASE
    )
    # Photo agencies as a credit line prints them, with the photographer: ``AP Photo/Jae C. Hong``,
    # ``(AP Photo/Jae C. Hong)``, ``REUTERS/Mike Blake``, ``AFP / Patrick T. Fallon``, ``Kay Nietfeld/dpa``.
    photo_agencies: tuple[str, ...] = (
        "AP", "AFP", "EPA", "EPA-EFE", "Reuters", "dpa", "picture alliance", "picture-alliance",
        "Getty Images", "ANP", "ANSA", "EFE", "PAP", "TT", "NTB", "Lehtikuva", "ČTK", "CTK", "MTI",
        "Agerpres", "Lusa", "Belga", "Keystone", "APA", "AA", "Anadolu", "Xinhua", "IMAGO", "SIPA",
        "Shutterstock", "Scanpix", "Ritzau Scanpix", "NTB Scanpix", "TT Nyhetsbyrån", "TASR", "STT", "BTA",
        "ΑΠΕ-ΜΠΕ", "Eurokinissi", "Hina", "Kyodo", "Yonhap", "AAP", "PA", "PA Wire", "ABACA", "ZUMA",
        "Sputnik", "TASS", "Bloomberg", "Europa Press",
    )  # fmt: skip
    # ``Von``/``By``/``Par``/``Por``/``Di``/``Door``/``Av``/``Af`` + a name, or an author label
    # (``Autor: Jan Kowalski``, ``Auteur : ...``, ``Szerző: ...``).
    byline: re.Pattern[str] = re.compile(
        r"^(?:(?:Von|By|BY|Par|Por|Di|di|Door|Av|Af)\s+|(?:Autor|Autorka|Autoři|Auteur|Author|Tekst|Teksti|"
        r"Texto|Testo|Szerző|Yazar|Συντάκτης)\s*:\s*)[^\W\d_][^.!?…;:]{0,78}[^\W_.]$"
    )
    # The site's zone (IANA name) for time lines without one; ``None``: unknown, such times stay naive
    # and the normalizer reads them in the credited agency's zone (``parsers.base``).
    local_timezone: str | None = None
    max_heading_chars: int = 160
    max_heading_words: int = 24
    max_byline_words: int = 10
    related_title_max_chars: int = 160
    max_caption_chars: int = 300
    # Dumps wrapped at a fixed width (lynx 76, w3m 80, mail 72) have their longest line in this range.
    min_wrap_width: int = 40
    max_wrap_width: int = 120


DEFAULT_LAYOUT = TextDumpLayout()

# A sentence or clause ends here: the unit is prose (paragraph, caption, teaser), not a heading.
_SENTENCE_END = re.compile(r"(?:[.…:;,。！？：；，]|\.\W)$")  # full-width: Chinese and Japanese
# Ends a sentence, for telling paragraph-per-line text from hard-wrapped text.
_TERMINAL = re.compile(r"[.!?…:;\"“”»«’')\]。！？」』]$")
_INLINE_RELATED = re.compile(r"^(?P<head>[^:]{3,40}?)\s*:\s*(?P<title>\S.*)$")
_INLINE_HEAD_CHARS = 45
_COUNT = re.compile(r"^\d+\s+|\s*\(\d+\)$|\s+\d+$")
_MAX_KEY_CHARS = 80
_HAS_DIGIT = re.compile(r"\d")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK = re.compile(r"\n[^\S\n]*\n")
_LETTERS = re.compile(r"[^\W\d_]+")
_FIRST_WORD = re.compile(r"\W*([^\W\d_]+)")
_FURNITURE_FIRST_WORDS = frozenset(
    match.group(1).casefold()
    for table in (furniture.LINES, furniture.LEAD_INS, furniture.WALLS, furniture.PHOTO_CREDITS)
    for phrases in table.values()
    for phrase in phrases
    if (match := _FIRST_WORD.match(phrase))
)
# The last word of every rights notice and fine-print notice: a plain substring test turns ordinary
# paragraphs away before the full match.
_RIGHTS_WORDS = tuple(
    {
        phrase.split()[-1].lower()
        for table in (furniture.RIGHTS, furniture.NOTICES)
        for phrases in table.values()
        for phrase in phrases
    }
)
_MAX_PLACE_WORDS = 4
_MAX_PLACE_CHARS = 40
_META_SPLIT = re.compile(r"\s+[|·•—–]\s+")
# A site's menu or breadcrumb rendered as one line: "Domov | Slovensko | Zahraničie | Šport",
# "Startseite > Politik > Ausland". Three or more short labels between the same separator.
_MENU_SPLIT = re.compile(r"\s*([|·•»›>/])\s*")
_MENU_MARK = re.compile(r"[|·•»›>/]")
_MENU_MIN_ITEMS = 3
# A breadcrumb of two items is a menu row when it starts at the site's home page (``Αρχική / Πολιτική``).
_HOME_WORDS = _words(
    "Home", "Homepage", "Startseite", "Start", "Accueil", "Inicio", "Portada", "Início", "Página inicial",
    "Home page", "Strona główna", "Forside", "Forsiden", "Startsida", "Etusivu", "Úvod", "Titulní strana",
    "Hlavná stránka", "Domov", "Ana Sayfa", "Anasayfa", "Acasă", "Acasa", "Főoldal", "Címlap", "Αρχική",
    "Главная", "Головна", "Naslovna", "Početna", "Hem",
)  # fmt: skip
_MENU_MAX_WORDS = 3
_MENU_MAX_CHARS = 30
_JSON_ARRAY = re.compile(
    r"^\[\s*(?:[{\[\"\]]|(?:-?\d[\d.eE+-]*|true|false|null)\s*(?:,|\](?:\s*$|\s*[,\]])))"
)


def can_parse(raw: bytes) -> bool:
    """Readable prose: not binary, markup, JSON, Markdown, a delimited table or source code.

    The text format is asked last, so whatever it accepts is read as a news page; documents of those
    other kinds are refused here rather than turned into a wrong record. A line starting with ``[`` is
    JSON only when a JSON value follows (``[Bild]`` and lynx's ``[1]Logo`` are page text)."""
    head = raw[:4096]
    if b"\x00" in head:
        return False
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if not text or text[0] in "<{" or _JSON_ARRAY.match(text):
        return False
    letters = sum(map(len, _LETTERS.findall(text)))  # one match per word, not per letter
    if letters < max(8, len(text) // 5):
        return False
    kind = kind_of_non_dump(text)
    if kind is not None:
        logger.debug("text sniffer: %s, not a page dump", kind)
        return False
    return True


# A unit's key is asked for in ``_blocks``, the header and the body loops and the teaser filter: computed
# once per distinct line (a dump has a few hundred).
_KEY_CACHE = 2048


def _norm(line: str) -> str:
    """Whitespace runs as one space, none at the ends (``line`` holds no newline)."""
    return " ".join(line.split())


@lru_cache(maxsize=_KEY_CACHE)
def _key(line: str) -> str:
    """Comparable form of a furniture line: ``Kommentare (3)``, ``12 Comments:`` -> the bare words.
    Furniture lines are short; a long line is never one, and is not scanned."""
    if len(line) > _MAX_KEY_CHARS:
        return ""
    text = line.strip().rstrip(":").rstrip()
    if text and (text[0].isdigit() or text[-1].isdigit() or text[-1] == ")"):
        text = _COUNT.sub("", text).strip()
    return text.casefold()


def _is_heading_like(text: str, layout: TextDumpLayout) -> bool:
    """Short, no sentence ending: a kicker, headline or teaser title (not a paragraph, not a caption)."""
    return (
        len(text) <= layout.max_heading_chars
        and len(text.split()) <= layout.max_heading_words
        and not _SENTENCE_END.search(text)
    )


@cache
def _photo_agency_credit(layout: TextDumpLayout) -> re.Pattern[str]:
    agencies = "|".join(
        re.escape(a).replace(r"\ ", r"\s+")
        for a in sorted(layout.photo_agencies, key=len, reverse=True)
    )
    agency = rf"(?:{agencies})(?:\s+(?:Photo|Foto|Images|Pictures))?"
    return re.compile(
        rf"^\(?(?:{agency}\s*/\s*(?P<after>[^/()\n]{{3,60}})|(?P<before>[^/()\n]{{3,60}}?)\s*/\s*{agency})\)?$",
        re.IGNORECASE,
    )


_MAX_PHOTO_CREDIT_CHARS = 100
_PHOTO_LABEL_CHARS = 24  # the longest label and its colon fit here
_PHOTO_LABEL_OPENINGS = ("©", "(c)", "(C)", "fot.", "Fot.")


def _photo_label(unit: str, layout: TextDumpLayout) -> bool:
    """``layout.photo_credit``, tried only when the line can hold one: a colon near its start or a
    copyright mark (the label table of fifteen languages costs more than the rest of most lines' tests)."""
    if ":" not in unit[:_PHOTO_LABEL_CHARS] and not unit.startswith(_PHOTO_LABEL_OPENINGS):
        return False
    return layout.photo_credit.match(unit) is not None


def is_photo_credit(unit: str, layout: TextDumpLayout = DEFAULT_LAYOUT) -> bool:
    """A photo credit line: a label (``Foto:``, ``Fotografia:``, ``fot.``, ``©``) or a photo agency with
    the photographer on either side of a slash (``AP Photo/Jae C. Hong``, ``Kay Nietfeld/dpa``): never a
    kicker, headline or paragraph."""
    if _photo_label(unit, layout):
        return True
    if "/" not in unit or len(unit) > _MAX_PHOTO_CREDIT_CHARS:
        return False
    found = _photo_agency_credit(layout).match(unit)
    # The photographer's name has two words or more; ``dpa/AFP``, ``(dpa/lnw)`` are agency credit lines.
    return found is not None and " " in (found.group("after") or found.group("before")).strip()


def _is_noise(unit: str, key: str, layout: TextDumpLayout) -> bool:
    """Advertising markers, link labels, reading times, photo credits, share bars, rights notices: page
    chrome, not story text (the layout's lines plus the shared ``parsers.furniture`` phrases)."""
    return (
        key in layout.noise_lines
        or _photo_label(unit, layout)
        or ("/" in unit and is_photo_credit(unit, layout))
        or (len(unit) <= _MAX_KEY_CHARS and bool(layout.noise_pattern.match(unit)))
        or _shared_furniture(unit)
    )


def is_menu_row(unit: str) -> bool:
    """A navigation menu or breadcrumb on one line: at least three labels of one to three words, split by
    one repeated separator (``|``, ``·``, ``•``, ``»``, ``›``, ``>``, ``/``), none ending a sentence or
    holding a digit; or two labels when the first is the site's home page (``Αρχική / Πολιτική``,
    ``Acasă / Politică``). A kicker has at most one separator ("Ukraine | Analyse"); a headline's words are
    not all short runs between the same mark. Asked above the story and among teasers only: inside a body,
    ``Neuer / Kimmich / Upamecano`` is a line-up, not a menu."""
    if len(unit) > 200 or _MENU_MARK.search(unit) is None:
        return False
    parts = _MENU_SPLIT.split(unit.strip())
    labels, separators = parts[::2], set(parts[1::2])
    return (
        (
            len(labels) >= _MENU_MIN_ITEMS
            or (len(labels) == 2 and labels[0].casefold() in _HOME_WORDS)
        )
        and len(separators) == 1
        and all(
            label
            and len(label) <= _MENU_MAX_CHARS
            and len(label.split()) <= _MENU_MAX_WORDS
            and not _HAS_DIGIT.search(label)
            and not _TERMINAL.search(label)
            for label in labels
        )
    )


def _shared_furniture(unit: str) -> bool:
    """``parsers.furniture.is_furniture``, asked only when the unit could match: it opens with the first
    word of a furniture phrase or a number, or holds a rights notice (most paragraphs do neither)."""
    if len(unit) > furniture.LEAD_IN_MAX_CHARS:
        return False
    first = _FIRST_WORD.match(unit)
    if first is None or first.group(1).casefold() in _FURNITURE_FIRST_WORDS:
        return furniture.is_furniture(unit)
    lowered = unit.lower()
    for word in _RIGHTS_WORDS:
        if word in lowered:
            return furniture.is_furniture(unit)
    return False


_AUTHOR_LABEL = re.compile(r"^[^\W\d_]+\s*:\s*")


def _byline_text(text: str) -> str:
    """The byline as shown, less an author label (``Autor: Jan Kowalski`` -> ``Jan Kowalski``); ``By``/
    ``Von`` lines stay as they are."""
    return _AUTHOR_LABEL.sub("", text, count=1)


def _is_byline(text: str, layout: TextDumpLayout) -> bool:
    return bool(layout.byline.match(text)) and len(text.split()) <= layout.max_byline_words


# --- blocks and units ----------------------------------------------------------------------------------


@cache
def _section_headings(layout: TextDumpLayout) -> frozenset[str]:
    return layout.related_headings | layout.terminal_headings | layout.share_bars


def _blocks(text: str, layout: TextDumpLayout) -> list[list[str]]:
    """Blank-line separated blocks of non-empty lines; a furniture heading always gets its own block."""
    headings = _section_headings(layout)
    blocks: list[list[str]] = []
    for chunk in _BLANK.split(text):
        current: list[str] = []
        for raw_line in chunk.split("\n"):
            line = _norm(raw_line)
            if not line:
                continue
            if len(line) <= _MAX_KEY_CHARS and _key(line) in headings:
                if current:
                    blocks.append(current)
                blocks.append([line])
                current = []
            else:
                current.append(line)
        if current:
            blocks.append(current)
    return blocks


def _is_hard_wrapped(lines: list[str], width: int) -> bool:
    """Lines broken at a fixed ``width`` (the document's longest line): each line but the last would not
    have fit the next line's first word, and they do not all end a sentence (then they are paragraphs)."""
    if len(lines) < 2:
        return False
    for line, following in pairwise(lines):
        if len(line) + 1 + len(following.split(" ", 1)[0]) <= width:
            return False
    return not all(_TERMINAL.search(line) for line in lines[:-1])


def _units(blocks: list[list[str]], layout: TextDumpLayout) -> list[str]:
    """One string per paragraph, heading or teaser line: hard-wrapped blocks are joined, others split by
    line. Only a document whose longest line is near a usual wrap width can be hard-wrapped at all."""
    width = max((len(line) for lines in blocks for line in lines), default=0)
    wrapped = layout.min_wrap_width <= width <= layout.max_wrap_width
    units: list[str] = []
    for lines in blocks:
        if wrapped and _is_hard_wrapped(lines, width):
            units.append(" ".join(lines))
        else:
            units.extend(lines)
    return units


# --- header ------------------------------------------------------------------------------------------


@dataclass
class _Header:
    caption: str | None = None
    headings: list[str] = field(default_factory=list)
    byline: str | None = None
    ednotes: list[str] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)
    label: str | None = None  # an urgency label printed over the story
    published_at: datetime | None = None
    updated_at: datetime | None = None

    def take(self, times: TimeLine) -> None:
        """The first time line giving a value wins (the header's, before one repeated further down)."""
        self.published_at = self.published_at or times.published
        self.updated_at = self.updated_at or times.updated


def _time_line(text: str, layout: TextDumpLayout) -> TimeLine | None:
    """The line as a time line (values may be ``None`` when it gives no usable instant), else ``None``."""
    zone = zone_named(layout.local_timezone) if layout.local_timezone else None
    times = parse_time_line(text, zone)
    if times is None and looks_like_time_line(text):
        return TimeLine()
    return times


_MAX_DIGITLESS_TIME_LINE = 40
# Time lines that end in a full stop: ``10:02 p.m.``, ``14:05 h.`` (Spanish), ``Uhr.``
_TIME_LINE_ENDS = ("m.", " h.", "Uhr.")


def _meta_line(
    text: str, layout: TextDumpLayout, *, digitless: bool = True
) -> tuple[TimeLine, str | None] | None:
    """A time line, or time lines and a byline on one line (``By JANE ROE | Updated 10:02 PM EST, ...``,
    ``Von Anna Muster · 24.01.2023, 22:02 Uhr``): (times, byline). ``None`` when it is neither. Such
    lines are short and do not end a sentence (``p.m.`` aside), so prose is turned away cheaply.
    ``digitless``: also a relative time line without a number (``Updated an hour ago``), which the header
    and teaser cards show; below the dateline the story's own lines are not asked."""
    if len(text) > MAX_LINE_CHARS or (text[-1] in ".!?…" and not text.endswith(_TIME_LINE_ENDS)):
        return None
    if not _HAS_DIGIT.search(text):
        # ``Updated an hour ago``, ``Aktualisiert gestern``: chrome without a number (and short)
        if not digitless or len(text) > _MAX_DIGITLESS_TIME_LINE or not looks_like_time_line(text):
            return None
        return TimeLine(), None
    if (times := _time_line(text, layout)) is not None:
        return times, None
    place, comma, rest = text.partition(", ")
    if comma and _is_place_label(place) and (times := _time_line(rest, layout)) is not None:
        return times, None  # ``Madrid, 30 nov 2026 - 14:05 h``: where the page files the story from
    pieces = _META_SPLIT.split(text)
    if len(pieces) < 2:
        return None
    found: list[TimeLine] = []
    byline = None
    for index, piece in enumerate(pieces):
        if (times := _time_line(piece, layout)) is not None:
            found.append(times)
        elif byline is None and _is_byline(piece, layout):
            byline = _byline_text(piece)
        elif index == 0 and _is_place_label(piece):
            continue  # ``Roma, Italia — Aggiornato il ...``: where the page files the story from
        elif not _is_noise(piece, _key(piece), layout):
            return None
    if not found:
        return None
    published = next((t.published for t in found if t.published), None)
    updated = next((t.updated for t in found if t.updated), None)
    return TimeLine(published, updated), byline


def _is_place_label(text: str) -> bool:
    """A short run of capitalised words and commas without digits (``Roma, Italia``, ``NEW YORK``,
    ``Washington, D.C.``): the location some pages print before their time line."""
    words = text.replace(",", " ").split()
    return (
        0 < len(words) <= _MAX_PLACE_WORDS
        and len(text) <= _MAX_PLACE_CHARS
        and all(word[0].isupper() for word in words)
        and not _HAS_DIGIT.search(text)
    )


def _is_furniture(unit: str, layout: TextDumpLayout) -> bool:
    key = _key(unit)
    return key in layout.related_headings or key in layout.terminal_headings


def _read_caption(units: list[str], layout: TextDumpLayout) -> tuple[str | None, int]:
    """Photo marker, then the caption (same block or the next), then any photo credit lines."""
    if not units or units[0] not in layout.photo_markers:
        return None, 0
    index = 1
    caption = None
    if (
        index < len(units)
        and not is_photo_credit(units[index], layout)
        and not _is_furniture(units[index], layout)
    ):
        caption = units[index]
        index += 1
    while index < len(units) and is_photo_credit(units[index], layout):
        index += 1
    return caption, index


def _read_header(units: list[str], layout: TextDumpLayout) -> tuple[_Header, int]:
    """Caption, kicker, headline, byline and time lines; returns where the body starts (at the latest at
    a unit opening with a dateline)."""
    header = _Header()
    header.caption, index = _read_caption(units, layout)
    while index < len(units):
        text = units[index]
        key = _key(text)
        if key in layout.share_bars:
            index += 1  # sharing buttons above the story
            continue
        if key in layout.related_headings or key in layout.terminal_headings:
            break
        if is_dateline_lead(text):
            break
        meta = _meta_line(text, layout)
        byline = _is_byline(text, layout)
        if ADVISORY.match(text):
            header.ednotes.append(
                text
            )  # ``(Adds analyst comment, updates prices)``: never a heading
        elif key in _URGENCY_LABELS and header.label is None:
            # ``EILMELDUNG``, ``FLASH`` over a flash: its urgency, shown as a kicker, never its headline
            header.signals.append("urgent")
            header.label = text
        elif meta:
            times, meta_byline = meta
            header.take(times)
            header.byline = header.byline or meta_byline
        elif byline and header.headings and header.byline is None:
            header.byline = _byline_text(text)
        elif _is_noise(text, key, layout) or is_menu_row(text):
            pass
        elif _is_heading_like(text, layout) and not byline:
            header.headings.append(text)
        elif (
            not header.headings and header.caption is None and _caption_before(units, index, layout)
        ):
            header.caption = text
        else:
            break
        index += 1
    return header, index


# Labels a page or wire prints over an urgent story (the story's urgency, not its headline), as line keys.
_URGENCY_LABELS = frozenset(
    {
        "eilmeldung", "eil", "blitz", "flash", "urgent", "urgente", "breaking", "breaking news",
        "última hora", "ultima hora", "ultim'ora", "ultimora", "pilne", "acil", "aci\u0307l", "son dakika", "spoed",
        "brådskande", "haster", "kiireellinen", "naléhavé", "sürgős", "επείγον", "срочно", "терміново",
    }
)  # fmt: skip
_LEAD_CREDIT = re.compile(r"\(([^()\n]{1,30})\)|/([^/\s][^/\n]{0,20})/")
_CREDIT_WORD = re.compile(r"[^\W\d_]+")
# Words a credit line adds to the agency's name: ``Agencia EFE``, ``Agence France-Presse``, ``Von dpa``.
_CREDIT_FILLER = frozenset(
    [
        "agencia", "agence", "agenzia", "agentur", "agency", "agencja", "agentura", "ajansı", "ajansi",
        "nachrichtenagentur", "news", "press", "presse", "prensa", "stampa", "prasowa", "tiskova",
        "tlačová", "hírügynökség", "von", "by", "por", "par", "di", "da", "de", "van", "door", "via",
        "quelle", "source", "fuente", "fonte", "źródło", "zdroj", "the", "agentúra", "tisková",
        "persbureau", "nyhetsbyrå", "nyhetsbyrån", "telegrambyrå", "iroda", "kancelář", "associated",
    ]
)  # fmt: skip
# Words that make a name an agency's (``Associated Press``, ``Agence France-Presse``, ``Polska Agencja
# Prasowa``): a heading with one of them whose initials are the lead's credit (AP, AFP, PAP) is the credit.
_AGENCY_WORDS = _CREDIT_FILLER - {
    "von",
    "by",
    "por",
    "par",
    "di",
    "da",
    "de",
    "van",
    "door",
    "via",
    "the",
}
# ``(ANSA) - ROMA, 30 NOV -``: the credit before the place.
_CREDIT_FIRST = re.compile(r"^\([^()\n]{1,30}\)\s*[-–—]")
_LEAD_SCAN = 110
_MAX_CREDIT_LINE_CHARS = 40  # Tlačová agentúra Slovenskej republiky
_MAX_CREDIT_LINE_WORDS = 6


def _without_credit_lines(headings: list[str], lead: str) -> list[str]:
    """The header's headings less the page's credit lines (``Agencia EFE``, ``dpa``, ``Reuters``) printed
    above or below the headline: a heading of agency words only, one of them the credit of the story's
    dateline (``LA PAZ, 30 nov (EFE).-``, ``Berlin (dpa) -``), is the credit, never the kicker or headline.
    Only the lead's own credit counts, so no agency table is needed here (naming agencies is the
    normalizer's job)."""
    opening = lead[:_LEAD_SCAN]
    short = [h for h in headings if len(h) <= _MAX_CREDIT_LINE_CHARS]
    if not short or ("(" not in opening and "/" not in opening):
        return headings
    brackets = " ".join(" ".join(pair) for pair in _LEAD_CREDIT.findall(opening))
    credit = set(_CREDIT_WORD.findall(brackets.casefold()))
    credits = {h for h in short if credit and _names_the_credit(h, credit)}
    if not credits or not (_CREDIT_FIRST.match(lead) or is_dateline_lead(lead)):
        return headings
    return [heading for heading in headings if heading not in credits]


def _names_the_credit(heading: str, credit: set[str]) -> bool:
    """``Agencia EFE``, ``dpa`` (the credit's words and filler) or ``Associated Press``, ``Polska Agencja
    Prasowa`` (agency words whose initials are the credit) for the credit ``EFE``, ``dpa``, ``AP``, ``PAP``.
    A substring test and the initials of the blank-separated words turn other headings away first."""
    blanks = heading.count(" ")
    if blanks >= _MAX_CREDIT_LINE_WORDS:
        return False
    folded = heading.casefold()
    for token in credit:
        if token in folded:
            break
    else:
        if not blanks:
            return False
        initials = "".join(w[0] for w in folded.replace("-", " ").split() if w != "the")
        if initials not in credit:
            return False
    words = _CREDIT_WORD.findall(folded)
    found = set(words)
    if found & credit and found <= credit | _CREDIT_FILLER:
        return True
    named = [word for word in words if word != "the"]
    return (
        2 <= len(named) <= 5
        and bool(found & _AGENCY_WORDS)
        and "".join(word[0] for word in named) in credit
    )


def _caption_before(units: list[str], index: int, layout: TextDumpLayout) -> bool:
    """A short sentence right before a heading (photo credits between them skipped) that is itself followed
    by text is a photo caption."""
    nxt = index + 1
    while nxt < len(units) and is_photo_credit(units[nxt], layout):
        nxt += 1
    return (
        nxt + 1 < len(units)
        and _is_heading_like(units[nxt], layout)
        and len(units[index]) <= layout.max_caption_chars
    )


# --- body and related ----------------------------------------------------------------------------------


def _inline_related(unit: str, layout: TextDumpLayout) -> ParsedRelated | None:
    """``Lesen Sie auch: Titel`` inside the body: a link to another story, not a paragraph. (The colon
    stands within the first 45 characters; a substring test spares most paragraphs the regex.)"""
    if ":" not in unit[:_INLINE_HEAD_CHARS]:
        return None
    match = _INLINE_RELATED.match(unit)
    if match is None or _key(match.group("head")) not in layout.inline_related_prefixes:
        return None
    title = match.group("title").strip()
    return ParsedRelated(title=title) if _is_heading_like(title, layout) else None


def _teaser_follows(lines: list[str], index: int, title: str, layout: TextDumpLayout) -> bool:
    """The line at ``index`` is the teaser of ``title``: the title repeats after it, or it reads as prose."""
    if index >= len(lines) or lines[index] == title:
        return False
    repeated = index + 1 < len(lines) and lines[index + 1] == title
    return repeated or not _is_heading_like(lines[index], layout) or is_dateline_lead(lines[index])


def _teasers(lines: list[str], layout: TextDumpLayout) -> list[ParsedRelated]:
    """``title / teaser / title`` triples (the repeat is how rendered teaser cards read), pairs, or titles.

    A repeated title marks the line between as the teaser even when that line looks like a heading."""
    lines = [
        ln
        for ln in lines
        if not _is_noise(ln, _key(ln), layout)
        and not is_menu_row(ln)
        and not _meta_line(ln, layout)
    ]
    items: list[ParsedRelated] = []
    index = 0
    while index < len(lines):
        title = lines[index]
        index += 1
        if len(title) > layout.related_title_max_chars:
            continue
        teaser = None
        if _teaser_follows(lines, index, title, layout):
            teaser = lines[index]
            index += 1
        if index < len(lines) and lines[index] == title:
            index += 1
        items.append(ParsedRelated(title=title, teaser=teaser))
    return items


def _read_rest(
    units: list[str], layout: TextDumpLayout, header: _Header
) -> tuple[list[str], list[ParsedRelated]]:
    """Body paragraphs up to the first related heading, then the teaser sections, up to the end or the
    first terminal heading (comments, sharing, footer). Time lines below the story (``Stand: ...`` after
    the text) go to ``header``, never into the body."""
    body: list[str] = []
    related: list[ParsedRelated] = []
    section: list[str] | None = None
    for unit in units:
        key = _key(unit)
        if key in layout.share_bars and not body and section is None:
            continue  # sharing buttons above the story, not its end
        if key in layout.terminal_headings or key in layout.share_bars:
            break
        if key in layout.related_headings:
            if section:
                related.extend(_teasers(section, layout))
            section = []
        elif section is not None:
            section.append(unit)
        elif inline := _inline_related(unit, layout):
            related.append(inline)
        elif _is_noise(unit, key, layout):
            continue
        elif meta := _meta_line(unit, layout, digitless=not body):
            header.take(meta[0])
            header.byline = header.byline or meta[1]
        else:
            body.append(unit)
    if section:
        related.extend(_teasers(section, layout))
    return body, related


def parse_text(text: str, layout: TextDumpLayout = DEFAULT_LAYOUT) -> ParsedItem:
    """Parse decoded dump text into one item; ``ParseError`` when no body text can be found."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = _CONTROL.sub("", text.replace("\u2029", "\n\n")).lstrip("\ufeff")
    units = _units(_blocks(text, layout), layout)
    if not units:
        raise ParseError("text document is empty (no visible characters)")
    header, index = _read_header(units, layout)
    if index < len(units):
        header.headings = _without_credit_lines(header.headings, units[index])
    body, related = _read_rest(units[index:], layout, header)
    if (
        not header.headings
        and len(body) > 1
        and len(body[0]) <= layout.max_heading_chars
        and not is_dateline_lead(body[0])
    ):
        # No heading line at all: a short first paragraph is the headline of a bare text story.
        header.headings.append(body.pop(0))
    if not body:
        raise ParseError(
            f"no body text found: {len(units)} line(s), none of them a paragraph after the headline "
            "and before the page furniture"
        )
    return ParsedItem(
        source_format=FORMAT,
        kicker=header.headings[-2] if len(header.headings) >= 2 else header.label,
        headline=header.headings[-1] if header.headings else None,
        caption=header.caption,
        byline=header.byline,
        body=body,
        related=related,
        published_at=header.published_at,
        updated_at=header.updated_at,
        ednotes=header.ednotes,
        signals=header.signals,
    )


def parse(raw: bytes) -> list[ParsedItem]:
    """One item per text document."""
    if b"\x00" in raw[:4096]:
        raise ParseError("binary data, not text (NUL bytes in the first 4 KB)")
    text, _encoding = decode_bytes(raw)
    return [parse_text(text)]
