"""Site profiles for ``parsers.html``: where each publisher keeps body, kicker, lead and credits.

JSON-LD and meta tags give metadata on almost every news page, but the body's paragraph breaks, the kicker
(Dachzeile), the standfirst and the text credit live only in site markup. A new site is one more
``SiteProfile`` row here -- selectors as data, no new code path. Every selector is an XPath 1.0 string,
compiled once when ``parsers.html`` is imported.

Fields (``None`` = the site has no such thing; absolute XPaths start at the document, relative ones at the
body container):

- ``hosts``: host suffixes matched against the page's canonical URL / ``og:url``; ``site_names``: values of
  ``og:site_name``/``application-name`` (case-insensitive); ``marker``: markup that identifies the CMS when
  neither says anything (an archived page without canonical link).
- ``body``: the body container (first match). ``blocks``: paragraph elements relative to it, in document
  order; ``loose_text``: the body is loose text with ``<br>`` breaks, so the whole container (after
  ``drop``) is split into paragraphs instead.
- ``drop``: elements inside the container that are never body (teasers, ads, captions, buttons).
- ``lead``: the standfirst, kept as first paragraph only when the page's JSON-LD ``articleBody`` starts
  with it (CONVENTIONS.md). ``credit``: a text credit outside the body (``Quelle: sid/dpa``), appended as
  the last paragraph for the normalizer to read.
- ``kicker``/``headline``/``byline``/``caption``/``dateline``/``ednotes``/``published`` (a date string or
  epoch seconds): single values, absolute.
- ``related_*``: teaser items listed with the story (item absolute; title/url/teaser relative to the item).
- ``agencies``: credits the site implies for every page (AFP's own fact-check site).
"""

from __future__ import annotations

from dataclasses import dataclass


def cls(name: str) -> str:
    """XPath predicate: the element's class list contains the whole token ``name``."""
    # The cheap substring test first: most elements fail it, so the token test rarely runs.
    return f"(contains(@class, '{name}') and contains(concat(' ', normalize-space(@class), ' '), ' {name} '))"


def cls_prefix(prefix: str) -> str:
    """XPath predicate for CSS-module class names with a build hash (``article_paragraph__hXYKJ``)."""
    return f"contains(@class, '{prefix}')"


DEFAULT_BLOCKS = "./p | ./h2 | ./h3 | ./ul/li | ./ol/li | ./blockquote"


@dataclass(frozen=True, slots=True)
class SiteProfile:
    name: str
    hosts: tuple[str, ...]
    body: str
    site_names: tuple[str, ...] = ()
    marker: str | None = None
    blocks: str = DEFAULT_BLOCKS
    loose_text: bool = False
    drop: str | None = None
    lead: str | None = None
    credit: str | None = None
    kicker: str | None = None
    headline: str | None = None
    byline: str | None = None
    caption: str | None = None
    dateline: str | None = None
    ednotes: str | None = None
    published: str | None = None
    related_item: str | None = None
    related_title: str = ".//h3"
    related_url: str = "(.//a/@href)[1]"
    related_teaser: str | None = None
    agencies: tuple[str, ...] = ()


_IPPEN_STORY = f"//*[{cls('idjs-Story')} or {cls('id-Story')}]"

IPPEN = SiteProfile(
    name="ippen",
    hosts=(
        "merkur.de",
        "tz.de",
        "fr.de",
        "fnp.de",
        "hna.de",
        "op-online.de",
        "kreiszeitung.de",
        "wa.de",
    ),
    site_names=("merkur.de", "merkur", "tz.de", "tz", "fr.de", "frankfurter rundschau"),
    marker=f"//*[{cls('idjs-Story')}]",
    body=f"({_IPPEN_STORY})[1]",
    blocks=(
        f".//p[{cls('id-StoryElement-paragraph')}] | .//h2[{cls('id-StoryElement-crosshead')}]"
        f" | .//*[{cls('id-StoryElement-list')}]/li | ./ul/li"
    ),
    drop=(
        f".//*[{cls('id-Recommendation')} or {cls('id-StoryElement-image')}"
        f" or {cls('id-Story-interactionBar')} or {cls('id-Comments')} or {cls('id-ClsPrevention')}]"
        " | .//figure | .//aside"
    ),
    lead=f"//p[{cls('id-StoryElement-leadText')}]",
    kicker=f"//*[{cls('id-StoryElement-headline')}]//*[contains(@class, 'kicker')]",
    headline=f"//*[{cls('id-StoryElement-headline')}]",
    byline=f"//*[{cls('id-Story-authors')}]",
    caption=f"({_IPPEN_STORY}//figcaption)[1]",
)

BERLINER_ZEITUNG = SiteProfile(
    name="berliner-zeitung",
    hosts=("berliner-zeitung.de",),
    site_names=("berliner zeitung",),
    body="//div[@id='articleBody']",
    lead=f"//p[{cls_prefix('article_header-lead')}]",
    headline=f"//h1[{cls_prefix('article_header-title')}]",
    caption=f"(//*[{cls_prefix('article_image-container-caption')}])[1]",
    related_item="//div[@id='articleBody']//div[@data-testid='article-preview']",
)

DIE_ZEIT = SiteProfile(
    name="zeit",
    hosts=("zeit.de",),
    site_names=("zeit online",),
    body=f"(//div[{cls('article-body')}])[1]",
    blocks=(
        f"./div[{cls('article-page')}]/p[{cls('paragraph')}]"
        f" | ./div[{cls('article-page')}]/h2[{cls('article__subheading')}]"
        f" | ./div[{cls('article-page')}]/ul/li"
    ),
    lead=f"//header//div[{cls('summary')}]",
    kicker=f"//h1//*[{cls('article-heading__kicker')}]",
    headline=f"//h1//*[{cls('article-heading__title')}]",
    ednotes=f"//aside[{cls('article-notice')}]//p",
    related_item=f"//aside[{cls('topicbox')}]//article[{cls('topicbox-item')}]",
    related_title=f".//*[{cls('topicbox-item__title')}]",
)

MITTELDEUTSCHE_ZEITUNG = SiteProfile(
    name="forward-publishing",
    hosts=("mz.de", "volksstimme.de"),
    site_names=("mz.de", "mitteldeutsche zeitung"),
    marker=f"//article//div[{cls('fp-article-body')}]",
    body=f"(//article//div[{cls('fp-article-body')}])[1]",
    blocks=(
        f"./p[{cls('fp-paragraph')}] | ./div[{cls('fp-subheading')}]/*[self::h2 or self::h3]"
        " | ./ul/li | ./blockquote"
    ),
    lead=f"//p[{cls('fp-article-heading__excerpt')}]",
    kicker=f"//*[{cls('fp-article-heading__catchline')}]",
    headline=f"//*[{cls('fp-article-heading__title')}]",
    caption=f"(//figcaption[{cls('fp-image-info')}])[1]",
    related_item=f"//section[{cls('fp-related-articles')}]//article",
)

FUNKE = SiteProfile(
    name="funke",
    hosts=(
        "braunschweiger-zeitung.de",
        "waz.de",
        "nrz.de",
        "wp.de",
        "wr.de",
        "ikz-online.de",
        "morgenpost.de",
        "abendblatt.de",
        "thueringer-allgemeine.de",
        "otz.de",
        "tlz.de",
    ),
    body=f"(//article//div[{cls('article-body')}])[1]",
    drop=".//aside | .//figure",
    lead=f"(//article//div[{cls('article-body')}]/p)[1][{cls('font-medium')}]",
    dateline=(
        f"(//article//div[{cls('article-body')}]/p)[1][{cls('font-medium')}]"
        f"/span[{cls('text-gray-700')}]"
    ),
    kicker="//article//hgroup//*[@data-test='teaser-labels']",
    headline="//article//hgroup/*[self::h1 or self::h2]",
    byline="//article//address",
    caption="(//article//figure/figcaption)[1]",
)

SPORTSCHAU = SiteProfile(
    name="ard-sportschau",
    hosts=("sportschau.de", "tagesschau.de"),
    site_names=("sportschau.de", "tagesschau.de"),
    body=f"(//article[{cls('content-wrapper__group')}])[1]",
    blocks=(
        f"./p[{cls('textabsatz')}] | ./h2[{cls('meldung__subhead')}] | ./ul/li"
        f" | ./div[{cls('copytext__list')}]//li"
    ),
    credit=f"//*[{cls('backlink__author')}]",
    kicker=f"//h1//*[{cls('seitenkopf__topline')}]",
    headline=f"//h1//*[{cls('seitenkopf__headline--text')}]",
)

STUTTGARTER_ZEITUNG = SiteProfile(
    name="stuttgarter-zeitung",
    hosts=("stuttgarter-zeitung.de", "stuttgarter-nachrichten.de"),
    body=f"(//article[{cls('mod-article')}]//div[{cls('article-body')}])[1]",
    blocks=".//p | .//h2 | .//blockquote",
    drop=(
        f".//*[{cls('intro-text')} or {cls('article-details')} or {cls('recoTeaserContainer')}"
        f" or {cls('mod-paywall')} or {cls('sharewrapper')} or {cls('ad')}"
        f" or {cls('heimatcheck-serie')} or {cls('articleTeaser')}] | .//figure | .//aside"
    ),
    lead=f"//article[{cls('mod-article')}]//div[{cls('intro-text')}]",
    kicker=f"//*[{cls('article-header')}]//*[{cls('article-kicker')}]",
    headline=f"//*[{cls('article-header')}]//*[{cls('article-headline')}]",
    caption=f"(//*[{cls('article-image')}]//figcaption)[1]",
)

WINFUTURE = SiteProfile(
    name="winfuture",
    hosts=("winfuture.de",),
    body="//div[@id='news_content']",
    loose_text=True,
    drop=(
        f"./div[{cls('metadata')}] | ./div[{cls('teaser_img_container')}] | .//a[{cls('button_box')}]"
        f" | .//span[{cls('hmedia')}] | ./i | .//div[{cls('more_links')}]"
        " | .//li[.//a and normalize-space(.) = normalize-space(string(.//a))]"  # call-to-action links
    ),
    lead=f"//div[@id='news_content']/div[{cls('teaser_text')}]",
    headline="//h1",
    byline=f"//div[@id='news_content']//span[{cls('author')}]/a",
    ednotes="//div[@id='news_content']/i",
)

AFP_FACTCHECK = SiteProfile(
    name="afp-factcheck",
    hosts=(
        "faktencheck.afp.com",
        "factcheck.afp.com",
        "factuel.afp.com",
        "factual.afp.com",
        "checamos.afp.com",
    ),
    body=f"(//div[{cls('wrapper-body')}]//div[{cls('field--name-body')}])[1]",
    drop=f".//div[{cls('wrapper-image')}] | .//figure",
    lead=f"//div[{cls('wrapper-summary')}]",
    headline=f"//div[{cls('sub-header')}]//h1",
    byline=f"//ul[{cls('list-informations')}]/li[.//span[{cls('person-link')}]][1]",
    caption=f"(//div[{cls('image-wrapper')}]//span[{cls('legend')}])[1]",
    published="//li[@data-type='created']/@data-utc-time",
    agencies=("AFP",),
)

PROFILES: tuple[SiteProfile, ...] = (
    IPPEN,
    BERLINER_ZEITUNG,
    DIE_ZEIT,
    MITTELDEUTSCHE_ZEITUNG,
    FUNKE,
    SPORTSCHAU,
    STUTTGARTER_ZEITUNG,
    WINFUTURE,
    AFP_FACTCHECK,
)
