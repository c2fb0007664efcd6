"""The platform side (Renovate's split): read the list and the state from a GitHub
repository, open, update or close the bot's single pull request, and find, open, edit,
comment on and close issues (the dashboard's).

One branch (`awesome-monitor/status`) rebuilt each run as one commit on top of the
default branch's head, so the PR never conflicts. Never a second PR; never over a
human's commits; a PR closed unmerged is not reopened for the same change (its
fingerprint travels in the PR body's hidden metadata)."""

from __future__ import annotations

import base64
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
from github import (
    Auth,
    Github,
    GithubException,
    InputGitAuthor,
    InputGitTreeElement,
)
from github.Issue import Issue
from github.IssueComment import IssueComment
from github.PullRequest import PullRequest
from github.Repository import Repository

from bot.check.http import Http
from bot.check.providers.github_api import PUBLIC_API, primary_limit
from bot.errors import PublishError
from bot.publish.github_errors import PR_NEEDS, RaceLost, explain, said
from bot.render.done import Act, Done
from bot.render.fit import BODY, COMMENT, clip, clip_title
from bot.render.quiet_links import Redirect, quiet

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

BOT_NAME = "awesome-monitor"
BOT_EMAIL = "awesome-monitor@users.noreply.github.com"
MARKER = "Generated-by: awesome-monitor"
ISSUE_NEEDS = "contents: write, issues: write"  # the state branch, and the issue
# github.com's links to issues, pull requests, discussions and commits go through its
# redirect in what the bot writes (no back-reference; GitHub documents it).
REDIRECT = Redirect("github.com", "https://redirect.github.com/")


@dataclass
class PublishOutcome:
    """What `pr` or `issue` did."""

    action: str  # opened, updated, rebased, unchanged, closed, none, blocked, …
    number: int | None = None
    url: str | None = None
    detail: str = ""
    # What the state should remember of the pull request from now on (None: as it was).
    memory: dict[str, Any] | None = None
    refreshed: bool = False  # the list got every drift (a PR was opened or rebuilt)

    def done(self, thing: str) -> Done:
        """What the job summary's first line says of it (`thing`: "pull request")."""
        return Done(Act(self.action), thing, self.number, self.url, self.detail)


def _translated(action: str) -> Callable[[F], F]:
    """Every PyGithub and requests exception a platform call lets out becomes a
    `PublishError` that says what to do: no traceback, no URL, no header."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def call(self: Platform, *args: Any, **kwargs: Any) -> Any:
            try:
                return fn(self, *args, **kwargs)
            except GithubException as exc:
                raise explain(exc, action, self.name, self.needs) from None
            except requests.RequestException as exc:
                raise PublishError(
                    f"{action}: GitHub could not be reached or kept failing "
                    f"({type(exc).__name__}); nothing more was written, the next run picks up"
                ) from None

        return call  # type: ignore[return-value]

    return wrap


class Platform:
    """One repository on GitHub, through PyGithub. Every method translates GitHub's
    errors at this boundary; callers never see a PyGithub or requests exception."""

    def __init__(
        self, api_url: str, token: str, repo: str, timeout: float = 30.0,
        write_interval: float = 1.0, needs: str = PR_NEEDS, http: Http | None = None,
        server_url: str | None = None,
    ) -> None:  # fmt: skip
        """`needs`: the workflow permissions the command takes, named when GitHub refuses.
        Retries and waits are the run's HTTP policy (`http`), as for the checks; so is the
        pause GitHub asks for between writes (`write_interval`), which a stopping run skips:
        its history is saved at once (SIGTERM leaves seconds, not four pauses).
        `server_url`: the GitHub server's web address (GitHub Actions' `GITHUB_SERVER_URL`);
        without it the API's address says whether this is github.com."""
        self.dotcom = (
            server_url.rstrip("/").lower() == "https://github.com"
            if server_url
            else api_url.rstrip("/").lower() == PUBLIC_API
        )
        self.http = http or Http()
        self.write_interval = write_interval
        self._last_write = float("-inf")
        retry = self.http.retry("github", give_up=primary_limit)
        # 100 a page (GitHub's most): listing the open issues is one request for most lists.
        self.gh = Github(base_url=api_url.rstrip("/"), auth=Auth.Token(token), retry=retry,
                         timeout=int(timeout), per_page=100, seconds_between_requests=0,
                         seconds_between_writes=0, user_agent=BOT_NAME)  # fmt: skip
        self.name = repo
        self.needs = needs
        self.author = InputGitAuthor(BOT_NAME, BOT_EMAIL)
        self._lazy: Github | None = None  # the same client, reading nothing until asked
        try:
            self._open()
        except BaseException:
            self.gh.close()
            raise

    def _write(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """One GitHub write, `write_interval` after the last one (none once stopping)."""
        self.http.stop.wait(self._last_write + self.write_interval - time.monotonic())
        try:
            return call(*args, **kwargs)
        finally:
            self._last_write = time.monotonic()

    @_translated("reading the repository")
    def _open(self) -> None:
        self.repo: Repository = self.gh.get_repo(self.name)
        self.default: str = self.repo.default_branch

    def __enter__(self) -> Platform:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def quiet(self, text: str) -> str:
        """A body as the bot writes it (`bot.render.quiet_links`): no back-reference on
        github.com, no mention anywhere. Every body and comment goes through here."""
        return quiet(text, REDIRECT if self.dotcom else None)

    @property
    def html_url(self) -> str:
        """The repository's web address, as GitHub (or GitHub Enterprise) gives it."""
        return str(self.repo.html_url).rstrip("/")

    def close(self) -> None:
        self.gh.close()
        if self._lazy is not None:
            self._lazy.close()

    # -- reading -----------------------------------------------------------------
    @_translated("reading the default branch")
    def base_sha(self) -> str:
        return self.repo.get_git_ref(f"heads/{self.default}").object.sha

    @_translated("reading a file")
    def read_file(self, path: str, ref: str | None = None) -> str | None:
        """A file's text, or None when it does not exist. Over 1 MB (a big list, the
        history of a long one) the contents API gives no content: the Git Data API's blob
        does, up to 100 MB."""
        ref = ref or self.default
        try:
            content = self.repo.get_contents(path, ref=ref)
        except GithubException as exc:
            if exc.status == 404:
                return None
            if exc.status == 403 and "too_large" in str(exc.data):
                return self._read_blob(path, ref)
            raise explain(exc, f"reading {path}", self.name, self.needs) from None
        if isinstance(content, list):
            raise PublishError(f"{path} is a folder in {self.name}, expected the list's file")
        if content.encoding == "none" or (content.size and not content.content):
            return self._read_blob(path, ref)
        return base64.b64decode(content.content).decode("utf-8")

    def _read_blob(self, path: str, ref: str) -> str | None:
        """A big file: its blob, found in its folder's listing (which has no content)."""
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        listing = self.repo.get_contents(folder, ref=ref)
        entries = listing if isinstance(listing, list) else [listing]
        entry = next((e for e in entries if e.path == path), None)
        if entry is None:
            return None
        blob = self.repo.get_git_blob(entry.sha)
        return base64.b64decode(blob.content).decode("utf-8")

    @_translated("reading a branch")
    def branch_head(self, branch: str) -> tuple[str, str, list[str]] | None:
        """(sha, message, parent shas) of a branch's head commit, or None."""
        try:
            ref = self.repo.get_git_ref(f"heads/{branch}")
        except GithubException as exc:
            if exc.status == 404:
                return None
            raise explain(exc, f"reading branch {branch}", self.name, self.needs) from None
        commit = self.repo.get_git_commit(ref.object.sha)
        return commit.sha, commit.message, [p.sha for p in commit.parents]

    # -- writing -----------------------------------------------------------------
    @_translated("writing a branch")
    def commit_files(
        self, branch: str, files: dict[str, str], message: str, parent: str | None,
        base_tree_of: str | None, force: bool = True,
    ) -> str:  # fmt: skip
        """One commit with `files` on top of `parent` (or a root commit), then point
        `branch` at it in one ref update: the branch is never half-built. Not `force`:
        the branch must still be at `parent` (or not exist when `parent` is None), else
        another run wrote it meanwhile and `RaceLost` is raised."""
        try:
            elements = [
                InputGitTreeElement(path, "100644", "blob",
                                    sha=self._write(self.repo.create_git_blob, text, "utf-8").sha)
                for path, text in files.items()
            ]  # fmt: skip
            if base_tree_of:
                base = self.repo.get_git_commit(base_tree_of).tree
                tree = self._write(self.repo.create_git_tree, elements, base)
            else:
                tree = self._write(self.repo.create_git_tree, elements)
            parents = [self.repo.get_git_commit(parent)] if parent else []
            commit = self._write(self.repo.create_git_commit, message, tree, parents,
                                 author=self.author, committer=self.author)  # fmt: skip
            self._point(branch, commit.sha, force or parent is not None, force)
            return commit.sha
        except GithubException as exc:
            if (
                not force
                and exc.status == 422
                and any(m in said(exc.data) for m in ("already exists", "not a fast forward"))
            ):
                raise RaceLost(
                    f"another awesome-monitor run is updating {branch} in {self.name} right "
                    "now; this run leaves it to that one (run one at a time: the workflow's "
                    "`concurrency:`)"
                ) from None
            raise explain(exc, f"writing branch {branch}", self.name, self.needs) from None

    def _point(self, branch: str, sha: str, exists: bool, force: bool) -> None:
        """Move `branch` to `sha` (create it when it does not exist; not `force`: only
        create it, or move it forward)."""
        if exists:
            try:
                self._write(self.repo.get_git_ref(f"heads/{branch}").edit, sha, force=force)
                return
            except GithubException as exc:
                if exc.status != 404 or not force:
                    raise
        self._write(self.repo.create_git_ref, f"refs/heads/{branch}", sha)

    @_translated("finding the open pull request")
    def open_pull(self, branch: str) -> PullRequest | None:
        owner = self.name.split("/")[0]
        pulls = self.repo.get_pulls(state="open", head=f"{owner}:{branch}", base=self.default)
        return next(iter(pulls), None)

    @_translated("reading a pull request")
    def get_pull(self, number: int) -> PullRequest | None:
        try:
            return self.repo.get_pull(number)
        except GithubException as exc:
            if exc.status == 404:
                return None
            raise

    @_translated("opening the pull request")
    def create_pull(self, branch: str, title: str, body: str, labels: list[str]) -> PullRequest:
        title, body = clip_title(title), clip(self.quiet(body), BODY)  # texts are fitted
        try:
            pr = self._write(self.repo.create_pull, base=self.default, head=branch, title=title,
                             body=body)  # fmt: skip
        except GithubException as exc:
            if exc.status == 422 and "already exists" in str(exc.data):
                # A retried POST can land twice: take the PR that exists.
                existing = self.open_pull(branch)
                if existing is not None:
                    return existing
            raise explain(exc, "opening the pull request", self.name, self.needs) from None
        if labels:
            try:
                self._write(pr.add_to_labels, *labels)
            except GithubException as exc:
                log.warning(
                    "could not add labels: %s", explain(exc, "labelling", self.name, self.needs)
                )
        return pr

    @_translated("commenting on the pull request")
    def comment(self, pr: PullRequest, text: str) -> None:
        self._write(pr.create_issue_comment, clip(self.quiet(text), COMMENT))

    @_translated("reading the pull request's comments")
    def comment_bodies(self, pr: PullRequest) -> list[str]:
        return [c.body or "" for c in pr.get_issue_comments()]

    @_translated("updating the pull request")
    def edit_pull(self, pr: PullRequest, title: str, body: str) -> None:
        self._write(pr.edit, title=clip_title(title), body=clip(self.quiet(body), BODY))

    @_translated("closing the pull request")
    def close_pull(self, pr: PullRequest) -> None:
        self._write(pr.edit, state="closed")

    def _address(self, number: int) -> Issue:
        """Issue or pull request `number` as an address only: its comments are read or
        written without a request for the issue itself."""
        if self._lazy is None:
            self._lazy = self.gh.withLazy(True)
        return self._lazy.get_repo(self.name).get_issue(number)

    @_translated("reading the pull request's comments")
    def issue_comments(self, number: int) -> list[IssueComment]:
        """The comments of issue or pull request `number`, oldest first."""
        return list(self._address(number).get_comments())

    @_translated("commenting on the pull request")
    def add_issue_comment(self, number: int, text: str) -> None:
        self._write(self._address(number).create_comment, clip(self.quiet(text), COMMENT))

    @_translated("editing a comment on the pull request")
    def edit_comment(self, comment: IssueComment, text: str) -> None:
        self._write(comment.edit, clip(self.quiet(text), COMMENT))

    # -- issues --------------------------------------------------------------------
    @_translated("reading the issues")
    def find_issues(
        self, state: str, keep: Callable[[Issue], bool], labels: list[str] | None = None,
        newest_first: bool = False, scan: int | None = None,
    ) -> list[Issue]:  # fmt: skip
        """The issues in `state` ("open", "closed") that `keep` accepts, oldest first (or
        most recently updated first); pull requests, which GitHub lists as issues too, are
        skipped. At most `scan` issues and pull requests are looked at (None: every page)."""
        query: dict[str, Any] = {"state": state, "sort": "created", "direction": "asc"}
        if newest_first:
            query.update(sort="updated", direction="desc")
        if labels:
            query["labels"] = labels
        found = []
        for seen, issue in enumerate(self.repo.get_issues(**query)):
            if scan is not None and seen >= scan:
                break
            # A pull request's html_url is …/pull/N (reading `pull_request` on a plain
            # issue would cost one more request each: the listing leaves the key out).
            if "/pull/" not in (issue.html_url or "") and keep(issue):
                found.append(issue)
        return found

    @_translated("reading the dashboard issue")
    def get_issue(self, number: int) -> Issue | None:
        """Issue `number` (one request), or None when it is gone."""
        try:
            return self.repo.get_issue(number)
        except GithubException as exc:
            if exc.status in (404, 410):
                return None
            raise

    @_translated("opening the dashboard issue")
    def create_issue(self, title: str, body: str, labels: list[str]) -> Issue:
        return self._write(self.repo.create_issue, title=clip_title(title),
                           body=clip(self.quiet(body), BODY), labels=list(labels))  # fmt: skip

    @_translated("updating the dashboard issue")
    def edit_issue(self, issue: Issue, **fields: Any) -> None:
        """PATCH the issue: any of title, body, state ("open", "closed"), state_reason,
        labels (all of them)."""
        self._write(issue.edit, **_clipped(fields, self.quiet))

    @_translated("commenting on the dashboard issue")
    def comment_issue(self, issue: Issue, text: str) -> None:
        self._write(issue.create_comment, clip(self.quiet(text), COMMENT))

    @_translated("closing the dashboard issue")
    def close_issue(self, issue: Issue, reason: str = "completed", **fields: Any) -> None:
        """Close (`reason`: completed or not_planned), with any other field in one PATCH."""
        self._write(issue.edit, state="closed", state_reason=reason, **_clipped(fields, self.quiet))


def _clipped(fields: dict[str, Any], quieted: Callable[[str], str]) -> dict[str, Any]:
    """An issue's fields as written: the body quiet, all within GitHub's limits (a safety
    net: the texts are fitted)."""
    out = dict(fields)
    if isinstance(out.get("title"), str):
        out["title"] = clip_title(out["title"])
    if isinstance(out.get("body"), str):
        out["body"] = clip(quieted(out["body"]), BODY)
    return out
