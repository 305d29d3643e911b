"""The deployment's settings (.env) and what the program says of itself (version, start time).

Read by the composition root (bot/) and by the handlers; imports only texts/ and the publishers'
configuration types, never the bot."""
