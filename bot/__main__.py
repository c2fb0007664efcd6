"""`python -m bot` is the same as the `awesome-monitor` command."""

from bot.cli import main

raise SystemExit(main())
