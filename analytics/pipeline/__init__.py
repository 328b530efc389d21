"""Raw bytes -> per-document tables: ingest, clean, gazetteer, units, tokens, hygiene."""
