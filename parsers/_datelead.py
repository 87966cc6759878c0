"""Does a paragraph open with a wire dateline? One test for every format that must tell story text from
headings and teasers: text dumps (a short flash is still a paragraph) and article pages (a standfirst
that opens with a dateline is the story's first paragraph, not a summary).

Only the shape is checked here; reading place, date and agency is the normalizer's job
(``normalizers.dateline``), which parsers may not import.
"""

from __future__ import annotations

import re

# A place may open with a Dutch elided article (``'s-Hertogenbosch``, ``’t Harde``) and carry bracketed
# qualifiers, also inside a list of places (``Frankfurt (Oder)/Berlin (dpa) -``).
_ELIDED = r"(?:['’][sStT]-?\s?)?"
# The credit in brackets (``(dpa)``, ``(EFE).-``) or between slashes (``/Agerpres/ -``, ``/БТА/ -``), then a
# dash or an equals sign (``BRUSSEL 30/11 (BELGA) =``).
_CREDITED_LEAD = re.compile(
    rf"^{_ELIDED}[^\W\d_](?:[^()\n]|\([^()\n]{{1,30}}\)){{0,60}}?"
    r"\s*(?:\([^\W\d_][^()\n]{0,29}\)|/[^\W\d_][^/()\n]{0,20}/)\s*\.?\s*(?:[-–—]{1,2}|=)\s*\S"
)
# ``DEN HAAG (ANP): Het kabinet ...``: a colon after the credit only with a place in capitals (``Ukraine
# (Video): Angriff`` is a headline).
_COLON_LEAD = re.compile(
    rf"^(?P<place>{_ELIDED}[^\W\d_][^()\n:]{{0,60}}?)\s*\([^\W\d_][^()\n]{{0,29}}\)\s*:\s*\S"
)
_DATED_LEAD = re.compile(
    rf"^(?P<place>{_ELIDED}[^\W\d_][^\W\d_ '’.-]*(?:[ '’.-]+[^\W\d_]+){{0,3}}),\s*\d{{1,2}}\.?\s+"
    r"[^\W\d_]{3,5}\.?\s*[-–—]{1,2}\s*\S"
)
_LEAD_SCAN_CHARS = 110  # a dateline with its credit fits in the first 110 characters


def is_dateline_lead(text: str) -> bool:
    """Story text opening with a dateline: ``LOS ANGELES (AP) —``, ``Frankfurt (Oder) (dpa) -``,
    ``LONDON, Sept 28 (Reuters) -``, ``Madrid, 24 ene (EFE).-`` (a credit in brackets, then a dash), or a
    capitalised place with a date (``ROMA, 24 GEN -``). Such a unit is a paragraph or teaser even when it
    is short and unpunctuated (a flash), never a heading; splitting it is the normalizer's job."""
    opening = text[:_LEAD_SCAN_CHARS]
    bracketed = "(" in opening and ")" in opening
    if (bracketed or opening.count("/") >= 2) and _CREDITED_LEAD.match(text):
        return True
    if bracketed and "):" in opening and (colon := _COLON_LEAD.match(text)):
        return colon.group("place").isupper()
    match = _DATED_LEAD.match(text) if "," in opening else None
    return match is not None and match.group("place").isupper()
