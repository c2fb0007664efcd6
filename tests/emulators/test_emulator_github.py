"""The GitHub emulator, driven by the real PyGithub client and by plain requests."""

from __future__ import annotations

import base64
import logging

import github
import pytest
import requests
from github import Auth, Github
from graphql import GraphQLSchema, build_schema, get_named_type, parse, validate

from tests.conftest import ROOT, SHARED
from tests.emulators.github import GitHubEmulator, GitHubScenario, repository_query
from tests.emulators.github_graphql import SCHEMA, SCHEMA_PATH
from tests.emulators.gitstore import Person
from tests.world import MakeWorld

github.set_log_level(logging.WARNING)

PREFIXES = ["", "/api/v3"]
TOKEN = {"Authorization": "token test-token"}


def client(emu: GitHubEmulator, prefix: str = "", token: str | None = "test-token") -> Github:
    auth = Auth.Token(token) if token else None
    return Github(
        base_url=emu.url + prefix,
        auth=auth,
        retry=None,
        seconds_between_requests=0,
        seconds_between_writes=0,
    )


@pytest.fixture
def scenario(github_scenario: GitHubScenario) -> GitHubScenario:
    s = github_scenario
    s.add("octo/awesome", stars=1200, files={"README.md": "# Awesome\n", "docs/guide.md": "g"})
    s.add("octo/old-name", stars=7, description="renamed later")
    s.rename("octo/old-name", "newowner/New-Name")
    s.add("octo/archived", stars=3, archived=True, archived_at="2023-05-01T00:00:00Z")
    s.add("octo/empty", is_empty=True, pushed_at=None)
    return s


def gql(emu: GitHubEmulator, query: str, prefix: str = "", **variables: object) -> dict:
    g = client(emu, prefix)
    _, data = g.requester.requestJsonAndCheck(
        "POST", g.requester.graphql_url, input={"query": query, "variables": variables}
    )
    return data


# -- REST through PyGithub ----------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
def test_get_repo_normal_renamed_missing(
    github_emulator: GitHubEmulator, scenario: GitHubScenario, prefix: str
) -> None:
    g = client(github_emulator, prefix)
    repo = g.get_repo("octo/awesome")
    assert (repo.full_name, repo.stargazers_count, repo.archived) == ("octo/awesome", 1200, False)
    assert repo.html_url == "https://github.com/octo/awesome"
    assert repo.url == f"{github_emulator.url}{prefix}/repos/octo/awesome"
    assert g.get_repo("octo/archived").archived is True

    scenario["octo/awesome"].stars = 1300  # the server reads the scenario live
    scenario["octo/awesome"].archived = True
    again = g.get_repo("OCTO/Awesome")
    assert (again.stargazers_count, again.archived) == (1300, True)

    moved = g.get_repo("octo/old-name")
    assert moved.full_name == "newowner/New-Name"
    assert github_emulator.counts["GET /repos/{o}/{r}"] == 4
    assert github_emulator.counts["GET /repositories/{id}"] == 1

    with pytest.raises(github.UnknownObjectException) as exc:
        g.get_repo("octo/nope")
    assert exc.value.status == 404 and exc.value.data["message"] == "Not Found"


def test_redirect_body_and_location(github_emulator: GitHubEmulator, scenario: GitHubScenario):
    url = f"{github_emulator.url}/api/v3/repos/octo/old-name"
    r = requests.get(url, headers=TOKEN, allow_redirects=False, timeout=5)
    spec = scenario["newowner/new-name"]
    expected = f"{github_emulator.url}/api/v3/repositories/{spec.id}"
    assert r.status_code == 301 and r.headers["Location"] == expected
    assert r.json()["message"] == "Moved Permanently" and r.json()["url"] == expected


def test_anonymous_budget_runs_down_and_runs_out(
    github_emulator: GitHubEmulator, scenario: GitHubScenario
) -> None:
    g = client(github_emulator, token=None)
    for _ in range(3):
        g.get_repo("octo/awesome")
    assert g.rate_limiting == (57, 60)
    github_emulator.exhaust("core", token=None)
    with pytest.raises(github.RateLimitExceededException) as exc:
        g.get_repo("octo/awesome")
    assert exc.value.status == 403
    assert exc.value.data["message"].startswith("API rate limit exceeded for 127.0.0.1.")
    # The token's own budget is separate and untouched.
    assert client(github_emulator).get_repo("octo/awesome").stargazers_count == 1200
    assert github_emulator.budget("core").remaining == 4999


def test_rate_limit_can_answer_429(github_scenario: GitHubScenario) -> None:
    github_scenario.add("a/b")
    with GitHubEmulator(github_scenario, rate_limit_status=429, anonymous_limit=1) as emu:
        assert requests.get(f"{emu.url}/repos/a/b", timeout=5).status_code == 200
        r = requests.get(f"{emu.url}/repos/a/b", timeout=5)
        assert r.status_code == 429 and r.headers["X-RateLimit-Remaining"] == "0"


def test_etag_304_is_free(github_emulator: GitHubEmulator, scenario: GitHubScenario) -> None:
    url = f"{github_emulator.url}/repos/octo/awesome"
    first = requests.get(url, headers=TOKEN, timeout=5)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and first.headers["X-RateLimit-Remaining"] == "4999"
    again = requests.get(url, headers={**TOKEN, "If-None-Match": etag}, timeout=5)
    assert again.status_code == 304 and again.content == b""
    assert again.headers["X-RateLimit-Remaining"] == "4999"
    assert github_emulator.counts["GET /repos/{o}/{r}"] == 2  # counted, not charged
    scenario["octo/awesome"].stars += 1
    changed = requests.get(url, headers={**TOKEN, "If-None-Match": etag}, timeout=5)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.headers["X-RateLimit-Remaining"] == "4998"


def test_rate_limit_endpoint_is_free_and_shaped(github_emulator: GitHubEmulator) -> None:
    g = client(github_emulator)
    for _ in range(2):
        limits = g.get_rate_limit()
    assert limits.resources.core.remaining == 5000 and limits.resources.graphql.limit == 5000
    r = requests.get(f"{github_emulator.url}/rate_limit", headers=TOKEN, timeout=5)
    assert {"core", "search", "graphql"} <= set(r.json()["resources"])
    assert r.headers["X-RateLimit-Resource"] == "core" and r.headers["X-RateLimit-Used"] == "0"


def test_bad_token_is_401(github_emulator: GitHubEmulator, scenario: GitHubScenario) -> None:
    with pytest.raises(github.BadCredentialsException):
        client(github_emulator, token="wrong").get_repo("octo/awesome")


def test_disabled_and_blocked(github_emulator: GitHubEmulator, scenario: GitHubScenario) -> None:
    scenario.add("x/disabled", disabled=True)
    scenario.add("x/dmca", blocked=True)
    r = requests.get(f"{github_emulator.url}/repos/x/disabled", headers=TOKEN, timeout=5)
    assert r.status_code == 403 and r.json()["message"] == "Repository access blocked"
    r = requests.get(f"{github_emulator.url}/repos/x/dmca", headers=TOKEN, timeout=5)
    assert r.status_code == 451 and r.json()["block"]["reason"] == "dmca"


def test_last_commit_and_contents(github_emulator: GitHubEmulator, scenario: GitHubScenario):
    repo = client(github_emulator, "/api/v3").get_repo("octo/awesome")
    assert repo.get_branch("main").commit.commit.committer.date.year == 2024
    commits = repo.get_commits(sha="main")
    assert commits[0].commit.message == "Initial commit"
    assert repo.get_contents("docs/guide.md").decoded_content == b"g"
    assert [c.path for c in repo.get_contents("docs")] == ["docs/guide.md"]
    assert [c.type for c in repo.get_contents("")] == ["file", "dir"]
    with pytest.raises(github.UnknownObjectException):
        repo.get_contents("missing.md")
    scenario["octo/awesome"].files["NEW.md"] = "new"  # a scenario edit becomes a commit
    scenario["octo/awesome"].last_commit = "2025-02-03T04:05:06Z"
    latest = repo.get_commits(sha="main")
    assert latest.totalCount == 2 and latest[0].commit.committer.date.month == 2
    r = requests.get(f"{github_emulator.url}/repos/octo/empty/commits", headers=TOKEN, timeout=5)
    assert r.status_code == 409


def test_pagination_link_header(github_emulator: GitHubEmulator, scenario: GitHubScenario):
    spec = scenario["octo/awesome"]
    for i in range(4):
        spec.git().commit_files("main", {"n.txt": str(i)}, f"c{i}")
    url = f"{github_emulator.url}/repos/octo/awesome/commits?per_page=2"
    r = requests.get(url, headers=TOKEN, timeout=5)
    assert len(r.json()) == 2 and 'rel="next"' in r.headers["Link"]
    assert len(list(client(github_emulator).get_repo("octo/awesome").get_commits())) == 5


# -- GraphQL ----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
def test_graphql_batch_with_missing_repo(
    github_emulator: GitHubEmulator, scenario: GitHubScenario, prefix: str
) -> None:
    q = repository_query(["octo/awesome", "octo/gone", "octo/archived", "octo/empty"])
    data = gql(github_emulator, q, prefix)
    d = data["data"]
    assert d["r0"]["stargazerCount"] == 1200 and d["r0"]["url"] == "https://github.com/octo/awesome"
    assert d["r0"]["defaultBranchRef"]["target"]["committedDate"] == "2024-01-01T00:00:00Z"
    assert d["r1"] is None
    assert d["r2"]["isArchived"] is True and d["r2"]["archivedAt"] == "2023-05-01T00:00:00Z"
    assert d["r3"]["isEmpty"] is True and d["r3"]["defaultBranchRef"] is None
    assert d["rateLimit"]["cost"] == 1 and d["rateLimit"]["remaining"] == 4999
    [err] = data["errors"]
    assert err["type"] == "NOT_FOUND" and err["path"] == ["r1"] and err["locations"]
    assert err["message"] == "Could not resolve to a Repository with the name 'octo/gone'."
    assert github_emulator.counts["POST /graphql"] == 1
    assert github_emulator.budget("graphql").used == 1


def test_graphql_needs_token(github_emulator: GitHubEmulator) -> None:
    r = requests.post(f"{github_emulator.url}/graphql", json={"query": "{ rateLimit { cost } }"})
    assert r.status_code == 401
    assert r.json()["message"] == "This endpoint requires you to be authenticated."
    g = client(github_emulator, "/api/v3", token="bad")
    with pytest.raises(github.BadCredentialsException):
        g.requester.requestJsonAndCheck("POST", g.requester.graphql_url, input={"query": "{}"})


def test_graphql_alias_limit(github_emulator: GitHubEmulator, scenario: GitHubScenario) -> None:
    ok = gql(github_emulator, repository_query(["octo/awesome"] * 100))
    assert len(ok["data"]) == 101 and "errors" not in ok
    refused = gql(github_emulator, repository_query(["octo/awesome"] * 101))
    assert "data" not in refused
    assert refused["errors"][0]["message"] == "Resource limits for this query exceeded."


def test_graphql_follows_renames(github_emulator: GitHubEmulator, scenario: GitHubScenario):
    q = "query($o: String!, $n: String!) { repository(owner: $o, name: $n) { nameWithOwner } }"
    data = gql(github_emulator, q, o="OCTO", n="old-name")
    assert data["data"]["repository"]["nameWithOwner"] == "newowner/New-Name"
    strict = '{ repository(owner: "octo", name: "old-name", followRenames: false) { url } }'
    assert gql(github_emulator, strict)["errors"][0]["type"] == "NOT_FOUND"


def test_graphql_object_expression(github_emulator: GitHubEmulator, scenario: GitHubScenario):
    q = """{ repository(owner: "octo", name: "awesome") {
        f: object(expression: "main:docs/guide.md") { __typename ... on Blob { byteSize } }
        d: object(expression: "HEAD:docs") { __typename ... on Tree { entries { name } } }
        gone: object(expression: "main:nope.md") { __typename }
        badref: object(expression: "nobranch:README.md") { __typename } } }"""
    r = gql(github_emulator, q)["data"]["repository"]
    assert r["f"] == {"__typename": "Blob", "byteSize": 1}
    assert r["d"] == {"__typename": "Tree", "entries": [{"name": "guide.md"}]}
    assert r["gone"] is None and r["badref"] is None


def test_graphql_invalid_query_is_refused(github_emulator: GitHubEmulator, scenario):
    data = gql(github_emulator, '{ repository(owner: "octo", name: "awesome") { stars } }')
    assert "data" not in data
    assert data["errors"][0]["message"] == "Field 'stars' doesn't exist on type 'Repository'"
    assert gql(github_emulator, "{ repository(")["errors"]
    assert github_emulator.budget("graphql").used == 2  # GitHub charges refused queries too


def test_graphql_budget_runs_out(github_emulator: GitHubEmulator, scenario: GitHubScenario):
    github_emulator.exhaust("graphql")
    r = requests.post(
        f"{github_emulator.url}/graphql", json={"query": "{ rateLimit { cost } }"}, headers=TOKEN
    )
    assert r.status_code == 200 and r.headers["X-RateLimit-Remaining"] == "0"
    assert r.headers["X-RateLimit-Resource"] == "graphql"
    assert r.json()["errors"][0]["type"] == "RATE_LIMITED"


def test_faults_graphql_502_and_secondary_limit(github_emulator: GitHubEmulator, scenario):
    github_emulator.fail_graphql(times=2)
    url = f"{github_emulator.url}/api/graphql"
    body = {"query": "{ rateLimit { remaining } }"}
    codes = [requests.post(url, json=body, headers=TOKEN, timeout=5).status_code for _ in range(3)]
    assert codes == [502, 502, 200]
    github_emulator.secondary_rate_limit(times=1, retry_after=7, path="/repos/octo/awesome")
    with pytest.raises(github.RateLimitExceededException) as exc:
        client(github_emulator, "/api/v3").get_repo("octo/awesome")
    assert exc.value.headers["retry-after"] == "7"
    assert client(github_emulator).get_repo("octo/awesome").full_name == "octo/awesome"


# -- the pull-request flow --------------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
def test_pull_request_flow(
    github_emulator: GitHubEmulator, scenario: GitHubScenario, prefix: str
) -> None:
    repo = client(github_emulator, prefix).get_repo("octo/awesome")
    main = repo.get_git_ref("heads/main")
    repo.create_git_ref("refs/heads/bot/fix", main.object.sha)
    f = repo.get_contents("README.md", ref="bot/fix")
    repo.update_file("README.md", "Fix links", "# Awesome!\n", f.sha, branch="bot/fix")
    pr = repo.create_pull(base="main", head="octo:bot/fix", title="Fix links", body="<!-- m -->")
    found = list(repo.get_pulls(state="open", head="octo:bot/fix", base="main"))
    assert [p.number for p in found] == [pr.number]
    pr.add_to_labels("links")
    pr.create_issue_comment("hello")
    with pytest.raises(github.GithubException) as dup:
        repo.create_pull(base="main", head="octo:bot/fix", title="again")
    assert dup.value.status == 422
    assert "A pull request already exists for octo:bot/fix." in str(dup.value.data)
    pr.edit(state="closed")

    spec = scenario["octo/awesome"]
    assert set(spec.branches()) == {"main", "bot/fix"}
    assert spec.file_text("README.md", "bot/fix") == "# Awesome!\n"
    assert spec.file_text("README.md") == "# Awesome\n"
    assert [c.message for c in spec.history("bot/fix")] == ["Fix links", "Initial commit"]
    [stored] = github_emulator.pulls("octo/awesome")
    assert (stored.state, stored.head, stored.base, stored.title) == (
        "closed",
        "bot/fix",
        "main",
        "Fix links",
    )
    assert stored.labels == ["links"] and [c.body for c in stored.comments] == ["hello"]
    assert stored.body == "<!-- m -->" and not stored.merged
    assert not list(repo.get_pulls(state="open", head="octo:bot/fix"))


def test_force_update_human_commit_and_merge(github_emulator: GitHubEmulator, scenario):
    spec = scenario["octo/awesome"]
    repo = client(github_emulator).get_repo("octo/awesome")
    base_sha = repo.get_git_ref("heads/main").object.sha
    ref = repo.create_git_ref("refs/heads/bot", base_sha)
    human = Person("Jane Human", "jane@example.com", "2025-01-01T00:00:00Z")
    spec.git().commit_files("bot", {"x.md": "human"}, "human edit", human)
    commits = repo.get_commits(sha="bot")
    assert commits[0].commit.author.name == "Jane Human"
    assert commits[0].author.login == "Jane Human"  # linked account (non-.invalid email)
    with pytest.raises(github.GithubException) as exc:
        ref.edit(base_sha)
    assert exc.value.status == 422  # not a fast forward
    ref.edit(base_sha, force=True)
    assert spec.branches()["bot"] == base_sha
    # A commit made with the git-data API, then merged by a "maintainer".
    blob = repo.create_git_blob("merged text", "utf-8")
    tree = repo.create_git_tree(
        [github.InputGitTreeElement("README.md", "100644", "blob", sha=blob.sha)],
        repo.get_git_tree(base_sha),
    )
    commit = repo.create_git_commit("via git data", tree, [repo.get_git_commit(base_sha)])
    ref.edit(commit.sha)
    pr = repo.create_pull(base="main", head="bot", title="t", body="b")
    spec.merge_pull(pr.number)
    assert repo.get_pull(pr.number).merged is True
    assert spec.files["README.md"] == "merged text"  # the default branch moved


def test_pull_creation_forbidden_for_actions(github_emulator: GitHubEmulator, scenario):
    github_emulator.forbid_pull_creation = True
    repo = client(github_emulator).get_repo("octo/awesome")
    repo.create_git_ref("refs/heads/b", repo.get_branch("main").commit.sha)
    with pytest.raises(github.GithubException) as exc:
        repo.create_pull(base="main", head="b", title="t", body="")
    assert exc.value.status == 403
    assert exc.value.data["message"] == (
        "GitHub Actions is not permitted to create or approve pull requests."
    )


def test_refuses_what_github_refuses(github_emulator: GitHubEmulator, scenario) -> None:
    """Bodies over 65,536 characters, titles over 256 (PRs, issues, edits), comments over
    262,144 bytes, a ref that exists: GitHub's 422 with its `errors[].message`."""
    repo = client(github_emulator).get_repo("octo/awesome")
    sha = repo.get_branch("main").commit.sha
    repo.create_git_ref("refs/heads/b", sha)
    spec = scenario["octo/awesome"]
    spec.git().commit_files("b", {"x.md": "x"}, "x", Person("J", "j@example.com", "2025-01-01"))

    def refused(call, message: str) -> None:
        with pytest.raises(github.GithubException) as exc:
            call()
        assert exc.value.status == 422
        assert exc.value.data["message"] in ("Validation Failed", message)
        said = [e.get("message") for e in exc.value.data.get("errors", [])]
        assert message in said or exc.value.data["message"] == message

    long_body, long_title = "é" * 65_537, "t" * 257  # characters, not bytes
    refused(lambda: repo.create_pull(base="main", head="b", title="t", body=long_body),
            "body is too long (maximum is 65536 characters)")  # fmt: skip
    refused(lambda: repo.create_pull(base="main", head="b", title=long_title, body=""),
            "title is too long (maximum is 256 characters)")  # fmt: skip
    pr = repo.create_pull(base="main", head="b", title="t", body="é" * 65_536)  # at the limit
    refused(lambda: pr.edit(body=long_body), "body is too long (maximum is 65536 characters)")
    refused(lambda: repo.create_issue(title="t", body=long_body),
            "body is too long (maximum is 65536 characters)")  # fmt: skip
    issue = repo.create_issue(title="t" * 256, body="fine")
    refused(lambda: issue.edit(title=long_title), "title is too long (maximum is 256 characters)")
    refused(lambda: issue.create_comment("é" * 131_073),  # 262,146 bytes
            "body is too long (maximum is 262144 bytes)")  # fmt: skip
    comment = issue.create_comment("é" * 131_072)  # 262,144 bytes: accepted
    refused(lambda: comment.edit("é" * 131_073), "body is too long (maximum is 262144 bytes)")
    refused(lambda: repo.create_git_ref("refs/heads/b", sha), "Reference already exists")
    assert [p.body for p in spec.pulls.values()] == ["é" * 65_536]


def test_a_burst_of_writes_meets_the_secondary_limit(github_emulator: GitHubEmulator, scenario):
    github_emulator.write_limits = ((60.0, 5), (3600.0, 500))
    url = f"{github_emulator.url}/repos/octo/awesome/issues"
    answers = [
        requests.post(url, json={"title": f"t{i}"}, headers=TOKEN, timeout=5) for i in range(7)
    ]
    assert [r.status_code for r in answers] == [201] * 5 + [403, 403]
    assert "secondary rate limit" in answers[5].json()["message"]
    assert 1 <= int(answers[5].headers["Retry-After"]) <= 61
    assert requests.get(url, headers=TOKEN, timeout=5).status_code == 200  # reads still pass
    github_emulator.reset_budgets()
    assert requests.post(url, json={"title": "later"}, headers=TOKEN, timeout=5).ok


def test_writes_need_a_token(github_emulator: GitHubEmulator, scenario: GitHubScenario):
    url = f"{github_emulator.url}/repos/octo/awesome/contents/README.md"
    content = base64.b64encode(b"x").decode()
    r = requests.put(url, json={"message": "m", "content": content}, timeout=5)
    assert r.status_code == 401
    url = f"{github_emulator.url}/repos/octo/archived/contents/new.md"
    r = requests.put(url, json={"message": "m", "content": content}, headers=TOKEN, timeout=5)
    assert r.status_code == 403 and "archived" in r.json()["message"]
    r = requests.put(
        url.replace("archived", "awesome"),
        json={"message": "m", "content": content},
        headers=TOKEN,
        timeout=5,
    )
    assert r.status_code == 201 and scenario["octo/awesome"].files["new.md"] == "x"


def test_graphql_operation_name(github_emulator: GitHubEmulator, scenario: GitHubScenario):
    q = (
        "query A { rateLimit { cost } } "
        'query B { repository(owner: "octo", name: "awesome") { name } }'
    )
    g = client(github_emulator)
    _, data = g.requester.requestJsonAndCheck(
        "POST", g.requester.graphql_url, input={"query": q, "operationName": "B"}
    )
    assert data["data"] == {"repository": {"name": "awesome"}}


# -- conformance with GitHub's real schema --------------------------------------------------------


@pytest.fixture(scope="module")
def real_schema() -> GraphQLSchema:
    path = SHARED / "realdata" / "github-schema.graphql"
    if not path.is_file():
        pytest.skip("../shared/realdata/github-schema.graphql is absent")
    schema = build_schema(path.read_text(encoding="utf-8"), assume_valid_sdl=True)
    schema._validation_errors = []  # GitHub's SDL has deprecation quirks graphql-core refuses
    return schema


def test_sdl_matches_real_schema(real_schema: GraphQLSchema) -> None:
    checked = 0
    for name, ours in SCHEMA.type_map.items():
        if name.startswith("__") or not hasattr(ours, "fields"):
            continue
        theirs = real_schema.get_type(name)
        assert theirs is not None, f"type {name} is not GitHub's"
        for fname, field in ours.fields.items():
            assert fname in theirs.fields, f"{name}.{fname} is not in GitHub's schema"
            assert str(field.type) == str(theirs.fields[fname].type), f"{name}.{fname}"
            for aname, arg in field.args.items():
                real_args = theirs.fields[fname].args
                assert aname in real_args, f"{name}.{fname}({aname}) is not GitHub's"
                assert str(arg.type) == str(real_args[aname].type), f"{name}.{fname}({aname})"
            checked += 1
        for iface in getattr(ours, "interfaces", []):
            assert iface.name in {i.name for i in theirs.interfaces}, f"{name} {iface.name}"
    assert checked > 40
    for scalar in ("DateTime", "URI", "GitObjectID", "GitTimestamp"):
        assert get_named_type(real_schema.get_type(scalar)) is not None


def test_bot_query_validates_against_real_schema(real_schema: GraphQLSchema) -> None:
    q = repository_query(["octo/awesome", "a/b"], with_object="HEAD:README.md")
    assert validate(real_schema, parse(q)) == []
    assert validate(SCHEMA, parse(q)) == []
    wrong = '{ repository(owner: "a", name: "b") { stargazersCount } }'
    assert validate(real_schema, parse(wrong)) and validate(SCHEMA, parse(wrong))


def test_schema_file_is_shipped() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8").count("type ") >= 8


def test_queries_the_bot_sends_validate_against_real_schema(
    real_schema: GraphQLSchema, make_world: MakeWorld
) -> None:
    """Every GraphQL body the real `check` sent during a run on the sample list."""

    sample = ROOT / "data" / "awesome-image-classification-2019.md"
    world = make_world(sample.read_text(encoding="utf-8"), web_cases=False)
    assert world.run("check").code == 0
    bodies = world.github.graphql_log
    assert bodies
    for body in bodies:
        doc = parse(body["query"])
        assert validate(real_schema, doc) == []
        assert validate(SCHEMA, doc) == []
