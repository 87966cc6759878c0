"""Getting documents in: fetching, the ingest pipeline, the service, backfill and the CLI."""
