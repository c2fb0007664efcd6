"""Without spamming anyone: every body the bot writes goes through one filter in the
platform's write path. On github.com links to issues, pull requests, discussions and commits
go through https://redirect.github.com/ (no back-reference in those repositories); a name
after `@` never mentions anyone, on any GitHub; code is left as it is. On GitHub Enterprise
(the emulator's setting) links stay as they are. Rendered with cmark-gfm, GitHub's renderer."""

from __future__ import annotations

import re
from collections.abc import Iterator

import cmarkgfm
import pytest

from bot.check.http import Http, HttpSettings
from bot.publish import review_comment
from bot.publish.platform import REDIRECT, Platform
from bot.render.quiet_links import quiet
from tests.emulators.github import GitHubEmulator, GitHubScenario
from tests.world import LIST_REPO, MakeWorld, World

REFERENCES = {
    "issue": "https://github.com/o1/a/issues/12",
    "pull": "https://github.com/o1/a/pull/13",
    "discussion": "https://github.com/o2/b/discussions/77",
    "commit": "https://github.com/o1/a/commit/0123456789abcdef0123456789abcdef01234567",
}
# A list whose links include an issue, a pull request, a discussion, a commit, and names
# after `@` in link text and in a table row's name.
LIST = f"""# Awesome quiet

A list.

## Tools

| Tool | Code |
| --- | --- |
| @karpathy's llm.c | [code](https://github.com/karpathy/llm.c) |

- [llm.c by @karpathy](https://github.com/karpathy/llm.c) - C.
- [A bug @someone filed]({REFERENCES["issue"]}) - An issue.
- [The fix]({REFERENCES["pull"]}) - A pull request.
- [Talk]({REFERENCES["discussion"]}) - A discussion.
- [The commit]({REFERENCES["commit"]}) - A commit.
"""

MARKDOWN = f"""Thanks @alice and [@bob's tool]({REFERENCES["issue"]}), see <{REFERENCES["pull"]}>,
{REFERENCES["discussion"]} and [the commit]({REFERENCES["commit"]}); the repository
https://github.com/o1/a stays; mail a@b.com; https://medium.com/@dave/post.

- [line 3](<https://github.com/o/r/blob/abc/README.md#L3>): [@carol](https://github.com/carol)

`@erin {REFERENCES["issue"]}` and ``a `tick` @frank``

```
@gina {REFERENCES["pull"]}
```

<!-- awesome-monitor-meta {{"a": "@x"}} -->
"""


REFERENCE = r"https://github\.com/[^/]+/[^/]+/(issues|pull|discussions|commit)/"


def html(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown)


def hrefs(page: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', page)


def mentions(page: str) -> list[str]:
    """What GitHub would read as a mention: `@name` in text, outside code and addresses."""
    text = re.sub(r"<code>.*?</code>|<pre>.*?</pre>", "", page, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text)  # tags (and the addresses in them)
    text = re.sub(r"(?:https?://|www\.)\S*", " ", text)  # a URL shown as text
    return re.findall(r"(?<![\w@.+-])@[A-Za-z0-9][\w-]*", text)


def test_on_github_com_references_go_through_the_redirect_and_names_do_not_mention() -> None:
    out = quiet(MARKDOWN, REDIRECT)
    page = html(out)
    links = hrefs(page)
    for url in REFERENCES.values():
        assert url not in links
        assert url.replace("https://github.com/", "https://redirect.github.com/") in links
    assert "https://github.com/o1/a" in links and "https://github.com/carol" in links
    assert "https://github.com/o/r/blob/abc/README.md#L3" in links  # a file: no reference
    assert "https://medium.com/@dave/post" in links and "mailto:a@b.com" in links
    assert mentions(html(MARKDOWN)) == ["@alice", "@bob", "@carol"]  # what it fixes
    assert mentions(page) == []
    assert "@\u200bbob's tool</a>" in page  # reads the same
    # Code and the hidden metadata are left exactly as they were.
    assert f"<code>@erin {REFERENCES['issue']}</code>" in page
    assert "<code>a `tick` @frank</code>" in page
    assert f"<pre><code>@gina {REFERENCES['pull']}\n</code></pre>" in page
    assert '<!-- awesome-monitor-meta {"a": "@x"} -->' in out
    assert quiet(out, REDIRECT) == out, "quieting twice changes nothing"


def test_on_github_enterprise_links_stay_and_names_still_do_not_mention() -> None:
    out = quiet(MARKDOWN, None)
    page = html(out)
    assert set(REFERENCES.values()) <= set(hrefs(page))
    assert "redirect.github.com" not in out
    assert mentions(page) == []
    assert quiet(out, None) == out


@pytest.fixture
def platforms(
    github_emulator: GitHubEmulator, github_scenario: GitHubScenario
) -> Iterator[dict[str, Platform]]:
    """The same repository on the emulator, through a platform told it is github.com (the
    server's web address, `GITHUB_SERVER_URL`) and through one that judges by its API."""
    github_scenario.add("octo/list", files={"README.md": "# List\n"})
    http = Http(HttpSettings(max_wait=1.0, backoff=0.01))
    with (
        Platform(github_emulator.url, "test-token", "octo/list", 5, 0, http=http,
                 server_url="https://github.com") as dotcom,
        Platform(github_emulator.url, "test-token", "octo/list", 5, 0, http=http) as ghe,
    ):  # fmt: skip
        yield {"github.com": dotcom, "enterprise": ghe}


def test_every_write_goes_through_the_filter(
    platforms: dict[str, Platform], github_scenario: GitHubScenario
) -> None:
    dotcom, ghe = platforms["github.com"], platforms["enterprise"]
    assert dotcom.dotcom and not ghe.dotcom
    spec = github_scenario["octo/list"]
    for name, platform in platforms.items():
        issue = platform.create_issue(f"dashboard {name}", MARKDOWN, [])
        platform.comment_issue(issue, MARKDOWN)
        platform.edit_issue(issue, body=MARKDOWN + "\nedited")
        platform.add_issue_comment(issue.number, MARKDOWN)
        stored = spec.issues[issue.number]
        bodies = [stored.body, *(c.body for c in stored.comments)]
        assert len(bodies) == 3
        for body in bodies:
            page = html(body)
            assert mentions(page) == []
            redirected = [u for u in hrefs(page) if u.startswith("https://redirect.github.com/")]
            assert len(redirected) == (4 if name == "github.com" else 0), (name, body)


@pytest.mark.parametrize("server", ["https://github.com", None], ids=["github.com", "enterprise"])
def test_the_pull_request_and_the_dashboard_on_both_settings(
    make_world: MakeWorld, server: str | None
) -> None:
    wd: World = make_world(LIST, web_cases=False, check_web=False)
    wd.server_url = server  # None: the emulator's own address, as a GHE runner has it
    # Dead, so the PR lists them: the issue, the pull request and the commit are not in o1/a,
    # and the discussion's repository is gone.
    wd.github.scenario.remove("o2/b")
    wd.add_list_repo()
    run = wd.run("pr", "--repo", LIST_REPO, "--dead-after", "1")
    assert run.code == 0, run.err
    (pull,) = wd.github.pulls(LIST_REPO)
    page = html(pull.body)
    links = hrefs(page)
    for url in REFERENCES.values():
        redirected = url.replace("https://github.com/", "https://redirect.github.com/")
        assert (redirected in links) == bool(server) and (url in links) == (not server)
    assert "https://github.com/karpathy/llm.c" in links  # a repository: no reference
    assert mentions(page) == []
    assert "<code>@karpathy's llm.c</code>" in page  # a row's name, in code: never a mention

    # The dashboard's body goes through the same filter, and is compared as written: a
    # second run with the same findings writes nothing.
    run = wd.run("issue", "--repo", LIST_REPO, "--dead-after", "1")
    assert run.code == 0, run.err
    (dashboard,) = wd.github.scenario[LIST_REPO].issues.values()
    page = html(dashboard.body)
    assert mentions(page) == []
    references = [u for u in hrefs(page) if re.match(REFERENCE, u)]
    assert not (server and references), references  # github.com: none but through the redirect
    assert server or "redirect.github.com" not in dashboard.body
    body, updated = dashboard.body, dashboard.updated_at
    run = wd.run("issue", "--repo", LIST_REPO, "--dead-after", "1")
    assert run.code == 0, run.err
    assert "issue: unchanged" in run.out
    assert (dashboard.body, dashboard.updated_at) == (body, updated)


def test_the_review_comment_is_written_quiet_and_left_alone_when_it_says_the_same(
    platforms: dict[str, Platform], github_scenario: GitHubScenario
) -> None:
    dotcom = platforms["github.com"]
    number = dotcom.create_issue("a contribution", "please review", []).number
    text = review_comment.marker("README.md") + "\n" + MARKDOWN
    assert review_comment.publish(dotcom, number, "README.md", text, True).action == "created"
    (comment,) = github_scenario["octo/list"].issues[number].comments
    assert mentions(html(comment.body)) == [] and "redirect.github.com/o1/a/issues/12" in (
        comment.body
    )
    # Compared as written: the same review says nothing new, so nothing is edited.
    assert review_comment.publish(dotcom, number, "README.md", text, True).action == "unchanged"
