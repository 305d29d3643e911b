"""Pure domain logic: the SOP workflow, content checks, diffs.  No I/O here."""
