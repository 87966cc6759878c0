"""Page furniture as data: lines a news site prints around and inside an article that are never its text.

Rendered pages (HTML, text dumps of rendered pages) carry cross-links ("À lire aussi ..."), advertising
labels, newsletter and reading-time boxes, share and feedback prompts. They are the same few phrases on
every site of a language, so they are kept here as data, per language, and matched as whole lines (a
``LINES`` phrase), as the start of a short line (a ``LEAD_INS`` phrase followed by a linked title, a
``WALLS`` phrase opening a subscription/registration pitch) or anywhere in a short line (``RIGHTS``
notices, ``NOTICES``: a sign-up box's fine print, an affiliate disclosure).
Phrases are general to the language (as a reader sees them on many sites), never copied from one page.

A ``LEAD_INS`` phrase may be followed by any text (it never starts a sentence of an article); a
``LINES`` phrase only by a separator, since words like "Related" or "Anzeige" can start real text.
Matching is case-insensitive, ignores whitespace differences (``Fehler gefunden?Jetzt melden.`` as
rendered without a space) and trailing punctuation. ``#`` in a phrase stands for a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

# A phrase that starts a short line and announces a link to another story or a box.
LEAD_INS: dict[str, tuple[str, ...]] = {
    "de": (
        "Lesen Sie auch", "Lesen Sie mehr", "Lesen Sie hier", "Lies auch", "Auch interessant",
        "Mehr zum Thema", "Das könnte Sie auch interessieren", "Weitere Artikel zum Thema",
        "Siehe auch", "Passend zum Thema", "Empfohlener Artikel", "Hören Sie auch", "Lesetipp",
    ),
    "en": (
        "Read more", "Read also", "Also read", "Read next", "See also", "Related stories",
        "Related articles", "Related coverage", "More on this story", "You may also like",
        "You might also like", "Recommended reading", "Continue reading",
    ),
    "fr": (
        "À lire aussi", "A lire aussi", "Lire aussi", "À lire également", "Lire également",
        "À voir aussi", "Voir aussi", "Sur le même sujet", "Lire la suite", "À découvrir aussi",
    ),
    "es": (
        "Lea también", "Lee también", "Leer también", "Ver también", "Te puede interesar",
        "Le puede interesar", "También te puede interesar", "Noticias relacionadas",
        "Sigue leyendo", "Puede interesarte",
    ),
    "it": (
        "Leggi anche", "Leggi pure", "Potrebbe interessarti", "Ti potrebbe interessare",
        "Vedi anche", "Articoli correlati", "Continua a leggere",
    ),
    "nl": ("Lees ook", "Lees meer", "Lees verder", "Bekijk ook", "Meer over dit onderwerp"),
    "pt": ("Leia também", "Leia mais", "Veja também", "Leia ainda", "Saiba mais"),
    "pl": (
        "Czytaj więcej", "Czytaj też", "Czytaj także", "Przeczytaj też", "Przeczytaj także",
        "Zobacz też", "Zobacz także",
    ),
    "sv": ("Läs också", "Läs även", "Läs mer"),
    "no": ("Les også", "Les mer"),
    "da": ("Læs også", "Læs mere"),
    "cs": ("Čtěte také", "Čtěte též", "Přečtěte si také", "Přečtěte si též"),
    "sk": ("Prečítajte si aj", "Prečítajte si tiež", "Čítajte aj", "Čítajte tiež"),
    "fi": ("Lue myös", "Lue lisää"),
    "hr": ("Pročitajte i", "Pročitajte još"),
    "ro": ("Citește și", "Citeşte şi", "Citiți și"),
    "hu": ("Olvassa el ezt is", "Ezt is ajánljuk"),
    "tr": ("Bunu da okuyun",),  # no ı or İ: the pre-test folds by code point
}  # fmt: skip

# The start of a short line in a subscription, registration or donation box (a paywall's pitch, a
# sign-in prompt, an appeal for support): never how an article sentence begins.
WALLS: dict[str, tuple[str, ...]] = {
    "de": (
        "Jetzt abonnieren", "Abonnieren Sie", "Jetzt registrieren", "Jetzt anmelden",
        "Bereits Abonnent", "Schon Abonnent", "Sie sind bereits Abonnent", "Weiterlesen mit",
        "Jetzt weiterlesen", "Unterstützen Sie unabhängigen Journalismus", "Jetzt unterstützen",
        "Hat Ihnen dieser Artikel gefallen", "Unterstützen Sie uns",
    ),
    "en": (
        "Subscribe now", "Subscribe to continue", "Subscribe to read", "Subscribe today",
        "Already a subscriber", "Already have an account", "Create an account to",
        "Create an account or", "Create a free account", "Register for free", "Register now", "Sign in or create",
        "Sign in to continue", "Log in to continue", "Log in or create", "Continue reading with",
        "Support independent journalism", "Support local journalism", "Support our journalism",
        "You can save this article", "This article is for subscribers", "Unlock this article",
        "Did you enjoy this article", "Enjoyed this article", "If you value our journalism",
    ),
    "fr": (
        "Abonnez-vous", "Déjà abonné", "Je m'abonne", "Pour continuer à lire",
        "Cet article est réservé aux abonnés", "Créez un compte", "Connectez-vous pour",
        "Soutenez un journalisme", "Soutenez notre journalisme", "Vous avez aimé cet article",
    ),
    "es": (
        "Suscríbete", "Suscríbase", "Ya eres suscriptor", "¿Ya eres suscriptor", "Ya soy suscriptor",
        "Para seguir leyendo", "Contenido exclusivo para suscriptores", "Crea tu cuenta",
        "Regístrate gratis", "Apoya el periodismo", "¿Te ha gustado este artículo",
    ),
    "it": (
        "Abbonati ora", "Abbonati per", "Sei già abbonato", "Per continuare a leggere",
        "Contenuto riservato agli abbonati", "Registrati gratis", "Sostieni il giornalismo",
        "Ti è piaciuto questo articolo",
    ),
}  # fmt: skip

# A short line containing one of these is a box's fine print (newsletter sign-up consent, a form's
# captcha notice, an affiliate disclosure), not article text.
NOTICES: dict[str, tuple[str, ...]] = {
    "de": (
        "jederzeit wieder abmelden", "jederzeit abbestellen", "erhalten wir eine Provision",
        "um weiterzulesen",
    ),
    "en": (
        "unsubscribe at any time", "protected by reCAPTCHA", "may earn a commission",
        "may earn us a commission", "earn an affiliate commission",
        "create an account to continue",
    ),
    "fr": ("désabonner à tout moment", "désinscrire à tout moment", "percevoir une commission"),
    "es": ("darte de baja en cualquier momento", "darse de baja en cualquier momento"),
    "it": ("annullare l'iscrizione in qualsiasi momento", "disiscriverti in qualsiasi momento"),
}  # fmt: skip

# A whole line that is furniture (feedback prompts, share bars, newsletter and reading-time boxes,
# labels, titles of summary boxes); also a short line where such a label is followed by a separator
# (``Anzeige: ...``).
LINES: dict[str, tuple[str, ...]] = {
    "de": (
        "Fehler gefunden? Jetzt melden", "Fehler gefunden", "Jetzt teilen", "Teilen",
        "Artikel teilen", "Zur Startseite", "Link kopiert", "Link kopieren", "Kommentare",
        "Newsletter abonnieren", "Jetzt abonnieren", "Zum Newsletter", "Mehr anzeigen",
        "Lesezeit: # Minuten", "Lesezeit: # Min", "Lesezeit # Min", "# Min. Lesezeit",
        "# Minuten Lesezeit", "Artikel anhören", "Artikel merken", "Drucken", "Zurück nach oben",
        "Mehr lesen", "Hier klicken", "Bild vergrößern", "Anzeige", "Werbung", "Mehr dazu",
        "Zum Thema", "Weiterlesen", "Weitere Artikel", "Meistgelesen", "Meistgelesene Artikel",
        "Newsletter", "Schicken Sie uns Ihr Feedback", "Senden Sie uns Ihr Feedback",
        "Darum geht's", "Darum gehts", "Das Wichtigste in Kürze", "In Kürze", "Auf einen Blick",
    ),
    "en": (
        "Share", "Share this article", "Share this story", "Copy link", "Link copied", "Comments",
        "Print", "Back to top", "Sign up to our newsletter", "Sign up for our newsletter",
        "Subscribe to our newsletter", "# min read", "# minute read", "# minutes read",
        "Reading time: # minutes", "Reading time: # min", "Listen to this article",
        "Save article", "Show more", "Load more", "Found an error? Let us know",
        "Report an error", "Follow us", "Enlarge image", "Expand", "Close", "Advertisement",
        "Sponsored", "Related", "Recommended", "More from", "Watch", "Listen", "Read more",
        "Most read", "Most popular", "Most viewed", "Newsletter", "More about", "Trending",
        "Key points", "Key takeaways", "In brief", "At a glance",
    ),
    "fr": (
        "Partager", "Partager cet article", "Copier le lien", "Lien copié", "Commentaires",
        "Imprimer", "Inscrivez-vous à notre newsletter", "Abonnez-vous à notre newsletter",
        "Temps de lecture: # min", "Temps de lecture: # minutes", "Lecture: # min",
        "# min de lecture", "Écouter cet article", "Signaler une erreur", "Retour en haut",
        "Publicité", "En savoir plus", "Pour aller plus loin", "Notre article", "À découvrir",
        "Les plus lus", "Les plus lues", "Newsletter", "En bref", "L'essentiel", "Ce qu'il faut retenir",
    ),
    "es": (
        "Compartir", "Compartir este artículo", "Copiar enlace", "Enlace copiado", "Comentarios",
        "Imprimir", "Suscríbete a nuestro boletín", "Suscríbete a la newsletter",
        "Tiempo de lectura: # min", "Tiempo de lectura: # minutos", "Lectura: # min",
        "# min de lectura", "# minutos de lectura", "Escuchar este artículo", "Volver arriba",
        "Publicidad", "Más información", "Relacionado", "Lee más", "Leer más", "Lo más leído",
        "Más leídas", "Noticia relacionada", "Newsletter", "En resumen", "Claves",
    ),
    "it": (
        "Condividi", "Condividi questo articolo", "Copia link", "Link copiato", "Commenti",
        "Stampa", "Iscriviti alla newsletter", "Iscriviti alla nostra newsletter",
        "Tempo di lettura: # min", "Tempo di lettura: # minuti", "Lettura: # min",
        "# min di lettura", "# minuti di lettura", "Ascolta l'articolo", "Torna su",
        "Pubblicità", "Correlati", "Approfondisci", "Da non perdere", "Leggi di più",
        "I più letti", "Più letti", "Newsletter", "In breve", "In sintesi", "I punti chiave",
    ),
    "nl": ("Meest gelezen", "Advertentie", "Delen", "Deel dit artikel"),
    "pt": ("Mais lidas", "Mais lidos", "Publicidade", "Partilhar", "Compartilhar"),
    "pl": ("Najczęściej czytane", "Polecamy", "Reklama", "Udostępnij"),
    "sv": ("Mest lästa", "Annons", "Dela"),
    "no": ("Mest lest", "Annonse", "Del"),
    "da": ("Mest læste", "Annonce", "Del"),
    "ja": ("関連記事", "【関連記事】", "あわせて読みたい", "広告"),
}  # fmt: skip

# A short line containing one of these is a rights notice, not text.
RIGHTS: dict[str, tuple[str, ...]] = {
    "de": ("Alle Rechte vorbehalten",),
    "en": ("All rights reserved",),
    "fr": ("Tous droits réservés",),
    "es": ("Todos los derechos reservados",),
    "it": ("Tutti i diritti riservati",),
}

# A picture credit: one of these labels, a colon (or "by"), and a name or agency (``Photo: AFP``,
# ``Foto: dpa/Max Muster``, ``Crédit photo : AFP``). Never story text, and an agency in it credits the
# picture, not the story.
PHOTO_CREDITS: dict[str, tuple[str, ...]] = {
    "de": ("Foto", "Fotos", "Foto(s)", "Bild", "Bilder", "Bildquelle", "Fotograf"),
    "en": ("Photo", "Photos", "Photograph", "Image", "Images", "Picture", "Photo credit", "Image credit",
           "Credit", "Credits"),
    "fr": ("Photo", "Crédit photo", "Crédits photo", "Crédit image", "Crédit", "Crédits"),
    "es": ("Foto", "Fotografía", "Imagen", "Crédito de la foto", "Crédito", "Créditos"),
    "it": ("Foto", "Immagine", "Credito foto", "Crediti foto", "Crediti"),
    "pt": ("Foto", "Fotografia", "Imagem", "Créditos"),
    "nl": ("Foto", "Afbeelding", "Beeld"),
    "pl": ("Zdjęcie", "Zdjęcia", "Fotografia"),
    "cs": ("Foto", "Snímek", "Fotografie"),
    "hu": ("Fotó",),
    "tr": ("Fotoğraf", "Fotoğraflar"),
    "el": ("Φωτογραφία", "Φωτό"),
    "ru": ("Фото",),
    "fi": ("Kuva", "Kuvat"),
    "da": ("Foto", "Billede"),
    "sv": ("Foto", "Bild"),
}  # fmt: skip
MAX_PHOTO_CREDIT = 80


def photo_credit_labels() -> str:
    """The ``PHOTO_CREDITS`` labels as one regex alternation (whitespace flexible): the text dumps' photo
    credit test reads the same table as pages."""
    return _alternation(p for ps in PHOTO_CREDITS.values() for p in ps)


# Lead-in lines are short: the phrase plus one linked title.
LEAD_IN_MAX_CHARS = 200
_TRAILING = " \t.:!?…·|>»›→-–—"


def _pattern(phrase: str) -> str:
    """A phrase as a regex fragment: whitespace optional, ``#`` a number, apostrophes of either kind."""
    parts = []
    for char in phrase:
        if char.isspace():
            parts.append(r"\s*")
        elif char == "#":
            parts.append(r"\d+(?:[.,]\d+)?")
        elif char in "'’":
            parts.append("['’]")
        else:
            parts.append(re.escape(char))
    return "".join(parts).replace(r"\s*\s*", r"\s*")


def _alternation(phrases: Iterable[str]) -> str:
    unique = sorted(
        {p.strip(_TRAILING) for p in phrases if p.strip(_TRAILING)}, key=len, reverse=True
    )
    return "|".join(_pattern(p) for p in unique)


# Speed: ``is_furniture`` runs on every paragraph of every page and feed item, and an IGNORECASE alternation
# of a few hundred phrases is slow to try (at every position, for the unanchored RIGHTS search). Two exact
# pre-tests skip most of it, since letters inside a phrase's word are literal and ``\s*`` sits between words
# only: a phrase matched at the start of a line needs the line to start with the phrase's first word, and a
# RIGHTS/NOTICES phrase needs the line to hold its longest word. Both run on a lower-cased copy of the line,
# with the three characters that IGNORECASE matches to a Latin letter but ``str.lower`` does not map to it
# (dotless i, long s, the dot ``İ`` leaves) folded (tests/test_furniture.py checks every code point). The
# patterns are compiled on first use: that costs more than importing a parser, and most commands never
# read a page.


def _longest_word(phrase: str) -> str:
    return max(re.split(r"[\s'’#]+", phrase.strip(_TRAILING)), key=len).lower()


RIGHTS_WORDS = frozenset(
    _longest_word(p) for table in (RIGHTS, NOTICES) for ps in table.values() for p in ps
)
_ANCHORED_PHRASES = tuple(
    p.strip(_TRAILING)
    for table in (LINES, LEAD_INS, WALLS, PHOTO_CREDITS)
    for ps in table.values()
    for p in ps
    if p.strip(_TRAILING)
)
# The first word of every phrase matched at the start of a line, lower case; a phrase may also open with a
# number (``#``) or, in principle, an apostrophe (either kind matches): no word to test then.
OPENING_WORDS = frozenset(
    word for p in _ANCHORED_PHRASES if (word := re.split(r"[\s'’#]+", p)[0].lower())
)
_OPENS_WITH_NUMBER = any(p.startswith("#") for p in _ANCHORED_PHRASES)
_OPENS_WITH_APOSTROPHE = any(p.startswith(("'", "’")) for p in _ANCHORED_PHRASES)


def _by_first_character(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for word in sorted(words):
        table.setdefault(word[:1], []).append(word)
    return {first: tuple(found) for first, found in table.items()}


@dataclass(frozen=True, slots=True)
class Patterns:
    """The compiled phrase tables (``patterns()``)."""

    line: re.Pattern[str]
    lead_in: re.Pattern[str]
    wall: re.Pattern[str]
    photo_credit: re.Pattern[str]
    rights: re.Pattern[str]
    opening: dict[str, tuple[str, ...]]  # OPENING_WORDS by first character
    rights_hint: re.Pattern[str]  # the longest word of any RIGHTS/NOTICES phrase, lower case


@cache
def patterns() -> Patterns:
    """The phrase tables as regexes, compiled once per process on first use."""
    return Patterns(
        line=re.compile(
            rf"^(?:{_alternation(p for ps in LINES.values() for p in ps)})(?:$|\s*[:|>»›→])",
            re.IGNORECASE,
        ),
        lead_in=re.compile(
            rf"^(?:{_alternation(p for ps in LEAD_INS.values() for p in ps)})"
            r"(?=$|[\s:>»›→|\-–—.…(\[])",
            re.IGNORECASE,
        ),
        wall=re.compile(
            rf"^(?:{_alternation(p for ps in WALLS.values() for p in ps)})(?=$|\W)", re.IGNORECASE
        ),
        photo_credit=re.compile(
            rf"^(?:{_alternation(p for ps in PHOTO_CREDITS.values() for p in ps)})"
            r"\s*(?::|\bby\b|\bvon\b)\s*\S",
            re.IGNORECASE,
        ),
        rights=re.compile(
            _alternation(p for table in (RIGHTS, NOTICES) for ps in table.values() for p in ps),
            re.IGNORECASE,
        ),
        opening=_by_first_character(OPENING_WORDS),
        rights_hint=re.compile("|".join(re.escape(word) for word in sorted(RIGHTS_WORDS))),
    )


# Letters IGNORECASE matches to a letter of the tables that ``str.lower`` leaves apart: dotless i, long s,
# the combining dot ``İ`` lowers to, the Greek letter variants (final sigma, the symbol forms) and the old
# Cyrillic small letter forms.
_FOLDS = str.maketrans(
    {"ı": "i", "ſ": "s", "\u0307": None, "ς": "σ", "ϲ": "σ", "ϐ": "β", "ϑ": "θ", "ϕ": "φ", "ϖ": "π",
     "ϰ": "κ", "ϱ": "ρ", "ϵ": "ε", "ẞ": "ß", "K": "k", "Å": "å",
     # Cyrillic small letter variants (U+1C80-U+1C88)
     "ᲀ": "в", "ᲁ": "д", "ᲂ": "о", "ᲃ": "с", "ᲄ": "т", "ᲅ": "т", "ᲆ": "ъ", "ᲇ": "ѣ", "ᲈ": "ꙋ"}
)  # fmt: skip


def fold_case(text: str) -> str:
    """``text`` lower-cased so that every character IGNORECASE matches to a letter of the tables becomes
    that letter (dotless i, long s, Greek letter variants folded, the combining dot of ``İ`` dropped): a
    superset test's input."""
    lowered = text.lower()
    return lowered if lowered.isascii() else lowered.translate(_FOLDS)


def is_furniture(line: str) -> bool:
    """Whether one displayed line (a paragraph) is page furniture rather than article text.

    True for a line of at most ``LEAD_IN_MAX_CHARS`` characters that is a ``LINES`` phrase (alone or
    followed by ``:``/``|``/an arrow), starts with a ``LEAD_INS`` or ``WALLS`` phrase or contains a
    ``RIGHTS`` or ``NOTICES`` one, or a picture credit of at most ``MAX_PHOTO_CREDIT`` characters
    (a ``PHOTO_CREDITS`` label, then ``:`` or "by"). Case, whitespace and trailing punctuation do not
    matter.
    """
    text = " ".join(line.split()).strip(_TRAILING)
    if not text:
        return False
    if len(text) > LEAD_IN_MAX_CHARS:
        return False
    found = patterns()
    folded = fold_case(text)
    if _may_open_a_phrase(text, folded, found.opening) and (
        found.line.match(text) is not None
        or found.lead_in.match(text) is not None
        or found.wall.match(text) is not None
        or (len(text) <= MAX_PHOTO_CREDIT and found.photo_credit.match(text) is not None)
    ):
        return True
    return found.rights_hint.search(folded) is not None and found.rights.search(text) is not None


def _may_open_a_phrase(text: str, folded: str, opening: dict[str, tuple[str, ...]]) -> bool:
    """Whether ``text`` starts with the first word of some anchored phrase (``folded`` is ``fold_case``
    of it), or with a digit when a phrase opens with a number."""
    if _OPENS_WITH_APOSTROPHE or (_OPENS_WITH_NUMBER and text[0].isdecimal()):  # ``\d``: decimal
        return True
    candidates = opening.get(folded[:1])
    return candidates is not None and folded.startswith(candidates)
