"""Wire-format parsers: untrusted bytes in, ``list[ParsedItem]`` out. One module per format."""

from parsers.base import ParsedDateline, ParsedItem, ParsedRelated, ParseError
from parsers.registry import detect_format, format_names, parse_document

__all__ = [
    "ParseError",
    "ParsedDateline",
    "ParsedItem",
    "ParsedRelated",
    "detect_format",
    "format_names",
    "parse_document",
]
