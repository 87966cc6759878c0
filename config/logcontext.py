"""Which document a log line is about, for lines logged deep inside parsing.

A parser that notices something (damaged UTF-8, a profile that drifted) does not know where its bytes came
from, and an operator cannot act on "damaged UTF-8 decoded with replacement characters" without a file
name. The ingest stage names the document once (:func:`about_document`) and a logging filter
(:class:`DocumentFilter`, installed by ``ingest.logsetup``) adds ``origin=...`` to every line logged while
it is being read, unless the line names one itself. A context variable, so threads and asyncio tasks each
keep their own document.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_DOCUMENT: ContextVar[str | None] = ContextVar("wiredesk_document", default=None)


@contextmanager
def about_document(origin: str) -> Iterator[None]:
    """Log lines inside this block are about ``origin`` (a path, ``archive!member`` or a redacted URL)."""
    token = _DOCUMENT.set(origin)
    try:
        yield
    finally:
        _DOCUMENT.reset(token)


def current_document() -> str | None:
    """The origin named by the innermost :func:`about_document`, or None outside one."""
    return _DOCUMENT.get()


class DocumentFilter(logging.Filter):
    """Adds ``origin`` (the current document) to records that carry none; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "origin", None) is None:
            origin = _DOCUMENT.get()
            if origin is not None:
                record.origin = origin
        return True
