"""A dead image reaches the maintainer like any dead link: a badge inside a link gets its
note after that link, a lone image after itself, and both are in the pull request. An
alive image says nothing."""

from __future__ import annotations

from bot.parse.markdown import NOTE_CLOSE, NOTE_OPEN
from tests.emulators import web as w
from tests.world import LIST_REPO, MakeWorld


def test_a_dead_badge_gets_its_note_and_its_place_in_the_pr(make_world: MakeWorld) -> None:
    wd = make_world("# List\n", web_cases=False)
    wd.web.script("/dead.svg", w.not_found())
    wd.web.script("/ok.svg", w.ok())
    wd.web.script("/gone.png", w.not_found())
    dead, ok, gone = (wd.web.link(p) for p in ("/dead.svg", "/ok.svg", "/gone.png"))
    text = (
        "# Awesome things\n\n"
        f"[![Awesome]({dead})](https://github.com/sindresorhus/awesome)\n\n"
        f"[![Build]({ok})](https://github.com/sindresorhus/awesome)\n\n"
        "## Things\n\n"
        f"- [A thing](https://github.com/sindresorhus/awesome) - Does it.\n\n"
        f"![Diagram]({gone})\n"
    )
    wd.list_path.write_text(text)
    wd.github.scenario.add("sindresorhus/awesome", stars=400_000)
    wd.add_list_repo()
    run = wd.run("check", "--write", "--dead-after", "1")
    assert run.code == 0, run.err
    out = wd.list_path.read_text().splitlines()
    badge = next(ln for ln in out if "dead.svg" in ln)
    note = badge.split("/awesome) ", 1)[1]  # after the link the badge is in
    assert note.startswith(NOTE_OPEN) and note.endswith(NOTE_CLOSE)
    assert "image dead since 20" in note and note.count(NOTE_OPEN) == 1
    assert "image dead since" in next(ln for ln in out if "gone.png" in ln)
    assert "image" not in next(ln for ln in out if "ok.svg" in ln), "alive: nothing"

    wd.list_path.write_text(text)  # the same list in a repository, with `pr`
    run = wd.run("pr", "--repo", LIST_REPO, "--dead-after", "1")
    assert run.code == 0, run.err
    (pull,) = wd.github.pulls(LIST_REPO)
    assert f"](<{dead}>)" in pull.body and f"](<{gone}>)" in pull.body  # links, each once
    proposed = wd.github.scenario[LIST_REPO].file_text("README.md", "awesome-monitor/status")
    assert "image dead since" in next(ln for ln in proposed.splitlines() if "dead.svg" in ln)
