"""SOP steps 6-7 and after: the publication outbox, what "🌐 Terbit" owes, updates, withdrawals and expiry."""
