"""Language detection: right on real paragraphs, silent on scraps, deterministic."""

from __future__ import annotations

import pytest

from normalizers.language import detect_language

TEXTS = {
    "de": "Die Bundesregierung hat am Mittwoch neue Regeln für den Schutz der Wälder beschlossen. "
    "Umweltverbände begrüßten die Entscheidung, forderten aber mehr Geld für die Länder.",
    "en": "The government on Wednesday approved new rules to protect the country's forests. "
    "Environmental groups welcomed the decision but asked for more money for the regions.",
    "fr": "Le gouvernement a adopté mercredi de nouvelles règles pour protéger les forêts du pays. "
    "Les associations ont salué la décision mais réclament davantage de moyens pour les régions.",
    "es": "El Gobierno aprobó el miércoles nuevas normas para proteger los bosques del país. "
    "Los grupos ecologistas celebraron la decisión, pero pidieron más dinero para las regiones.",
}


@pytest.mark.parametrize(("code", "text"), TEXTS.items())
def test_detects_body_language(code: str, text: str) -> None:
    assert detect_language(text) == code


def test_metadata_hint_never_overrides_a_clear_body() -> None:
    assert detect_language(TEXTS["en"], hint="it") == "en"


@pytest.mark.parametrize("scrap", ["Kommentare", "AFP", "", "12:30 – 14:00", "Lire aussi"])
def test_too_short_to_judge_gives_none(scrap: str) -> None:
    assert detect_language(scrap) is None


def test_too_short_falls_back_to_declared_language() -> None:
    assert detect_language("Kommentare", hint="de-DE") == "de"
    assert detect_language("Kommentare", hint="nb") == "no"


def test_deterministic() -> None:
    text = "Mixed words Wörter mots palabras parole"  # ambiguous on purpose
    answers = {detect_language(text * 3) for _ in range(5)}
    assert len(answers) == 1


def test_language_set_is_configurable() -> None:
    from normalizers.language import DESK_LANGUAGES, _factory, configured_languages

    assert configured_languages({}) == DESK_LANGUAGES
    assert configured_languages({"WIREDESK_LANGUAGES": "all"}) is None
    assert configured_languages({"WIREDESK_LANGUAGES": "de, en ,fr"}) == ("de", "en", "fr")
    with pytest.raises(ValueError, match="klingon"):
        _factory(("de", "klingon"))


def test_declared_language_accepted_only_when_the_body_agrees(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    long_german = TEXTS["de"] * 4
    assert detect_language(long_german, hint="de") == "de"
    assert detect_language(TEXTS["en"] * 4, hint="de") == "en"
    monkeypatch.setenv("WIREDESK_LANGUAGES", "de,en,fr")
    assert detect_language(TEXTS["fr"] * 4) == "fr"


def _langdetect_ngrams(text: str) -> list[str]:
    """The n-grams langdetect's own detector extracts (its internal steps, called in its order)."""
    from normalizers.language import DESK_LANGUAGES, _factory

    detector = _factory(DESK_LANGUAGES).create()
    detector.append(text)
    detector.cleaning_text()
    return list(detector._extract_ngrams())


NGRAM_SAMPLES = [
    "Die Bundesregierung hat in BERLIN mitgeteilt, dass die NATO-Partner ÜBER den Haushalt beraten. USA",
    "Москва (АФП) - Россия заявила о ПРОДОЛЖЕНИИ переговоров с США http://x.example a@b.example",
    "L'AFP a annoncé: «Le gouvernement» 2024 -- McDonald's iPhone ABCdef aBC x",
    "Ελλάδα και Τουρκία συμφώνησαν",
    "北京 新华社 记者 报道",
    "مرحبا بالعالم العربية اليوم",
    "Hà Nội Việt Nam",
    "a\u3000b\tc\u00a0d\nE",
    "Der NATO-Gipfel in BRÜSSEL",  # ends inside a capital word
    "ab \U00010400\U00010401bc de",  # Deseret capitals (beyond the BMP) start a capital word
    "x",
]


@pytest.mark.parametrize("end", ["", " "], ids=["cut-off", "complete"])
@pytest.mark.parametrize("text", NGRAM_SAMPLES)
def test_ngrams_are_langdetects(text: str, end: str) -> None:
    """Also for a text that stops inside a word (samples are cut at N characters): no word-end grams."""
    from collections import Counter

    from normalizers import language_profiles
    from normalizers.language import DESK_LANGUAGES

    rows = language_profiles.load(DESK_LANGUAGES).rows
    ours = [g for g in language_profiles.ngrams(language_profiles.prepare(text + end)) if g in rows]
    assert ours, "sample yields no known n-grams"
    assert Counter(ours) == Counter(_langdetect_ngrams(text + end))


def test_ngrams_are_langdetects_on_random_text() -> None:
    import random
    from collections import Counter

    from normalizers import language_profiles
    from normalizers.language import DESK_LANGUAGES

    rows = language_profiles.load(DESK_LANGUAGES).rows
    rng = random.Random(7)
    alphabet = "abcXYZ ÄÖü éèçÑ ДжЯ 中文 αβΓ 12,.-' \u0301\t\n\u3000"
    for _ in range(1000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80)))
        ours = [g for g in language_profiles.ngrams(language_profiles.prepare(text)) if g in rows]
        assert Counter(ours) == Counter(_langdetect_ngrams(text)), text


def test_clear_texts_skip_langdetect_and_close_calls_use_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from normalizers import language

    calls: list[str] = []
    sampling = language._best

    def counted(sample: str) -> tuple[str, float] | None:
        calls.append(sample)
        return sampling(sample)

    monkeypatch.setattr(language, "_best", counted)
    assert detect_language(TEXTS["de"]) == "de"
    assert calls == []
    # One short Spanish sentence is a close call for a single scoring pass: langdetect decides.
    close_call = "Primer párrafo del segundo texto publicado por la agencia."
    assert language._clear_winner(close_call) is None
    assert detect_language(close_call) in {"es", None}
    assert calls
    # Shorter than MIN_SAMPLED_LETTERS, a close call is left undecided: langdetect is sure and wrong on
    # such lines (this one it reads as Portuguese).
    calls.clear()
    assert language._clear_winner("Primer párrafo del segundo texto.") is None
    assert detect_language("Primer párrafo del segundo texto.") is None
    assert detect_language("Primer párrafo del segundo texto.", hint="es") == "es"
    assert calls == []


def test_unknown_profile_is_a_clear_error() -> None:
    from normalizers import language_profiles

    with pytest.raises(ValueError, match="klingon"):
        language_profiles.load(("de", "klingon"))


def test_no_profile_holds_a_string_langdetect_never_extracts() -> None:
    """``ngrams`` also yields a lone space and 3-grams across two words; scoring relies on no profile
    knowing them."""
    from normalizers import language_profiles

    rows = language_profiles.load(None).rows
    assert " " not in rows
    assert not [g for g in rows if len(g) == 3 and g[1] == " "]


ALL_CAPITALS = {
    "de": "DER BUNDESTAG HAT AM DIENSTAG DEN HAUSHALT FÜR DAS KOMMENDE JAHR MIT GROSSER MEHRHEIT "
    "BESCHLOSSEN.",
    "es": "EL PRESIDENTE DEL GOBIERNO HA DIMITIDO ESTA TARDE TRAS LA DERROTA EN EL PARLAMENTO.",
    "it": "IL GOVERNO HA POSTO LA FIDUCIA SULLA LEGGE DI BILANCIO, HA ANNUNCIATO IL MINISTRO.",
    "pt": "O PRESIDENTE DA REPÚBLICA DISSOLVEU O PARLAMENTO E CONVOCOU ELEIÇÕES ANTECIPADAS.",
    "nl": "DE MINISTER-PRESIDENT HEEFT HET ONTSLAG VAN HET KABINET AANGEBODEN AAN DE KONING.",
    "pl": "PREMIER PODAŁ SIĘ DO DYMISJI PO PRZEGRANYM GŁOSOWANIU W SEJMIE.",
    "tr": "TÜRKİYE BÜYÜK MİLLET MECLİSİ GELECEK YILIN BÜTÇESİNİ KABUL ETTİ.",
}


@pytest.mark.parametrize(("code", "text"), ALL_CAPITALS.items())
def test_all_capitals_copy_is_judged_case_folded(code: str, text: str) -> None:
    """K9: flashes and urgents in capitals (Turkish capitals fold İ -> i and I -> ı)."""
    assert detect_language(text) == code


@pytest.mark.parametrize(
    "flash",
    [
        "TERREMOTO DE MAGNITUD 7 SACUDE CHILE",  # langdetect alone: Italian
        "DEPREM İSTANBUL'DA HİSSEDİLDİ",  # langdetect alone: Portuguese
        "CENTRAL BANK RAISES INTEREST RATES",
        "KANZLER TRITT ZURÜCK",
        "BENFICA CONQUISTA O CAMPEONATO NACIONAL DE FUTEBOL",  # langdetect alone: Spanish
    ],
)
def test_a_short_flash_gets_no_language_rather_than_a_wrong_one(flash: str) -> None:
    assert detect_language(flash) is None


KOREAN = "서울 시내 곳곳에서 폭설로 교통이 마비되고 항공편이 결항되는 등 시민들이 큰 불편을 겪었다고 당국이 밝혔다."
JAPANESE = "政府は三十日、来年度の予算案を閣議決定した。防衛費は過去最大となり、野党からは批判の声が上がっている。"


@pytest.mark.parametrize(
    ("text", "declared", "wanted"),
    [
        (KOREAN, None, None),  # Hangul: no configured language writes it; never "zh"
        (KOREAN, "ko", "ko"),
        (KOREAN, "kr", "ko"),  # a country code declared as the language
        (JAPANESE, None, None),  # kana: Japanese, which the desk set does not hold
        (JAPANESE, "ja-JP", "ja"),
        (JAPANESE, "jp", "ja"),
    ],
)
def test_a_language_the_desk_set_cannot_name_is_the_declared_one_or_none(
    text: str, declared: str | None, wanted: str | None
) -> None:
    assert detect_language(text, declared) == wanted


def test_a_declared_language_outside_the_desk_set_stands() -> None:
    """Vietnamese copy declared ``vi``: the desk set has no Vietnamese, so a detection among its languages
    (English here) cannot overrule the declaration."""
    text = "Thủ tướng yêu cầu các bộ ngành khẩn trương triển khai các giải pháp ứng phó với mưa lũ ở miền Trung."
    assert detect_language(text, "vi") == "vi"
    assert (
        detect_language("The government approved the budget for next year on Monday.", "it") == "en"
    )
