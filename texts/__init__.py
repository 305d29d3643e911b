"""User-facing text, one package per language (Indonesian first)."""
