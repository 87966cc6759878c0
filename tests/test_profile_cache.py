"""normalizers.profile_cache: the disk copy of the language-profile matrix gives the built matrix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from normalizers import language_profiles, profile_cache

LANGUAGES = ("de", "en", "fr")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("WIREDESK_CACHE_DIR", str(tmp_path / "cache"))
    language_profiles.load.cache_clear()
    yield tmp_path / "cache"
    language_profiles.load.cache_clear()


def _same(a: language_profiles.Profiles, b: language_profiles.Profiles) -> bool:
    return (
        a.languages == b.languages
        and a.rows == b.rows
        and list(a.rows.values()) == list(range(len(a.rows)))
        and a.log_probabilities.dtype == b.log_probabilities.dtype
        and np.array_equal(a.log_probabilities, b.log_probabilities)
    )


def test_copy_is_written_and_read_back_identically(cache_dir: Path) -> None:
    built = language_profiles.build(LANGUAGES)
    first = language_profiles.load(LANGUAGES)  # builds and writes the copy
    assert _same(first, built)
    assert len(list(cache_dir.glob("profiles-*.npy"))) == 1
    language_profiles.load.cache_clear()
    key = profile_cache.cache_key(LANGUAGES, language_profiles.PROFILES_DIRECTORY)
    assert profile_cache.read(key, len(LANGUAGES)) is not None
    assert _same(language_profiles.load(LANGUAGES), built)  # from the copy


def test_inconsistent_or_broken_copy_is_rebuilt(cache_dir: Path) -> None:
    built = language_profiles.build(LANGUAGES)
    language_profiles.load(LANGUAGES)
    key = profile_cache.cache_key(LANGUAGES, language_profiles.PROFILES_DIRECTORY)
    grams, matrix = (cache_dir / f"profiles-{key}.grams", cache_dir / f"profiles-{key}.npy")
    grams.write_text("a\x00b", encoding="utf-8")  # fewer rows than the matrix holds
    assert profile_cache.read(key, len(LANGUAGES)) is None
    matrix.write_bytes(b"not numpy")
    assert profile_cache.read(key, len(LANGUAGES)) is None
    language_profiles.load.cache_clear()
    assert _same(language_profiles.load(LANGUAGES), built)
    assert profile_cache.read(key, len(LANGUAGES)) is not None  # written again


def test_key_changes_with_the_languages_and_the_profile_files(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    for code in LANGUAGES:
        (profiles / code).write_text("{}", encoding="utf-8")
    key = profile_cache.cache_key(LANGUAGES, profiles)
    assert profile_cache.cache_key(LANGUAGES[:2], profiles) != key
    (profiles / "en").write_text('{"freq": {}}', encoding="utf-8")
    assert profile_cache.cache_key(LANGUAGES, profiles) != key


def test_unwritable_cache_directory_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("WIREDESK_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot be made
    language_profiles.load.cache_clear()
    try:
        assert _same(language_profiles.load(LANGUAGES), language_profiles.build(LANGUAGES))
    finally:
        language_profiles.load.cache_clear()


def test_cache_directory_choices() -> None:
    assert profile_cache.cache_directory({"WIREDESK_CACHE_DIR": "/x"}) == Path("/x")
    assert profile_cache.cache_directory({"XDG_CACHE_HOME": "/y"}) == Path("/y/wiredesk")
    assert profile_cache.cache_directory({}) == Path.home() / ".cache" / "wiredesk"
