"""`python -m bot` is the same as the `awesome-monitor` command."""

from bot.cli import entry

entry()
