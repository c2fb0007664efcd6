"""What `review` says about each link a pull request adds: its findings (failing now, a
duplicate, moved, archived, stale, a newer paper version, malformed, …), which of them block
(`[review] fail_on`), and what the list would show for it once the weekly check runs.

One run never makes a link dead (`bot.check.judge`: dead needs `dead_after` failed runs over
`dead_after_days`): a link that fails in the review is "failing now", with the answer, for
the maintainer to judge; it blocks by default because a new link that answers 404 is almost
always a typo or a link already gone. An answer that tells nothing (a 429, a 5xx, a timeout,
a bot challenge, our network) is "could not tell" and never blocks."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.check.model import CheckResult, Facts, Judgement, Verdict
from bot.check.providers import by_name, kind_of
from bot.config import Config
from bot.parse.markdown import Link
from bot.render.display import is_stale
from bot.render.severity import ORDER, WARNING, level
from bot.render.status import StatusContext, render_note
from bot.render.templating import environment, month

NEVER_BLOCK = ("unknown", "not_checked")  # could not tell; not checked this run


@dataclass
class Finding:
    kind: str  # one of bot.config.checks.REVIEW_FINDINGS, or "unknown", "not_checked"
    detail: str
    blocking: bool = False


@dataclass
class Reviewed:
    """One added link: where it is written, what was found, what the list would show."""

    link: Link
    findings: list[Finding] = field(default_factory=list)
    verdict: Judgement | None = None  # None: not checked (a duplicate of a listed link)
    duplicate_of: Link | None = None
    shows: str = ""  # the note the weekly check would give it ("★ 4.3k · 2024")

    @property
    def line(self) -> int:
        return self.link.line

    @property
    def url(self) -> str:
        return self.link.raw_url

    @property
    def blocking(self) -> bool:
        return any(f.blocking for f in self.findings)

    @property
    def detail(self) -> str:
        return "; ".join(f.detail for f in self.findings)

    @property
    def level(self) -> str:
        """Its annotation's level (`bot.render.severity`): its most severe finding's."""
        return min((level(f.kind, f.blocking) for f in self.findings), key=ORDER.index,
                   default=WARNING)  # fmt: skip


@dataclass
class Review:
    """The review of one change to one list."""

    file: str  # the list's path (in the repository: where annotations go)
    base: str  # what it was compared with ("origin/main at 1a2b3c4")
    links: list[Reviewed]  # every added link that is checked or a duplicate, in text order
    skipped: int = 0  # added links under a disable comment or `[check] exclude`
    result: CheckResult | None = None  # None when nothing needed a request

    @property
    def blocking(self) -> list[Reviewed]:
        return [r for r in self.links if r.blocking]

    @property
    def warnings(self) -> list[Reviewed]:
        return [r for r in self.links if r.findings and not r.blocking]

    @property
    def fine(self) -> list[Reviewed]:
        return [r for r in self.links if not r.findings]

    @property
    def requests(self) -> dict[str, int]:
        return dict(self.result.requests) if self.result else {}


def reviewed(
    added: list[Link],
    duplicates: dict[int, Link],
    result: CheckResult | None,
    cfg: Config,
) -> list[Reviewed]:
    """The findings of every added link; `duplicates` maps an added link's `start` to the
    link it repeats, `result` holds the verdicts of those that were checked."""
    by_start = {v.link.start: v for v in (result.verdicts if result else [])}
    env = environment(cfg.templates)
    view = StatusContext(result.day, cfg.status) if result and result.state.updated else None
    block = set(cfg.review.fail_on)
    new = {a.start for a in added}
    out = []
    for link in added:
        r = Reviewed(link, verdict=by_start.get(link.start),
                     duplicate_of=duplicates.get(link.start))  # fmt: skip
        if r.duplicate_of is not None:
            same = r.duplicate_of
            where = "also added at" if same.start in new else "already in the list at"
            spelled = "" if same.raw_url == link.raw_url else f" ({same.raw_url})"
            r.findings.append(Finding("duplicate", f"duplicate: {where} line {same.line}{spelled}"))
        if link.target.problem:
            fix = f"; use {link.target.suggestion}" if link.target.suggestion else ""
            r.findings.append(Finding("malformed", f"malformed: {link.target.problem}{fix}"))
        web_off = r.verdict is not None and r.verdict.provider == "web" and not cfg.check.web
        if web_off:
            r.shows = "not checked ([check] web = false)"
        elif r.verdict is not None and r.verdict.provider and view is not None:
            r.findings.extend(_checked(r.verdict, view))
            if r.verdict.verdict != Verdict.DEAD and not r.verdict.failing:
                r.shows = render_note(env, r.verdict, view) or ""
        for f in r.findings:
            f.blocking = f.kind in block and f.kind not in NEVER_BLOCK
        out.append(r)
    return out


def _checked(v: Judgement, view: StatusContext) -> list[Finding]:
    """What this run's answer says about a new link."""
    out: list[Finding] = []
    error = v.error or "failed"
    if v.verdict == Verdict.DEAD:
        return [Finding("failing", f"dead: {error}")]
    if v.failing:
        return [Finding("failing", f"failing now: {error}")]
    if v.not_checked:
        return [Finding("not_checked", f"not checked: {error}")]
    if v.verdict == Verdict.UNKNOWN:
        return [Finding("unknown", f"could not tell: {error}")]
    obs = v.observation
    if v.verdict == Verdict.MOVED and v.moved_to:
        out.append(Finding("moved", f"moved: use {v.moved_to}"))
    elif v.verdict == Verdict.MOVED and obs is not None:
        out.append(Finding("moved", f"moved to {obs.moved_to}"))
    facts = obs.facts() if obs is not None else Facts()
    stale_after = view.status.stale_after
    if facts.archived:
        when = f" on {facts.archived_at[:10]}" if facts.archived_at else ""
        out.append(Finding("archived", f"archived{when} (read-only)"))
    elif (stale_after and kind_of(v.link.target).stale_listed
          and is_stale(facts.activity, view.today, stale_after)):  # fmt: skip
        out.append(Finding("stale", f"stale: no commit since {(facts.activity or '')[:10]}"))
    if facts.version and v.new_version:
        latest = f"v{facts.version} ({month(facts.version_date)})"
        out.append(Finding("new_version", f"links v{v.previous_version}; the latest is {latest}"))
    if "withdrawn" in facts.labels:
        provider = by_name(v.provider)
        out.append(Finding("withdrawn", "withdrawn by its authors"
                           + (f" ({provider.title})" if provider else "")))  # fmt: skip
    if obs is not None and obs.redirect:
        out.append(Finding("redirect", f"redirects permanently to {obs.redirect}"))
    return out
