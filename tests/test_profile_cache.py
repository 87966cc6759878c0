"""normalizers.profile_cache: the disk copy of the language-profile matrix gives the built matrix."""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterator
from pathlib import Path

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
        and a.log_probabilities.typecode == b.log_probabilities.typecode == "f"
        and a.log_probabilities == b.log_probabilities
    )


def test_copy_is_written_and_read_back_identically(cache_dir: Path) -> None:
    built = language_profiles.build(LANGUAGES)
    first = language_profiles.load(LANGUAGES)  # builds and writes the copy
    assert _same(first, built)
    assert len(list(cache_dir.glob("profiles-*.f32"))) == 1
    language_profiles.load.cache_clear()
    key = profile_cache.cache_key(LANGUAGES, language_profiles.PROFILES_DIRECTORY)
    assert profile_cache.read(key, len(LANGUAGES)) is not None
    assert _same(language_profiles.load(LANGUAGES), built)  # from the copy


def test_inconsistent_or_broken_copy_is_rebuilt(cache_dir: Path) -> None:
    built = language_profiles.build(LANGUAGES)
    language_profiles.load(LANGUAGES)
    key = profile_cache.cache_key(LANGUAGES, language_profiles.PROFILES_DIRECTORY)
    grams, matrix = (cache_dir / f"profiles-{key}.grams", cache_dir / f"profiles-{key}.f32")
    grams.write_text("a\x00b", encoding="utf-8")  # fewer rows than the matrix holds
    assert profile_cache.read(key, len(LANGUAGES)) is None
    matrix.write_bytes(b"not a float32 matrix")
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


def test_only_the_newest_copies_are_kept(tmp_path: Path) -> None:
    """Every virtual environment has profile files of its own modification time, hence its own copy: the
    directory keeps the newest ``KEEP_COPIES`` and drops copies of the older (numpy) format."""
    rows = {"a": 0, "b": 1}
    matrix = array("f", [-1.0, -2.0, -3.0, -4.0, 0.0, 0.0])
    (tmp_path / "profiles-old.npy").write_bytes(b"\x93NUMPY")
    (tmp_path / "profiles-old.grams").write_text("a", encoding="utf-8")
    keys = [f"k{n:02d}" for n in range(profile_cache.KEEP_COPIES + 3)]
    for n, key in enumerate(keys):
        profile_cache.write(key, rows, matrix, root=tmp_path)
        written = tmp_path / f"profiles-{key}.f32"
        os.utime(written, (1_000_000 + n, 1_000_000 + n))  # a strict order, whatever the clock says
    kept = sorted(path.stem for path in tmp_path.glob("profiles-*.f32"))
    assert kept == [f"profiles-{key}" for key in keys[-profile_cache.KEEP_COPIES :]]
    assert len(list(tmp_path.glob("profiles-*.grams"))) == profile_cache.KEEP_COPIES
    assert not list(tmp_path.glob("profiles-old.*"))
    read = profile_cache.read(keys[-1], 2, root=tmp_path)
    assert read is not None and read[0] == rows and list(read[1]) == list(matrix)
