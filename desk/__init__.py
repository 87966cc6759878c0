"""The editors' wire desk and the JSON API: a FastAPI app over ``storage.search`` that never writes.

The one operator action that changes the store, re-running a quarantined document, is a callable the CLI
injects (``desk.app.Rerun``), because the desk sits below ``ingest`` and must not import it.
"""
