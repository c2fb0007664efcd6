"""REST JSON bodies with GitHub's field names and shapes. Every API URL is built from
`Urls.api` (scheme, host, port and prefix of the incoming request) because PyGithub
only follows URLs on the host and prefix it was configured with."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from tests.emulators.github_graphql import node_id
from tests.emulators.github_scenario import Comment, Issue, PullRequest, RepoSpec
from tests.emulators.gitstore import Commit, GitStore, Person

DOCS = "https://docs.github.com/rest"

# Templated URL fields of a repository object (value: path after the repo URL).
_REPO_URL_FIELDS = {
    "forks_url": "/forks",
    "keys_url": "/keys{/key_id}",
    "collaborators_url": "/collaborators{/collaborator}",
    "teams_url": "/teams",
    "hooks_url": "/hooks",
    "issue_events_url": "/issues/events{/number}",
    "events_url": "/events",
    "assignees_url": "/assignees{/user}",
    "branches_url": "/branches{/branch}",
    "tags_url": "/tags",
    "blobs_url": "/git/blobs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "trees_url": "/git/trees{/sha}",
    "statuses_url": "/statuses/{sha}",
    "languages_url": "/languages",
    "stargazers_url": "/stargazers",
    "contributors_url": "/contributors",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "commits_url": "/commits{/sha}",
    "git_commits_url": "/git/commits{/sha}",
    "comments_url": "/comments{/number}",
    "issue_comment_url": "/issues/comments{/number}",
    "contents_url": "/contents/{+path}",
    "compare_url": "/compare/{base}...{head}",
    "merges_url": "/merges",
    "archive_url": "/{archive_format}{/ref}",
    "downloads_url": "/downloads",
    "issues_url": "/issues{/number}",
    "pulls_url": "/pulls{/number}",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "labels_url": "/labels{/name}",
    "releases_url": "/releases{/id}",
    "deployments_url": "/deployments",
}


@dataclass(frozen=True)
class Urls:
    api: str  # e.g. http://127.0.0.1:PORT/api/v3
    html: str  # e.g. https://github.com

    def repo(self, spec: RepoSpec) -> str:
        return f"{self.api}/repos/{spec.full_name}"


def b64_lines(data: bytes) -> str:
    """Base64 with a newline every 60 characters, as the contents API sends it."""
    s = base64.b64encode(data).decode()
    return "".join(s[i : i + 60] + "\n" for i in range(0, len(s), 60))


def user_json(u: Urls, login: str, user_id: int | None = None, kind: str | None = None) -> dict:
    uid = user_id or 1000 + int(hashlib.sha1(login.encode()).hexdigest()[:6], 16)
    kind = kind or ("Bot" if login.endswith("[bot]") else "User")
    return {
        "login": login,
        "id": uid,
        "node_id": node_id(kind, uid),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
        "gravatar_id": "",
        "url": f"{u.api}/users/{quote(login)}",
        "html_url": f"{u.html}/{quote(login)}",
        "type": kind,
        "user_view_type": "public",
        "site_admin": False,
    }


def repo_json(u: Urls, spec: RepoSpec, authenticated: bool = False) -> dict[str, Any]:
    base = u.repo(spec)
    web = f"{u.html}/{spec.full_name}"
    owner = user_json(u, spec.owner, spec.owner_id, spec.owner_type)
    license_ = None
    if spec.license_key:
        license_ = {
            "key": spec.license_key,
            "name": spec.license_key.upper(),
            "spdx_id": spec.license_key.upper(),
            "url": f"{u.api}/licenses/{spec.license_key}",
            "node_id": node_id("License", spec.license_key),
        }
    data: dict[str, Any] = {
        "id": spec.id,
        "node_id": node_id("Repository", spec.id),
        "name": spec.name,
        "full_name": spec.full_name,
        "private": spec.private,
        "owner": owner,
        "html_url": web,
        "description": spec.description,
        "fork": spec.fork,
        "url": base,
    }
    data.update({k: base + v for k, v in _REPO_URL_FIELDS.items()})
    data.update(
        {
            "created_at": spec.created_at,
            "updated_at": spec.updated_at or spec.pushed_at or spec.created_at,
            "pushed_at": spec.pushed_at,
            "git_url": f"git://{u.html.split('://', 1)[-1]}/{spec.full_name}.git",
            "ssh_url": f"git@{u.html.split('://', 1)[-1]}:{spec.full_name}.git",
            "clone_url": f"{web}.git",
            "svn_url": web,
            "homepage": spec.homepage,
            "size": 0 if spec.is_empty else 100,
            "stargazers_count": spec.stars,
            "watchers_count": spec.stars,
            "language": spec.language,
            "has_issues": spec.has_issues,
            "has_projects": True,
            "has_downloads": True,
            "has_wiki": True,
            "has_pages": False,
            "has_discussions": False,
            "forks_count": spec.forks,
            "mirror_url": None,
            "archived": spec.archived,
            "disabled": spec.disabled,
            # GitHub counts open issues and open pull requests together.
            "open_issues_count": len(spec.open_pulls()) + len(spec.open_issues()),
            "license": license_,
            "allow_forking": True,
            "is_template": False,
            "web_commit_signoff_required": False,
            "topics": list(spec.topics),
            "visibility": "private" if spec.private else "public",
            "forks": spec.forks,
            "open_issues": len(spec.open_pulls()) + len(spec.open_issues()),
            "watchers": spec.stars,
            "default_branch": spec.default_branch,
        }
    )
    if authenticated:
        data["permissions"] = {
            "admin": False,
            "maintain": False,
            "push": True,
            "triage": True,
            "pull": True,
        }
        # Merge settings are shown to callers with push access.
        data.update(
            {
                "allow_squash_merge": True,
                "allow_merge_commit": True,
                "allow_rebase_merge": True,
                "allow_auto_merge": False,
                "delete_branch_on_merge": False,
                "allow_update_branch": False,
                "use_squash_pr_title_as_default": False,
                "squash_merge_commit_message": "COMMIT_MESSAGES",
                "squash_merge_commit_title": "COMMIT_OR_PR_TITLE",
                "merge_commit_message": "PR_TITLE",
                "merge_commit_title": "MERGE_MESSAGE",
            }
        )
    if spec.owner_type == "Organization":
        data["organization"] = owner
    data["network_count"] = spec.forks
    data["subscribers_count"] = 1
    return data


def _person_user(u: Urls, p: Person) -> dict[str, Any] | None:
    """GitHub links a commit to an account only when the email matches one."""
    return None if p.email.endswith("@example.invalid") else user_json(u, p.name)


def _verification() -> dict[str, Any]:
    return {
        "verified": False,
        "reason": "unsigned",
        "signature": None,
        "payload": None,
        "verified_at": None,
    }


def git_commit_json(u: Urls, spec: RepoSpec, c: Commit) -> dict[str, Any]:
    """The git-data shape (POST/GET git/commits, PUT contents' "commit")."""
    base = u.repo(spec)
    return {
        "sha": c.sha,
        "node_id": node_id("Commit", c.sha),
        "url": f"{base}/git/commits/{c.sha}",
        "html_url": f"{u.html}/{spec.full_name}/commit/{c.sha}",
        "author": c.author.as_json(),
        "committer": c.committer.as_json(),
        "tree": {"sha": c.tree, "url": f"{base}/git/trees/{c.tree}"},
        "message": c.message,
        "parents": [
            {
                "sha": p,
                "url": f"{base}/git/commits/{p}",
                "html_url": f"{u.html}/{spec.full_name}/commit/{p}",
            }
            for p in c.parents
        ],
        "verification": _verification(),
    }


def commit_json(
    u: Urls, spec: RepoSpec, store: GitStore, c: Commit, files: bool = False
) -> dict[str, Any]:
    """The commits-API shape (GET commits, branches' "commit")."""
    base = u.repo(spec)
    data: dict[str, Any] = {
        "sha": c.sha,
        "node_id": node_id("Commit", c.sha),
        "commit": {
            "author": c.author.as_json(),
            "committer": c.committer.as_json(),
            "message": c.message,
            "tree": {"sha": c.tree, "url": f"{base}/git/trees/{c.tree}"},
            "url": f"{base}/git/commits/{c.sha}",
            "comment_count": 0,
            "verification": _verification(),
        },
        "url": f"{base}/commits/{c.sha}",
        "html_url": f"{u.html}/{spec.full_name}/commit/{c.sha}",
        "comments_url": f"{base}/commits/{c.sha}/comments",
        "author": _person_user(u, c.author),
        "committer": _person_user(u, c.committer),
        "parents": [
            {
                "sha": p,
                "url": f"{base}/commits/{p}",
                "html_url": f"{u.html}/{spec.full_name}/commit/{p}",
            }
            for p in c.parents
        ],
    }
    if files:
        changed = store.changed_paths(c)
        data["stats"] = {"total": len(changed), "additions": 0, "deletions": 0}
        data["files"] = [
            {
                "sha": store.trees[c.tree].get(p),
                "filename": p,
                "status": status,
                "additions": 0,
                "deletions": 0,
                "changes": 0,
            }
            for p, status in changed
        ]
    return data


def ref_json(u: Urls, spec: RepoSpec, branch: str, sha: str) -> dict[str, Any]:
    base = u.repo(spec)
    return {
        "ref": f"refs/heads/{branch}",
        "node_id": node_id("Ref", f"{spec.id}:{branch}"),
        "url": f"{base}/git/refs/heads/{quote(branch)}",
        "object": {"sha": sha, "type": "commit", "url": f"{base}/git/commits/{sha}"},
    }


def branch_json(u: Urls, spec: RepoSpec, store: GitStore, name: str, c: Commit) -> dict:
    base = u.repo(spec)
    return {
        "name": name,
        "commit": commit_json(u, spec, store, c),
        "_links": {
            "self": f"{base}/branches/{quote(name)}",
            "html": f"{u.html}/{spec.full_name}/tree/{quote(name)}",
        },
        "protected": False,
        "protection": {
            "enabled": False,
            "required_status_checks": {"enforcement_level": "off", "contexts": [], "checks": []},
        },
        "protection_url": f"{base}/branches/{quote(name)}/protection",
    }


def content_json(
    u: Urls,
    spec: RepoSpec,
    ref: str,
    path: str,
    sha: str | None,
    data: bytes | None = None,
    with_content: bool = True,
) -> dict[str, Any]:
    """A file (sha = blob sha) or a folder (sha None) in the contents API."""
    base = u.repo(spec)
    is_dir = sha is None
    oid = sha or hashlib.sha1(f"tree:{ref}:{path}".encode()).hexdigest()
    git_url = f"{base}/git/{'trees' if is_dir else 'blobs'}/{oid}"
    html_url = f"{u.html}/{spec.full_name}/{'tree' if is_dir else 'blob'}/{ref}/{path}"
    out: dict[str, Any] = {
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": oid,
        "size": 0 if data is None else len(data),
        "url": f"{base}/contents/{quote(path)}?ref={quote(ref)}",
        "html_url": html_url,
        "git_url": git_url,
        "download_url": None
        if is_dir
        else f"https://raw.githubusercontent.com/{spec.full_name}/{ref}/{path}",
        "type": "dir" if is_dir else "file",
    }
    if with_content and data is not None:
        out["content"] = b64_lines(data)
        out["encoding"] = "base64"
    out["_links"] = {"self": out["url"], "git": git_url, "html": html_url}
    return out


def label_json(u: Urls, spec: RepoSpec, name: str) -> dict[str, Any]:
    meta = spec.labels.get(name, {})
    return {
        "id": meta.get("id", 0),
        "node_id": node_id("Label", f"{spec.id}:{name}"),
        "url": f"{u.repo(spec)}/labels/{quote(name)}",
        "name": name,
        "color": meta.get("color", "ededed"),
        "default": False,
        "description": meta.get("description"),
    }


def comment_json(
    u: Urls, spec: RepoSpec, number: int, c: Comment, pull: bool = True
) -> dict[str, Any]:
    base = u.repo(spec)
    kind = "pull" if pull else "issues"
    return {
        "id": c.id,
        "node_id": node_id("IssueComment", c.id),
        "url": f"{base}/issues/comments/{c.id}",
        "html_url": f"{u.html}/{spec.full_name}/{kind}/{number}#issuecomment-{c.id}",
        "issue_url": f"{base}/issues/{number}",
        "body": c.body,
        "user": user_json(u, c.user),
        "created_at": c.created_at,
        "updated_at": c.created_at,
        "author_association": "NONE",
    }


def pull_json(u: Urls, spec: RepoSpec, store: GitStore, pr: PullRequest) -> dict[str, Any]:
    base = u.repo(spec)
    web = f"{u.html}/{spec.full_name}/pull/{pr.number}"
    # A closed pull request keeps the head it had when it closed (GitHub freezes
    # refs/pull/N/head): a branch pushed or deleted afterwards changes nothing here.
    open_head = pr.state == "open" and pr.head in store.branches
    head = store.resolve(pr.head) if open_head else store.commits.get(pr.head_sha)
    base_c = store.resolve(pr.base)
    repo = repo_json(u, spec)
    owner = user_json(u, spec.owner, spec.owner_id, spec.owner_type)
    commits = 0
    if head and base_c:
        commits = sum(
            1 for c in store.history(head.sha) if not store.is_ancestor(c.sha, base_c.sha)
        )
    changed = len(store.changed_paths(head)) if head else 0
    return {
        "url": f"{base}/pulls/{pr.number}",
        "id": pr.id,
        "node_id": node_id("PullRequest", pr.id),
        "html_url": web,
        "diff_url": f"{web}.diff",
        "patch_url": f"{web}.patch",
        "issue_url": f"{base}/issues/{pr.number}",
        "number": pr.number,
        "state": pr.state,
        "locked": False,
        "title": pr.title,
        "user": user_json(u, pr.user),
        "body": pr.body,
        "created_at": pr.created_at,
        "updated_at": pr.updated_at,
        "closed_at": pr.closed_at,
        "merged_at": pr.merged_at,
        "merge_commit_sha": None,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "labels": [label_json(u, spec, n) for n in pr.labels],
        "milestone": None,
        "draft": pr.draft,
        "commits_url": f"{base}/pulls/{pr.number}/commits",
        "review_comments_url": f"{base}/pulls/{pr.number}/comments",
        "review_comment_url": f"{base}/pulls/comments{{/number}}",
        "comments_url": f"{base}/issues/{pr.number}/comments",
        "statuses_url": f"{base}/statuses/{head.sha if head else pr.head_sha}",
        "head": {
            "label": pr.head_label,
            "ref": pr.head,
            "sha": head.sha if head else pr.head_sha,
            "user": owner,
            "repo": repo,
        },
        "base": {
            "label": f"{spec.owner}:{pr.base}",
            "ref": pr.base,
            "sha": base_c.sha if base_c else "",
            "user": owner,
            "repo": repo,
        },
        "_links": {
            "self": {"href": f"{base}/pulls/{pr.number}"},
            "html": {"href": web},
            "issue": {"href": f"{base}/issues/{pr.number}"},
            "comments": {"href": f"{base}/issues/{pr.number}/comments"},
            "review_comments": {"href": f"{base}/pulls/{pr.number}/comments"},
            "commits": {"href": f"{base}/pulls/{pr.number}/commits"},
        },
        "author_association": "NONE",
        "auto_merge": None,
        "active_lock_reason": None,
        "merged": pr.merged,
        "mergeable": None if pr.state != "open" else True,
        "mergeable_state": "clean" if pr.state == "open" else "unknown",
        "merged_by": None,
        "comments": len(pr.comments),
        "review_comments": 0,
        "maintainer_can_modify": False,
        "commits": commits,
        "additions": 0,
        "deletions": 0,
        "changed_files": changed,
    }


def issue_json(
    u: Urls, spec: RepoSpec, item: Issue | PullRequest, single: bool = False
) -> dict[str, Any]:
    """An issue, or a pull request seen through the issues API (then with the
    `pull_request` key, which plain issues lack). `closed_by` only comes with a single
    issue (GET /issues/{n}), as on GitHub: a listed issue lacks it."""
    base = u.repo(spec)
    pull = isinstance(item, PullRequest)
    web = f"{u.html}/{spec.full_name}/{'pull' if pull else 'issues'}/{item.number}"
    assignees = [] if pull else [user_json(u, a) for a in item.assignees]
    data: dict[str, Any] = {
        "url": f"{base}/issues/{item.number}",
        "repository_url": base,
        "labels_url": f"{base}/issues/{item.number}/labels{{/name}}",
        "comments_url": f"{base}/issues/{item.number}/comments",
        "events_url": f"{base}/issues/{item.number}/events",
        "html_url": web,
        "id": item.id,
        "node_id": node_id("Issue", item.id),
        "number": item.number,
        "title": item.title,
        "user": user_json(u, item.user),
        "labels": [label_json(u, spec, n) for n in item.labels],
        "state": item.state,
        "locked": False if pull else item.locked,
        "assignee": assignees[0] if assignees else None,
        "assignees": assignees,
        "milestone": None,
        "comments": len(item.comments),
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "closed_at": item.closed_at,
        "author_association": "OWNER" if item.user == spec.owner else "NONE",
        "active_lock_reason": None,
        "body": item.body,
        "timeline_url": f"{base}/issues/{item.number}/timeline",
        "performed_via_github_app": None,
        "state_reason": None if pull else item.state_reason,
    }
    if pull:
        data["draft"] = item.draft
        data["pull_request"] = {
            "url": f"{base}/pulls/{item.number}",
            "html_url": web,
            "diff_url": f"{web}.diff",
            "patch_url": f"{web}.patch",
            "merged_at": item.merged_at,
        }
    if single:
        closer = None if pull else item.closed_by
        data["closed_by"] = user_json(u, closer) if closer else None
    return data
