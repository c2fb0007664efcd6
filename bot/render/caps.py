"""How many items of one kind a reader is shown before "… and N more" (the terminal, the job
summary and the dashboard use the same number, so counts agree everywhere)."""

SHOWN = 25
