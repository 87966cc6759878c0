"""Size limits shared by all parsers: untrusted input must not cost unbounded memory or time."""

MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
MAX_ITEMS_PER_DOCUMENT = 5000
