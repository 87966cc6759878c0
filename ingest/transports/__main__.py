"""Poll one transport feed once: ``python -m ingest.transports --db URL --spec JSON``.

Until the poller calls transports itself (``transport = "..."`` in feeds.toml), this is how an operator
or a crash test runs one: ``--spec`` is a ``TransportSpec`` as JSON (``name``, ``transport``, ``url``,
``auth``, ``options`` ...). Prints the run's counts and health line as one JSON object; exit 1 on error.
"""

from __future__ import annotations

import argparse
import json
import logging
from dataclasses import asdict

from config.settings import Settings
from ingest.transports import open_transport
from ingest.transports.base import TransportError, TransportSpec
from ingest.transports.runner import run_transport
from storage.store import Store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.transports", description=__doc__)
    parser.add_argument(
        "--db", required=True, help="store URL (sqlite:///... or postgresql+psycopg://...)"
    )
    parser.add_argument("--spec", required=True, help="the feed's TransportSpec as JSON")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    spec = TransportSpec(**json.loads(args.spec))
    store = Store.open(args.db)
    try:
        transport = open_transport(spec, Settings.from_env())
    except TransportError as exc:
        print(json.dumps({"feed": spec.name, "error": str(exc)}))
        return 1
    try:
        run = run_transport(transport, store, spec)
    finally:
        transport.close()
        store.close()
    print(json.dumps(asdict(run)))
    return 1 if run.error else 0


if __name__ == "__main__":
    raise SystemExit(main())
