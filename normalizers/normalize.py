"""ParsedItem -> ArticleRecord: the one normalization every format goes through."""

from __future__ import annotations

from normalizers.agencies import canonical_list, parse_credit_line
from normalizers.dateline import find_credited_dateline, split_dateline
from normalizers.fingerprint import content_hash, fallback_guid
from normalizers.language import detect_language
from normalizers.record import ArticleRecord, Dateline, RelatedItem
from normalizers.text import clean_list, clean_paragraphs, clean_text
from normalizers.versions import derived_identity
from parsers.base import ParsedDateline, ParsedItem, ParsedRelated


def strip_credit_lines(body: list[str]) -> tuple[list[str], list[str]]:
    """Remove trailing credit-only paragraphs (``AFP``, ``(dpa)``, ``mit Material von dpa``); return the
    body and the credited agencies in reading order."""
    agencies: list[str] = []
    end = len(body)
    while end > 0:
        credit = parse_credit_line(body[end - 1])
        if credit is None:
            break
        agencies = credit + [a for a in agencies if a not in credit]
        end -= 1
    return body[:end], agencies


def strip_dateline(body: list[str]) -> tuple[list[str], Dateline | None]:
    """Split the dateline off the first paragraph (or drop a paragraph that is only a dateline)."""
    if not body:
        return body, None
    found = split_dateline(body[0])
    if found:
        return [found.rest, *body[1:]], found.dateline
    if len(body) > 1 and len(body[0]) <= 80:
        joined = split_dateline(f"{body[0]} {body[1]}")
        if joined and joined.rest == body[1]:
            return body[1:], joined.dateline
    later = find_credited_dateline(body[1:])
    if later:
        index, found = later[0] + 1, later[1]
        return [*body[:index], found.rest, *body[index + 1 :]], found.dateline
    return body, None


def _metadata_dateline(parsed: ParsedDateline | None) -> Dateline | None:
    if parsed is None:
        return None
    place = clean_text(parsed.place)
    date = clean_text(parsed.date)
    agencies = canonical_list(parsed.agencies)
    if not (place or date or agencies):
        return None
    return Dateline(place=place, date=date, agencies=agencies)


def _merge_datelines(text: Dateline | None, metadata: Dateline | None) -> Dateline | None:
    """The text wins; metadata fills only what the text does not say."""
    if text is None:
        return metadata
    if metadata is not None and text.place is None:
        text.place = metadata.place
    return text


def _related(items: list[ParsedRelated]) -> list[RelatedItem]:
    result = []
    for item in items:
        title = clean_text(item.title)
        if not title:
            continue
        teaser = clean_text(item.teaser)
        dateline = None
        if teaser:
            found = split_dateline(teaser)
            if found:
                teaser, dateline = found.rest, found.dateline
        result.append(RelatedItem(title=title, teaser=teaser, url=item.url, dateline=dateline))
    return result


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def normalize(
    item: ParsedItem,
    *,
    feed: str | None = None,
    source: str | None = None,
    default_agency: str | None = None,
    language_hint: str | None = None,
) -> ArticleRecord:
    """Build the record for ``item``. ``source`` overrides what seeds the fallback guid (default: the feed,
    else the first agency, else the format -- never a file path, so a copied file is the same item);
    ``default_agency`` and ``language_hint`` come from the feed configuration and are used only when the
    document itself says nothing."""
    body = clean_paragraphs(item.body)
    body, credited = strip_credit_lines(body)
    body, text_dateline = strip_dateline(body)
    dateline = _merge_datelines(text_dateline, _metadata_dateline(item.dateline))
    in_text = _unique((text_dateline.agencies if text_dateline else []) + credited)
    agencies = in_text or canonical_list(item.agencies) or canonical_list([default_agency or ""])
    headline = clean_text(item.headline)
    language = detect_language("\n".join(body), item.language or language_hint)
    derived = derived_identity(item, agencies)
    guid = (
        clean_text(item.guid)
        or (derived[0] if derived else None)
        or fallback_guid(
            source or feed or (agencies[0] if agencies else item.source_format),
            headline,
            body[0] if body else None,
        )
    )
    return ArticleRecord(
        guid=guid,
        version=item.version if item.version is not None else (derived[1] if derived else 1),
        source_format=item.source_format,
        feed=feed,
        agencies=agencies,
        kicker=clean_text(item.kicker),
        headline=headline,
        caption=clean_text(item.caption),
        dateline=dateline,
        byline=clean_text(item.byline),
        body=body,
        related=_related(item.related),
        language=language,
        urgency=item.urgency if item.urgency is not None and 1 <= item.urgency <= 8 else None,
        status=item.status,
        embargo_until=item.embargo_until,
        published_at=item.published_at,
        updated_at=item.updated_at,
        subjects=clean_list(item.subjects),
        keywords=clean_list(item.keywords),
        content_hash=content_hash(body),
        signals=clean_list(item.signals),
        ednotes=clean_list(item.ednotes),
        replaces=[r for r in clean_list(item.replaces) if r != item.guid],
    )
