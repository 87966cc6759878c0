"""The html extractor's fast paths give the answers of the plain rules they stand for.

The page walk (``parsers._html_blocks``) and the body extractor (``parsers._html_body``) run per element
and per block, so their pattern tests take shortcuts: case-insensitive patterns searched on lower-cased
ASCII (``ascii_folded``), a substring pre-test before the comment-section pattern, class and id tested
apart. Each is checked here against the pattern itself on strings built from the patterns' own words in
mixed case, with the characters that Unicode case folding treats specially (Kelvin sign, long s, dotted
and dotless I, É, no-break and other spaces).
"""

from __future__ import annotations

import random
import re

import pytest

from parsers import _html_blocks as blocks
from parsers import _html_body as body
from parsers._html_blocks import ascii_folded, page_blocks
from parsers.html import _parse_tree

WORDS = [
    "comments", "Comment", "KOMMENTARE", "leserKommentar", "réactions", "RÉACTIONS", "reacties",
    "disqus_thread", "Discussion-Thread", "discussions", "yorumlar", "user-reactions", "replies",
    "hidden", "is-Hidden", "sr-only", "Visually-hidden", "screen-reader-text", "d-none", "d-md-block",
    "md:block", "display:none", "Visibility : Hidden", "DISPLAY:NONE", "teaser", "ShareBar", "ad", "ADS",
    "photo", "img-wrap", "Media", "related", "read-more", "sign-up", "fb-post", "\u212aommentare",
    "\u017focial", "\u0130mage", "\u0131mage", "\u00c9", "x", "list", "section", "Wrapper", "article",
    "body-text", "none", "-only", "12",
]  # fmt: skip
SEPARATORS = ["", " ", "-", "_", "\xa0", "\t", "\n", "\u2009"]
PATTERNS = [
    blocks._COMMENTS,
    blocks._HIDDEN_STYLE,
    blocks._UNSEEN_CLASS,
    blocks._SHOWN_AGAIN,
    body._NOISE_CLASS,
]


def _strings(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts = [rng.choice(WORDS) for _ in range(rng.randint(1, 5))]
        text = parts[0]
        for part in parts[1:]:
            text += rng.choice(SEPARATORS) + part
        out.append(text if rng.random() < 0.7 else text.upper())
    return out


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.pattern[:30])
def test_ascii_folded_matches_the_pattern(pattern: re.Pattern[str]) -> None:
    fast = ascii_folded(pattern)
    for text in _strings(3000, seed=len(pattern.pattern)):
        assert fast(text) == (pattern.search(text) is not None), text


@pytest.mark.parametrize(
    "pattern",
    [
        re.compile("comments"),  # case-sensitive
        re.compile("Comments", re.IGNORECASE),  # upper case in the pattern
        re.compile(r"\S+x", re.IGNORECASE),  # an upper-case escape
        re.compile("\u017foziales", re.IGNORECASE),  # long s folds onto an ASCII letter
    ],
)
def test_ascii_folded_refuses_patterns_it_cannot_speed_up(pattern: re.Pattern[str]) -> None:
    with pytest.raises(ValueError):
        ascii_folded(pattern)


def test_comment_test_on_class_and_id_apart_is_the_test_on_both() -> None:
    """``_skipped`` tests class and id apart; the pattern was meant for ``"class id"``."""
    texts = [*_strings(1500, seed=7), "", " "]
    rng = random.Random(11)
    for _ in range(3000):
        classes, id_ = rng.choice(texts), rng.choice(texts)
        together = f"{classes} {id_}"
        expected = len(together) > 1 and blocks._COMMENTS.search(together) is not None
        apart = blocks._comment_marks(classes) or blocks._comment_marks(id_)
        assert apart == expected, (classes, id_)


def _blocks(html: str) -> list[tuple[str, str, int, int]]:
    page = _parse_tree(html.encode()).find("body")
    assert page is not None
    found = page_blocks(page)
    return [(b.kind, b.text, b.chars, b.links) for b in found]


def test_white_space_alone_makes_no_block_and_breaks_split_loose_text() -> None:
    html = (
        "<html><body><div>\n  <p> \u2009 </p>\n  <p>First <a href='/x'>linked\u2009words</a> end</p>"
        "\n  loose one<br><br> <br>loose two<br>same para\n  <div>\n\t</div></div></body></html>"
    )
    assert _blocks(html) == [
        ("p", "First linked words end", 19, 12),  # the thin space is not one of the five
        ("text", "loose one", 8, 0),
        ("text", "loose two same para", 16, 0),
    ]


def test_skipped_elements_with_tail_text_split_blocks() -> None:
    html = (
        "<html><body><div>before <span aria-hidden='true'>gone</span> still one"
        "<div class='comments-list'><p>a comment</p></div> after<form><input type='email'></form>"
        "<p class='sr-only'>unseen</p><p class='sr-only md:block'>shown again</p></div></body></html>"
    )
    assert _blocks(html) == [
        ("text", "before still one", 14, 0),
        ("text", "after", 5, 0),
        ("p", "shown again", 10, 0),
    ]
