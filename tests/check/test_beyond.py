"""Beyond the peers, over HTTP against the emulators: ignore comments and excluded
sections, a cache between runs, permanent redirects written into the list, archived
copies of dead links, stale repositories."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from bot.cli import main
from tests.emulators import web as w
from tests.world import LIST_REPO, MakeWorld, World

pytestmark = pytest.mark.usefixtures("no_proxy_env", "offline_dns")


@pytest.fixture
def make(make_world: MakeWorld) -> Callable[..., World]:
    """A world per list, each in its own folder, with `[check]` keys set."""
    made: list[World] = []

    def build(text: str, **check: object) -> World:
        made.append(make_world(text, web_cases=False, folder=f"w{len(made)}"))
        if check:
            made[-1].configure("check", **check)
        return made[-1]

    return build


def rewrite_links(wd: World, text: str) -> None:
    wd.list_path.write_text(text.replace("http://WEB/", wd.web.link("/")), encoding="utf-8")


# -- 1. ignore comments ------------------------------------------------------------------


def test_disabled_links_are_never_fetched_and_get_no_status(make, capsys) -> None:
    text = (
        "# L\n\n- [a](https://github.com/own/a) <!-- awesome-monitor-disable-line -->\n"
        "<!-- markdown-link-check-disable-next-line -->\n- [p](http://WEB/p)\n"
        "- [b](https://github.com/own/b)\n\n## Old\n\n- [o](http://WEB/o)\n"
    )
    wd = make(text, exclude_sections=["old"])
    rewrite_links(wd, text)
    wd.web.script("/p", w.not_found())
    wd.web.script("/o", w.not_found())
    for _ in range(2):
        run = wd.run("check", "--write")
        assert run.code == 0, run.err
    urls = {e["url"] for e in run.report["links"]}
    assert urls == {"https://github.com/own/b"}
    assert wd.web.total_requests() == 0
    out = wd.list_path.read_text()
    lines = {ln.split("](")[0]: ln for ln in out.splitlines() if "](" in ln}
    assert "awesome-monitor -->" not in lines["- [a"] and "awesome-monitor -->" in lines["- [b"]
    assert "dead" not in out
    assert main(["scan", str(wd.list_path), "--json", str(wd.tmp / "scan.json")]) == 0
    scan = json.loads((wd.tmp / "scan.json").read_text())
    assert [e["ignored"] for e in scan["links"]] == [True, True, False, False]
    assert scan["summary"]["ignored"] == 2  # the excluded section is a config: scan knows none


# -- 7. the cache ------------------------------------------------------------------------


def test_a_same_day_rerun_asks_nothing_for_what_was_alive(make) -> None:
    text = (
        "# L\n\n- [ok](http://WEB/ok)\n- [gone](http://WEB/gone)\n"
        "- [p](https://arxiv.org/abs/1409.1556)\n- [r](https://github.com/own/r)\n"
    )
    wd = make(text, recheck_after=1)
    rewrite_links(wd, text)
    wd.arxiv.scenario.add("1409.1556", versions=["2014-09-04", "2015-04-10"])
    wd.web.script("/ok", w.ok())
    wd.web.script("/gone", w.not_found())
    first = wd.run("check", "--write")
    assert first.code == 0, first.err
    web, arxiv = wd.web.total_requests(), wd.arxiv.total_requests()
    assert web == 2 and arxiv == 1
    second = wd.run("check", "--write")
    assert second.code == 0, second.err
    assert wd.web.total_requests() - web == 1, "only the failing link is asked again"
    assert wd.arxiv.total_requests() == arxiv, "arXiv's answer is reused for a day"
    assert second.report["requests"]["github"] >= 1, "GitHub is not cached"
    by = second.by_url()
    assert by[wd.web.link("/ok")]["verdict"] == "alive"
    assert by[wd.web.link("/gone")]["failures_in_a_row"] == 2
    # A day later everything is asked again.
    state = json.loads(wd.state_path.read_text())
    for section in ("urls", "papers"):
        for entry in state[section].values():
            if entry.get("last_ok"):
                entry["last_ok"] = "2020-01-01T00:00:00Z"
    wd.state_path.write_text(json.dumps(state))
    wd.run("check", "--write")
    assert wd.arxiv.total_requests() == arxiv + 1
    assert wd.web.total_requests() - web == 3


# -- 4. redirects ------------------------------------------------------------------------


def test_permanent_redirects_are_written_only_when_asked_and_safe(make) -> None:
    text = "".join(f"- [{n}](http://WEB/{n})\n" for n in ("perm", "temp", "root", "login", "far"))
    wd = make("# L\n\n" + text, fix_redirects=True)
    emu = wd.web
    perm = emu.chain(["/perm", "/perm2", "/perm3"], w.ok(), codes=[301, 308])
    emu.chain(["/temp", "/temp2"], w.ok(), codes=302)
    emu.script("/root", w.redirect("/", 301))
    emu.script("/", w.ok())
    emu.script("/login", w.redirect("/login/sso?next=/x", 301))
    emu.script("/login/sso", w.ok())
    emu.script("/far", w.redirect("http://elsewhere.invalid/x", 301))
    rewrite_links(wd, "# L\n\n" + text)
    run = wd.run("check", "--write")
    assert run.code == 0, run.err
    out = wd.list_path.read_text()
    assert f"[perm]({emu.link('/perm3')})" in out and f"({perm})" not in out
    for n in ("temp", "root", "login", "far"):
        assert f"[{n}]({emu.link('/' + n)})" in out, n
    # Off by default: reported, never written.
    wd2 = make("# L\n\n- [perm](http://WEB/perm)\n")
    wd2.web.chain(["/perm", "/perm2"], w.ok(), codes=301)
    rewrite_links(wd2, "# L\n\n- [perm](http://WEB/perm)\n")
    run2 = wd2.run("check", "--write")
    assert "redirects permanently to" in run2.out
    assert wd2.web.link("/perm2") not in wd2.list_path.read_text()


# -- 5. archived copies ------------------------------------------------------------------


def test_a_dead_link_gets_its_archived_copy_offered_and_used_when_asked(make) -> None:
    text = "# L\n\n- [gone](http://WEB/gone)\n- [r](https://github.com/own/r)\n"
    wd = make(text)
    rewrite_links(wd, text)
    original = wd.list_path.read_text()
    wd.web.script("/gone", w.not_found())
    gone = wd.web.link("/gone")
    wd.wayback.add(gone, "20190101000000")
    wd.wayback.add(gone, "29990101000000")  # after it died: an archived error page
    for _ in range(2):
        run = wd.run("check", "--write")
    copy = f"https://web.archive.org/web/20190101000000/{gone}"
    assert f"archived copy: {copy}" in run.out
    assert wd.wayback.total_requests() == 1
    again = wd.run("check", "--write")
    assert f"archived copy: {copy}" in again.out and wd.wayback.total_requests() == 1
    assert "dead since" in wd.list_path.read_text() and copy not in wd.list_path.read_text()
    # The PR offers it too (the repository holds the list as it was before the bot).
    wd.github.scenario.add(LIST_REPO, files={"README.md": original}, stars=1)
    for _ in range(2):  # its own history, on the state branch: dead on the second run
        pr = wd.run("pr", "--repo", LIST_REPO)
        assert pr.code == 0, pr.err
    (body,) = [p.body for p in wd.github.scenario[LIST_REPO].pulls.values()]
    assert copy in body
    # With use_archive the copy takes the dead link's place.
    wd.configure("check", use_archive=True)
    wd.run("check", "--write")
    assert f"[gone]({copy})" in wd.list_path.read_text()


# -- 6. stale repositories ---------------------------------------------------------------


def test_stale_repositories_are_said_and_can_be_turned_off(make) -> None:
    text = "# L\n\n- [old](https://github.com/own/old)\n- [new](https://github.com/own/new)\n"
    wd = make(text)
    spec = wd.github.scenario
    spec["own/old"].pushed_at = spec["own/old"].last_commit = "2021-03-01T00:00:00Z"
    spec["own/new"].pushed_at = spec["own/new"].last_commit = "2099-01-01T00:00:00Z"
    run = wd.run("check", "--write")
    assert run.code == 0, run.err
    old = next(ln for ln in wd.list_path.read_text().splitlines() if "own/old" in ln)
    new = next(ln for ln in wd.list_path.read_text().splitlines() if "own/new" in ln)
    assert "stale since 2021" in old and "stale" not in new
    assert "Stale (no commit for a long time) (1):" in run.out
    assert run.report["summary"]["stale"] == 1
    wd.configure("status", stale_after=0)
    off = wd.run("check", "--write", "--refresh")
    assert off.code == 0, off.err
    assert "stale" not in wd.list_path.read_text() and off.report["summary"]["stale"] == 0
