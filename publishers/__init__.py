"""Publishing targets: one module each, one interface (publishers/base.py)."""
