"""The article body of a news page that no site profile describes.

Rules (general, measured on text rather than markup; see ``parsers._html_blocks`` for the blocks):

1. Every block is scored over the whole page: a *good* block is paragraph text (long enough, few of its
   characters inside links); link text and short non-paragraph lines count against every element they
   sit in. The container is the element with the most good text net of that junk, so paragraphs spread
   over sibling wrappers (one ``<div>`` per paragraph, a first paragraph outside a paywall wrapper) are
   followed to their common ancestor, while teaser lists, navigation and footers are not worth taking.
2. Inside the container the body runs in document order: paragraphs, subheads followed by text, quotes
   and low-link list items. Teaser/share/caption wrappers (by class) are dropped unless they hold most of
   the article's text (content decides, not the name), as are link lists and page furniture
   (``parsers.furniture``).
3. The article starts at its headline (text above the ``h1`` is furniture when it is short) and ends
   where the next one begins: another ``h1``, or another ``<article>`` with a body of its own, after the
   body has started. An ``<article>`` with little text inside the body is a teaser card.
4. The displayed headline (or kicker + headline) repeated as the first paragraph is dropped, and so are
   bullets above the first paragraph (a "key points" summary box).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from parsers._datelead import is_dateline_lead
from parsers._html_blocks import Block, ascii_folded, page_blocks
from parsers._html_header import MAX_TIME_LINE, is_time_line
from parsers.furniture import is_furniture

# A good paragraph: at least this many non-space characters (ideographic scripts pack more per char).
MIN_PARAGRAPH = 60
MIN_PARAGRAPH_DENSE = 25
DENSE_WEIGHT = 3
# A page with less good text than this is a short story told in short paragraphs: judged again with
# the lower minimum.
MIN_PAGE_TEXT = 300
MIN_PARAGRAPH_SHORT = 20
MAX_LINK_DENSITY = 0.3
# A block whose text is mostly link text is navigation or a teaser, never body.
DROP_LINK_DENSITY = 0.5
# Short lines kept below the last paragraph (a credit line), and their length.
TAIL_BLOCKS = 2
MAX_TAIL = 80
# Good text that makes a story of its own (less is a teaser card or a disclaimer).
MIN_STORY = 400
# A titled box (a fact box, a document quoted in full) is left out however long it is when the text
# beside it is a story of at least this many characters.
MIN_BESIDE_BOX = 1200
# Junk characters (link text, short lines) that end a run of paragraphs.
RUN_GAP = 250
# The first run below the headline is the article when it has this share of the longest run's text.
ANCHOR_SHARE = 0.25
MAX_SUBHEAD = 250
# Where a page's displayed time line is looked for: blocks around the headline, and their length.
HEADER_WINDOW = 10
MAX_HEADER_LINE = 160
# A teaser card: a linked title of at least ``MIN_TITLE`` characters and less good text than this.
MIN_TITLE = 30
MAX_TEASER = 300
_DENSE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_DIGITS = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"[.!?…:;»«“”\"')\]。！？]\s*$")
_NOISE_CLASS = re.compile(
    r"teaser|related|recommend|topicbox|newsletter|social|share|sharing|caption|legend|"
    r"infobox|promo|advert|banner|breadcrumb|byline|author|metadata|gallery|embed|consent|"
    r"widget|poll|survey|tags?list|read-?more|more-?stories|outbrain|taboola|sponsor|"
    r"subscri(?:be|ption)|pay-?wall|reg-?wall|upsell|sign-?up|donat(?:e|ion)|factbox|fact-box|"
    r"tweet|instagram|tiktok|bluesky|fb-post|"
    r"(?:^|[\s_-])ads?(?=$|[\s_-])|(?:^|[\s_-])(?:photo|image|img|media|video|player|audio)"
    r"(?=$|[\s_-])",
    re.IGNORECASE,
)
_noise_class = ascii_folded(_NOISE_CLASS)
_LEAD_CLASS = re.compile(
    r"(?:(?:^|[\s_-])(?:[Ii]ntro|[Ll]ead|[Ss]ummary|[Ee]xcerpt|[Ss]tandfirst|[Aa]bstract|[Tt]easer-?text"
    r"|[Dd]escription|[Ss]ubtitle|[Dd]eck)"
    # camelCase names (``detailSummary``, ``articleLead``)
    r"|(?<=[a-z])(?:Intro|Lead|Summary|Excerpt|Standfirst|Abstract|Description|Subtitle|Deck))"
    r"(?=$|[\s_A-Z-])"
)


@dataclass(slots=True)
class GenericBody:
    """The body found on a page: paragraphs, the standfirst before them, and where they were found."""

    paragraphs: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    container: etree._Element | None = None
    good_chars: int = 0
    # Paragraph text inside the article left out on purpose (boxes, teaser cards): not a truncation
    # when the page's own ``articleBody`` counts it.
    left_out: list[str] = field(default_factory=list)
    # Short lines with a number around the headline, where pages print when they were published.
    header_lines: list[str] = field(default_factory=list)
    # Block texts (those of ``paragraphs`` and ``lead`` among them) known to be neither furniture nor
    # a time line: a caller cleaning the body need not test them again.
    clean: set[str] = field(default_factory=set)


def _dense(text: str) -> bool:
    """Text in a script without spaces between words (or with syllable blocks): Chinese, Japanese,
    Korean."""
    head = text[:40]
    if head.isascii():  # none of those scripts (the common case, without a regex)
        return len(text) < 2
    return len(_DENSE_SCRIPT.findall(head)) >= min(10, len(text) // 2)


def is_good(block: Block, minimum: int = MIN_PARAGRAPH) -> bool:
    """Paragraph text: long enough and not mostly inside links."""
    if block.heading or block.link_density > MAX_LINK_DENSITY:
        return False
    if block.chars >= minimum:
        return True
    return block.chars >= MIN_PARAGRAPH_DENSE and _dense(block.text)


def _junk(block: Block) -> int:
    """What a block costs the elements around it: link text, and short lines that are not headings."""
    cost = block.links
    if not block.heading and block.chars < MIN_PARAGRAPH and block.kind != "p":
        cost += block.chars - block.links
    # An ideograph or syllable block carries about a word: weigh such text as Latin words of letters.
    return cost * DENSE_WEIGHT if cost and _dense(block.text) else cost


def _choose_container(
    blocks: list[Block], runs: list[_Run], headline_at: int | None = None
) -> tuple[etree._Element | None, list[_Run]]:
    """Where the article is: the common ancestor of its runs of good blocks (``runs``, chosen by
    ``_article_runs``), so paragraphs spread over sibling wrappers are followed to the element that
    holds them all."""
    chosen = _article_runs(runs, blocks, headline_at)
    if not chosen:
        return None, []
    return _common_ancestor([b.element for run in chosen for b in run.blocks]), chosen


@dataclass(slots=True)
class _Run:
    """Good blocks in a row (``first``..``last`` are block indexes), not interrupted by much junk."""

    first: int
    last: int
    blocks: list[Block]
    chars: int = 0

    def signature(self) -> tuple[str, str, str]:
        """The look (kind, class, wrapper class) of most of the run's text: paragraphs of one article
        share it."""
        weight: dict[tuple[str, str, str], int] = {}
        for block in self.blocks:
            key = _look(block)
            # Article text is mostly <p>: a box of list items in the same run is less likely it.
            weight[key] = weight.get(key, 0) + block.chars * (2 if block.kind == "p" else 1)
        return max(weight, key=weight.__getitem__)

    def share(self, signature: tuple[str, str, str]) -> float:
        same = sum(b.chars for b in self.blocks if _look(b) == signature)
        return same / self.chars if self.chars else 0.0


def _look(block: Block) -> tuple[str, str, str]:
    """Kind, class and wrapper class of a block; numbers in class names (``p_12``, ``para-3``)
    count paragraphs, not looks, and are left out."""
    parent = block.element.getparent()
    wrapper = f"{parent.tag}.{parent.get('class') or ''}" if parent is not None else ""
    return block.kind, _DIGITS.sub("", block.element.get("class") or ""), _DIGITS.sub("", wrapper)


def _runs(blocks: list[Block], good: list[bool]) -> list[_Run]:
    """Runs of good blocks, split where more than ``RUN_GAP`` characters of junk or a headline
    separate two good blocks, or where the text leaves an ``<article>`` or enters the page footer (a
    short story's last paragraph directly above the imprint line)."""
    runs: list[_Run] = []
    gap = 0
    story: etree._Element | None = None
    in_footer = False
    for index, (block, is_ok) in enumerate(zip(blocks, good, strict=True)):
        if not is_ok:
            gap += RUN_GAP + 1 if block.kind == "h1" else _junk(block)
            continue
        article = _article_of(block.element)
        footer = _in_page_footer(block.element)
        if gap > RUN_GAP or not runs or article is not story or footer != in_footer:
            runs.append(_Run(index, index, []))
            story, in_footer = article, footer
        gap = 0
        run = runs[-1]
        run.blocks.append(block)
        run.last = index
        run.chars += block.chars
    return runs


def _article_of(element: etree._Element) -> etree._Element | None:
    """The ``<article>`` an element is or sits in (the ancestors are searched in C)."""
    if element.tag == "article":
        return element
    return next(element.iterancestors("article"), None)


def _in_page_footer(element: etree._Element) -> bool:
    """Inside the page's ``<footer>`` (imprint, rights, complaints), not an article's own footer."""
    footer = next(element.iterancestors("footer"), None)
    return footer is not None and next(footer.iterancestors("article", "main"), None) is None


def _article_runs(runs: list[_Run], blocks: list[Block], headline_at: int | None) -> list[_Run]:
    """The article's runs: the longest run -- or the first below the page's headline when it holds a
    good share of that (consent texts and footers can be longer than the article) -- and the other
    runs below the headline that look like it (paragraphs of one kind and class: the article goes on
    after a teaser strip or a paywall box) -- up to the next headline, within the same ``<article>``,
    never in the page footer."""
    if not runs:
        return []
    headlines = [i for i, b in enumerate(blocks) if b.kind == "h1" and b.chars <= MAX_SUBHEAD]
    longest = anchor = max(runs, key=lambda r: r.chars)
    if headline_at is not None:
        anchor = next(
            (r for r in runs if r.first > headline_at and r.chars >= ANCHOR_SHARE * longest.chars),
            longest,
        )
    start = headline_at if headline_at is not None and headline_at < anchor.first else -1
    stop = next(
        (i for i in headlines if i > anchor.first), len(blocks)
    )  # the next story's headline
    story = _article_of(anchor.blocks[0].element)
    looks = {anchor.signature()}
    if start < longest.first < stop:
        looks.add(longest.signature())
    return [
        run
        for run in runs
        if run is anchor
        or (
            start < run.first < stop
            and (story is None or _article_of(run.blocks[0].element) in (story, None))
            and not _in_page_footer(run.blocks[0].element)
            and max(run.share(x) for x in looks) >= 0.5
        )
    ]


def _common_ancestor(elements: list[etree._Element]) -> etree._Element:
    common = elements[0]
    lineage = {id(e): e for e in (common, *common.iterancestors())}
    for element in elements[1:]:
        node: etree._Element | None = element
        while node is not None and id(node) not in lineage:
            node = node.getparent()
        if node is not None and node is not common:
            # ``node`` is on the lineage: climb ``common`` up to it
            common = node
            lineage = {id(e): e for e in (common, *common.iterancestors())}
    return common


def _depth(element: etree._Element) -> int:
    return sum(1 for _ in element.iterancestors())


def _inside(element: etree._Element, container: etree._Element) -> list[etree._Element]:
    """The chain from ``element`` up to (not including) ``container``; empty when not inside it."""
    chain: list[etree._Element] = []
    node: etree._Element | None = element
    while node is not None and node is not container:
        chain.append(node)
        node = node.getparent()
    return chain if node is container else []


def _class_of(element: etree._Element) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _headline_forms(headline: str | None, kicker: str | None) -> set[str]:
    forms = set()
    for text in (headline, f"{kicker} {headline}" if kicker and headline else None, kicker):
        if text:
            forms.add(_key(text))
    return forms


def _key(text: str) -> str:
    return "".join(filter(str.isalnum, text.casefold()))


def extract_body(
    root: etree._Element, *, headline: str | None = None, kicker: str | None = None
) -> GenericBody:
    """Body paragraphs of a page (``root`` = the document element), with the standfirst apart."""
    body = root.find("body")
    h1 = next((body if body is not None else root).iter("h1"), None)
    keep = frozenset(h1.iterancestors()) if h1 is not None else frozenset()
    blocks = page_blocks(body if body is not None else root, keep)
    good = [is_good(b) for b in blocks]
    if sum(b.chars for b, ok in zip(blocks, good, strict=True) if ok) < MIN_PAGE_TEXT:
        good = [is_good(b, MIN_PARAGRAPH_SHORT) for b in blocks]  # a short story of short sentences
    headline_at = next((i for i, b in enumerate(blocks) if b.kind == "h1"), None)
    runs = _runs(blocks, good)
    container, chosen = _choose_container(blocks, runs, headline_at)
    result = GenericBody(container=container, header_lines=_header_lines(blocks, headline_at))
    if container is None:
        return result
    # Good text of other runs (a promo box, an author bio, teasers below) is not the article's.
    foreign = {id(b) for run in runs if run not in chosen for b in run.blocks}
    # After the last paragraph only a credit line directly below it ("(dpa)", "Quelle: ...") is text.
    end = max(run.last for run in chosen)
    looks = {run.signature() for run in chosen}
    inside: list[tuple[Block, bool, list[etree._Element]]] = []
    for index, (block, is_ok) in enumerate(zip(blocks, good, strict=True)):
        if id(block) in foreign:
            continue
        if index > end and (index > end + TAIL_BLOCKS or block.chars > MAX_TAIL or block.heading):
            continue
        chain = _inside(block.element, container) if block.element is not container else []
        if block.element is container or chain:
            inside.append((block, is_ok, chain))
    total_good = sum(b.chars for b, ok, _ in inside if ok) or 1
    noisy = _noisy_wrappers(inside, total_good)
    teasers = _teaser_leads(inside)
    headline_forms = _headline_forms(headline, kicker)
    article_good = _good_per_article(inside)
    current: etree._Element | None = None
    good_kept = 0
    kept: list[Block] = []
    lead: list[str] = []
    started = False
    summary_bullets = _summary_bullets(inside)
    for index, (block, is_ok, chain) in enumerate(inside):
        if block.kind == "h1" and block.chars <= MAX_SUBHEAD:
            if _key(block.text) in headline_forms or good_kept < MIN_STORY:
                kept, lead, started, good_kept = (
                    [],
                    [],
                    False,
                    0,
                )  # the article starts at its headline
                continue
            break  # another headline after a body: the next story
        story = next((e for e in reversed(chain) if e.tag == "article"), None)
        if story is not None and story is not block.element:
            if article_good.get(story, 0) < MIN_STORY:
                continue  # a teaser card embedded in the text
            if current is None:
                current = story
            elif story is not current and started and good_kept >= MIN_STORY:
                break  # another article with a body of its own: the next story
        if index in teasers or any(element in noisy for element in chain):
            if is_ok and started:
                result.left_out.append(block.text)
            continue
        if block.link_density > DROP_LINK_DENSITY or is_furniture(block.text):
            continue
        if block.chars <= MAX_HEADER_LINE and is_time_line(block.text):
            continue  # "Published ... · Updated ...": read into the record's times, never text
        if block.chars <= MAX_HEADER_LINE or len(block.text) > MAX_TIME_LINE:
            result.clean.add(block.text)  # (block text is squashed: longer is never a time line)
        # A paragraph that looks like the article's paragraphs is text even when a third of it is
        # linked (names auto-linked to tag pages in the first paragraph).
        is_ok = is_ok or (block.chars >= MIN_PARAGRAPH and _look(block) in looks)
        if not started and headline_forms and _key(block.text) in headline_forms:
            continue
        if block.kind == "li" and good_kept < MIN_STORY and index in summary_bullets:
            while kept and kept[-1].heading:
                kept.pop()  # the box's title ("Key points")
            continue  # bullets under a title above the article's text: a summary box
        if block.heading:
            if block.chars > MAX_SUBHEAD:
                continue
            if not _text_follows(inside, index):
                continue
        elif not is_ok and not _short_text_kept(block, started):
            continue
        if not started and is_ok and not kept and len(lead) < 2 and _is_lead(chain):
            lead.append(block.text)
            continue
        if started and not block.heading and _next_story(kept, block, good_kept):
            break  # "BOISE, Idaho (AP) — ..." after a story of its own: the next story in the column
        started = started or is_ok
        good_kept += block.chars if is_ok else 0
        kept.append(block)
    while kept and kept[-1].heading:
        kept.pop()
    result.paragraphs = [b.text for b in kept] or lead
    result.lead = lead if kept else []
    result.good_chars = sum(b.chars for b in kept if is_good(b))
    return result


def _next_story(kept: list[Block], block: Block, good_kept: int) -> bool:
    """``block`` opens another story: it starts with a wire dateline and the text kept so far is a story
    already: one with its own dateline, a story's length of text, or two paragraphs or more under which a
    new heading stands (``<h2>Other headline</h2><p>BOISE, Idaho (AP) — ...``). A dateline paragraph after
    a standfirst alone is the story itself."""
    if not is_dateline_lead(block.text):
        return False
    paragraphs = [b for b in kept if not b.heading]
    if good_kept >= MIN_STORY or any(is_dateline_lead(b.text) for b in paragraphs):
        return True
    return bool(kept) and kept[-1].heading and len(paragraphs) >= 2


def _noisy_wrappers(
    inside: list[tuple[Block, bool, list[etree._Element]]], total_good: int
) -> set[etree._Element]:
    """Wrappers inside the container whose class says teaser/share/caption ... and whose text is not
    most of the article (a class like ``media-article-body`` on the real text keeps it). Text is
    counted per class, not per element: an article told in several wrappers of one class (a CMS's
    ``text-widget`` per few paragraphs) keeps all of them. A box that opens with its own heading (a
    fact box, a document quoted in full) is left out even when long, if the text beside it is a story
    (``MIN_BESIDE_BOX``)."""
    good_in: dict[str, int] = {}
    candidates: dict[etree._Element, str] = {}
    titled: set[etree._Element] = set()
    checked: set[etree._Element] = set()
    for block, is_ok, chain in inside:
        for element in chain:
            if element not in checked:
                checked.add(element)
                if _noise_class(_class_of(element)):
                    candidates[element] = (
                        f"{element.tag}.{_DIGITS.sub('', element.get('class') or '')}"
                    )
                    if block.heading:
                        titled.add(element)  # its first text is a heading: a box with a title
            look = candidates.get(element)
            if is_ok and look is not None:
                good_in[look] = good_in.get(look, 0) + block.chars
    return {
        e
        for e, look in candidates.items()
        if good_in.get(look, 0) < 0.5 * total_good
        or (e in titled and total_good - good_in.get(look, 0) >= MIN_BESIDE_BOX)
    }


def _header_lines(blocks: list[Block], headline_at: int | None) -> list[str]:
    """Short lines with a digit among the ``HEADER_WINDOW`` blocks before and after the headline (or
    at the top of the page when there is none), in document order: the candidates for a displayed
    time line ("Published 24 January 2023, 10:02")."""
    at = headline_at or 0
    return [
        b.text
        for b in blocks[max(0, at - HEADER_WINDOW) : at + HEADER_WINDOW + 1]
        if b.chars <= MAX_HEADER_LINE and not b.heading and any(map(str.isdigit, b.text))
    ]


def _summary_bullets(inside: list[tuple[Block, bool, list[etree._Element]]]) -> set[int]:
    """Indexes of list items that open with a title rather than follow a sentence: a list right under
    a heading or a short label ("Key points", "In brief"), with article paragraphs after it. (A list
    the text introduces -- "The measures include:" -- follows a paragraph.)"""
    found: set[int] = set()
    index = 0
    while index < len(inside):
        if inside[index][0].kind != "li":
            index += 1
            continue
        end = index
        while end < len(inside) and inside[end][0].kind == "li":
            end += 1
        before = inside[index - 1] if index else None
        titled = (
            before is None
            or before[0].heading
            or (before[0].kind != "p" and not before[1] and not before[0].text.endswith(":"))
        )
        text_after = any(ok and b.kind == "p" for b, ok, _ in inside[end : end + 8])
        if titled and text_after:
            found.update(range(index, end))
        index = end
    return found


def _teaser_leads(inside: list[tuple[Block, bool, list[etree._Element]]]) -> set[int]:
    """Indexes (into ``inside``) of the lead text of teaser cards: a good block whose nearest wrapper
    holding a linked title (a line of headline length that is mostly link text) has that title above
    it and less than ``MAX_TEASER`` characters of good text -- a card for another story ("Read more",
    a linked title, a two-line summary), in the body or listed below it, not a paragraph of the article.
    """
    good_in: dict[etree._Element, int] = {}
    title_at: dict[etree._Element, int] = {}
    for index, (block, is_ok, chain) in enumerate(inside):
        # A read-also line ("Read more: <a>title</a>") is the story pointing elsewhere, not a card's
        # title: the paragraphs after it in the same wrapper are still the story's.
        linked_title = (
            not is_ok
            and block.chars >= MIN_TITLE
            and block.link_density > DROP_LINK_DENSITY
            and not is_furniture(block.text)
        )
        for element in chain:
            if is_ok:
                good_in[element] = good_in.get(element, 0) + block.chars
            if linked_title and element not in title_at:
                title_at[element] = index
    found: set[int] = set()
    for index, (_block, is_ok, chain) in enumerate(inside):
        if not is_ok:
            continue
        holder = next((e for e in chain if title_at.get(e, index) < index), None)
        if holder is not None and good_in.get(holder, 0) < MAX_TEASER:
            found.add(index)
    return found


def _good_per_article(
    inside: list[tuple[Block, bool, list[etree._Element]]],
) -> dict[etree._Element, int]:
    """Good text per ``<article>`` element inside the container (a story, or a teaser card)."""
    found: dict[etree._Element, int] = {}
    for block, is_ok, chain in inside:
        for element in chain:
            if element.tag == "article":
                found[element] = found.get(element, 0) + (block.chars if is_ok else 0)
    return found


def _text_follows(inside: list[tuple[Block, bool, list[etree._Element]]], index: int) -> bool:
    """Whether a good paragraph follows a heading before the next heading (a subhead, not a box title)."""
    for block, is_ok, _chain in inside[index + 1 : index + 8]:
        if block.heading:
            return False
        if is_ok:
            return True
    return False


def _short_text_kept(block: Block, started: bool) -> bool:
    """Short lines: kept inside the running body when they are paragraphs or list items of text (a short
    quote, a credit line), never before the body starts (bylines, dates, labels)."""
    if not started:
        return False
    if block.kind in ("p", "li", "quote", "pre"):
        return True
    return bool(_SENTENCE_END.search(block.text)) and block.chars >= 20


def _is_lead(chain: list[etree._Element]) -> bool:
    """A standfirst: the block or its wrapper is classed as one."""
    return any(_LEAD_CLASS.search(_class_of(e)) for e in chain[:2])
