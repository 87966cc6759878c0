"""Runtime settings. Environment variables (``WIREDESK_*``) override the defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DB_URL = "sqlite:///var/wiredesk.db"


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str = DEFAULT_DB_URL

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(db_url=env.get("WIREDESK_DB_URL") or DEFAULT_DB_URL)
