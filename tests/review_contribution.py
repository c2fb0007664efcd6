"""A simulated contribution to a real list: ten new links, one of each kind a review must tell
apart (a repository that does not exist, a moved one, an archived one, a fine one, a stale
one, a repository the list has already written differently, a paper the list has by its `abs`
page linked as a `pdf` (or, in a list without papers, a web page it has written with
`http://www.` and a trailing slash), a paper with a newer version, a dead web page, an SSH
clone address), inserted before several of the list's headings, plus a reworded line.

What each link must be reported as is known from how it was made, and where it is from
the text itself (the line each inserted address is on; the line the list already has a
duplicated target on), not from the bot's parser."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.parse.markdown import parse
from tests.emulators.web import not_found, ok
from tests.review_world import ReviewWorld

SKIP_HOSTS = ("github.com", "arxiv.org", "huggingface.co", "githubusercontent.com")


@dataclass
class Expected:
    url: str
    kinds: set[str]  # the findings, none for a fine link
    blocking: bool
    detail: str = ""  # a part of what is said
    line: int = 0  # in the new version
    same_as: str = ""  # a duplicate: the address the list already has …
    same_line: int = 0  # … and its line


def _once(text: str, pattern: str) -> re.Match[str] | None:
    """The one place `pattern` is written as an address (a link's text, `[url](url)`, is
    not one: GitHub links only its target)."""
    found = [m for m in re.finditer(pattern, text, re.I) if not _link_text(text, m)]
    return found[0] if len(found) == 1 else None


def _link_text(text: str, m: re.Match[str]) -> bool:
    """Whether `m` is in a link's text, as in `[https://…](…)`."""
    before = text[max(0, m.start() - 16) : m.start()]
    after = text[m.end() :]
    return bool(
        re.search(r"\[(?:https?://)?(?:www\.)?$", before) and re.match(r"[^\s\]]*\]\(", after)
    )


def _repo_written_once(text: str) -> tuple[str, str] | None:
    """A repository the list links once (as a repository, not a file in it)."""
    for link in parse(text).links:
        t = link.target
        if (
            t.kind.value != "github_repo"
            or not t.repo
            or link.raw_url != f"https://github.com/{t.repo}"
        ):
            continue
        pattern = rf"github\.com/{re.escape(t.repo)}(?:\.git)?/?(?=[)\s>\"'\]#?|]|$)"
        if _once(text, pattern) and _once(text, rf"{re.escape(link.raw_url)}(?![\w./-])"):
            return link.raw_url, t.repo
    return None


def _paper_written_once(text: str) -> tuple[str, str] | None:
    for m in re.finditer(r"https://arxiv\.org/abs/(\d{4}\.\d{4,5})(?![\dv])", text):
        if _link_text(text, m):
            continue
        if _once(text, rf"arxiv\.org/(?:abs|pdf)/{re.escape(m[1])}(?!\d)"):
            return m[0], m[1]
    return None


def _web_page_written_once(text: str) -> str | None:
    for m in re.finditer(r"https://([a-z0-9.-]+)(/[A-Za-z0-9_/.-]*[A-Za-z0-9_-])(?=\))", text):
        host = m[1]
        if host.startswith("www.") or any(host.endswith(h) for h in SKIP_HOSTS):
            continue
        if _once(text, rf"//(?:www\.)?{re.escape(host)}{re.escape(m[2])}/?(?![\w./-])"):
            return m[0]
    return None


def prepare(world: ReviewWorld) -> None:
    """What the contributed links point at, on the emulators."""
    gh, ax, web = world.github.scenario, world.arxiv.scenario, world.web
    recent = {"last_commit": "2026-06-01T00:00:00Z", "pushed_at": "2026-06-01T00:00:00Z"}
    gh.add("contrib-old/renamed-tool", stars=321, **recent)
    gh.rename("contrib-old/renamed-tool", "contrib-new/renamed-tool")
    gh.add("contrib/archived-tool", stars=45, archived=True, archived_at="2023-05-01T00:00:00Z")
    gh.add("contrib/fresh-tool", stars=4321, **recent)
    gh.add("contrib/fresh-two", stars=77, **recent)
    gh.add("contrib/stale-tool", stars=9, last_commit="2019-03-04T00:00:00Z",
           pushed_at="2019-03-04T00:00:00Z")  # fmt: skip
    gh.add("contrib/cloned", stars=5, **recent)
    ax.add("2401.00001", versions=["2024-01-10", "2024-02-10", "2024-03-10"])
    web.script("/gone-page", not_found())
    web.script("/fine-page", ok())


def contribution(world: ReviewWorld, base: str) -> tuple[str, list[Expected]]:
    """The new version of `base` with ten new links and a reworded line, and what each
    new link must be reported as."""
    cases = [
        Expected("https://github.com/contrib-gone/no-such-repo", {"failing"}, True,
                 "failing now: repository not found"),
        Expected("https://github.com/contrib-old/renamed-tool", {"moved"}, False,
                 "moved: use https://github.com/contrib-new/renamed-tool"),
        Expected("https://github.com/contrib/archived-tool", {"archived"}, False,
                 "archived on 2023-05-01"),
        Expected("https://github.com/contrib/fresh-tool", set(), False),
        Expected("https://github.com/contrib/stale-tool", {"stale"}, False,
                 "no commit since 2019-03-04"),
        Expected("https://arxiv.org/abs/2401.00001v1", {"new_version"}, False,
                 "links v1; the latest is v3 (2024-03)"),
        Expected(world.web.link("/gone-page"), {"failing"}, True, "failing now: HTTP 404"),
        Expected("git@github.com:contrib/cloned.git", {"malformed"}, False,
                 "use https://github.com/contrib/cloned"),
    ]  # fmt: skip
    repo = _repo_written_once(base)
    if repo:
        owner, name = repo[1].split("/")
        dup = f"https://github.com/{owner.swapcase()}/{name.swapcase()}.git/"
        cases.append(Expected(dup, {"duplicate"}, True, "duplicate", same_as=repo[0]))
    paper = _paper_written_once(base)
    page = None if paper else _web_page_written_once(base)
    if paper:
        cases.append(Expected(f"https://arxiv.org/pdf/{paper[1]}v2", {"duplicate"}, True,
                              "duplicate", same_as=paper[0]))  # fmt: skip
    elif page:
        host_path = page.removeprefix("https://")
        cases.append(Expected(f"http://www.{host_path}/", {"duplicate"}, True, "duplicate",
                              same_as=page))  # fmt: skip
    head = insert(base, cases)
    locate(head, cases)
    return head, cases


def insert(base: str, cases: list[Expected]) -> str:
    """The entries in blocks of two before headings spread over the list (at its end when it
    has none), and one line with a link reworded (its address unchanged)."""
    lines = base.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    headings = [s.line for s in parse(base).sections if lines[s.line - 1].startswith("#")]
    entries = [
        f"- [Contributed {i}]({c.url}) - A contributed entry.\n" for i, c in enumerate(cases)
    ]
    blocks = ["".join(entries[i : i + 2]) for i in range(0, len(entries), 2)]
    reword = next((i for i, ln in enumerate(lines) if re.match(r"[-*] \[[^]]+\]\(http", ln)
                   and ln.rstrip().endswith(".")), None)  # fmt: skip
    if reword is not None:
        lines[reword] = lines[reword].rstrip()[:-1] + " (reworded).\n"
    if not headings:
        return "".join(lines) + "\n" + "".join(blocks)
    spots = [headings[k * len(headings) // len(blocks)] for k in range(len(blocks))]
    for spot, k in sorted(zip(spots, range(len(blocks)), strict=True), reverse=True):
        lines.insert(spot - 1, "\n" + blocks[k] + "\n")
    return "".join(lines)


def locate(head: str, cases: list[Expected]) -> None:
    """Each new address's line, and for a duplicate the line of the list's own address."""
    rows = head.splitlines()
    for c in cases:
        (c.line,) = [i + 1 for i, row in enumerate(rows) if f"]({c.url})" in row]
        if c.same_as:
            there = re.compile(rf"{re.escape(c.same_as)}(?![\w./-])")
            same = [i + 1 for i, row in enumerate(rows) if there.search(row) and c.line != i + 1]
            c.same_line = min(same)


def fixed(head: str, cases: list[Expected]) -> tuple[str, list[Expected]]:
    """The second push: the failing links replaced by good ones, the duplicates removed."""
    out = head
    kept = []
    for c in cases:
        if "duplicate" in c.kinds:
            out = re.sub(rf"\n- \[Contributed \d+\]\({re.escape(c.url)}\)[^\n]*", "", out)
        elif "failing" in c.kinds:
            new = ("https://github.com/contrib/fresh-two" if "github.com" in c.url
                   else c.url.replace("/gone-page", "/fine-page"))  # fmt: skip
            out = out.replace(f"]({c.url})", f"]({new})")
            kept.append(Expected(new, set(), False))
        else:
            kept.append(Expected(c.url, set(c.kinds), c.blocking, c.detail))
    locate(out, kept)
    return out, kept
