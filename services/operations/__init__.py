"""Keeping the office's installation healthy: backups, restores and /kesehatan."""
