"""parsers.registry: format names and sniffing order known without importing the format modules."""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import parsers
from parsers.registry import format_entries, format_names

REPO = Path(__file__).resolve().parents[1]


def _imported_formats() -> list[tuple[int, str, str]]:
    """(SNIFF_ORDER, FORMAT, module) of every parsers module that defines a format, by importing each."""
    found = []
    for info in pkgutil.iter_modules(parsers.__path__):
        if info.name.startswith("_") or info.name in {"registry", "base"}:
            continue
        module = importlib.import_module(f"parsers.{info.name}")
        if hasattr(module, "FORMAT") and hasattr(module, "parse"):
            found.append((module.SNIFF_ORDER, module.FORMAT, module.__name__))
    return sorted(found)


def test_names_and_order_read_from_source_equal_the_imported_modules() -> None:
    expected = _imported_formats()
    assert [(e.order, e.name, e.module) for e in format_entries()] == expected
    assert format_names() == [name for _order, name, _module in expected]
    assert len(expected) >= 17


def test_format_names_import_no_format_module() -> None:
    probe = (
        "import sys\nfrom parsers import format_names\nnames = format_names()\n"
        "loaded = [m for m in sys.modules if m.startswith(('lxml', 'feedparser', 'numpy'))"
        " or m in {'parsers.' + n for n in names}]\nprint(len(names), sorted(loaded))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    count, loaded = result.stdout.split(" ", 1)
    assert int(count) >= 17 and loaded.strip() == "[]"


def test_declared_openings_skip_formats_without_importing_them() -> None:
    """A text dump is sniffed without importing any XML or JSON format module (``SNIFF_OPENS``)."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from parsers import detect_format\n"
        "assert detect_format('Ostsee-Fähre fällt aus\\n\\nKiel (dpa) - Wegen Sturms fällt die Fähre aus.'.encode()) == 'text'\n"
        "loaded = sorted(m for m in ('parsers.nitf', 'parsers.newsml12', 'parsers.ninjs', 'parsers.rss', 'parsers.html') if m in sys.modules)\n"
        "print('LOADED:' + ','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "LOADED:"


def test_opening_character() -> None:
    from parsers.registry import opening_character

    assert opening_character(b"\xef\xbb\xbf  <?xml") == "<"
    assert opening_character(b'\n {"uri": 1}') == "{"
    assert opening_character("<a>".encode("utf-16")) is None  # not ASCII-compatible: no skipping
    assert opening_character("Überschrift".encode()) is None
