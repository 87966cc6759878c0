"""The agency table and credit-line recognition.

The table is data: a new agency, or a new spelling of one, is a new row or alias, never a new code path.
Aliases match case-insensitively as whole words; the canonical name is what records carry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True, slots=True)
class Agency:
    canonical: str
    aliases: tuple[str, ...] = ()


AGENCIES: tuple[Agency, ...] = (
    Agency("dpa", ("dpa", "Deutsche Presse-Agentur", "dpa-infocom", "dpa international")),
    Agency("dpa-AFX", ("dpa-AFX", "dpa AFX", "AFX")),
    Agency("AFP", ("AFP", "Agence France-Presse", "Agence France Presse", "أ ف ب", "ا ف ب")),
    Agency("Reuters", ("Reuters", "Thomson Reuters")),
    Agency("AP", ("AP", "Associated Press", "The Associated Press")),
    Agency("KNA", ("KNA", "Katholische Nachrichten-Agentur")),
    Agency("epd", ("epd", "Evangelischer Pressedienst")),
    Agency("sid", ("sid", "Sport-Informations-Dienst")),
    Agency("Kathpress", ("Kathpress", "KAP")),
    Agency("APA", ("APA", "Austria Presse Agentur")),
    Agency("ATS", ("ATS", "SDA-ATS", "SDA", "Keystone-ATS", "Keystone-SDA")),
    Agency("ANSA", ("ANSA",)),
    Agency("EFE", ("EFE", "Agencia EFE")),
    Agency("Europa Press", ("Europa Press",)),
    Agency("TASS", ("TASS", "ITAR-TASS")),
    Agency("Kyodo", ("Kyodo", "Kyodo News")),
    Agency("Belga", ("Belga",)),
    Agency("ANP", ("ANP",)),
    Agency("ANA-MPA", ("ANA-MPA", "ANA", "AMNA", "ΑΠΕ-ΜΠΕ", "ΑΠΕ")),
    Agency("STT", ("STT", "STT-FNB")),
    Agency("TT", ("TT", "TT Nyhetsbyrån")),
    Agency("NTB", ("NTB", "Norsk Telegrambyrå")),
    Agency("NTB info", ("NTB info", "NTB Kommunikasjon")),
    Agency("Ritzau", ("Ritzau", "Ritzaus Bureau")),
    Agency("PA", ("PA", "PA Media", "Press Association", "PA Sport")),
    Agency("AAP", ("AAP", "Australian Associated Press")),
    Agency("CP", ("CP", "Canadian Press", "The Canadian Press")),
    Agency("TCA", ("TCA", "Tribune Content Agency", "Tribune News Service")),
    Agency("Xinhua", ("Xinhua",)),
    Agency("Yonhap", ("Yonhap",)),
    Agency("Anadolu", ("Anadolu", "Anadolu Agency", "AA")),
    Agency("UPI", ("UPI", "United Press International")),
    Agency("Bloomberg", ("Bloomberg",)),
    Agency("dts", ("dts", "dts Nachrichtenagentur")),
    Agency("Lusa", ("Lusa",)),
    Agency("PAP", ("PAP",)),
    Agency("CTK", ("CTK", "ČTK")),
    Agency("MTI", ("MTI",)),
    Agency("BTA", ("BTA",)),
    Agency("Notimex", ("Notimex",)),
    Agency("BusinessDesk", ("BusinessDesk",)),
    Agency("GlobeNewswire", ("GlobeNewswire", "Globe Newswire")),
    Agency("Opta", ("Opta", "Opta Sports", "Opta Sports Data")),
    Agency("Sports Network", ("Sports Network", "The Sports Network")),
    Agency("360info", ("360info",)),
    Agency("News Bites", ("News Bites",)),
)

# Words that surround agency names in credit lines without being content.
_CREDIT_FILLER = frozenset(
    ["mit", "material", "von", "der", "den", "des", "nachrichtenagentur", "nachrichtenagenturen", "agentur", "agenturen", "quelle", "quellen", "und", "sowie", "source", "sources", "with", "from", "and", "reporting", "by", "agency", "agencies", "news", "wire", "service", "copyright", "c", "text", "avec", "et", "de", "la", "des", "sources", "agence", "agences", "fuente", "con", "y", "all", "rights", "reserved", "alle", "rechte", "vorbehalten", "tous", "droits", "réservés", "contributed", "to", "this", "report", "additional", "was", "used"]
)  # fmt: skip
_DPA_CODE = re.compile(r"\bdpa:\s*[\d-]+(?:/\d+)?", re.IGNORECASE)
# Regional services and editors' initials after a credit: ``dpa/lnw``, ``AFP/jm``, ``dpa-AFX/ab/he``.
_INITIALS = re.compile(r"/[a-z]{1,4}\b")
_PUNCT = re.compile(r"[©()\[\]/,;:.|=+*&'\"«»„“”‚‘’–—_-]")


@cache
def _alias_index() -> dict[str, str]:
    return {
        alias.casefold(): row.canonical
        for row in AGENCIES
        for alias in (row.canonical, *row.aliases)
    }


@cache
def _alias_pattern() -> re.Pattern[str]:
    """Aliases longest first; two-letter ones (``AP``, ``PA``, ``TT``) only in their own case, since
    ``ap``/``pa``/``tt`` are ordinary letters in running text."""
    names = sorted(
        {alias for row in AGENCIES for alias in (row.canonical, *row.aliases)},
        key=len,
        reverse=True,
    )
    parts = [re.escape(n) if len(n) <= 2 else f"(?i:{re.escape(n)})" for n in names]
    return re.compile(rf"(?<![\w-])(?:{'|'.join(parts)})(?![\w-])")


def canonical_agency(name: str) -> str | None:
    """The table's canonical name for ``name`` (any alias, any case), else ``None``."""
    return _alias_index().get(" ".join(name.split()).casefold())


def find_agencies(text: str) -> list[str]:
    """Every known agency named in ``text``, canonical, in order of appearance, without repeats."""
    found: dict[str, None] = {}
    for match in _alias_pattern().finditer(text):
        found.setdefault(_alias_index()[match.group().casefold()], None)
    return list(found)


def parse_credit_line(line: str) -> list[str] | None:
    """Agencies of a line that is *only* a credit (``AFP``, ``dpa/AFP``, ``(dpa)``, ``mit Material von dpa``,
    ``© dpa-infocom, dpa:160928-99-...``, ``Quelle: sid/dpa``); ``None`` for a line that says more."""
    text = line.strip()
    if not text or len(text) > 160:
        return None
    agencies = find_agencies(text)
    if not agencies:
        return None
    residue = _DPA_CODE.sub(" ", text)
    residue = _INITIALS.sub(" ", residue)
    residue = _alias_pattern().sub(" ", residue)
    residue = _PUNCT.sub(" ", residue)
    for word in residue.split():
        lowered = word.casefold()
        if lowered in _CREDIT_FILLER or lowered.isdigit():
            continue
        return None
    return agencies


_COMPANY = re.compile(
    r"\b(?:Inc|Ltd|LLC|GmbH|Corp|Corporation|Solutions|Limited|S\.A|B\.V|Pty|PLC)\b\.?",
    re.IGNORECASE,
)


def canonical_list(names: list[str]) -> list[str]:
    """Canonicalise metadata credits (``"dpa/AFP"`` -> ``["dpa", "AFP"]``). Unknown names are kept as given,
    except company names (``XML Team Solutions, Inc.``): a distributor or rights holder is not a credit."""
    result: dict[str, None] = {}
    for name in names:
        if not name or not name.strip():
            continue
        known = find_agencies(name)
        if known:
            for agency in known:
                result.setdefault(agency, None)
        elif not _COMPANY.search(name):
            result.setdefault(" ".join(name.split()), None)
    return list(result)
