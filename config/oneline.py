"""Values shown inside one line of output: a log line's ``key=value``, a ``wiredesk: cannot ...`` message.

A file name is chosen by whoever delivers the file (an FTP uploader, an archive's author): one holding a
newline, a quote or a terminal escape must not forge a second log line or repaint the operator's screen.
"""

from __future__ import annotations


def shown(value: object) -> str:
    """``value`` as it is when plain (printable, no blank, quote or backslash), else quoted with Python's
    escapes (``'x y\\nWARNING forged'``): always one line, and readable back as what it was."""
    text = str(value)
    if text and text.isprintable() and not any(c in text for c in " '\"\\"):
        return text
    return repr(text)
