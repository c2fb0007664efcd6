"""GraphQL for the GitHub emulator: executes queries with graphql-core against
github_schema.graphql (GitHub's own names) and shapes errors the way GitHub does
(HTTP 200, `type` at the top level of each error, `data` kept for the aliases that
resolved)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    build_schema,
    execute_sync,
    parse,
    validate,
)

from tests.emulators.github_scenario import GitHubScenario, PullRequest, RepoSpec
from tests.emulators.gitstore import Commit, GitStore

SCHEMA_PATH = Path(__file__).with_name("github_schema.graphql")
SCHEMA = build_schema(SCHEMA_PATH.read_text(encoding="utf-8"))

# GitHub refuses very large queries. It publishes node limits rather than an alias
# limit; the emulator draws the line where the bot's batching promise lies: more than
# 100 top-level `repository` fields -> HTTP 200, no data, one error (below).
MAX_REPOSITORY_ALIASES = 100
RESOURCE_LIMITS_MESSAGE = "Resource limits for this query exceeded."

# The batched query the bot sends, one alias per repository (see REPOSITORY_QUERY).
REPOSITORY_FIELDS = """
    nameWithOwner
    url
    description
    stargazerCount
    isArchived
    archivedAt
    isDisabled
    isEmpty
    pushedAt
    defaultBranchRef { name target { ... on Commit { committedDate oid } } }
"""


def repository_query(names: list[str], with_object: str | None = None) -> str:
    """A query with aliases r0..rN for "owner/name" strings, plus rateLimit."""
    parts = []
    for i, full in enumerate(names):
        owner, name = full.split("/", 1)
        obj = ""
        if with_object:
            expr = _quote(with_object)
            obj = f"file: object(expression: {expr}) {{ __typename ... on Blob {{ byteSize }} }}"
        parts.append(
            f"  r{i}: repository(owner: {_quote(owner)}, name: {_quote(name)}) "
            f"{{ {REPOSITORY_FIELDS} {obj} }}"
        )
    body = "\n".join(parts)
    return f"query {{\n{body}\n  rateLimit {{ cost limit remaining resetAt used }}\n}}"


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def node_id(kind: str, key: object) -> str:
    """Legacy-style global node id, e.g. MDEwOlJlcG9zaXRvcnkx for Repository 1."""
    raw = f"0{len(kind):02d}:{kind}{key}"
    return base64.b64encode(raw.encode()).decode()


def count_repository_fields(doc: DocumentNode) -> int:
    def walk(sel: SelectionSetNode | None) -> int:
        n = 0
        for s in sel.selections if sel else ():
            if isinstance(s, FieldNode) and s.name.value == "repository":
                n += 1
            elif isinstance(s, InlineFragmentNode):
                n += walk(s.selection_set)
        return n

    return sum(
        walk(d.selection_set) for d in doc.definitions if isinstance(d, OperationDefinitionNode)
    )


def format_error(err: GraphQLError) -> dict[str, Any]:
    """GitHub's layout: type (if any), path, locations, message, extensions."""
    out: dict[str, Any] = {}
    ext = dict(err.extensions or {})
    if "type" in ext:
        out["type"] = ext.pop("type")
    if err.path:
        out["path"] = list(err.path)
    if err.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in err.locations]
    out["message"] = err.message
    if ext:
        out["extensions"] = ext
    return out


_UNDEFINED_FIELD = re.compile(r"Cannot query field '(\w+)' on type '(\w+)'\.")
_UNKNOWN_ARG = re.compile(r"Unknown argument '(\w+)' on field '(\w+)\.(\w+)'\.")


def format_validation_error(err: GraphQLError) -> dict[str, Any]:
    """Reword graphql-core's commonest messages the way GitHub words them."""
    out = format_error(err)
    if m := _UNDEFINED_FIELD.match(err.message):
        out["message"] = f"Field '{m[1]}' doesn't exist on type '{m[2]}'"
        out["extensions"] = {"code": "undefinedField", "typeName": m[2], "fieldName": m[1]}
    elif m := _UNKNOWN_ARG.match(err.message):
        out["message"] = f"Field '{m[3]}' doesn't accept argument '{m[1]}'"
        out["extensions"] = {"code": "argumentNotAccepted", "name": m[3], "argumentName": m[1]}
    return out


class GraphQLExecutor:
    """Runs one query against a scenario. `rate` is what `rateLimit` reports."""

    def __init__(self, scenario: GitHubScenario, html_base: str) -> None:
        self.scenario = scenario
        self.html_base = html_base.rstrip("/")

    def run(
        self,
        query: str,
        variables: dict[str, Any] | None,
        rate: Callable[[], dict[str, Any]],
        operation_name: str | None = None,
    ) -> dict[str, Any]:
        try:
            doc = parse(query)
        except GraphQLError as e:
            return {"errors": [format_error(e)]}
        errors = validate(SCHEMA, doc)
        if errors:
            return {"errors": [format_validation_error(e) for e in errors]}
        if count_repository_fields(doc) > MAX_REPOSITORY_ALIASES:
            return {"errors": [{"message": RESOURCE_LIMITS_MESSAGE}]}
        root = {"repository": self._repository, "rateLimit": lambda info, **_: rate()}
        with self.scenario.lock:
            result = execute_sync(
                SCHEMA, doc, root, variable_values=variables or {}, operation_name=operation_name
            )
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [format_error(e) for e in result.errors]
        return body

    # -- resolvers -----------------------------------------------------------------------
    def _repository(
        self, info: Any, owner: str, name: str, followRenames: bool | None = True
    ) -> dict[str, Any]:
        spec, _moved = self.scenario.resolve(f"{owner}/{name}", follow=followRenames is not False)
        if spec is None:
            raise GraphQLError(
                f"Could not resolve to a Repository with the name '{owner}/{name}'.",
                extensions={"type": "NOT_FOUND"},
            )
        return self._repo_node(spec)

    def _repo_node(self, spec: RepoSpec) -> dict[str, Any]:
        store = spec.git()
        head = None if spec.is_empty else store.resolve(spec.default_branch)
        web = f"{self.html_base}/{spec.full_name}"
        archived_at = (
            (spec.archived_at or spec.pushed_at or spec.created_at) if spec.archived else None
        )

        def ref(name: str) -> dict[str, Any] | None:
            if name.startswith("refs/tags/"):  # a release's tag, or a bare one: at head
                tag = name.removeprefix("refs/tags/")
                c = head if tag in spec.releases or tag in spec.tags else None
                prefix, short = "refs/tags/", tag
            else:
                short = name.removeprefix("refs/heads/")
                c = store.resolve(short) if short in store.branches else None
                prefix = "refs/heads/"
            if c is None:
                return None
            return {
                "id": node_id("Ref", f"{spec.id}:{name if prefix == 'refs/tags/' else short}"),
                "name": short,
                "prefix": prefix,
                "target": self._commit_node(spec, c),
            }

        def obj(info: Any, expression: str | None = None, oid: str | None = None) -> Any:
            if oid is not None:
                return self._object_by_oid(spec, store, oid)
            return self._object_by_expression(spec, store, expression or "HEAD")

        return {
            "id": node_id("Repository", spec.id),
            "databaseId": spec.id,
            "name": spec.name,
            "nameWithOwner": spec.full_name,
            "url": web,
            "description": spec.description,
            "homepageUrl": spec.homepage,
            "stargazerCount": spec.stars,
            "forkCount": spec.forks,
            "isArchived": spec.archived,
            "archivedAt": archived_at,
            "isDisabled": spec.disabled,
            "isEmpty": head is None,
            "isFork": spec.fork,
            "isPrivate": spec.private,
            "isLocked": False,
            "createdAt": spec.created_at,
            "updatedAt": spec.updated_at or spec.pushed_at or spec.created_at,
            "pushedAt": spec.pushed_at,
            "defaultBranchRef": ref(spec.default_branch) if head else None,
            "ref": lambda info, qualifiedName: ref(qualifiedName),
            "object": obj,
            "issueOrPullRequest": lambda info, number: self._numbered(spec, number),
            "release": lambda info, tagName: self._release(spec, tagName),
        }

    def _numbered(self, spec: RepoSpec, number: int) -> dict[str, Any]:
        """An issue or a pull request; a number that is neither is null plus GitHub's
        NOT_FOUND error (its path inside the repository's alias)."""
        item = spec.numbered(number)
        if item is None:
            raise GraphQLError(
                f"Could not resolve to an issue or pull request with the number of {number}.",
                extensions={"type": "NOT_FOUND"},
            )
        pull = isinstance(item, PullRequest)
        state = "MERGED" if pull and item.merged else item.state.upper()
        node = {
            "__typename": "PullRequest" if pull else "Issue",
            "id": node_id("PullRequest" if pull else "Issue", f"{spec.id}:{number}"),
            "number": number,
            "title": item.title,
            "url": f"{self.html_base}/{spec.full_name}/{'pull' if pull else 'issues'}/{number}",
            "state": state,
            "closed": item.state == "closed",
            "createdAt": item.created_at,
        }
        if isinstance(item, PullRequest):
            node.update(merged=item.merged, isDraft=item.draft)
        return node

    def _release(self, spec: RepoSpec, tag: str) -> dict[str, Any] | None:
        r = spec.releases.get(tag)
        if r is None:
            return None  # GitHub: null, no error
        return {
            "id": node_id("Release", f"{spec.id}:{tag}"),
            "name": r.name,
            "tagName": r.tag,
            "url": f"{self.html_base}/{spec.full_name}/releases/tag/{r.tag}",
            "isDraft": r.draft,
            "isPrerelease": r.prerelease,
            "createdAt": r.created_at,
            "publishedAt": r.published_at,
        }

    def _commit_node(self, spec: RepoSpec, c: Commit) -> dict[str, Any]:
        return {
            "__typename": "Commit",
            "id": node_id("Commit", c.sha),
            "oid": c.sha,
            "abbreviatedOid": c.sha[:7],
            "committedDate": c.committer.date,
            "authoredDate": c.author.date,
            "message": c.message,
            "url": f"{self.html_base}/{spec.full_name}/commit/{c.sha}",
            "author": c.author.as_json(),
            "committer": c.committer.as_json(),
        }

    def _object_by_expression(self, spec: RepoSpec, store: GitStore, expr: str) -> Any:
        rev, colon, path = expr.partition(":")
        rev = spec.default_branch if rev in ("", "HEAD") else rev
        c = store.resolve(rev)
        if c is None:
            return None
        if not colon:
            return self._commit_node(spec, c)
        path = path.strip("/")
        files = store.trees[c.tree]
        if path in files:
            return self._blob_node(store, files[path])
        if store.is_dir(c.sha, path):
            return self._tree_node(store, c.sha, path)
        return None

    def _object_by_oid(self, spec: RepoSpec, store: GitStore, oid: str) -> Any:
        if oid in store.commits:
            return self._commit_node(spec, store.commits[oid])
        if oid in store.blobs:
            return self._blob_node(store, oid)
        return None

    @staticmethod
    def _blob_node(store: GitStore, sha: str) -> dict[str, Any]:
        data = store.blobs[sha]
        binary = b"\x00" in data
        return {
            "__typename": "Blob",
            "id": node_id("Blob", sha),
            "oid": sha,
            "abbreviatedOid": sha[:7],
            "byteSize": len(data),
            "isBinary": binary,
            "isTruncated": False,
            "text": None if binary else data.decode("utf-8", "replace"),
        }

    @staticmethod
    def _tree_node(store: GitStore, commit_sha: str, path: str) -> dict[str, Any]:
        entries = [
            {
                "name": child.rsplit("/", 1)[-1],
                "path": child,
                "type": "tree" if sha is None else "blob",
                "mode": 0o40000 if sha is None else 0o100644,
                "oid": sha or hashlib.sha1(f"{commit_sha}:{child}".encode()).hexdigest(),
            }
            for child, sha in store.listdir(commit_sha, path)
        ]
        key = f"{commit_sha}:{path}"
        oid = hashlib.sha1(key.encode()).hexdigest()  # stable stand-in for a tree id
        return {
            "__typename": "Tree",
            "id": node_id("Tree", oid),
            "oid": oid,
            "abbreviatedOid": oid[:7],
            "entries": entries,
        }
