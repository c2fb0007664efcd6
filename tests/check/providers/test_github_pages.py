"""Links into a repository (issues, pull requests, commits, releases, wiki, …): with a token
they ride in their repository's GraphQL batch (its fate applies to them, a linked number,
commit or release tag is verified in the same query); without one they stay web links.
End to end with the real CLI against the emulators, over HTTP."""

from __future__ import annotations

import math
import socket
from typing import Any

import pytest
import requests
from graphql import GraphQLSchema, build_schema, parse, validate

from bot.check.providers import owner, target_of
from bot.check.providers.github import GitHub, GitHubPage
from bot.check.providers.github_urls import GitHubKind
from bot.parse.target import Kind
from tests.conftest import SHARED
from tests.emulators import web as w
from tests.emulators.github_graphql import SCHEMA
from tests.emulators.github_scenario import PullRequest, RepoSpec
from tests.world import MakeWorld, World

REAL_SCHEMA = SHARED / "realdata" / "github-schema.graphql"
SHA = "0123456789abcdef0123456789abcdef01234567"


def claim(url: str) -> Any:
    return target_of(url)


# -- classification ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "repo", "path", "checks"),
    [
        ("https://github.com/o/r/issues/12", "o/r", "issues/12", {"number": 12}),
        ("https://github.com/o/r/issues/12#issuecomment-1", "o/r", "issues/12", {"number": 12}),
        ("https://github.com/o/r/pull/3", "o/r", "pull/3", {"number": 3}),
        ("https://github.com/o/r/pull/3/files", "o/r", "pull/3/files", {"number": 3}),
        ("https://www.github.com/O/R/pull/3/commits?w=1", "O/R", "pull/3/commits", {"number": 3}),
        (f"https://github.com/o/r/commit/{SHA}", "o/r", f"commit/{SHA}", {"sha": SHA}),
        ("https://github.com/o/r/commit/ABCDEF1.patch", "o/r", "commit/ABCDEF1.patch",
         {"sha": "abcdef1"}),
        ("https://github.com/o/r/releases/tag/v1.0", "o/r", "releases/tag/v1.0", {"tag": "v1.0"}),
        ("https://github.com/o/r/releases/tag/pkg/v2", "o/r", "releases/tag/pkg/v2",
         {"tag": "pkg/v2"}),
        ("https://github.com/o/r/releases", "o/r", "releases", {}),
        ("https://github.com/o/r/releases/latest", "o/r", "releases/latest", {}),
        ("https://github.com/o/r/issues", "o/r", "issues", {}),
        ("https://github.com/o/r/issues?q=is%3Aopen", "o/r", "issues", {}),
        ("https://github.com/o/r/pulls", "o/r", "pulls", {}),
        ("https://github.com/o/r/wiki", "o/r", "wiki", {}),
        ("https://github.com/o/r/wiki/Home-Page", "o/r", "wiki/Home-Page", {}),
        ("https://github.com/o/r/discussions/5", "o/r", "discussions/5", {}),
        ("https://github.com/o/r/actions/workflows/ci.yml", "o/r", "actions/workflows/ci.yml",
         {}),
        ("http://github.com/o/r/stargazers", "o/r", "stargazers", {}),
    ],
)  # fmt: skip
def test_pages_of_a_repository_are_claimed(
    url: str, repo: str, path: str, checks: dict[str, Any]
) -> None:
    t = claim(url)
    assert isinstance(t, GitHubPage) and t.kind is GitHubKind.PAGE
    assert (t.url, t.repo, t.path) == (url, repo, path)  # the URL as written: a web link
    assert {k: v for k in ("number", "sha", "tag") if (v := getattr(t, k)) is not None} == checks


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/orgs/o/repositories",  # GitHub's own pages, not owner/name
        "https://github.com/topics/python",
        "https://github.com/sponsors/someone",
        "https://github.com/o",
        "https://gist.github.com/o/abc123/revisions",
        "https://github.com/o/r/releases/download/v1.0/model.zip",  # an asset, not the release
        "https://github.com/o/r/archive/refs/heads/main.zip",
        "https://github.com/o/r/no-such-page",
        "https://github.com/o/r/pull/new",
        "https://github.com/o/r/issues/99999999999",  # not a number GitHub can have
        "https://github.com/o/r/commit/not-a-sha",
        "https://github.com/o/r/releases/tag",
        "https://example.com/o/r/issues/1",
    ],
)
def test_other_links_are_not_pages(url: str) -> None:
    assert claim(url).kind is Kind.WEB


def test_repositories_and_paths_are_unchanged() -> None:
    assert claim("https://github.com/o/r").kind is GitHubKind.REPO
    assert claim("https://github.com/o/r/blob/main/a.md").kind is GitHubKind.PATH


def test_a_page_is_github_s_with_a_token_and_the_web_s_without(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = claim("https://github.com/O/R/issues/12")
    monkeypatch.delenv("GH_TOKEN", raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", "t")
    assert GitHub().key(page) == "o/r"
    found = owner(page)
    assert found is not None and (found[0].name, found[1]) == ("github", "o/r")
    monkeypatch.delenv("GITHUB_TOKEN")
    assert GitHub().key(page) is None
    found = owner(page)
    assert found is not None and (found[0].name, found[1]) == ("web", page.url)


# -- the emulator answers as GitHub does ---------------------------------------------------


def test_emulator_answers_pages_as_github_does(github_emulator: Any, github_scenario: Any) -> None:
    spec = github_scenario.add("o/r")
    spec.add_issue("an issue")
    pr = add_pull(spec)
    spec.add_release("v1.0")
    spec.tags.add("bare")
    query = """query($n: Int!, $m: Int!, $x: Int!) { repository(owner: "o", name: "r") {
      issue: issueOrPullRequest(number: $n) { __typename ... on Issue { number state } }
      pull: issueOrPullRequest(number: $m) { __typename ... on PullRequest { number merged } }
      gone: issueOrPullRequest(number: $x) { __typename }
      release(tagName: "v1.0") { tagName url }
      noRelease: release(tagName: "nope") { tagName }
      tag: ref(qualifiedName: "refs/tags/bare") { name prefix }
      noTag: ref(qualifiedName: "refs/tags/nope") { name }
      branch: ref(qualifiedName: "main") { name prefix }
    } }"""
    resp = requests.post(
        github_emulator.graphql_url,
        json={"query": query, "variables": {"n": 1, "m": pr, "x": 99}},
        headers={"Authorization": "token test-token"},
        timeout=5,
    )
    body = resp.json()
    assert resp.status_code == 200
    assert body["data"]["repository"] == {
        "issue": {"__typename": "Issue", "number": 1, "state": "OPEN"},
        "pull": {"__typename": "PullRequest", "number": pr, "merged": False},
        "gone": None,
        "release": {"tagName": "v1.0", "url": "https://github.com/o/r/releases/tag/v1.0"},
        "noRelease": None,
        "tag": {"name": "bare", "prefix": "refs/tags/"},
        "noTag": None,
        "branch": {"name": "main", "prefix": "refs/heads/"},
    }
    # Only the missing number is an error (GitHub's NOT_FOUND, its path inside the alias).
    (error,) = body["errors"]
    assert error["type"] == "NOT_FOUND" and error["path"] == ["repository", "gone"]
    assert (
        error["message"] == "Could not resolve to an issue or pull request with the number of 99."
    )


# -- end to end ----------------------------------------------------------------------------


@pytest.fixture
def world(make_world: MakeWorld) -> World:
    """Here, a world with an empty GitHub scenario (not the sample's): each test adds its
    repositories, then writes its list."""
    wd = make_world("# Awesome\n", web_cases=False)
    wd.github.scenario.repos.clear()
    wd.github.scenario.redirects.clear()
    return wd


@pytest.fixture(scope="module")
def real_schema() -> GraphQLSchema:
    if not REAL_SCHEMA.is_file():
        pytest.skip("../shared/realdata/github-schema.graphql is absent")
    schema = build_schema(REAL_SCHEMA.read_text(encoding="utf-8"), assume_valid_sdl=True)
    schema._validation_errors = []  # GitHub's SDL has deprecation quirks graphql-core refuses
    return schema


def repo(world: World, name: str, issues: int = 0, **kw: Any) -> RepoSpec:
    """A repository with `issues` issues (numbers 1…), a release `v1.0`."""
    spec = world.github.scenario.add(name, stars=100, **kw)
    for n in range(issues):
        spec.add_issue(f"issue {n + 1}")
    spec.add_release("v1.0")
    return spec


def add_pull(spec: RepoSpec) -> int:
    n = spec.next_number()
    spec.pulls[n] = PullRequest(n, n, "a change", None, "feature", spec.owner, "main", "someone")
    return n


def write(world: World, *urls: str) -> None:
    world.list_path.write_text(
        "# Awesome\n\n" + "".join(f"- [link {i}]({u}) - Something.\n" for i, u in enumerate(urls)),
        encoding="utf-8",
    )


def test_with_a_token_pages_ride_in_their_repository_s_query(
    world: World, real_schema: GraphQLSchema
) -> None:
    spec = repo(world, "o/r", issues=2)
    pr = add_pull(spec)
    repo(world, "a/b", issues=3)
    spec.tags.add("v0.9")
    sha = spec.head().sha
    pages = [
        "https://github.com/o/r/issues/1",
        f"https://github.com/o/r/pull/{pr}/files",
        f"https://github.com/o/r/issues/{pr}",  # a PR by its issue URL: GitHub redirects
        f"https://github.com/o/r/commit/{sha}",
        f"https://github.com/o/r/commit/{sha[:7]}",
        "https://github.com/o/r/releases/tag/v1.0",
        "https://github.com/o/r/releases/tag/v0.9",  # a tag with no release: shown too
        "https://github.com/o/r/releases",
        "https://github.com/o/r/wiki",
        "https://github.com/o/r/discussions",
        "https://github.com/o/r/actions",
        "https://github.com/a/b/issues/3#issuecomment-9",  # a repository linked only here
    ]
    write(world, "https://github.com/o/r", *pages)
    run = world.run("check", "--write")
    assert run.code == 0, run.err
    by_url = run.by_url()
    for url in pages:
        assert by_url[url]["kind"] == "github_page", url
        assert by_url[url]["verdict"] == "alive", by_url[url]
        assert by_url[url]["repo"] in ("o/r", "a/b")
    # One GraphQL query for both repositories and everything inside them; no web request.
    assert run.report["requests"] == {**run.report["requests"], "github": 1, "web": 0}
    assert world.github.total_requests() == 1
    assert world.web.total_requests() == 0
    (body,) = world.github.graphql_log
    fields = ("issueOrPullRequest(number:", "release(tagName:", "ref(qualifiedName:",
              "object(expression:")  # fmt: skip
    for field in fields:
        assert field in body["query"]
    assert validate(real_schema, parse(body["query"])) == []
    assert validate(SCHEMA, parse(body["query"])) == []


@pytest.fixture
def github_on_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """`github.com` resolves to the loopback web emulator: a link written
    `http://github.com:PORT/…` is fetched from it (never from the real GitHub)."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host or "")
        if name.rstrip(".").lower() in ("github.com", "www.github.com"):
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_without_a_token_pages_stay_web_links(
    world: World, github_on_loopback: None, no_proxy_env: None
) -> None:
    repo(world, "o/r", issues=1)
    world.web.script("/o/r/issues/1", w.ok())
    world.web.script("/o/r/wiki", w.ok())
    base = f"http://github.com:{world.web.port}"
    pages = [f"{base}/o/r/issues/1", f"{base}/o/r/wiki", f"{base}/o/r/issues/2"]
    write(world, *pages)
    run = world.run("check", "--write", token=False)
    assert run.code == 0, run.err
    by_url = run.by_url()
    assert [by_url[u]["kind"] for u in pages] == ["github_page"] * 3
    assert [by_url[u]["verdict"] for u in pages] == ["alive", "alive", "unknown"]
    assert by_url[pages[2]]["http_status"] == 404 and by_url[pages[2]]["failures_in_a_row"] == 1
    assert run.report["requests"]["web"] == 3 and run.report["requests"]["github"] == 0
    assert world.web.hits["/o/r/issues/1"] == 1 and world.web.hits["/o/r/issues/2"] == 1
    assert world.github.total_requests() == 0


@pytest.mark.parametrize(
    "missing",
    [
        "https://github.com/o/r/issues/7",
        "https://github.com/o/r/pull/7/files",
        "https://github.com/o/r/commit/deadbeefdeadbeef",
        "https://github.com/o/r/releases/tag/v9.9",
    ],
)
def test_a_missing_issue_commit_or_release_is_failing_then_dead(world: World, missing: str) -> None:
    repo(world, "o/r", issues=2)
    kept = ["https://github.com/o/r", "https://github.com/o/r/issues/2",
            "https://github.com/o/r/releases/tag/v1.0"]  # fmt: skip
    write(world, *kept, missing)
    first = world.run("check", "--write")
    assert first.code == 0, first.err
    gone = first.by_url()[missing]
    assert (gone["verdict"], gone["failures_in_a_row"]) == ("unknown", 1), gone
    assert gone["error"]
    assert all(first.by_url()[u]["verdict"] == "alive" for u in kept)
    second = world.run("check", "--write")
    gone = second.by_url()[missing]
    assert (gone["verdict"], gone["failures_in_a_row"]) == ("dead", 2), gone
    assert all(second.by_url()[u]["verdict"] == "alive" for u in kept)
    assert world.github.total_requests() == 2  # one query a run


def test_a_renamed_repository_fixes_its_pages(world: World) -> None:
    spec = repo(world, "o/r", issues=12)
    sha = spec.head().sha
    fixed = {
        "https://github.com/o/r/issues/12#issuecomment-1":
            "https://github.com/NewOwner/name/issues/12#issuecomment-1",
        "https://github.com/o/r/releases/tag/v1.0": "https://github.com/NewOwner/name/releases/tag/v1.0",
        f"https://github.com/o/r/commit/{sha}": f"https://github.com/NewOwner/name/commit/{sha}",
        "https://github.com/o/r/wiki/Home?x=1": "https://github.com/NewOwner/name/wiki/Home?x=1",
    }  # fmt: skip
    write(world, *fixed)
    world.github.scenario.rename("o/r", "NewOwner/name")
    run = world.run("check", "--write")
    assert run.code == 0, run.err
    for old, new in fixed.items():
        entry = run.by_url()[old]
        assert (entry["verdict"], entry["moved_to"]) == ("moved", new), entry
    text = world.list_path.read_text(encoding="utf-8")
    expected = "".join(f"- [link {i}]({u}) - Something.\n" for i, u in enumerate(fixed.values()))
    assert text == "# Awesome\n\n" + expected
    second = world.run("check", "--write")
    assert {e["verdict"] for e in second.report["links"]} == {"alive"}
    assert world.list_path.read_text(encoding="utf-8") == text


def test_archived_and_deleted_repositories_decide_for_their_pages(world: World) -> None:
    repo(world, "o/archived", issues=1, archived=True, archived_at="2023-05-01T00:00:00Z")
    repo(world, "o/gone", issues=1)
    archived = ["https://github.com/o/archived/issues/1", "https://github.com/o/archived/wiki"]
    gone = ["https://github.com/o/gone/issues/1", "https://github.com/o/gone/releases"]
    write(world, *archived, *gone)
    world.github.scenario.remove("o/gone")
    first = world.run("check", "--write")
    assert first.code == 0, first.err
    by_url = first.by_url()
    assert [by_url[u]["verdict"] for u in archived] == ["archived", "archived"]
    assert all(by_url[u]["archived"] is True for u in archived)
    assert [(by_url[u]["verdict"], by_url[u]["failures_in_a_row"]) for u in gone] == [
        ("unknown", 1),
        ("unknown", 1),
    ]
    second = world.run("check", "--write").by_url()
    assert [second[u]["verdict"] for u in gone] == ["dead", "dead"]
    assert [second[u]["verdict"] for u in archived] == ["archived", "archived"]


def test_pages_cost_no_extra_request(world: World, real_schema: GraphQLSchema) -> None:
    names = [f"owner{i}/repo{i}" for i in range(150)]
    urls = []
    for i, name in enumerate(names):
        spec = repo(world, name, issues=1)
        urls += [f"https://github.com/{name}", f"https://github.com/{name}/issues/1",
                 f"https://github.com/{name}/releases/tag/v1.0",
                 f"https://github.com/{name}/commit/{spec.head().sha}"]  # fmt: skip
        if i % 2:
            urls.append(f"https://github.com/{name}/issues/2")  # missing
    write(world, *urls)
    run = world.run("check")
    assert run.code == 0, run.err
    batches = math.ceil(len(names) / 100)
    assert run.report["requests"]["github"] == batches
    assert world.github.total_requests() == batches == len(world.github.graphql_log) == 2
    verdicts = {e["url"]: e["verdict"] for e in run.report["links"]}
    assert sum(v == "unknown" for v in verdicts.values()) == len(names) // 2
    assert all(v == "alive" for u, v in verdicts.items() if not u.endswith("/issues/2"))
    for body in world.github.graphql_log:
        assert validate(real_schema, parse(body["query"])) == []
