"""The agency table and credit-line recognition.

The table is data: a new agency, or a new spelling of one, is a new row or alias, never a new code path.
Aliases match case-insensitively as whole words; the canonical name is what records carry.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Agency:
    """One row: the canonical name records carry, the other names and full names it is credited under,
    the IANA zone its local wire times are in (used only for times sent without an offset), and the web
    domains that are the agency's own (a page there is the agency's copy)."""

    canonical: str
    aliases: tuple[str, ...] = ()
    timezone: str | None = None
    domains: tuple[str, ...] = ()


AGENCIES: tuple[Agency, ...] = (
    Agency("dpa", ("dpa", "Deutsche Presse-Agentur", "Deutsche Presse Agentur", "dpa-infocom", "dpa international", "dpa-Nachrichtenagentur"), "Europe/Berlin", ("dpa.com", "dpa-international.com")),
    Agency("dpa-AFX", ("dpa-AFX", "dpa AFX", "AFX", "dpa-AFX Wirtschaftsnachrichten"), "Europe/Berlin", ("dpa-afx.de",)),
    Agency("AFP", ("AFP", "Agence France-Presse", "Agence France Presse", "AFP Factuel", "AFP Fact Check", "أ ف ب", "ا ف ب"), "Europe/Paris", ("afp.com",)),
    Agency("Reuters", ("Reuters", "Thomson Reuters", "Reuters News", "Reuters News Agency"), None, ("reuters.com",)),
    Agency("AP", ("AP", "Associated Press", "The Associated Press"), "America/New_York", ("apnews.com", "ap.org")),
    Agency("KNA", ("KNA", "Katholische Nachrichten-Agentur"), "Europe/Berlin", ("kna.de",)),
    Agency("epd", ("epd", "Evangelischer Pressedienst"), "Europe/Berlin", ("epd.de",)),
    Agency("sid", ("sid", "Sport-Informations-Dienst"), "Europe/Berlin", ("sid.de",)),
    Agency("Kathpress", ("Kathpress", "KAP"), "Europe/Vienna", ("kathpress.at",)),
    Agency("APA", ("APA", "Austria Presse Agentur", "Austria Presse-Agentur", "APA-Austria Presse Agentur"), "Europe/Vienna", ("apa.at",)),
    Agency("ATS", ("ATS", "SDA-ATS", "SDA", "Keystone-ATS", "Keystone-SDA", "Keystone-SDA-ATS", "Schweizerische Depeschenagentur", "Agence Télégraphique Suisse", "Agenzia Telegrafica Svizzera"), "Europe/Zurich", ("keystone-sda.ch",)),
    Agency("ANSA", ("ANSA", "Agenzia ANSA", "Agenzia Nazionale Stampa Associata"), "Europe/Rome", ("ansa.it",)),
    Agency("AGI", ("AGI", "Agenzia Giornalistica Italia", "Agenzia Italia"), "Europe/Rome", ("agi.it",)),
    Agency("Adnkronos", ("Adnkronos",), "Europe/Rome", ("adnkronos.com",)),
    Agency("EFE", ("EFE", "Agencia EFE", "EFE-EPA"), "Europe/Madrid", ("efe.com",)),
    Agency("Europa Press", ("Europa Press",), "Europe/Madrid", ("europapress.es",)),
    Agency("TASS", ("TASS", "ITAR-TASS", "Russian News Agency TASS", "ТАСС", "ИТАР-ТАСС"), "Europe/Moscow", ("tass.com", "tass.ru")),
    Agency("Interfax", ("Interfax", "Интерфакс", "Інтерфакс-Україна", "Interfax-Ukraine"), "Europe/Moscow", ("interfax.ru", "interfax.com")),
    Agency("RIA Novosti", ("RIA Novosti", "РИА Новости"), "Europe/Moscow", ("ria.ru",)),
    Agency("Ukrinform", ("Ukrinform", "Укрінформ", "Укринформ", "Ukrainian National News Agency"), "Europe/Kyiv", ("ukrinform.net", "ukrinform.ua")),
    Agency("Kyodo", ("Kyodo", "Kyodo News", "Kyodo News Agency", "共同通信", "共同通信社"), "Asia/Tokyo", ("kyodonews.net",)),
    Agency("Jiji", ("Jiji", "Jiji Press", "時事通信", "時事通信社"), "Asia/Tokyo", ("jiji.com",)),
    Agency("Belga", ("Belga", "Agence Belga", "Belga News Agency"), "Europe/Brussels", ("belga.be", "belganewsagency.eu")),
    Agency("ANP", ("ANP", "Algemeen Nederlands Persbureau"), "Europe/Amsterdam", ("anp.nl",)),
    Agency("ANA-MPA", ("ANA-MPA", "ANA", "AMNA", "Athens-Macedonian News Agency", "ΑΠΕ-ΜΠΕ", "ΑΠΕ"), "Europe/Athens", ("amna.gr",)),
    Agency("STT", ("STT", "STT-FNB", "Suomen Tietotoimisto"), "Europe/Helsinki", ("stt.fi",)),
    Agency("TT", ("TT", "TT Nyhetsbyrån", "Tidningarnas Telegrambyrå"), "Europe/Stockholm", ("tt.se",)),
    Agency("NTB", ("NTB", "Norsk Telegrambyrå"), "Europe/Oslo", ("ntb.no",)),
    Agency("NTB info", ("NTB info", "NTB Kommunikasjon"), "Europe/Oslo"),
    Agency("Ritzau", ("Ritzau", "Ritzaus Bureau"), "Europe/Copenhagen", ("ritzau.dk",)),
    Agency("PA", ("PA", "PA Media", "Press Association", "PA Sport", "PA Wire"), "Europe/London", ("pa.media",)),
    Agency("AAP", ("AAP", "Australian Associated Press"), "Australia/Sydney", ("aap.com.au",)),
    Agency("CP", ("CP", "Canadian Press", "The Canadian Press", "La Presse Canadienne"), "America/Toronto", ("thecanadianpress.com",)),
    Agency("TCA", ("TCA", "Tribune Content Agency", "Tribune News Service"), "America/Chicago"),
    Agency("Xinhua", ("Xinhua", "Xinhua News Agency", "新华社", "新華社"), "Asia/Shanghai", ("xinhuanet.com", "news.cn")),
    Agency("Yonhap", ("Yonhap", "Yonhap News Agency", "Yonhap News", "연합뉴스"), "Asia/Seoul", ("yna.co.kr",)),
    Agency("Anadolu", ("Anadolu", "Anadolu Agency", "Anadolu Ajansı", "Anadolu Ajansi", "AA"), "Europe/Istanbul", ("aa.com.tr",)),
    Agency("PTI", ("PTI", "Press Trust of India"), "Asia/Kolkata", ("ptinews.com",)),
    Agency("Bernama", ("Bernama",), "Asia/Kuala_Lumpur", ("bernama.com",)),
    Agency("Antara", ("Antara", "Antara News"), "Asia/Jakarta", ("antaranews.com",)),
    Agency("UPI", ("UPI", "United Press International"), "America/New_York", ("upi.com",)),
    Agency("Bloomberg", ("Bloomberg", "Bloomberg News"), None, ("bloomberg.com",)),
    Agency("dts", ("dts", "dts Nachrichtenagentur"), "Europe/Berlin"),
    Agency("Lusa", ("Lusa", "Agência Lusa", "Agencia Lusa", "Lusa Agência de Notícias", "Agência de Notícias de Portugal"), "Europe/Lisbon", ("lusa.pt",)),
    Agency("PAP", ("PAP", "Polska Agencja Prasowa"), "Europe/Warsaw", ("pap.pl",)),
    Agency("CTK", ("CTK", "ČTK", "Česká tisková kancelář", "Czech News Agency"), "Europe/Prague", ("ctk.cz",)),
    Agency("TASR", ("TASR", "Tlačová agentúra Slovenskej republiky", "Tlačová agentúra SR", "News Agency of the Slovak Republic"), "Europe/Bratislava", ("tasr.sk",)),
    Agency("MTI", ("MTI", "Magyar Távirati Iroda", "Hungarian News Agency"), "Europe/Budapest", ("mti.hu",)),
    Agency("BTA", ("BTA", "Bulgarian News Agency", "БТА", "Българска телеграфна агенция"), "Europe/Sofia", ("bta.bg",)),
    Agency("HINA", ("HINA", "Hina", "Hrvatska izvještajna novinska agencija", "Croatian News Agency"), "Europe/Zagreb", ("hina.hr",)),
    Agency("STA", ("STA", "Slovenska tiskovna agencija", "Slovenian Press Agency"), "Europe/Ljubljana", ("sta.si",)),
    Agency("Agerpres", ("Agerpres", "Agenția Națională de Presă", "Agentia Nationala de Presa", "Romanian National News Agency"), "Europe/Bucharest", ("agerpres.ro",)),
    Agency("LETA", ("LETA", "Latvijas Ziņu aģentūra"), "Europe/Riga", ("leta.lv",)),
    Agency("ELTA", ("ELTA", "Lietuvos telegramų agentūra"), "Europe/Vilnius", ("elta.lt",)),
    Agency("BNS", ("BNS", "Baltic News Service"), "Europe/Tallinn", ("bns.ee", "bns.lt", "bns.lv")),
    Agency("CNA Cyprus", ("Cyprus News Agency", "KYPE", "ΚΥΠΕ"), "Asia/Nicosia", ("cna.org.cy",)),
    Agency("Tanjug", ("Tanjug", "Танјуг", "Танюг"), "Europe/Belgrade", ("tanjug.rs",)),
    Agency("MINA", ("MINA", "MINA-business", "Mina News"), "Europe/Podgorica", ("mina.news",)),
    Agency("MIA Skopje", ("Media Information Agency", "Macedonian Information Agency", "Медиумска информативна агенција", "МИА"), "Europe/Skopje", ("mia.mk",)),
    Agency("Albanian Telegraphic Agency", ("ATA", "Agjencia Telegrafike Shqiptare"), "Europe/Tirane", ("ata.gov.al",)),
    Agency("FENA", ("FENA", "Fena", "Federalna novinska agencija"), "Europe/Sarajevo", ("fena.ba",)),
    Agency("UNIAN", ("UNIAN", "УНІАН"), "Europe/Kyiv", ("unian.net", "unian.ua")),
    Agency("BelTA", ("BelTA", "БелТА", "БЕЛТА", "Belarusian Telegraph Agency"), "Europe/Minsk", ("belta.by",)),
    Agency("Sputnik", ("Sputnik", "Sputnik News"), "Europe/Moscow", ("sputniknews.com",)),
    Agency("IANS", ("IANS", "Indo-Asian News Service"), "Asia/Kolkata", ("ianslive.in",)),
    Agency("DHA", ("DHA", "Demirören Haber Ajansı"), "Europe/Istanbul", ("dha.com.tr",)),
    Agency("IHA", ("İHA", "IHA", "İhlas Haber Ajansı"), "Europe/Istanbul", ("iha.com.tr",)),
    Agency("Télam", ("Télam", "Telam", "Agencia Télam"), "America/Argentina/Buenos_Aires", ("telam.com.ar",)),
    Agency("Andina", ("Andina", "Agencia Andina"), "America/Lima", ("andina.pe",)),
    Agency("Prensa Latina", ("Prensa Latina",), "America/Havana", ("prensa-latina.cu",)),
    Agency("Agência Brasil", ("Agência Brasil", "Agencia Brasil"), "America/Sao_Paulo", ("agenciabrasil.ebc.com.br",)),
    Agency("WAFA", ("WAFA", "Palestine News and Information Agency"), "Asia/Hebron", ("wafa.ps",)),
    Agency("KUNA", ("KUNA", "Kuwait News Agency"), "Asia/Kuwait", ("kuna.net.kw",)),
    Agency("Saudi Press Agency", ("SPA", "واس"), "Asia/Riyadh", ("spa.gov.sa",)),
    Agency("Middle East News Agency", (), "Africa/Cairo", ("mena.org.eg",)),
    Agency("QNA", ("QNA", "Qatar News Agency"), "Asia/Qatar", ("qna.org.qa",)),
    Agency("WAM", ("WAM", "Emirates News Agency"), "Asia/Dubai", ("wam.ae",)),
    Agency("SANA", ("SANA", "Syrian Arab News Agency"), "Asia/Damascus", ("sana.sy",)),
    Agency("IRNA", ("IRNA", "Islamic Republic News Agency"), "Asia/Tehran", ("irna.ir",)),
    Agency("Jordan News Agency", ("Petra News Agency",), "Asia/Amman", ("petra.gov.jo",)),
    Agency("Maghreb Arabe Presse", (), "Africa/Casablanca", ("mapexpress.ma",)),
    Agency("APS", ("Algérie Presse Service", "Algerie Presse Service"), "Africa/Algiers", ("aps.dz",)),
    Agency("Tunis Afrique Presse", (), "Africa/Tunis", ("tap.info.tn",)),
    Agency("News Agency of Nigeria", (), "Africa/Lagos", ("nannews.ng",)),
    Agency("CNA Taiwan", ("Central News Agency", "Focus Taiwan"), "Asia/Taipei", ("focustaiwan.tw", "cna.com.tw")),
    Agency("KCNA", ("KCNA", "Korean Central News Agency"), "Asia/Pyongyang", ("kcna.kp",)),
    Agency("VNA", ("VNA", "Vietnam News Agency", "TTXVN", "Thông tấn xã Việt Nam"), "Asia/Ho_Chi_Minh", ("vnanet.vn",)),
    Agency("Philippine News Agency", (), "Asia/Manila", ("pna.gov.ph",)),
    Agency("BSS", ("BSS", "Bangladesh Sangbad Sangstha"), "Asia/Dhaka", ("bssnews.net",)),
    Agency("Associated Press of Pakistan", (), "Asia/Karachi", ("app.com.pk",)),
    Agency("ANI", ("ANI", "Asian News International"), "Asia/Kolkata", ("aninews.in",)),
    Agency("UNI", ("UNI", "United News of India"), "Asia/Kolkata", ("uniindia.com",)),
    Agency("China News Service", ("China News Service", "中新社", "中国新闻社"), "Asia/Shanghai", ("chinanews.com.cn",)),
    Agency("Newsis", ("Newsis", "뉴시스"), "Asia/Seoul", ("newsis.com",)),
    Agency("Kazinform", ("Kazinform", "Казинформ"), "Asia/Almaty", ("inform.kz",)),
    Agency("AZERTAC", ("AZERTAC", "Azertag", "Azerbaijan State News Agency"), "Asia/Baku", ("azertag.az",)),
    Agency("Armenpress", ("Armenpress", "Арменпресс"), "Asia/Yerevan", ("armenpress.am",)),
    Agency("Interpressnews", ("Interpressnews",), "Asia/Tbilisi", ("interpressnews.ge",)),
    Agency("Kabar", ("Kabar", "Kabar News Agency"), "Asia/Bishkek", ("kabar.kg",)),
    Agency("Montsame", ("Montsame", "Montsame News Agency"), "Asia/Ulaanbaatar", ("montsame.mn",)),
    Agency("Moldpres", ("Moldpres", "Moldpres News Agency"), "Europe/Chisinau", ("moldpres.md",)),
    Agency("Mediafax", ("Mediafax",), "Europe/Bucharest", ("mediafax.ro",)),
    Agency("SITA", ("SITA", "Slovenská tlačová agentúra"), "Europe/Bratislava", ("sita.sk",)),
    Agency("SRNA", ("SRNA", "Novinska agencija Republike Srpske"), "Europe/Sarajevo", ("srna.rs",)),
    Agency("LaPresse", ("LaPresse",), "Europe/Rome", ("lapresse.it",)),
    Agency("Askanews", ("Askanews",), "Europe/Rome", ("askanews.it",)),
    Agency("Agenzia Nova", ("Agenzia Nova",), "Europe/Rome", ("agenzianova.com",)),
    Agency("Agenzia Dire", ("Agenzia Dire", "Agenzia DIRE"), "Europe/Rome", ("dire.it",)),
    Agency("Servimedia", ("Servimedia",), "Europe/Madrid", ("servimedia.es",)),
    Agency("Agência Estado", ("Agência Estado", "Agencia Estado", "Estadão Conteúdo"), "America/Sao_Paulo", ("estadao.com.br",)),
    Agency("Dow Jones Newswires", ("Dow Jones Newswires", "Dow Jones", "DJ Newswires"), "America/New_York", ("dowjones.com",)),
    Agency("National News Agency", ("NNA", "National News Agency Lebanon"), "Asia/Beirut", ("nna-leb.gov.lb",)),
    Agency("Iraqi News Agency", (), "Asia/Baghdad", ("ina.iq",)),
    Agency("Oman News Agency", (), "Asia/Muscat", ("omannews.gov.om",)),
    Agency("Bahrain News Agency", (), "Asia/Bahrain", ("bna.bh",)),
    Agency("SABA", ("SABA", "Saba News Agency"), "Asia/Aden", ("saba.ye",)),
    Agency("SUNA", ("SUNA", "Sudan News Agency"), "Africa/Khartoum", ("suna-sd.net",)),
    Agency("Kenya News Agency", (), "Africa/Nairobi", ("kenyanews.go.ke",)),
    Agency("Ghana News Agency", (), "Africa/Accra", ("gna.org.gh",)),
    Agency("Ethiopian News Agency", (), "Africa/Addis_Ababa", ("ena.et",)),
    Agency("African News Agency", (), "Africa/Johannesburg", ("africannewsagency.com",)),
    Agency("Agência de Informação de Moçambique", ("Agencia de Informacao de Mocambique",), "Africa/Maputo", ("aim.org.mz",)),
    Agency("EPA", ("EPA", "European Pressphoto Agency"), "Europe/Berlin", ("epa.eu",)),
    Agency("Notimex", ("Notimex",), "America/Mexico_City", ("notimex.gob.mx",)),
    Agency("BusinessDesk", ("BusinessDesk",), "Pacific/Auckland", ("businessdesk.co.nz",)),
    Agency("Business Wire", ("Business Wire", "BUSINESS WIRE"), "America/New_York", ("businesswire.com",)),
    Agency("PR Newswire", ("PR Newswire", "PRNewswire"), "America/New_York", ("prnewswire.com",)),
    Agency("GlobeNewswire", ("GlobeNewswire", "Globe Newswire"), "America/New_York", ("globenewswire.com",)),
    Agency("Opta", ("Opta", "Opta Sports", "Opta Sports Data")),
    Agency("Sports Network", ("Sports Network", "The Sports Network")),
    Agency("360info", ("360info",), None, ("360info.org",)),
    Agency("News Bites", ("News Bites",), "Australia/Melbourne"),
)  # fmt: skip

# Words that surround agency names in credit lines without being content.
_CREDIT_FILLER = frozenset(
    ["mit", "material", "von", "der", "den", "des", "nachrichtenagentur", "nachrichtenagenturen", "agentur", "agenturen", "quelle", "quellen", "und", "sowie", "source", "sources", "with", "from", "and", "reporting", "by", "agency", "agencies", "news", "wire", "service", "copyright", "c", "text", "avec", "et", "de", "la", "des", "sources", "agence", "agences", "fuente", "con", "y", "all", "rights", "reserved", "alle", "rechte", "vorbehalten", "tous", "droits", "réservés", "contributed", "to", "this", "report", "additional", "was", "used", "fonte", "fonti", "bron", "kilde", "källa", "lähde", "agenzia", "agenzie", "agencia", "agencias", "agência", "e", "i", "og", "och", "en", "avec", "según", "secondo", "selon", "laut", "nach", "angaben", "informationen", "informations", "information",
     # "source" and "agency" in the languages of the table's agencies (Πηγή: ΑΠΕ-ΜΠΕ, Źródło: PAP, Джерело: Укрінформ)
     "πηγή", "πηγές", "źródło", "źródła", "sursa", "sursă", "surse", "zdroj", "zdroje", "forrás", "kaynak", "kaynaklar", "izvor", "izvori", "vir", "viri", "allikas", "avots", "šaltinis", "джерело", "джерела", "источник", "источники", "източник", "извор", "извори", "agencja", "agentura", "agentúra", "ügynökség", "ajansı", "agencija", "агенція", "агентство", "агенция", "агенција"]
)  # fmt: skip
_DPA_CODE = re.compile(r"\bdpa:\s*[\d-]+(?:/\d+)?", re.IGNORECASE)
# Regional services and editors' initials beside a credit: ``dpa/lnw``, ``AFP/jm``, ``dpa-AFX/ab/he``,
# ``ino/dpa``, ``SDA/sep``.
_INITIALS = re.compile(r"/(?:[a-z]{1,4}|[A-Z]{1,3})\b|(?<![\w/-])[a-z]{1,4}/")
# A web address named as the source (``Quelle: ntv.de, ino/dpa``).
_DOMAIN = re.compile(
    r"(?<![\w.-])(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}(?![\w.])", re.IGNORECASE
)
_PUNCT = re.compile(r"[©()\[\]/,;:.|=+*&'\"«»„“”‚‘’–—_<>-]")


@cache
def _alias_index() -> dict[str, str]:
    return {
        alias.casefold(): row.canonical
        for row in AGENCIES
        for alias in (row.canonical, *row.aliases)
    }


@cache
def _alias_pattern() -> re.Pattern[str]:
    """Aliases longest first. Two-letter ones (``AP``, ``PA``, ``TT``) match only in their own case, since
    ``ap``/``pa``/``tt`` are ordinary letters in running text; short acronyms (``ANA``, ``STA``, ``AFP``)
    in capitals or all lower case (``(ats afp)``), never capitalised like a word (``Ana``, ``Sta.``); the
    others in any case (``(?i:Associated Press)``).

    Written for speed, with the same matches: the alternatives are grouped under their first character
    (``A(?:ssociated Press|FP|P|...)``, a case-insensitive alias once under each character IGNORECASE
    matches to its first letter), in the same order within each group. The regex engine skips a group
    whose first character differs with one comparison, where it tried all three hundred alternatives,
    case-insensitive ones in full, at every word (most of a credit line's cost).
    tests/test_agencies_speed.py checks the first letters' case variants against every code point and the
    matches against the plain alternation."""
    names = sorted(
        {alias for row in AGENCIES for alias in (row.canonical, *row.aliases)},
        key=len,
        reverse=True,
    )
    groups: dict[str, list[str]] = {}
    for name in names:
        if len(name) <= 2:
            forms = [(name[0], re.escape(name[1:]))]
        elif len(name) <= 5 and name.isupper() and name.isalpha():
            lower = name.lower()
            forms = [(name[0], re.escape(name[1:])), (lower[0], re.escape(lower[1:]))]
        else:
            rest = f"(?i:{re.escape(name[1:])})"
            forms = [(first, rest) for first in sorted(ignorecase_variants(name[0]))]
        for first, rest in forms:
            groups.setdefault(first, []).append(rest)
    alternatives = "|".join(
        f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in groups.items()
    )
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


# Letters IGNORECASE matches beyond a letter's lower- and upper-case forms (``re``'s case equivalences: the
# dotted and dotless i, the Kelvin sign, the long s, Greek final sigma and symbol forms, micro and ohm,
# historic Cyrillic letter forms).
_IGNORECASE_GROUPS = (
    "Ii\u0130\u0131",
    "Kk\u212a",
    "Ss\u017f",
    "\u039a\u03ba\u03f0",
    "\u03a3\u03c2\u03c3",
    "\u0392\u03b2\u03d0",
    "\u0395\u03b5\u03f5",
    "\u0398\u03b8\u03d1\u03f4",
    "\u03a0\u03c0\u03d6",
    "\u03a1\u03c1\u03f1",
    "\u03a6\u03c6\u03d5",
    "\u00b5\u039c\u03bc",
    "\u03a9\u03c9\u2126",
    # Cyrillic: the historic letter forms of Cyrillic Extended-C (U+1C80-U+1C88)
    "\u0412\u0432\u1c80",
    "\u0414\u0434\u1c81",
    "\u041e\u043e\u1c82",
    "\u0421\u0441\u1c83",
    "\u0422\u0442\u1c84\u1c85",
    "\u042a\u044a\u1c86",
    "\u0462\u0463\u1c87",
    "\ua64a\ua64b\u1c88",
)
_IGNORECASE_EXTRAS = {char: group for group in _IGNORECASE_GROUPS for char in group}


def ignorecase_variants(char: str) -> frozenset[str]:
    """The characters ``re.IGNORECASE`` matches to ``char`` (``"K"`` -> K, k and the Kelvin sign), for the
    letters agency names start with (tests/test_agencies_speed.py checks each against every code point)."""
    if char in _IGNORECASE_EXTRAS:
        return frozenset(_IGNORECASE_EXTRAS[char])
    lower = char.lower()
    forms = {char, lower, lower.upper(), char.upper()}
    return frozenset(form for form in forms if len(form) == 1)


def canonical_agency(name: str) -> str | None:
    """The table's canonical name for ``name`` (any alias, any case), else ``None``."""
    return _alias_index().get(" ".join(name.split()).casefold())


def find_agencies(text: str) -> list[str]:
    """Every known agency named in ``text``, canonical, in order of appearance, without repeats."""
    found: dict[str, None] = {}
    for match in _alias_pattern().finditer(text):
        found.setdefault(_alias_index()[match.group().casefold()], None)
    return list(found)


def parse_credit_line(line: str, host: str | None = None) -> list[str] | None:
    """Agencies of a line that is *only* a credit (``AFP``, ``dpa/AFP``, ``(dpa)``, ``mit Material von dpa``,
    ``© dpa-infocom, dpa:160928-99-...``, ``Quelle: sid/dpa``, ``Quelle: ntv.de, ino/dpa``); ``None`` for a
    line that says more. ``host`` (the page's host name) lets the site name itself stand in the line
    (``Le Figaro avec AFP`` on lefigaro.fr)."""
    text = line.strip()
    if text.startswith(
        "-"
    ):  # ``--SPA``, ``- AFP``: a dash before the name, which aliases never start with
        text = text.lstrip("- ")
    if not text or len(text) > 160:
        return None
    agencies = find_agencies(text)
    if not agencies:
        return None
    residue = _DPA_CODE.sub(" ", text)
    residue = _DOMAIN.sub(" ", residue)
    residue = _alias_pattern().sub(" ", residue)
    residue = _INITIALS.sub(" ", residue)
    residue = _PUNCT.sub(" ", residue)
    words = residue.split()
    if (
        host
        and words
        and is_site_name(" ".join(w for w in words if w.casefold() not in _CREDIT_FILLER), host)
    ):
        return agencies
    if words and _opens_with_agency(text) and _all_initials(words):
        return agencies  # a sign-off: ``ansa ab cd``, ``efe mr/jl``, ``AFP/AB``
    term = plain = False
    for word in words:
        lowered = word.casefold()
        if lowered in _CREDIT_FILLER or lowered.isdigit():
            continue
        if lowered in _RIGHTS_TERMS:
            term = True
        elif lowered in _RIGHTS_WORDS:
            plain = True
        else:
            return None
    if plain and not term and not _COPYRIGHT.search(text):
        return None  # ``AFP may not be`` is prose, not a rights notice
    return agencies


# A rights reservation after the credit (``Copyright 2024 The Associated Press. All rights reserved. This
# material may not be published, broadcast, rewritten or redistributed.``, ``© ANP 2024. Alle rechten
# voorbehouden.``, EFE's ``Está expresamente prohibida la redistribución ...``, Yonhap's ``<저작권자(c)
# 연합뉴스, 무단 전재-재배포 금지>``): terms that only such notices use, in the table's languages, and the
# ordinary words around them, allowed only beside a term or a copyright mark.
_RIGHTS_TERMS = frozenset(
    ["derechos", "reservados", "reservado", "redistribución", "redifusión", "consentimiento", "prohibida",
     "diritti", "riservati", "riproduzione", "riservata", "direitos", "prawa", "zastrzeżone", "práva",
     "vyhrazena", "vyhradené", "jog", "fenntartva", "rechten", "voorbehouden", "rettigheter", "reservert",
     "rettigheder", "forbeholdes", "rättigheter", "förbehållna", "oikeudet", "pidätetään", "hakları",
     "saklıdır", "права", "защищены", "захищені", "drepturile", "rezervate", "prava", "pridržana",
     "zadržana", "pravice", "pridržane", "запазени", "δικαιώματα", "δικαιώματος", "διατηρούνται",
     "επιφύλαξη", "redistributed", "rewritten", "저작권자", "무단", "재배포", "금지", "전재", "版权所有",
     "著作権"]
)  # fmt: skip
_RIGHTS_WORDS = frozenset(
    ["may", "not", "be", "published", "broadcast", "or", "reproduced", "distributed", "todos", "los", "está",
     "expresamente", "la", "y", "de", "este", "contenido", "sin", "su", "previo", "expreso", "tutti", "i",
     "os", "wszelkie", "všechna", "všetky", "minden", "alle", "alla", "kaikki", "tüm", "все", "всі", "toate",
     "sva", "vse", "всички", "με", "παντός", "όλα", "τα", "ai", "학습", "및", "활용", "tous", "droits",
     "réservés"]
)  # fmt: skip
_COPYRIGHT = re.compile(r"©|\(c\)|copyright", re.IGNORECASE)


# Initials and desk codes: ``ab``, ``kre``, ``yysw``, ``a3``; AGI and Lusa write them capitalised
# (``(AGI)Ge1/Pgi``, ``Lusa/Fim``).
_SIGN_OFF_WORD = re.compile(r"^[a-zäöüåæøéèçñA-Z][a-zäöüåæøéèçñ0-9]{0,3}$")


_TITLE_SEPARATORS = (" | ", " – ", " — ", " - ")


def split_credit_suffix(title: str, host: str | None = None) -> tuple[str, list[str]]:
    """``"Sánchez anuncia un plan | Agencia EFE"`` -> (``"Sánchez anuncia un plan"``, ``["EFE"]``): a page
    title's site suffix when it is a credit (:func:`parse_credit_line`), else (``title``, ``[]``)."""
    for separator in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if found and head.strip():
            named = parse_credit_line(tail, host)
            if named:
                return head.strip(), named
    return title, []


def _opens_with_agency(text: str) -> bool:
    match = _alias_pattern().search(text)
    return match is not None and not text[: match.start()].strip(" ([©-")


# Short words of running text that initials never are (de, en, fr, es, it, nl, pt).
RUNNING_WORDS = _SHORT_WORDS = frozenset(
    ["ist", "sagt", "sagte", "hat", "war", "sind", "das", "der", "die", "und", "auch", "noch", "nur", "nun", "so", "da", "ja", "wie", "was", "wer", "the", "and", "or", "but", "for", "may", "can", "be", "we", "you", "is", "has", "said", "says", "are", "not", "to", "of", "in", "on", "at", "it", "he", "she", "est", "a", "dit", "ont", "sont", "et", "la", "le", "les", "de", "du", "il", "elle", "es", "ha", "dice", "dijo", "y", "el", "los", "las", "con", "e", "per", "che", "non", "al", "ein", "eine", "het", "en", "van", "zijn", "em", "os", "ao", "com"]
)  # fmt: skip


# What a sign-off may name besides initials: the media sent with the story (EFE ``EFE jrh/sbc (foto)(vídeo)``).
_SIGN_OFF_MEDIA = frozenset(
    {"foto", "fotos", "vídeo", "video", "vídeos", "videos", "audio", "áudio", "infografía", "infografia",
     "gráfico", "grafico", "photo", "photos", "fotó", "videó"}
)  # fmt: skip


def _all_initials(words: list[str]) -> bool:
    """Editors' initials and desk codes after the credit: at most six short lower-case tokens, none of
    them a word of running text (``AFP ist da`` is prose); media markers (``(foto)``) may follow."""
    codes = [word for word in words if word.casefold() not in _SIGN_OFF_MEDIA]
    return len(codes) <= 6 and all(
        _SIGN_OFF_WORD.match(word) and word.casefold() not in _SHORT_WORDS for word in codes
    )


_SQUASH = re.compile(r"[\W_]+")
_HOST_LABEL_SKIP = frozenset(
    {"www", "m", "amp", "mobile", "edition", "en", "de", "fr", "es", "it", "news"}
)


def _host_label(host: str) -> str:
    """The name part of a host: ``www.lefigaro.fr`` -> ``lefigaro``, ``n-tv.de`` -> ``ntv``."""
    labels = [label for label in host.casefold().split(".") if label]
    if len(labels) >= 3 and labels[-2] in {"co", "com", "org", "net", "gov", "ac"}:
        labels = labels[:-2]  # bbc.co.uk, abc.net.au
    elif len(labels) >= 2:
        labels = labels[:-1]
    named = [label for label in labels if label not in _HOST_LABEL_SKIP] or labels
    return _SQUASH.sub("", named[-1]) if named else ""


def _fold_accents(text: str) -> str:
    """``lanación`` -> ``lanacion``: host names are written without accents."""
    if text.isascii():  # NFKD leaves ASCII as it is, and ASCII has no combining marks
        return text
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


@lru_cache(maxsize=1024)
def _site_label(host: str) -> str:
    """``_host_label`` without accents, once per host (every item of a feed or site has the same)."""
    return _fold_accents(_host_label(host))


def is_site_name(name: str, host: str | None) -> bool:
    """Whether ``name`` is the page's own publisher as its host spells it (``Le Figaro`` on lefigaro.fr,
    ``n-tv NACHRICHTEN`` on n-tv.de, ``ZEIT ONLINE`` on zeit.de): the site's name, not a credit."""
    if not host:
        return False
    label = _site_label(host)
    squashed = _fold_accents(_SQUASH.sub("", name.casefold()))
    if len(label) < 3 or not squashed:
        return False
    return squashed.startswith(label) or (len(squashed) >= 3 and label.startswith(squashed))


@cache
def _domain_index() -> dict[str, str]:
    return {domain: row.canonical for row in AGENCIES for domain in row.domains}


@lru_cache(maxsize=4096)
def agency_for_host(host: str | None) -> str | None:
    """The agency whose own site ``host`` is (``apnews.com`` -> ``AP``, ``factuel.afp.com`` -> ``AFP``)."""
    if not host:
        return None
    labels = host.casefold().rstrip(".").split(".")
    index = _domain_index()
    for start in range(len(labels) - 1):
        found = index.get(".".join(labels[start:]))
        if found:
            return found
    return None


@cache
def agency_timezone(canonical: str) -> ZoneInfo | None:
    """The zone an agency's offset-less wire times are in (agency table), ``None`` when unknown."""
    for row in AGENCIES:
        if row.canonical == canonical and row.timezone:
            return ZoneInfo(row.timezone)
    return None


# Author labels that open a byline; the short lower-case ones (``di``, ``da``) only in lower case, since
# capitalised they start surnames (``Di Maria``, ``Da Silva``).
_AUTHOR_LABEL = re.compile(
    r"^(?:(?i:von|by|par|por|door|text|texte|testo|texto|autor(?:in)?|author|auteur|autore|reporting)"
    r"\s*:?|(?:di|da|de|af|av)|(?i:text|autor(?:in)?|author|auteur)\s*:)\s+"
)
_AUTHOR_SPLIT = re.compile(
    r"\s*(?:[,;|&+()]|\s/\s|/|\s(?:und|and|et|y|e|i|og|och|en|mit|with|avec|con|com)\s)\s*"
)
# Job titles and desk names are never a credit nor a person (stems, matched at the start of each part of a
# hyphenated or spaced word: ``Online-Redakteurin``, ``Senior Correspondent``, ``rédactrice en chef``).
_JOB_STEMS = (
    "redakt", "redaktion", "korrespondent", "reporter", "editor", "correspondent", "writer", "journalist",
    "rédact", "envoy", "corresponsal", "redactor", "redattor", "inviat", "giornalist", "periodist",
    "chefredakt", "volontär", "producer", "contributor", "columnist", "kolumnist", "staff", "ressort",
    "mitarbeiter", "autor", "author", "auteur", "newsroom", "desk", "team", "photograph", "fotograf",
    "moderator", "analyst", "leiter", "chef", "head", "senior", "freie", "freier", "stringer",
    "kommentator", "commentator", "chroniqueur", "éditorialiste", "editorialist", "bureau", "büro",
    # a desk or the agencies as a whole, not a person: Redazione ANSA, Redacción EFE, Redactie ANP
    "redazion", "redacc", "redact", "redaç", "rédaction", "redakcj", "toimitus", "newsdesk", "agencias",
    "agenturen", "agenzie", "agências", "agences",
)  # fmt: skip
_PERSON_PARTICLES = frozenset(
    {"von", "van", "der", "den", "de", "da", "di", "del", "della", "des", "du", "la", "le", "zu", "ter",
     "ten", "bin", "ibn", "al", "el", "y", "dos", "das", "do", "st."}
)  # fmt: skip


# RSS/Atom author forms: ``jane@example.com (Jane Doe)``, ``Jane Doe <jane@example.com>``, a bare address.
_EMAIL_NAME = re.compile(r"^\S+@\S+\s*\(([^()]+)\)$")
_NAME_EMAIL = re.compile(r"^([^<>]+?)\s*<[^<>@\s]+@[^<>\s]+>$")
_EMAIL = re.compile(r"\S+@\S+\.\w+")


_JOB_PIECES = re.compile(r"[\s-]+")


def without_addresses(value: str) -> str:
    """``value`` with its mail address forms reduced to the name (or removed), stripped of ``()<>``."""
    if "@" in value:  # speed: all three address forms need one (tests/test_agencies_speed.py)
        value = _EMAIL_NAME.sub(r"\1", value)
        value = _NAME_EMAIL.sub(r"\1", value)
        value = _EMAIL.sub(" ", value)
    return value.strip(" ()<>")


def _is_job_title(part: str) -> bool:
    pieces = [p for p in _JOB_PIECES.split(part.casefold()) if p]
    return any(piece.startswith(_JOB_STEMS) for piece in pieces)


def _is_person(part: str, *, alone: bool = False) -> bool:
    """Two to five name words, capitalised (particles like ``von``/``de`` aside), no digits, no address;
    one capitalised word only when it is the whole author string (a surname or pen name)."""
    if any(map(str.isdigit, part)) or "@" in part or "://" in part or _DOMAIN.fullmatch(part):
        return False
    words = part.split()
    if not (1 if alone else 2) <= len(words) <= 5:
        return False
    named = [w for w in words if w.casefold() not in _PERSON_PARTICLES]
    return bool(named) and all(w[0].isalpha() and not w[0].islower() for w in named)


_MAX_CREDIT_WORDS = (
    4  # "Australian Associated Press", "Agence France-Presse", "Deutsche Presse-Agentur"
)


def split_author(text: str, host: str | None = None) -> tuple[list[str], list[str]]:
    """Credits and persons of one author string: (agencies, persons).

    ``"Felix Schröder und Jörg Soldwisch, dpa"`` -> (["dpa"], ["Felix Schröder", "Jörg Soldwisch"]);
    ``"Associated Press"`` -> (["AP"], []); ``"Le Figaro et AFP"`` on lefigaro.fr -> (["AFP"], []);
    ``"Von Anna Beispiel, Online-Redakteurin"`` -> ([], ["Anna Beispiel"]). Agencies come only from the
    agency table; job titles, the site's own name (``host``), single words and anything with digits are
    neither credit nor person."""
    agencies, persons = _split_author(text, host)
    return list(agencies), list(persons)


@lru_cache(maxsize=4096)
def _split_author(text: str, host: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """:func:`split_author`, once per (author string, host): a feed credits the same few authors on every
    item, and the answer depends only on the (fixed) agency table."""
    value = _AUTHOR_LABEL.sub("", without_addresses(" ".join(text.split())), count=1).strip()
    if not value:
        return (), ()
    whole = parse_credit_line(value, host)
    if whole is not None:
        return tuple(whole), ()
    agencies: list[str] = []
    persons: list[str] = []
    parts = [p for p in (raw.strip(" .:-–—()") for raw in _AUTHOR_SPLIT.split(value)) if p]
    for part in parts:
        if not part:
            continue
        credit = parse_credit_line(part, host)
        if credit is not None:
            agencies.extend(a for a in credit if a not in agencies)
        elif _is_job_title(part):
            # ``Associated Press Writer``, ``AFP-Korrespondent``: the title names the employing agency.
            employer = find_agencies(part)
            agencies.extend(a for a in employer if a not in agencies)
        elif is_site_name(part, host):
            continue
        elif (bureau := _credit_and_bureau(part, host)) is not None:
            # ``EFE Madrid``, ``AFP Paris``: the agency and its bureau's city, no person
            agencies.extend(a for a in bureau if a not in agencies)
        elif (split := _trailing_credit(part, host)) is not None:
            # ``REBECCA BOONE Associated Press``: a person, then the agency, with no comma between.
            credit, person = split
            agencies.extend(a for a in credit if a not in agencies)
            if _is_person(person, alone=True) and person not in persons:
                persons.append(person)
        elif _is_person(part, alone=len(parts) == 1) and part not in persons:
            persons.append(part)
    return tuple(agencies), tuple(persons)


def _credit_and_bureau(part: str, host: str | None) -> list[str] | None:
    """The agencies of ``part`` when it is an agency's name followed by one capitalised word, its bureau's
    city (``EFE Madrid``, ``Europa Press Sevilla``); a person after an agency has two names or more."""
    words = part.split()
    if len(words) < 2 or not words[-1][:1].isupper() or not words[-1].isalpha():
        return None
    name = " ".join(words[:-1])
    # the name exactly as the agency writes it: ``Efe Yılmaz``, ``Ana Costa``, ``Pap Ndiaye`` are persons
    exact = _exact_names()
    return [exact[name]] if name in exact else None


@cache
def _exact_names() -> dict[str, str]:
    return {alias: row.canonical for row in AGENCIES for alias in (row.canonical, *row.aliases)}


def _trailing_credit(part: str, host: str | None) -> tuple[list[str], str] | None:
    """(agencies, rest) when ``part`` ends with an agency's name after at least two other words: a full
    name (``Associated Press``, ``Agencia EFE``) or an acronym as agencies write it (``AAP``, ``dpa``)."""
    words = part.split()
    for size in range(min(_MAX_CREDIT_WORDS, len(words) - 2), 0, -1):
        if size == 1 and words[-1].istitle():
            continue  # "Anna Maria Reuters" may be a surname; "Jane Smith AAP", "Max Muster dpa" not
        credit = parse_credit_line(" ".join(words[-size:]), host)
        if credit:
            return credit, " ".join(words[:-size])
    return None


_COMPANY = re.compile(
    r"\b(?:Inc|Ltd|LLC|GmbH|Corp|Corporation|Solutions|Limited|S\.A|B\.V|Pty|PLC)\b\.?",
    re.IGNORECASE,
)


_DOMAIN_NAME = re.compile(r"^(?:https?://)?(?:www\.)?([\w-]+(?:\.[\w-]+)+)/?$", re.IGNORECASE)


def _domain_agency(name: str) -> str | None:
    """The agency whose own domain ``name`` is (a provider named by its web domain or URL)."""
    found = _DOMAIN_NAME.match(name.strip())
    return agency_for_host(found.group(1)) if found else None


def canonical_list(names: list[str]) -> list[str]:
    """Canonicalise metadata credits (``"dpa/AFP"`` -> ``["dpa", "AFP"]``, a provider's own domain
    ``yna.co.kr`` -> ``["Yonhap"]``). Unknown names are kept as given,
    except company names (``XML Team Solutions, Inc.``): a distributor or rights holder is not a credit."""
    result: dict[str, None] = {}
    for name in names:
        if not name or not name.strip():
            continue
        if "." in name and (own := _domain_agency(name)) is not None:
            result.setdefault(
                own, None
            )  # ``yna.co.kr``, ``tt.se``, ``aa.com.tr`` as NewsML ProviderId
            continue
        known = find_agencies(name)
        if known:
            for agency in known:
                result.setdefault(agency, None)
        elif not _COMPANY.search(name):
            result.setdefault(" ".join(name.split()), None)
    return list(result)
