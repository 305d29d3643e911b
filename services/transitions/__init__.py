"""One move of a submission: decide (domain.workflow), record (audit) and cause (the effects table)."""
