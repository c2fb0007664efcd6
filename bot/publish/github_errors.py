"""GitHub's refusals in one sentence that says what to do: the status, GitHub's own words
(its `message` and every `errors[].message` of a 422), and the next step."""

from __future__ import annotations

from github import GithubException

from bot.errors import PublishError

PR_NEEDS = "contents: write, pull-requests: write"


def said(data: object) -> str:
    """What GitHub said: its `message`, and for a 422 each `errors[].message` (or the
    field and code), e.g. "body is too long (maximum is 65536 characters)"."""
    if not isinstance(data, dict):
        return str(data or "")
    msg = str(data.get("message") or "")
    details = []
    for err in data.get("errors") or []:
        if isinstance(err, dict):
            text = err.get("message") or " ".join(
                str(err[k]) for k in ("field", "code") if err.get(k)
            )
            if text:
                details.append(str(text))
        elif err:
            details.append(str(err))
    return ": ".join(x for x in (msg, "; ".join(details)) if x)


# What to do after a 422, by what GitHub said.
_UNPROCESSABLE = (
    (
        "too long",
        "awesome-monitor keeps its texts within GitHub's limits, so this is a bug: "
        "please report it",
    ),  # fmt: skip
    (
        "Reference already exists",
        "another awesome-monitor run is writing the same branch; "
        "run one at a time (the workflow's `concurrency:`)",
    ),  # fmt: skip
    (
        "not a fast forward",
        "another awesome-monitor run moved the branch meanwhile; run one at "
        "a time (the workflow's `concurrency:`)",
    ),  # fmt: skip
)


class RaceLost(PublishError):
    """Another run wrote the same branch first: this run stops and leaves it to that one."""

    exit_code = 0


def explain(exc: GithubException, action: str, repo: str, needs: str = PR_NEEDS) -> PublishError:
    """Turn GitHub's answer into one sentence that says what to do; `needs` is the
    workflow permissions the action takes."""
    msg = said(exc.data)
    if exc.status == 401:
        return PublishError(f"{action}: GitHub refused the token (401); check GITHUB_TOKEN")
    if "not permitted to create or approve pull requests" in msg:
        return PublishError(
            f"{action}: GitHub Actions may not open pull requests in {repo}; turn on "
            "Settings → Actions → General → Workflow permissions → 'Allow GitHub Actions "
            "to create and approve pull requests'"
        )
    if exc.status == 403 and "Resource not accessible by integration" in msg:
        return PublishError(
            f"{action}: the token cannot write to {repo}; give the workflow `permissions: {needs}`"
        )
    if exc.status == 410 and "issues are disabled" in msg.lower():
        return PublishError(
            f"{action}: issues are turned off in {repo}; turn them on (Settings → General → "
            "Features → Issues), or use `awesome-monitor pr` instead"
        )
    if exc.status == 404:
        return PublishError(
            f"{action}: {repo} not found, or the token has no access to it "
            "(a fine-grained token needs this repository selected)"
        )
    if exc.status in (403, 429) and "secondary rate limit" in msg:
        return PublishError(
            f"{action}: GitHub's secondary rate limit for writes was reached in {repo}; "
            "nothing more was written, the next run picks up (wait a few minutes first)"
        )
    if exc.status == 403:
        return PublishError(f"{action}: GitHub answered 403 ({msg or 'forbidden'}) for {repo}")
    if exc.status == 422:
        todo = next((t for key, t in _UNPROCESSABLE if key in msg), "")
        return PublishError(f"{action}: GitHub refused it ({msg or 'unprocessable'})"
                            + (f"; {todo}" if todo else ""))  # fmt: skip
    if exc.status >= 500:
        return PublishError(
            f"{action}: GitHub could not be reached or kept failing (HTTP {exc.status}); "
            "nothing more was written, the next run picks up"
        )
    return PublishError(f"{action}: GitHub answered {exc.status} ({msg or 'error'})")
