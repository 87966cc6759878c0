"""Text blocks of a rendered page: one walk over the tree, each run of text with the element it sits in.

The generic body extractor (``parsers._html_body``) judges elements by the text they hold, not by their
tag name, so it needs the text first: every paragraph-like run of text (a ``<p>``, a heading, a list item,
loose text between ``<br><br>`` in a ``<div>``) becomes one ``Block`` with its owner element, its length
and the part of it inside links, both counted on text (non-space characters), never on markup or
indentation. Elements a reader never sees as text (scripts, forms controls, figures, hidden elements:
``display: none`` by style or by the usual utility classes, screen-reader-only labels, short ``hidden``
popovers, dialogs) and reader comment sections are skipped whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

# Characters outside ASCII that ``re.IGNORECASE`` matches with an ASCII letter (long s, dotless and
# dotted I, Kelvin sign): a pattern holding one cannot be matched lower-cased.
_FOLDS_TO_ASCII = frozenset("\u017f\u0131\u0130\u212a")


def ascii_folded(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """A faster ``pattern.search(text) is not None`` for a case-insensitive pattern written in lower
    case: ASCII text is lower-cased and searched case-sensitively (the same answers, as ASCII letters
    fold only onto each other), other text by ``pattern`` itself. ``re.IGNORECASE`` folds every
    character it compares at every position: about five times slower on class strings.

    Raises ``ValueError`` for a pattern that is not case-insensitive, has upper-case letters (an
    escape like ``\\S`` included) or a character that folds onto an ASCII letter."""
    text = pattern.pattern
    if (
        not pattern.flags & re.IGNORECASE
        or text != text.lower()
        or not _FOLDS_TO_ASCII.isdisjoint(text)
    ):
        raise ValueError(f"not a lower-case case-insensitive pattern: {text!r}")
    exact = re.compile(text, pattern.flags & ~re.IGNORECASE)

    def search(value: str) -> bool:
        if value.isascii():
            return exact.search(value.lower()) is not None
        return pattern.search(value) is not None

    return search


# Never article text: code, media, controls, navigation. (``aside``/``section``/``header``/``form`` are
# judged by their content: some sites wrap the whole article in them.)
SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "iframe", "button", "select", "option",
        "textarea", "input", "label", "nav", "figure", "figcaption", "picture", "video", "audio",
        "canvas", "object", "embed", "head", "title", "meta", "link", "math", "dialog", "menu",
    }
)  # fmt: skip
BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "pre",
        "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td",
        "th", "tbody", "thead", "tfoot", "body", "html", "form", "address", "hr", "center",
        "details", "summary", "fieldset", "hgroup", "caption",
    }
)  # fmt: skip
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_KINDS = {"p": "p", "li": "li", "dd": "li", "blockquote": "quote", "pre": "pre", "td": "cell"}
# Reader comment sections (class/id tokens; schema.org Comment items). Never the body.
_COMMENTS = re.compile(
    r"(?:^|[\s_-])(?:(?:comments?|kommentare?|commentaires?|comentarios?|commenti|leserkommentare?"
    # nl, fr, sv/da/no, pl, cs/sk, fi, hr/sr/bs, ro, tr, hu, ru (transliterated), el (transliterated)
    r"|reacties|reactions?|r[eé]actions?|kommentarer|komentarze|komentare?|komentaru|diskuse|diskusia"
    r"|kommentit|komentari|comentarii|yorumlar|hozzaszolasok|kommentarii|sxolia"
    r"|replies|user-?reactions?)(?:[_-]?(?:list|section|area|thread|container|wrapper|box|block"
    r"|module|widget|stream|root))?(?=$|\s)|disqus\w*|discussion(?:s|[_-]?thread)?(?=$|\s))",
    re.IGNORECASE,
)
# Lower-case pieces one of which every match of ``_COMMENTS`` holds in ASCII text: a substring test
# rules most class/id strings out before the costly search (which tries every alternative at every
# position). Text with other characters goes to the full search (case folding beyond ASCII).
_COMMENT_PIECES = (
    "omment", "omentar", "reacti", "diskus", "discus", "disqus", "yorum", "hozzasz", "sxolia", "replies",
)  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Class tokens of the common CSS conventions for text no reader sees: screen-reader-only labels
# ("Article content") and utility classes for ``display: none`` (Bootstrap ``hidden``/``d-none``,
# ``is-hidden``). A responsive override in the same list (``md:block``, ``d-md-block``) shows it again.
_UNSEEN_CLASS = re.compile(
    r"(?:^|\s)(?:sr-only|visually-?hidden|screen-?reader-(?:text|only)|hidden|is-hidden|d-none)"
    r"(?=$|\s)",
    re.IGNORECASE,
)
_SHOWN_AGAIN = re.compile(r":|(?:^|\s)d-(?!none)\w+-(?:block|flex|inline)", re.IGNORECASE)
_comments = ascii_folded(_COMMENTS)
_hidden_style = ascii_folded(_HIDDEN_STYLE)
_unseen = ascii_folded(_UNSEEN_CLASS)
_shown_again = ascii_folded(_SHOWN_AGAIN)
# A ``hidden`` element with less text than this is a closed popover or a collapsed disclaimer; with more
# it may be streamed article text that a script moves into place (React streaming renders it so).
MAX_HIDDEN_TEXT = 500
# The attributes ``_skipped`` reads besides class and id (each can leave an element out).
_RARE_ATTRIBUTES = frozenset({"aria-hidden", "hidden", "style", "itemtype", "role"})
_DIALOG_ROLES = frozenset({"dialog", "alertdialog"})
_NOT_TYPED = frozenset({"hidden", "submit", "button", "image", "reset", "checkbox", "radio"})
_BREAK = "\x00"


@dataclass(slots=True)
class Block:
    """One paragraph-like run of text. ``chars``/``links`` count non-space characters."""

    element: etree._Element  # the nearest block element around the text
    text: str
    chars: int
    links: int
    kind: str  # "p", "h1".."h6", "li", "quote", "pre", "cell" or "text" (loose text in a wrapper)
    heading: bool  # kind is "h1".."h6" (set once: read for every block many times)

    @property
    def link_density(self) -> float:
        return self.links / self.chars if self.chars else 1.0


def _skipped(
    element: etree._Element,
    tag: str,
    attrib: etree._Attrib,
    keep: frozenset[etree._Element],
    by_class: dict[str, bool],
) -> bool:
    """Whether an element with attributes (``attrib``, not empty) is left out of the text; tags alone
    (``SKIP_TAGS``) are the caller's test. ``by_class`` remembers the verdict per class string for
    the page (a page repeats a few dozen class strings over hundreds of elements); most elements have
    none of ``_RARE_ATTRIBUTES``, which are then not read one by one."""
    rare = not _RARE_ATTRIBUTES.isdisjoint(attrib)
    if rare:
        if attrib.get("aria-hidden") == "true":
            return True
        if "hidden" in attrib and element not in keep and _short_text(element):
            return True
        style = attrib.get("style")
        if style and _hidden_style(style):
            return True
        itemtype = attrib.get("itemtype")
        if itemtype and itemtype.endswith("/Comment"):
            return True
    if tag in ("body", "html", "main", "article") or element in keep:
        return False
    if (
        rare and attrib.get("role") in _DIALOG_ROLES
    ):  # a popup (consent, sign-in), unless it holds the h1
        return True
    if tag == "form" and _has_text_input(element) and _short_text(element):
        return True  # a newsletter sign-up, log-in or search box (a page-wide form holds more text)
    classes = attrib.get("class")
    if classes:
        verdict = by_class.get(classes)
        if verdict is None:
            verdict = by_class[classes] = _unseen_class(classes) or _comment_marks(classes)
        if verdict:
            return True
    # A comment-section match never spans the space between class and id (its tokens hold none), so
    # the two are tested apart.
    id_ = attrib.get("id")
    return _comment_marks(id_) if id_ else False


def _unseen_class(classes: str) -> bool:
    """Class tokens of text no reader sees (``_UNSEEN_CLASS``), unless shown again (``_SHOWN_AGAIN``)."""
    return bool(
        ("hidden" in classes or "-only" in classes or "-text" in classes or "none" in classes)
        and _unseen(classes)
        and not _shown_again(classes)
    )


def _comment_marks(marks: str) -> bool:
    """Whether class or id tokens name a comment section (``_COMMENTS``), pre-tested cheaply."""
    if marks.isascii():
        lowered = marks.lower()
        if not any(map(lowered.__contains__, _COMMENT_PIECES)):
            return False
    return _comments(marks)


def _has_text_input(form: etree._Element) -> bool:
    """Whether a form asks the reader to type something (e-mail, name, password, search)."""
    return any(
        (field.get("type") or "text").lower() not in _NOT_TYPED for field in form.iter("input")
    )


def _short_text(element: etree._Element) -> bool:
    """Whether an element holds less than ``MAX_HIDDEN_TEXT`` characters of text (scripts included:
    an upper bound, cheap to count)."""
    total = 0
    for text in element.itertext():
        total += _nonspace(str(text))
        if total >= MAX_HIDDEN_TEXT:
            return False
    return True


def _nonspace(text: str) -> int:
    """Characters other than spaces, line breaks, tabs and no-break spaces (five C-level counts: this
    runs for every text piece of a page)."""
    return (
        len(text)
        - text.count(" ")
        - text.count("\n")
        - text.count("\t")
        - text.count("\r")
        - text.count("\xa0")
    )


def _flush(pieces: list[tuple[str, bool]], owner: etree._Element, out: list[Block]) -> None:
    """Turn the text pieces of the current block (``_BREAK`` marks a ``<br>``; two in a row end a
    paragraph) into blocks of ``owner``."""
    paragraph: list[str] = []
    links = 0
    pending_break = False
    for text, link in pieces:
        if text == _BREAK:
            if pending_break:
                _emit(owner, paragraph, links, out)
                paragraph, links, pending_break = [], 0, False
            else:
                pending_break = True
                paragraph.append(" ")
            continue
        if pending_break and text.strip():
            pending_break = False
        paragraph.append(text)
        if link:
            links += _nonspace(text)
    _emit(owner, paragraph, links, out)


def _emit(owner: etree._Element, paragraph: list[str], links: int, out: list[Block]) -> None:
    words = "".join(paragraph).split()
    if not words:
        return
    text = " ".join(words)
    # ``_nonspace(text)``: the squashed text's only white space is one space between words
    chars = len(text) - len(words) + 1
    tag = owner.tag if isinstance(owner.tag, str) else ""
    heading = tag in HEADING_TAGS
    kind = tag if heading else _KINDS.get(tag, "text")
    out.append(Block(owner, text, chars, min(links, chars), kind, heading))


def page_blocks(root: etree._Element, keep: frozenset[etree._Element] = frozenset()) -> list[Block]:
    """Every visible run of text under ``root`` (normally ``<body>``), in document order. ``keep``:
    elements never skipped as a comment section (the headline's ancestors: a class like
    ``comments-enabled`` on the article's wrapper names a feature, not the comments).

    The loop runs once per element of the page, so its steps are inlined: one list of pending text
    pieces, turned into blocks only when one of them is more than white space (indentation between
    tags makes most pieces; white space alone never makes a block)."""
    blocks: list[Block] = []
    pieces: list[tuple[str, bool]] = []  # the current block's text; ``_BREAK`` for a ``<br>``
    add = pieces.append
    has_text = False  # a piece in ``pieces`` is more than white space
    by_class: dict[str, bool] = {}
    owners: list[etree._Element] = [root]
    link_depth = 0
    skipping: etree._Element | None = None
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if not isinstance(tag, str):  # comments and processing instructions
            if event == "end" and element is not root:
                text = element.tail
                if text:
                    add((text, link_depth > 0))
                    has_text = has_text or not text.isspace()
            continue
        if event == "start":
            if element is not root:
                if tag in SKIP_TAGS:
                    skipping = element
                    walker.skip_subtree()
                    continue
                attrib = element.attrib
                if attrib and _skipped(element, tag, attrib, keep, by_class):
                    skipping = element
                    walker.skip_subtree()
                    continue
            if tag == "br":
                add((_BREAK, False))
            elif tag in BLOCK_TAGS:
                if has_text:
                    _flush(pieces, owners[-1], blocks)
                    has_text = False
                pieces.clear()
                owners.append(element)
            elif tag == "a":
                link_depth += 1
            text = element.text
            if text:
                add((text, link_depth > 0))
                has_text = has_text or not text.isspace()
            continue
        tail = element.tail
        if element is skipping:
            skipping = None
            # a skipped block separates the text around it
            if tag in BLOCK_TAGS and pieces and tail and tail.strip():
                if has_text:
                    _flush(pieces, owners[-1], blocks)
                    has_text = False
                pieces.clear()
        elif tag in BLOCK_TAGS:
            owner = owners.pop()
            if has_text:
                _flush(pieces, owner, blocks)
                has_text = False
            pieces.clear()
        elif tag == "a":
            link_depth -= 1
        if tail and element is not root:
            add((tail, link_depth > 0))
            has_text = has_text or not tail.isspace()
    if has_text:
        _flush(pieces, owners[-1] if owners else root, blocks)
    return blocks
