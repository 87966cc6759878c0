"""Settings and the feed list: TOML files plus ``WIREDESK_*`` environment variables."""
