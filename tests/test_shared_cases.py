"""Every shared fault case passes: article pages (issue 14: K1, K2a-c, K4a-b, K6), wire formats and feeds
(issue 15: F01-F10, F13, feed kinds, agency credits in author fields; F11 with the Reuters Connect format of
issue 18) and text dumps (K3, K8, K9). Each case is one example of its kind; the kinds' own fixtures from
other agencies and sites are tested beside each format's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.shared_cases import case_params, failures


@pytest.mark.parametrize(
    ("source", "expected"),
    [*case_params("pages"), *case_params("wire"), *case_params("text")],
)
def test_shared_case(source: Path, expected: Path) -> None:
    fails = failures(source, expected)
    assert not fails, "; ".join(fails)
