"""The one error edge: every error a user can meet is a `BotError` carrying its exit code.

Raised anywhere, printed as one line by `bot.cli.main` and nowhere else. Third-party
exceptions (PyGithub, requests) are translated where they enter: the GitHub platform and
the HTTP policy. Anything else that escapes is a bug, reported as one (exit 70)."""

from __future__ import annotations

EXIT_OK = 0  # done, even with dead links
EXIT_DEAD = 1  # dead links found and --fail-on-dead given
EXIT_INPUT = 2  # usage or input error: bad file, config, state, option or cron expression
EXIT_INCOMPLETE = 3  # the run could not complete: nothing was written to the list or the PR
EXIT_BUG = 70  # an internal error (EX_SOFTWARE): a bug to report
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
EXIT_TERMINATED = 143  # SIGTERM (128 + 15), e.g. a cancelled GitHub Actions job
EXIT_PIPE = 141  # stdout closed early, e.g. `| head` (128 + SIGPIPE)


class BotError(Exception):
    """An error a user acts on; `str(exc)` is one line saying what to do."""

    exit_code = EXIT_INPUT


class InputError(BotError):
    """Bad input a maintainer must fix: a missing file, a bad option or value."""


class ConfigError(InputError):
    """A bad config file; the message names the key and the file."""


class StateError(InputError):
    """The state file cannot be used; the message says why and what to do."""


class CronError(InputError):
    """A cron expression that cannot be used."""


class IncompleteError(BotError):
    """The run could not complete (a service lost, a budget spent, a token refused)."""

    exit_code = EXIT_INCOMPLETE


class PublishError(IncompleteError):
    """GitHub refused or failed a write; the message says what to do."""


class Interrupted(BaseException):
    """A signal stopped the run: exit 128 + its number (SIGINT 130, SIGTERM 143). Like
    KeyboardInterrupt not an `Exception`, so no handler swallows it; `str()` is the line."""

    def __init__(self, signum: int, message: str) -> None:
        super().__init__(message)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum
