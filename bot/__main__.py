"""`python -m bot [run|migrate|doctor|--version]`; without a command: run."""
from bot.cli import main

main()
