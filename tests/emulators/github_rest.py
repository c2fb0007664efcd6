"""REST handlers of the GitHub emulator: repositories, commits, contents, git data,
pull requests, issues (which include pull requests, as on GitHub), labels and comments.
Mixed into GitHubEmulator, which does the routing, authentication and rate limiting; each
handler gets a Ctx and returns a Reply."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tests.emulators.base import Reply, Request
from tests.emulators.github_json import (
    DOCS,
    Urls,
    branch_json,
    comment_json,
    commit_json,
    content_json,
    git_commit_json,
    issue_json,
    label_json,
    pull_json,
    ref_json,
    repo_json,
)
from tests.emulators.github_scenario import Comment, Issue, PullRequest, RepoSpec
from tests.emulators.gitstore import Commit, GitStore, Person, now_iso

ACTIONS_PR_MESSAGE = "GitHub Actions is not permitted to create or approve pull requests."
# What GitHub answers a GITHUB_TOKEN without `issues: write` that opens an issue.
INTEGRATION_MESSAGE = "Resource not accessible by integration"
ISSUES_DISABLED_DOC = "https://docs.github.com/rest/issues/issues#create-an-issue"


@dataclass
class Ctx:
    req: Request
    urls: Urls
    token: str | None
    login: str
    spec: RepoSpec | None = None

    @property
    def store(self) -> GitStore:
        assert self.spec is not None
        return self.spec.git()

    def body(self) -> Any:
        try:
            return self.req.json() or {}
        except ValueError:
            return {}

    def arg(self, name: str, default: str | None = None) -> str | None:
        return self.req.query.get(name, [default])[0]


class HttpError(Exception):
    def __init__(self, reply: Reply) -> None:
        self.reply = reply


def error(status: int, message: str, doc: str = DOCS, **extra: Any) -> Reply:
    body: dict[str, Any] = {"message": message, **extra, "documentation_url": doc}
    body["status"] = str(status)
    return Reply.json(status, body)


def not_found(doc: str = DOCS) -> Reply:
    return error(404, "Not Found", doc)


def validation_failed(resource: str, **err: str) -> Reply:
    return error(422, "Validation Failed", errors=[{"resource": resource, **err}])


# What GitHub refuses (../shared/api-facts.md, "What GitHub refuses or drops").
MAX_BODY = 65_536  # characters (code points) of a pull request's or an issue's body
MAX_TITLE = 256  # characters of a title
MAX_COMMENT_BYTES = 262_144  # bytes of a comment's body, UTF-8
MAX_CONTENTS_BYTES = 1_048_576  # the contents API gives a file's content up to 1 MB


def too_long(body: dict[str, Any], resource: str = "Issue") -> Reply | None:
    """GitHub's 422 for a title or body over its limit (PRs and issues alike), else None."""
    for key, limit in (("title", MAX_TITLE), ("body", MAX_BODY)):
        value = body.get(key)
        if isinstance(value, str) and len(value) > limit:
            msg = f"{key} is too long (maximum is {limit} characters)"
            return validation_failed(resource, code="custom", field=key, message=msg)
    return None


def comment_too_long(text: str) -> Reply | None:
    if len(text.encode("utf-8")) > MAX_COMMENT_BYTES:
        msg = f"body is too long (maximum is {MAX_COMMENT_BYTES} bytes)"
        return validation_failed("IssueComment", code="custom", field="body", message=msg)
    return None


REPO_ROOT = re.compile(r"^/repos/(?P<o>[^/]+)/(?P<r>[^/]+)(?P<rest>/.*)?$")
REPO_BY_ID = re.compile(r"^/repositories/(?P<id>\d+)(?P<rest>/.*)?$")

# (method, pattern for the part after the repository, counter template, handler name)
_ROUTE_TABLE: list[tuple[str, str, str, str]] = [
    ("GET", r"", "", "get_repo"),
    ("GET", r"/commits", "/commits", "list_commits"),
    ("GET", r"/commits/(?P<ref>.+)", "/commits/{sha}", "get_commit"),
    ("GET", r"/branches/(?P<branch>.+)", "/branches/{branch}", "get_branch"),
    ("GET", r"/readme", "/readme", "get_readme"),
    ("GET", r"/contents/?(?P<path>.*)", "/contents/{path}", "get_contents"),
    ("PUT", r"/contents/(?P<path>.+)", "/contents/{path}", "put_contents"),
    ("GET", r"/git/refs", "/git/refs", "list_refs"),
    ("POST", r"/git/refs", "/git/refs", "create_ref"),
    ("GET", r"/git/ref/(?P<ref>.+)", "/git/ref/{ref}", "get_ref"),
    ("GET", r"/git/refs/(?P<ref>.+)", "/git/refs/{ref}", "get_ref"),
    ("PATCH", r"/git/refs/(?P<ref>.+)", "/git/refs/{ref}", "update_ref"),
    ("DELETE", r"/git/refs/(?P<ref>.+)", "/git/refs/{ref}", "delete_ref"),
    ("POST", r"/git/blobs", "/git/blobs", "create_blob"),
    ("GET", r"/git/blobs/(?P<sha>\w+)", "/git/blobs/{sha}", "get_blob"),
    ("POST", r"/git/trees", "/git/trees", "create_tree"),
    ("GET", r"/git/trees/(?P<sha>\w+)", "/git/trees/{sha}", "get_tree"),
    ("POST", r"/git/commits", "/git/commits", "create_commit"),
    ("GET", r"/git/commits/(?P<sha>\w+)", "/git/commits/{sha}", "get_git_commit"),
    ("GET", r"/pulls", "/pulls", "list_pulls"),
    ("POST", r"/pulls", "/pulls", "create_pull"),
    ("GET", r"/pulls/(?P<n>\d+)", "/pulls/{n}", "get_pull"),
    ("PATCH", r"/pulls/(?P<n>\d+)", "/pulls/{n}", "edit_pull"),
    ("GET", r"/issues", "/issues", "list_issues"),
    ("POST", r"/issues", "/issues", "create_issue"),
    ("GET", r"/issues/(?P<n>\d+)", "/issues/{n}", "get_issue"),
    ("PATCH", r"/issues/(?P<n>\d+)", "/issues/{n}", "edit_issue"),
    ("GET", r"/issues/(?P<n>\d+)/labels", "/issues/{n}/labels", "list_issue_labels"),
    ("POST", r"/issues/(?P<n>\d+)/labels", "/issues/{n}/labels", "add_labels"),
    ("DELETE", r"/issues/(?P<n>\d+)/labels/(?P<name>.+)", "/issues/{n}/labels/{name}", "del_label"),
    ("GET", r"/issues/(?P<n>\d+)/comments", "/issues/{n}/comments", "list_comments"),
    ("POST", r"/issues/(?P<n>\d+)/comments", "/issues/{n}/comments", "add_comment"),
    ("PATCH", r"/issues/comments/(?P<cid>\d+)", "/issues/comments/{id}", "edit_comment"),
    ("GET", r"/labels", "/labels", "list_labels"),
    ("POST", r"/labels", "/labels", "create_label"),
]
SUB_ROUTES = [(m, re.compile(f"^{p}$"), t, h) for m, p, t, h in _ROUTE_TABLE]


class RestHandlers:
    """Handlers named in _ROUTE_TABLE, as `_<name>(ctx, **path_params)`."""

    login: str
    forbid_pull_creation: bool
    forbid_issue_creation: bool = False  # 403 as for a GITHUB_TOKEN without issues: write

    # -- repositories ------------------------------------------------------------------------
    def _get_repo(self, ctx: Ctx) -> Reply:
        assert ctx.spec
        return Reply.json(200, repo_json(ctx.urls, ctx.spec, ctx.token is not None))

    def _require_git(self, ctx: Ctx) -> GitStore:
        assert ctx.spec
        store = ctx.store
        if ctx.spec.is_empty or not store.branches:
            raise HttpError(error(409, "Git Repository is empty."))
        return store

    def _resolve(self, ctx: Ctx, ref: str | None) -> Commit:
        assert ctx.spec
        store = self._require_git(ctx)
        c = store.resolve(ref or ctx.spec.default_branch)
        if c is None:
            raise HttpError(error(404, f"No commit found for the ref {ref}"))
        return c

    def _list_commits(self, ctx: Ctx) -> Reply:
        assert ctx.spec
        c = self._resolve(ctx, ctx.arg("sha"))
        history = ctx.store.history(c.sha, ctx.arg("path") or None)
        since, until = ctx.arg("since"), ctx.arg("until")
        history = [
            h
            for h in history
            if (not since or h.committer.date >= since) and (not until or h.committer.date <= until)
        ]
        items = [commit_json(ctx.urls, ctx.spec, ctx.store, h) for h in history]
        return self._paginate(ctx, items)

    def _get_commit(self, ctx: Ctx, ref: str) -> Reply:
        assert ctx.spec
        c = self._resolve(ctx, ref)
        return Reply.json(200, commit_json(ctx.urls, ctx.spec, ctx.store, c, files=True))

    def _get_branch(self, ctx: Ctx, branch: str) -> Reply:
        assert ctx.spec
        store = ctx.store
        if branch not in store.branches:
            return error(404, "Branch not found")
        c = store.commits[store.branches[branch]]
        return Reply.json(200, branch_json(ctx.urls, ctx.spec, store, branch, c))

    # -- contents ------------------------------------------------------------------------------
    def _get_contents(self, ctx: Ctx, path: str) -> Reply:
        assert ctx.spec
        if ctx.spec.is_empty or not ctx.store.branches:
            return error(404, "This repository is empty.")
        ref = ctx.arg("ref") or ctx.spec.default_branch
        c = self._resolve(ctx, ref)
        path = path.strip("/")
        files = ctx.store.trees[c.tree]
        if path in files:
            sha = files[path]
            data = ctx.store.blobs[sha]
            if len(data) > MAX_CONTENTS_BYTES:  # GitHub: use the Git Data API instead
                msg = ("This API returns blobs up to 1 MB in size. The requested blob is too "
                       "large to fetch via the API, but you can use the Git Data API to "
                       "request blobs up to 100 MB in size.")  # fmt: skip
                err = {"resource": "Blob", "field": "data", "code": "too_large"}
                return error(403, msg, errors=[err])
            return Reply.json(200, content_json(ctx.urls, ctx.spec, ref, path, sha, data))
        if not path or ctx.store.is_dir(c.sha, path):
            items = []
            for child, sha in ctx.store.listdir(c.sha, path):
                data = ctx.store.blobs[sha] if sha else None
                items.append(content_json(ctx.urls, ctx.spec, ref, child, sha, data, False))
            return Reply.json(200, items)
        return not_found("https://docs.github.com/rest/repos/contents#get-repository-content")

    def _get_readme(self, ctx: Ctx) -> Reply:
        assert ctx.spec
        ref = ctx.arg("ref") or ctx.spec.default_branch
        c = self._resolve(ctx, ref)
        for path, sha in sorted(ctx.store.trees[c.tree].items()):
            if "/" not in path and path.lower().startswith("readme"):
                data = ctx.store.blobs[sha]
                return Reply.json(200, content_json(ctx.urls, ctx.spec, ref, path, sha, data))
        return not_found()

    def _person(self, given: Any, fallback: Person | None = None) -> Person:
        if isinstance(given, dict) and given.get("name") and given.get("email"):
            return Person(given["name"], given["email"], given.get("date") or now_iso())
        if fallback is not None:
            return fallback
        return Person(self.login, f"{self.login}@users.noreply.github.com", now_iso())

    def _put_contents(self, ctx: Ctx, path: str) -> Reply:
        assert ctx.spec
        spec, body, store = ctx.spec, ctx.body(), ctx.store
        path = path.strip("/")
        if not isinstance(body.get("message"), str) or not isinstance(body.get("content"), str):
            return validation_failed("Commit", field="message", code="missing_field")
        branch = body.get("branch") or spec.default_branch
        if store.branches and branch not in store.branches:
            return error(404, f"Branch {branch} not found")
        current = store.files(branch).get(path)
        if current is not None and not body.get("sha"):
            return error(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
        if current is not None and body["sha"] != current:
            return error(409, f"{path} does not match {body['sha']}")
        try:
            data = base64.b64decode(body["content"], validate=False)
        except ValueError:
            return error(422, "content is not valid Base64")
        committer = self._person(body.get("committer"))
        author = self._person(body.get("author"), committer)
        c = store.commit_files(branch, {path: data}, body["message"], author, committer)
        self._pushed(spec)
        content = content_json(ctx.urls, spec, branch, path, store.files(branch)[path], data, False)
        commit = git_commit_json(ctx.urls, spec, c)
        return Reply.json(201 if current is None else 200, {"content": content, "commit": commit})

    @staticmethod
    def _pushed(spec: RepoSpec) -> None:
        spec.pushed_at = now_iso()
        spec.git()  # fold a push to the default branch into spec.files / last_commit

    # -- refs ------------------------------------------------------------------------------------
    def _list_refs(self, ctx: Ctx) -> Reply:
        assert ctx.spec
        store = self._require_git(ctx)
        items = [ref_json(ctx.urls, ctx.spec, b, s) for b, s in sorted(store.branches.items())]
        return self._paginate(ctx, items)

    def _get_ref(self, ctx: Ctx, ref: str) -> Reply:
        assert ctx.spec
        store = self._require_git(ctx)
        if ref.startswith("heads/") and ref[6:] in store.branches:
            return Reply.json(200, ref_json(ctx.urls, ctx.spec, ref[6:], store.branches[ref[6:]]))
        if ctx.req.path.find("/git/refs/") >= 0:  # legacy prefix match returns a list
            hits = [
                ref_json(ctx.urls, ctx.spec, b, s)
                for b, s in sorted(store.branches.items())
                if f"heads/{b}".startswith(ref)
            ]
            if hits:
                return Reply.json(200, hits)
        return not_found("https://docs.github.com/rest/git/refs#get-a-reference")

    def _create_ref(self, ctx: Ctx) -> Reply:
        assert ctx.spec
        body, store = ctx.body(), ctx.store
        ref, sha = body.get("ref"), body.get("sha")
        if not isinstance(ref, str) or not ref.startswith("refs/") or ref.count("/") < 2:
            return error(
                422, "Reference name must start with 'refs/' and have at least two slashes."
            )
        if not ref.startswith("refs/heads/"):
            return error(422, "Only branch refs are emulated")
        branch = ref[len("refs/heads/") :]
        if branch in store.branches:
            return error(422, "Reference already exists")
        if sha not in store.commits:
            return error(422, "Object does not exist")
        store.set_branch(branch, sha)
        self._pushed(ctx.spec)
        data = ref_json(ctx.urls, ctx.spec, branch, sha)
        return Reply.json(201, data, {"Location": data["url"]})

    def _update_ref(self, ctx: Ctx, ref: str) -> Reply:
        assert ctx.spec
        body, store = ctx.body(), ctx.store
        branch = ref.removeprefix("heads/")
        if not ref.startswith("heads/") or branch not in store.branches:
            return error(422, "Reference does not exist")
        sha = body.get("sha")
        if sha not in store.commits:
            return error(422, "Object does not exist")
        if not body.get("force") and not store.is_ancestor(store.branches[branch], sha):
            return error(422, "Update is not a fast forward")
        store.set_branch(branch, sha)
        self._pushed(ctx.spec)
        return Reply.json(200, ref_json(ctx.urls, ctx.spec, branch, sha))

    def _delete_ref(self, ctx: Ctx, ref: str) -> Reply:
        assert ctx.spec
        store = ctx.store
        branch = ref.removeprefix("heads/")
        if not ref.startswith("heads/") or branch not in store.branches:
            return error(422, "Reference does not exist")
        if branch == ctx.spec.default_branch:
            return error(422, "Cannot delete the default branch")
        store.delete_branch(branch)
        return Reply(204)

    # -- git data ------------------------------------------------------------------------------
    def _create_blob(self, ctx: Ctx) -> Reply:
        assert ctx.spec
        body = ctx.body()
        content = body.get("content")
        if not isinstance(content, str):
            return validation_failed("Blob", field="content", code="missing_field")
        is_b64 = body.get("encoding") == "base64"
        data = base64.b64decode(content) if is_b64 else content.encode()
        sha = ctx.store.put_blob(data)
        url = f"{ctx.urls.repo(ctx.spec)}/git/blobs/{sha}"
        return Reply.json(201, {"sha": sha, "url": url}, {"Location": url})

    def _get_blob(self, ctx: Ctx, sha: str) -> Reply:
        assert ctx.spec
        data = ctx.store.blobs.get(sha)
        if data is None:
            return not_found()
        url = f"{ctx.urls.repo(ctx.spec)}/git/blobs/{sha}"
        return Reply.json(
            200,
            {
                "sha": sha,
                "node_id": f"B_{sha[:12]}",
                "size": len(data),
                "url": url,
                "content": base64.b64encode(data).decode(),
                "encoding": "base64",
            },
        )

    def _tree_reply(self, ctx: Ctx, sha: str, status: int) -> Reply:
        assert ctx.spec
        base = ctx.urls.repo(ctx.spec)
        entries = ctx.store.trees[sha]
        tree = [
            {
                "path": p,
                "mode": "100644",
                "type": "blob",
                "sha": s,
                "size": len(ctx.store.blobs[s]),
                "url": f"{base}/git/blobs/{s}",
            }
            for p, s in sorted(entries.items())
        ]
        body = {"sha": sha, "url": f"{base}/git/trees/{sha}", "tree": tree, "truncated": False}
        return Reply.json(status, body)

    def _create_tree(self, ctx: Ctx) -> Reply:
        store, body = ctx.store, ctx.body()
        entries: dict[str, str] = {}
        base_tree = body.get("base_tree")
        if base_tree:
            if base_tree in store.commits:
                base_tree = store.commits[base_tree].tree
            if base_tree not in store.trees:
                return error(422, "Invalid tree info")
            entries = dict(store.trees[base_tree])
        for item in body.get("tree") or []:
            path = str(item.get("path", "")).strip("/")
            if item.get("type", "blob") != "blob" or not path:
                return validation_failed("Tree", field="tree", code="invalid")
            if "content" in item and item["content"] is not None:
                entries[path] = store.put_blob(str(item["content"]).encode())
            elif item.get("sha") is None:
                entries.pop(path, None)
            elif item["sha"] in store.blobs:
                entries[path] = item["sha"]
            else:
                return error(422, f"tree.sha {item['sha']} is not a valid blob")
        return self._tree_reply(ctx, store.put_tree(entries), 201)

    def _get_tree(self, ctx: Ctx, sha: str) -> Reply:
        store = ctx.store
        if sha in store.commits:
            sha = store.commits[sha].tree
        if sha not in store.trees:
            return not_found()
        return self._tree_reply(ctx, sha, 200)

    def _create_commit(self, ctx: Ctx) -> Reply:
        assert ctx.spec
        store, body = ctx.store, ctx.body()
        tree, parents = body.get("tree"), body.get("parents") or []
        if tree not in store.trees:
            return error(422, "Tree SHA does not exist")
        if any(p not in store.commits for p in parents):
            return error(422, "Parent SHA does not exist or is not a commit object")
        committer = self._person(body.get("committer"))
        author = self._person(body.get("author"), committer)
        c = store.put_commit(tree, parents, str(body.get("message", "")), author, committer)
        data = git_commit_json(ctx.urls, ctx.spec, c)
        return Reply.json(201, data, {"Location": data["url"]})

    def _get_git_commit(self, ctx: Ctx, sha: str) -> Reply:
        assert ctx.spec
        c = ctx.store.commits.get(sha)
        if c is None:
            return not_found()
        return Reply.json(200, git_commit_json(ctx.urls, ctx.spec, c))

    # -- pull requests -------------------------------------------------------------------------
    def _pull(self, ctx: Ctx, n: str) -> PullRequest:
        assert ctx.spec
        pr = ctx.spec.pulls.get(int(n))
        if pr is None:
            raise HttpError(not_found())
        return pr

    def _list_pulls(self, ctx: Ctx) -> Reply:
        assert ctx.spec
        state = ctx.arg("state", "open")
        head, base = ctx.arg("head"), ctx.arg("base")
        out = []
        for pr in sorted(ctx.spec.pulls.values(), key=lambda p: -p.number):
            if state != "all" and pr.state != state:
                continue
            if head and ":" in head and pr.head_label.lower() != head.lower():
                continue
            if head and ":" not in head and pr.head != head:
                continue
            if base and pr.base != base:
                continue
            out.append(pull_json(ctx.urls, ctx.spec, ctx.store, pr))
        return self._paginate(ctx, out)

    def _create_pull(self, ctx: Ctx) -> Reply:
        assert ctx.spec
        spec, store, body = ctx.spec, ctx.store, ctx.body()
        if self.forbid_pull_creation:
            return error(403, ACTIONS_PR_MESSAGE)
        head_arg, base = str(body.get("head") or ""), str(body.get("base") or "")
        owner, _, head = head_arg.rpartition(":")
        owner = owner or spec.owner
        if not body.get("title"):
            return validation_failed("PullRequest", field="title", code="missing_field")
        refused = too_long(body)
        if refused is not None:
            return refused
        if base not in store.branches:
            return validation_failed("PullRequest", field="base", code="invalid")
        if owner.lower() != spec.owner.lower() or head not in store.branches:
            return validation_failed("PullRequest", field="head", code="invalid")
        for pr in spec.open_pulls():
            if pr.head == head and pr.base == base:
                msg = f"A pull request already exists for {spec.owner}:{head}."
                return validation_failed("PullRequest", code="custom", message=msg)
        if store.is_ancestor(store.branches[head], store.branches[base]):
            msg = f"No commits between {base} and {head}"
            return validation_failed("PullRequest", code="custom", message=msg)
        number = spec.next_number()
        pr = PullRequest(
            number=number,
            id=spec.id * 1000 + number,
            title=str(body["title"]),
            body=body.get("body"),
            head=head,
            head_owner=spec.owner,
            base=base,
            user=self.login,
            draft=bool(body.get("draft", False)),
            head_sha=store.branches[head],
        )
        spec.pulls[number] = pr
        data = pull_json(ctx.urls, spec, store, pr)
        return Reply.json(201, data, {"Location": data["url"]})

    def _get_pull(self, ctx: Ctx, n: str) -> Reply:
        assert ctx.spec
        return Reply.json(200, pull_json(ctx.urls, ctx.spec, ctx.store, self._pull(ctx, n)))

    def _edit_pull(self, ctx: Ctx, n: str) -> Reply:
        assert ctx.spec
        pr, body = self._pull(ctx, n), ctx.body()
        refused = too_long(body)
        if refused is not None:
            return refused
        state = body.get("state")
        if state == "open" and pr.state != "open":
            if pr.merged or pr.head not in ctx.store.branches:
                return error(422, "state cannot be changed. The branch has been deleted.")
            if any(p.head == pr.head and p.base == pr.base for p in ctx.spec.open_pulls()):
                msg = f"A pull request already exists for {pr.head_label}."
                return validation_failed("PullRequest", code="custom", message=msg)
        for key in ("title", "body", "base"):
            if key in body:
                setattr(pr, key, body[key])
        if state in ("open", "closed") and state != pr.state:
            pr.state = state
            pr.closed_at = now_iso() if state == "closed" else None
        pr.updated_at = now_iso()
        if pr.head in ctx.store.branches:
            pr.head_sha = ctx.store.branches[pr.head]
        return Reply.json(200, pull_json(ctx.urls, ctx.spec, ctx.store, pr))

    # -- issues (pull requests included): the issue, its labels and comments -----------------
    def _numbered(self, ctx: Ctx, n: str) -> Issue | PullRequest:
        assert ctx.spec
        item = ctx.spec.numbered(int(n))
        if item is None:
            raise HttpError(not_found("https://docs.github.com/rest/issues/issues#get-an-issue"))
        return item

    @staticmethod
    def _issues_enabled(ctx: Ctx) -> None:
        assert ctx.spec
        if not ctx.spec.has_issues:
            raise HttpError(error(410, "Issues are disabled for this repo", ISSUES_DISABLED_DOC))

    def _list_issues(self, ctx: Ctx) -> Reply:
        """GitHub's filters: state (open), labels (all of them), creator, assignee,
        milestone, since; sort created|updated|comments, direction desc. Pull requests
        are listed too, with their `pull_request` key."""
        assert ctx.spec
        self._issues_enabled(ctx)
        state = ctx.arg("state", "open")
        labels = [x.strip() for x in (ctx.arg("labels") or "").split(",") if x.strip()]
        creator, assignee = ctx.arg("creator"), ctx.arg("assignee")
        milestone, since = ctx.arg("milestone"), ctx.arg("since")
        items: list[Issue | PullRequest] = [*ctx.spec.issues.values(), *ctx.spec.pulls.values()]
        out = []
        for item in items:
            names = {x.lower() for x in item.labels}
            who = [] if isinstance(item, PullRequest) else [a.lower() for a in item.assignees]
            if state != "all" and item.state != state:
                continue
            if any(x.lower() not in names for x in labels):
                continue
            if creator and item.user.lower() != creator.lower():
                continue
            if assignee == "none" and who or assignee == "*" and not who:
                continue
            if assignee not in (None, "none", "*") and assignee.lower() not in who:
                continue
            if milestone not in (None, "none"):  # no milestones in the emulator
                continue
            if since and item.updated_at < since:
                continue
            out.append(item)
        sort, desc = ctx.arg("sort", "created"), ctx.arg("direction", "desc") != "asc"
        keys = {
            "updated": lambda i: (i.updated_at, i.number),
            "comments": lambda i: (len(i.comments), i.number),
        }
        out.sort(key=keys.get(sort or "", lambda i: (i.created_at, i.number)), reverse=desc)
        return self._paginate(ctx, [issue_json(ctx.urls, ctx.spec, i) for i in out])

    def _create_issue(self, ctx: Ctx) -> Reply:
        assert ctx.spec
        spec, body = ctx.spec, ctx.body()
        self._issues_enabled(ctx)
        if self.forbid_issue_creation:
            return error(403, INTEGRATION_MESSAGE, ISSUES_DISABLED_DOC)
        title = body.get("title")
        if not isinstance(title, str | int) or title == "":
            return validation_failed("Issue", field="title", code="missing_field")
        refused = too_long(body)
        if refused is not None:
            return refused
        labels = body.get("labels") or []
        assignees = list(body.get("assignees") or [])
        if body.get("assignee"):
            assignees.append(str(body["assignee"]))
        number = spec.next_number()
        issue = Issue(number, spec.id * 1000 + number, str(title), body.get("body"), self.login,
                      assignees=assignees)  # fmt: skip
        self._set_labels(spec, issue, labels)
        spec.issues[number] = issue
        data = issue_json(ctx.urls, spec, issue, single=True)
        return Reply.json(201, data, {"Location": data["url"]})

    def _get_issue(self, ctx: Ctx, n: str) -> Reply:
        assert ctx.spec
        return Reply.json(200, issue_json(ctx.urls, ctx.spec, self._numbered(ctx, n), single=True))

    def _edit_issue(self, ctx: Ctx, n: str) -> Reply:
        """PATCH an issue, or a pull request's issue side (title, body, state, labels)."""
        assert ctx.spec
        item, body = self._numbered(ctx, n), ctx.body()
        state, reason = body.get("state"), body.get("state_reason")
        if state not in (None, "open", "closed"):
            return validation_failed("Issue", field="state", code="invalid")
        if reason not in (None, "completed", "not_planned", "reopened"):
            return validation_failed("Issue", field="state_reason", code="invalid")
        refused = too_long(body)
        if refused is not None:
            return refused
        if isinstance(item, PullRequest) and state == "open" and item.merged:
            return error(422, "state cannot be changed. The pull request has been merged.")
        for key in ("title", "body"):
            if key in body:
                setattr(item, key, body[key])
        if isinstance(body.get("labels"), list):
            item.labels = []
            self._set_labels(ctx.spec, item, body["labels"])
        if isinstance(item, Issue) and isinstance(body.get("assignees"), list):
            item.assignees = [str(a) for a in body["assignees"]]
        if state and state != item.state:
            item.state = state
            item.closed_at = now_iso() if state == "closed" else None
            if isinstance(item, Issue):
                item.closed_by = self.login if state == "closed" else None
                item.state_reason = reason or ("completed" if state == "closed" else "reopened")
        elif isinstance(item, Issue) and reason and item.state == "closed":
            item.state_reason = reason
        item.updated_at = now_iso()
        return Reply.json(200, issue_json(ctx.urls, ctx.spec, item, single=True))

    def _set_labels(self, spec: RepoSpec, item: Issue | PullRequest, names: list[Any]) -> None:
        for name in names:
            name = name.get("name") if isinstance(name, dict) else str(name)
            self._ensure_label(spec, name)
            if name not in item.labels:
                item.labels.append(name)

    def _issue_labels(self, ctx: Ctx, item: Issue | PullRequest) -> Reply:
        assert ctx.spec
        return Reply.json(200, [label_json(ctx.urls, ctx.spec, name) for name in item.labels])

    def _list_issue_labels(self, ctx: Ctx, n: str) -> Reply:
        return self._issue_labels(ctx, self._numbered(ctx, n))

    def _add_labels(self, ctx: Ctx, n: str) -> Reply:
        assert ctx.spec
        item, body = self._numbered(ctx, n), ctx.body()
        names = body.get("labels", []) if isinstance(body, dict) else body
        if not isinstance(names, list):
            return validation_failed("Label", field="labels", code="invalid")
        self._set_labels(ctx.spec, item, names)
        return self._issue_labels(ctx, item)

    def _del_label(self, ctx: Ctx, n: str, name: str) -> Reply:
        item = self._numbered(ctx, n)
        if name not in item.labels:
            return error(404, "Label does not exist")
        item.labels.remove(name)
        return self._issue_labels(ctx, item)

    @staticmethod
    def _ensure_label(spec: RepoSpec, name: str, **meta: Any) -> None:
        if name not in spec.labels:
            spec.labels[name] = {"id": 9000 + len(spec.labels), "color": "ededed", **meta}

    def _list_comments(self, ctx: Ctx, n: str) -> Reply:
        assert ctx.spec
        item = self._numbered(ctx, n)
        pull = isinstance(item, PullRequest)
        items = [comment_json(ctx.urls, ctx.spec, item.number, c, pull) for c in item.comments]
        return self._paginate(ctx, items)

    def _add_comment(self, ctx: Ctx, n: str) -> Reply:
        assert ctx.spec
        item, body = self._numbered(ctx, n), ctx.body()
        if not isinstance(body.get("body"), str):
            return validation_failed("IssueComment", field="body", code="missing_field")
        if isinstance(item, Issue) and item.locked:
            return error(403, "Unable to create comment because issue is locked.")
        refused = comment_too_long(body["body"])
        if refused is not None:
            return refused
        comment = Comment(ctx.spec.next_comment_id(), body["body"], self.login, now_iso())
        item.comments.append(comment)
        item.updated_at = now_iso()
        pull = isinstance(item, PullRequest)
        data = comment_json(ctx.urls, ctx.spec, item.number, comment, pull)
        return Reply.json(201, data, {"Location": data["url"]})

    def _edit_comment(self, ctx: Ctx, cid: str) -> Reply:
        assert ctx.spec
        for item in [*ctx.spec.pulls.values(), *ctx.spec.issues.values()]:
            for c in item.comments:
                if c.id == int(cid):
                    text = str(ctx.body().get("body", c.body))
                    refused = comment_too_long(text)
                    if refused is not None:
                        return refused
                    c.body = text
                    pull = isinstance(item, PullRequest)
                    return Reply.json(200, comment_json(ctx.urls, ctx.spec, item.number, c, pull))
        return not_found()

    def _list_labels(self, ctx: Ctx) -> Reply:
        assert ctx.spec
        items = [label_json(ctx.urls, ctx.spec, name) for name in ctx.spec.labels]
        return self._paginate(ctx, items)

    def _create_label(self, ctx: Ctx) -> Reply:
        assert ctx.spec
        body = ctx.body()
        name = body.get("name")
        if not isinstance(name, str) or not name:
            return validation_failed("Label", field="name", code="missing_field")
        if name in ctx.spec.labels:
            return validation_failed("Label", field="name", code="already_exists")
        color = str(body.get("color", "ededed")).lstrip("#")
        self._ensure_label(ctx.spec, name, color=color, description=body.get("description"))
        return Reply.json(201, label_json(ctx.urls, ctx.spec, name))

    # -- pagination -------------------------------------------------------------------------------
    def _paginate(self, ctx: Ctx, items: list[Any]) -> Reply:
        """GitHub-style pages: per_page (default 30, max 100), page, and a Link header."""
        try:
            per_page = min(max(int(ctx.arg("per_page") or 30), 1), 100)
            page = max(int(ctx.arg("page") or 1), 1)
        except ValueError:
            per_page, page = 30, 1
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        links = []

        def link(p: int, rel: str) -> str:
            query = {k: v[0] for k, v in ctx.req.query.items()}
            query["page"] = str(p)
            return f'<http://{ctx.req.host}{ctx.req.path}?{urlencode(query)}>; rel="{rel}"'

        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        if page > 1:
            links += [link(1, "first"), link(page - 1, "prev")]
        headers = {"Link": ", ".join(links)} if links else {}
        return Reply.json(200, chunk, headers)
