"""The demo wire for ``make run``: drips the bundled demo documents into a drop folder, one every few
seconds, so a new user watches articles arrive in the log and the store with no network at all."""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
DEMO_DOCUMENTS = ROOT / "config" / "demo" / "documents"
DEMO_INBOX = ROOT / "var" / "demo-inbox"


class DemoSeeder(threading.Thread):
    """Copies each demo document into the inbox (written to a temporary name, then renamed, as agencies
    deliver), ``pause`` seconds apart."""

    def __init__(
        self, source: Path, inbox: Path, stop: threading.Event, pause: float = 3.0
    ) -> None:
        super().__init__(name="demo-seeder", daemon=True)
        self.source, self.inbox, self.stop, self.pause = source, inbox, stop, pause

    def run(self) -> None:
        self.inbox.mkdir(parents=True, exist_ok=True)
        for document in sorted(p for p in self.source.iterdir() if p.is_file()):
            if self.stop.wait(self.pause):
                return
            partial = self.inbox / (document.name + ".part")
            shutil.copyfile(document, partial)
            partial.replace(self.inbox / document.name)
            log.info("demo wire delivered a document", extra={"file": document.name})
