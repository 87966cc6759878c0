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
