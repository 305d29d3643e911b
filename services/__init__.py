"""Application services: one use case per function, one transaction each.

Handlers call these; these call the domain and storage.  Nothing here knows
Telegram's types.
"""
