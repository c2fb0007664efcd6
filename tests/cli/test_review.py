"""`awesome-monitor review` end to end, over HTTP against the emulators, on the bundled sample
list: each kind of new link, a change that only rewords (no request at all), a pull request
from a fork (a read-only token: no comment, one line), one comment over several pushes,
GitHub's annotation limits, an incomplete check, the base that must be known, and
`[review] fail_on`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.emulators.web import not_found, ok, server_error
from tests.review_world import FORK_TOKEN, ReviewWorld, Run
from tests.world import SAMPLE

COMMENTS = "GET /repos/{o}/{r}/issues/{n}/comments"
POST_COMMENT = "POST /repos/{o}/{r}/issues/{n}/comments"
EDIT_COMMENT = "PATCH /repos/{o}/{r}/issues/comments/{id}"
BASE = SAMPLE + "\n## Contributions\n\n- [Repo](https://github.com/owner/repo) - Listed.\n"
ANCHOR = "\n## Contributions\n"
LINE = BASE[: BASE.index(ANCHOR)].count("\n") + 4  # the first new entry's line


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ReviewWorld]:
    w = ReviewWorld(tmp_path, BASE)
    gh = w.github.scenario
    gh.add("contrib/fine", stars=1234, last_commit="2026-06-01T00:00:00Z")
    gh.add("contrib/old-name", stars=10, last_commit="2026-06-01T00:00:00Z")
    gh.rename("contrib/old-name", "contrib/new-name")
    gh.add("contrib/archived", archived=True, archived_at="2024-02-03T00:00:00Z")
    w.web.script("/gone", not_found())
    w.web.script("/busy", server_error(503))
    w.web.script("/ok", ok())
    yield w
    w.stop()


def add(world: ReviewWorld, *urls: str, base: str = BASE) -> str:
    """The base with one entry per URL at the start of its last section."""
    entries = "".join(f"- [New {i}]({u}) - New.\n" for i, u in enumerate(urls))
    return base.replace(ANCHOR, ANCHOR + "\n" + entries)


def findings(run: Run) -> dict[str, list[str]]:
    return {e["url"]: [f["kind"] for f in e["findings"]] for e in run.report["links"]}


def total(world: ReviewWorld) -> int:
    return sum(sum(c.values()) for c in world.requests().values())


def test_a_change_that_only_rewords_makes_no_request(world: ReviewWorld) -> None:
    world.push(BASE.replace("Listed.", "Listed, and reworded.").replace("Awesome", "Great", 1))
    run = world.run("--base", "main", actions=False)
    assert run.code == 0, run.err
    assert "README.md: no link added or changed since main at " in run.out
    assert total(world) == 0, world.requests()
    assert run.report["links"] == [] and run.report["requests"] == {}

    run = world.run()  # in GitHub Actions: only a look for an earlier comment to update
    assert run.code == 0, run.err
    assert dict(world.requests()["github"]) == {"GET /repos/{o}/{r}": 1, COMMENTS: 1}
    assert "comment on #1: none: nothing to look at" in run.out
    assert world.comments() == [] and "nothing to check" in run.summary


@pytest.mark.parametrize(
    ("url", "kinds", "code", "said", "github", "web"),
    [
        ("https://github.com/nobody/no-such-repo", ["failing"], 1,
         "failing now: repository not found", 1, 0),
        ("https://github.com/contrib/old-name", ["moved"], 0,
         "moved: use https://github.com/contrib/new-name", 1, 0),
        ("https://github.com/contrib/archived", ["archived"], 0,
         "archived on 2024-02-03", 1, 0),
        ("https://github.com/Owner/Repo.git/", ["duplicate"], 1,
         f"duplicate: already in the list at line {LINE + 2} (https://github.com/owner/repo)",
         0, 0),
        ("https://arxiv.org/pdf/1512.03385", ["duplicate"], 1,
         "duplicate: already in the list at line 102 (https://arxiv.org/abs/1512.03385)", 0, 0),
        ("WEB/gone", ["failing"], 1, "failing now: HTTP 404", 0, 1),
        ("WEB/busy", ["unknown"], 0, "could not tell: HTTP 503", 0, 2),
        ("htps://example.com/a", ["malformed"], 0, "malformed: unsupported scheme 'htps'", 0, 0),
        ("xhttps://example.com/b", ["malformed"], 0,
         "malformed: stray characters before the address; use https://example.com/b", 0, 0),
        ("git@github.com:contrib/fine.git", ["malformed"], 0,
         "malformed: SSH clone address, not a web link; use https://github.com/contrib/fine", 1, 0),
    ],
    ids=["dead", "moved", "archived", "duplicate", "arxiv-pdf", "web-404", "web-503", "scheme",
         "stray", "ssh"],
)  # fmt: skip
def test_each_kind_of_new_link(
    world: ReviewWorld, url: str, kinds: list[str], code: int, said: str, github: int, web: int
) -> None:
    url = url.replace("WEB", world.web.url)
    world.push(add(world, url))
    run = world.run("--base", "main", actions=False)
    assert run.code == code, run.err
    assert findings(run) == {url: kinds}
    (entry,) = run.report["links"]
    assert entry["line"] == LINE and said in entry["findings"][0]["detail"]
    assert f"line {LINE}: {url} — {said}" in run.out
    got = world.requests()
    assert sum(got["github"].values()) == github and set(got["github"]) <= {"POST /graphql"}
    assert sum(got["web"].values()) == web and sum(got["arxiv"].values()) == 0


def test_a_fork_gets_annotations_and_the_summary_but_no_comment(world: ReviewWorld) -> None:
    world.push(add(world, "https://github.com/nobody/gone", "https://github.com/contrib/old-name"))
    run = world.run(token=FORK_TOKEN)
    assert run.code == 1, "the blocking link still fails the check"
    assert run.err.strip().splitlines() == [
        "comment on #1: skipped: the token may not write to maintainer/awesome-list (a pull "
        "request from a fork gets a read-only token): the annotations and the job summary "
        "carry the review"
    ]
    assert run.annotations("error") == [
        (LINE, "https://github.com/nobody/gone: failing now: repository not found")
    ]
    assert run.annotations("warning") == [
        (
            LINE + 1,
            "https://github.com/contrib/old-name: moved: use https://github.com/contrib/new-name",
        )
    ]
    assert "**Blocking: the check fails until they are fixed (1)**" in run.summary
    assert world.comments() == [] and world.github.counts[POST_COMMENT] == 1  # refused: 403


def test_one_comment_edited_in_place_over_pushes(world: ReviewWorld) -> None:
    first = world.push(
        add(world, "https://github.com/nobody/gone", "https://github.com/contrib/fine")
    )
    run = world.run()
    assert run.code == 1 and "comment on #1: created" in run.out
    assert world.github.counts[POST_COMMENT] == 1

    run = world.run()  # the same push again (a re-run): nothing to write
    assert "comment on #1: unchanged" in run.out and world.github.counts[EDIT_COMMENT] == 0

    second = world.push(add(world, "https://github.com/contrib/fine"), "drop the dead one")
    run = world.run()
    assert run.code == 0 and "comment on #1: edited" in run.out
    (comment,) = world.comments()
    assert "0 blocking" in comment and second[:7] in comment and first[:7] not in comment

    world.push(BASE, "back to the base")
    run = world.run()
    assert run.code == 0 and "comment on #1: edited" in run.out
    (comment,) = world.comments()
    assert "No link added or changed" in comment and world.github.counts[POST_COMMENT] == 1
    assert comment.startswith('<!-- awesome-monitor-review "README.md" -->\n')


def test_more_than_ten_findings_of_a_level_are_counted_in_a_notice(world: ReviewWorld) -> None:
    gone = [f"https://github.com/nobody/gone-{i}" for i in range(12)]
    world.push(add(world, *gone))
    run = world.run()
    assert run.code == 1
    assert [line for line, _ in run.annotations("error")] == list(range(LINE, LINE + 10))
    notices = [ln for ln in run.out.splitlines() if ln.startswith("::notice")]
    assert notices == [
        "::notice file=README.md::2 more new links with findings are not annotated (GitHub "
        "shows 10 of each kind): the job summary lists every one"
    ]
    assert all(u in run.summary and u in world.comments()[0] for u in gone)
    assert world.github.counts["POST /graphql"] == 1, "twelve repositories, one query"


def test_an_incomplete_check_annotates_and_comments_nothing(world: ReviewWorld) -> None:
    world.github.fail_graphql(times=10, status=502)
    world.push(add(world, "https://github.com/nobody/gone"))
    run = world.run()
    assert run.code == 3
    assert run.err.strip().splitlines()[-1] == (
        "awesome-monitor: review incomplete: could not reach github; nothing was annotated or "
        "commented for it"
    )
    assert "::error" not in run.out and "::warning" not in run.out
    assert world.comments() == [] and run.summary == "" and run.report["complete"] is False


def test_the_base_must_be_known(world: ReviewWorld, tmp_path: Path) -> None:
    world.push(add(world, "https://github.com/contrib/fine"))
    run = world.run(actions=False)
    assert run.code == 2 and run.err.startswith("awesome-monitor: review needs a base")
    run = world.run("--base", "no-such-branch", actions=False)
    assert run.err.strip() == ("awesome-monitor: --base no-such-branch: no such branch, tag or "
                               "commit here")  # fmt: skip
    world.git("update-ref", "-d", "refs/remotes/origin/main")  # a shallow checkout's lack
    run = world.run()
    assert run.code == 2 and "check out with `fetch-depth: 0`" in run.err
    assert total(world) == 0
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "README.md").write_text(BASE, encoding="utf-8")
    from bot.cli import main

    assert main(["review", str(loose / "README.md"), "--base", "main"]) == 2


def test_a_new_list_has_every_link_added(world: ReviewWorld) -> None:
    (world.checkout / "more.md").write_text(
        "# More\n\n- [Fine](https://github.com/contrib/fine)\n", encoding="utf-8"
    )
    world.git("add", "more.md")
    world.git("commit", "-q", "-m", "a second list")
    world.list_path = world.checkout / "more.md"
    run = world.run("--base", "main", "--no-comment")
    assert run.code == 0 and findings(run) == {"https://github.com/contrib/fine": []}
    assert run.report["links"][0]["shows"] == "★ 1.2k" and run.report["links"][0]["line"] == 3


def test_fail_on_decides_what_blocks(world: ReviewWorld) -> None:
    world.push(add(world, "https://github.com/nobody/gone", "https://github.com/contrib/archived"))
    world.config.write_text(world.config.read_text() + '[review]\nfail_on = ["archived"]\n')
    run = world.run()
    assert run.code == 1
    assert [line for line, _ in run.annotations("error")] == [LINE + 1], "archived blocks now"
    assert [line for line, _ in run.annotations("warning")] == [LINE], "failing does not"
    world.config.write_text(world.config.read_text().replace('["archived"]', "[]"))
    assert world.run().code == 0


def test_web_checks_turned_off_leave_new_web_links_unchecked_and_unflagged(
    world: ReviewWorld,
) -> None:
    world.config.write_text(world.config.read_text().replace("[check]\n", "[check]\nweb = false\n"))
    world.push(add(world, world.web.link("/gone")))
    run = world.run("--base", "main", actions=False)
    assert run.code == 0 and findings(run) == {world.web.link("/gone"): []}
    assert run.report["links"][0]["shows"] == "not checked ([check] web = false)"
    assert total(world) == 0


def test_the_config_is_the_bases_a_pull_request_cannot_change_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A contribution that loosens the rules, sends the token elsewhere and overrides a
    template (Jinja2 would run it as code) is judged by the base's config all the same."""
    w = ReviewWorld(tmp_path, BASE)
    try:
        rules = '[check]\ntimeout = 2.0\nretries = 0\n[review]\nfail_on = ["failing"]\n'
        (w.checkout / "awesome-monitor.toml").write_text(rules, encoding="utf-8")
        w.git("add", "awesome-monitor.toml")
        w.git("commit", "-q", "-m", "the maintainer's config")
        w.git("update-ref", "refs/remotes/origin/main", "HEAD")
        code = "{{ cycler.__init__.__globals__.os.getcwd() }}"
        loose = ('[review]\nfail_on = []\n[github]\napi_url = "http://127.0.0.1:9"\n'
                 f'[templates]\n"review.txt.j2" = "{code}"\n')  # fmt: skip
        (w.checkout / "awesome-monitor.toml").write_text(loose, encoding="utf-8")
        w.push(add(w, "https://github.com/nobody/gone"))
        monkeypatch.chdir(w.checkout)
        run = w.run(config=False)
        assert run.code == 1, run.err
        assert "failing now: repository not found" in run.out and str(w.checkout) not in run.out
        assert w.github.counts["POST /graphql"] == 1, "the token went to the API it is for"
        named = w.run("--config", str(w.checkout / "awesome-monitor.toml"), config=False)
        assert named.code == 1 and "failing now" in named.out
        (w.checkout / "new.toml").write_text(loose, encoding="utf-8")
        refused = w.run("--config", str(w.checkout / "new.toml"), config=False)
        assert refused.code == 2 and "--config" in refused.err and "not in the base" in refused.err
    finally:
        w.stop()
