"""The Hugging Face provider against the Hub emulator, over real HTTP on loopback: the real
code pointed at it with HF_ENDPOINT or `[huggingface] api_url`, as a private Hub user would."""

from __future__ import annotations

import json
import logging
import socket
from dataclasses import asdict
from pathlib import Path

import pytest

from bot.check.http import Http, HttpSettings
from bot.check.model import Facts, Outcome, ProviderResult
from bot.check.providers import REGISTRY, Context, owner, target_of
from bot.check.providers.each import UNREACHABLE_AFTER
from bot.check.providers.huggingface import (
    DISABLED,
    NO_PAPER,
    NOT_FOUND,
    TOKEN_REFUSED,
    HubObservation,
    HubTarget,
    HuggingFace,
)
from bot.check.state import Entry, State, from_json
from bot.cli import main
from bot.config import Config
from bot.parse.target import Target
from tests.conftest import SHARED, corpus_files
from tests.emulators.base import Fault
from tests.emulators.huggingface import HubEmulator, HubScenario
from tests.world import MakeWorld

pytestmark = pytest.mark.usefixtures("no_proxy_env")

HF = next(p for p in REGISTRY if isinstance(p, HuggingFace))  # the registered one
TOKEN = "hf_test_secret_token_123"
SETTINGS = HttpSettings(timeout=2.0, retries=1, backoff=0.01, max_wait=5.0, per_host=4)


def target(url: str) -> Target:
    return target_of(url)


def check(
    urls: list[str],
    emu: HubEmulator | str,
    env: dict[str, str] | None = None,
    settings: HttpSettings = SETTINGS,
    config: Config | None = None,
) -> ProviderResult:
    endpoint = emu if isinstance(emu, str) else emu.url
    ctx = Context(http=Http(settings), config=config or Config(),
                  env={"HF_ENDPOINT": endpoint, **(env or {})})  # fmt: skip
    return HF.check([target(u) for u in urls], ctx)


def obs_of(res: ProviderResult, url: str) -> HubObservation:
    key = HF.key(target(url))
    assert key is not None
    obs = res.observations[key]
    assert isinstance(obs, HubObservation)
    return obs


# -- which links are ours --------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kind", "repo_id", "normal"),
    [
        ("https://huggingface.co/bigscience/bloomz", "hf_model", "bigscience/bloomz",
         "https://huggingface.co/bigscience/bloomz"),
        ("https://www.huggingface.co/bigscience/bloomz/", "hf_model", "bigscience/bloomz",
         "https://huggingface.co/bigscience/bloomz"),
        ("http://huggingface.co/bigscience/bloomz?library=transformers#usage", "hf_model",
         "bigscience/bloomz", "https://huggingface.co/bigscience/bloomz"),
        ("https://hf.co/stabilityai/stablelm-2-1_6b", "hf_model", "stabilityai/stablelm-2-1_6b",
         "https://huggingface.co/stabilityai/stablelm-2-1_6b"),
        ("https://huggingface.co/datasets/HuggingFaceFW/fineweb", "hf_dataset",
         "HuggingFaceFW/fineweb", "https://huggingface.co/datasets/HuggingFaceFW/fineweb"),
        ("https://huggingface.co/spaces/lmsys/chatbot-arena-leaderboard", "hf_space",
         "lmsys/chatbot-arena-leaderboard",
         "https://huggingface.co/spaces/lmsys/chatbot-arena-leaderboard"),
        ("https://huggingface.co/papers/2305.14314", "hf_paper", "2305.14314",
         "https://huggingface.co/papers/2305.14314"),
        ("https://hf.co/papers/2305.14314v2", "hf_paper", "2305.14314",
         "https://huggingface.co/papers/2305.14314"),
    ],
)  # fmt: skip
def test_claims_repositories_and_paper_pages(url: str, kind: str, repo_id: str, normal: str):
    t = target(url)
    assert isinstance(t, HubTarget)
    assert (t.kind.value, t.repo_id, t.url) == (kind, repo_id, normal)
    assert not hasattr(t, "repo") and not hasattr(t, "arxiv_id")  # others' fields: not its
    found = owner(t)
    assert found is not None and found[0] is HF


@pytest.mark.parametrize(
    "url",
    [
        "https://huggingface.co/docs/trl/en/index",
        "https://huggingface.co/docs/transformers",
        "https://huggingface.co/blog/rlhf",
        "https://huggingface.co/learn/nlp-course",
        "https://huggingface.co/tasks/text-generation",
        "https://huggingface.co/chat/models",
        "https://huggingface.co/organizations/bigscience",
        "https://huggingface.co/collections/Qwen/qwen-65c0e50c3f1ab89cb8704144",
        "https://huggingface.co/spaces",
        "https://huggingface.co/spaces/lmsys",
        "https://huggingface.co/datasets",
        "https://huggingface.co/models?pipeline_tag=text-generation",
        "https://huggingface.co/papers",
        "https://huggingface.co/papers/not-an-id",
        "https://huggingface.co/THUDM",
        "https://huggingface.co/",
        "https://huggingface.co/bigscience/bloomz/resolve/main/config.json",
        "https://huggingface.co/bigscience/bloomz/tree/main",
        "https://huggingface.co/bigscience/bloomz/blob/main/README.md",
        "https://huggingface.co/bigscience/bloomz/discussions/3",
        "https://huggingface.co/datasets/HuggingFaceFW/fineweb/viewer",
        "https://huggingface.co/-bad/name",
        "https://huggingface.co/a--b/name",
        "https://huggingface.com/bigscience/bloomz",
        "https://example.com/bigscience/bloomz",
    ],
)
def test_what_is_not_a_repository_stays_a_web_link(url: str) -> None:
    t = target(url)
    assert not isinstance(t, HubTarget)
    assert t.kind.value == "web"
    found = owner(t)
    assert found is not None and found[0].name == "web"


def test_other_services_links_are_left_alone() -> None:
    assert target("https://github.com/huggingface/transformers").kind.value == "github_repo"
    assert target("https://arxiv.org/abs/2305.14314").kind.value == "arxiv"


def test_keys_are_distinct_per_type_and_one_per_repository() -> None:
    keys = {
        HF.key(target(u))
        for u in [
            "https://huggingface.co/org/name",
            "https://hf.co/Org/Name/",
            "https://huggingface.co/datasets/org/name",
            "https://huggingface.co/spaces/org/name",
            "https://huggingface.co/papers/2305.14314",
        ]
    }
    assert keys == {"model:org/name", "dataset:org/name", "space:org/name", "paper:2305.14314"}
    assert REGISTRY[-1].name == "web" and HF in REGISTRY


# -- outcomes ------------------------------------------------------------------------


@pytest.fixture
def hub(hub_emulator: HubEmulator) -> HubEmulator:
    s = hub_emulator.scenario
    s.add("bigscience/bloomz", likes=520, downloads=31_000,
          last_modified="2024-05-01T12:00:00.000Z")  # fmt: skip
    s.add("HuggingFaceFW/fineweb", "dataset", likes=2_000, downloads=150_000)
    s.add("lmsys/chatbot-arena-leaderboard", "space", likes=4_300,
          last_modified="2025-02-03T00:00:00.000Z")  # fmt: skip
    s.add("meta-llama/Llama-2-7b", gated="manual", likes=4_000, downloads=900_000)
    s.add("secret-org/hidden", private=True, likes=1)
    s.add("bad-org/taken-down", disabled=True)
    s.add_paper("2305.14314", title="QLoRA:  Efficient\n Finetuning", upvotes=52)
    return hub_emulator


def test_models_datasets_spaces_and_papers_with_their_facts(hub: HubEmulator) -> None:
    urls = [
        "https://huggingface.co/bigscience/bloomz",
        "https://huggingface.co/datasets/HuggingFaceFW/fineweb",
        "https://huggingface.co/spaces/lmsys/chatbot-arena-leaderboard",
        "https://huggingface.co/papers/2305.14314",
    ]
    res = check(urls, hub)
    model, dataset, space, paper = (obs_of(res, u) for u in urls)
    assert (model.outcome, model.http_status, model.moved_to) == (Outcome.OK, 200, None)
    assert model.last_modified == "2024-05-01T12:00:00.000Z"  # kept; activity is for code
    assert model.facts() == Facts(counts=(("♥", 520), ("↓", 31_000)), name="bigscience/bloomz")
    assert dataset.facts().counts == (("♥", 2_000), ("↓", 150_000))
    assert (space.outcome, space.downloads) == (Outcome.OK, None)
    assert space.facts() == Facts(counts=(("♥", 4_300),), activity="2025-02-03T00:00:00.000Z",
                                  name="lmsys/chatbot-arena-leaderboard")  # fmt: skip
    assert (paper.outcome, paper.upvotes) == (Outcome.OK, 52)
    assert paper.title == "QLoRA: Efficient Finetuning"
    assert paper.facts().counts == (("▲", 52),)
    assert not res.lost and res.requests == 4 == hub.total_requests()
    # Only the fields shown are asked for, per type (a Space has no downloads).
    asked = {r.path: r.query.get("expand") for r in hub.seen}
    assert asked["/api/spaces/lmsys/chatbot-arena-leaderboard"] == [
        "likes", "lastModified", "private", "disabled"
    ]  # fmt: skip
    assert "downloads" in asked["/api/models/bigscience/bloomz"]
    assert asked["/api/papers/2305.14314"] is None


def test_missing_repository_and_paper_page_fail(hub: HubEmulator) -> None:
    urls = ["https://huggingface.co/nobody/nothing", "https://huggingface.co/papers/2101.00001",
            "https://huggingface.co/datasets/bigscience/bloomz"]  # fmt: skip
    res = check(urls, hub)
    gone, paper, wrong_type = (obs_of(res, u) for u in urls)
    # Anonymous: the Hub answers 401 + X-Error-Code: RepoNotFound for a missing repository.
    assert (gone.outcome, gone.http_status, gone.error) == (Outcome.FAIL, 401, NOT_FOUND)
    assert (paper.outcome, paper.http_status, paper.error) == (Outcome.FAIL, 404, NO_PAPER)
    assert wrong_type.outcome is Outcome.FAIL  # a model is not a dataset
    assert not res.lost


def test_disabled_repository_fails(hub: HubEmulator) -> None:
    obs = obs_of(check(["https://huggingface.co/bad-org/taken-down"], hub),
                 "https://huggingface.co/bad-org/taken-down")  # fmt: skip
    assert (obs.outcome, obs.http_status, obs.error, obs.disabled) == (
        Outcome.FAIL, 403, DISABLED, True
    )  # fmt: skip


def test_disabled_flag_in_an_answer_fails_too(hub: HubEmulator) -> None:
    body = json.dumps({"_id": "x", "id": "bigscience/bloomz", "disabled": True, "likes": 3})
    hub.inject(Fault(status=200, body=body.encode(), headers={"Content-Type": "application/json"}))
    obs = obs_of(check(["https://huggingface.co/bigscience/bloomz"], hub),
                 "https://huggingface.co/bigscience/bloomz")  # fmt: skip
    assert (obs.outcome, obs.error, obs.likes) == (Outcome.FAIL, DISABLED, 3)
    assert obs.facts().labels == ("disabled",)


def test_gated_repository_is_alive_and_labelled(hub: HubEmulator) -> None:
    url = "https://huggingface.co/meta-llama/Llama-2-7b"
    obs = obs_of(check([url], hub), url)
    assert (obs.outcome, obs.gated) == (Outcome.OK, "manual")
    assert obs.facts().labels == ("gated",)


def test_renamed_repository_is_moved_and_its_link_keeps_the_rest(hub: HubEmulator) -> None:
    hub.scenario.rename("bigscience/bloomz", "bigscience-archive/bloomz-7b")
    url = "https://hf.co/bigscience/bloomz/?library=transformers#usage"
    res = check([url], hub)
    obs = obs_of(res, url)
    assert (obs.outcome, obs.moved_to, obs.likes) == (
        Outcome.OK, "bigscience-archive/bloomz-7b", 520
    )  # fmt: skip
    # The old id answers 307 to the new one (relative to the Hub): two requests, and the
    # fields are asked again on the new path.
    assert [r.path for r in hub.seen] == [
        "/api/models/bigscience/bloomz", "/api/models/bigscience-archive/bloomz-7b"
    ]  # fmt: skip
    assert hub.seen[1].query["expand"] == hub.seen[0].query["expand"]
    assert res.requests == 2
    t = target(url)
    assert HF.moved_url(t, url, obs.moved_to) == (
        "https://hf.co/bigscience-archive/bloomz-7b/?library=transformers#usage"
    )


@pytest.mark.parametrize(
    ("url", "moved"),
    [
        ("https://huggingface.co/Old/Name", "https://huggingface.co/new-org/new-name"),
        ("https://www.huggingface.co/datasets/old/name/#top",
         "https://www.huggingface.co/datasets/new-org/new-name/#top"),
        ("https://huggingface.co/spaces/old/name?logs=container",
         "https://huggingface.co/spaces/new-org/new-name?logs=container"),
        ("https://huggingface.co/old/name/tree/main", "https://huggingface.co/new-org/new-name/tree/main"),
    ],
)  # fmt: skip
def test_moved_url_replaces_only_the_id(url: str, moved: str) -> None:
    base = url.split("/tree/")[0]
    assert HF.moved_url(target(base), url, "new-org/new-name") == moved


def test_moved_url_refuses_what_it_cannot_rewrite() -> None:
    t = target("https://huggingface.co/old/name")
    assert HF.moved_url(t, "https://huggingface.co/other/name", "a/b") is None
    assert HF.moved_url(t, "https://huggingface.co/old/name", "not-an-id") is None
    assert HF.moved_url(target("https://huggingface.co/papers/2305.14314"),
                        "https://huggingface.co/papers/2305.14314", "a/b") is None  # fmt: skip


def test_a_different_case_is_the_same_repository_not_a_move(hub: HubEmulator) -> None:
    urls = ["https://huggingface.co/BigScience/BLOOMZ", "https://huggingface.co/bigscience/bloomz"]
    res = check(urls, hub)
    assert len(res.observations) == 1 and res.requests == 1
    obs = obs_of(res, urls[0])
    assert (obs.outcome, obs.moved_to) == (Outcome.OK, None)


# -- the token -------------------------------------------------------------------------


def test_private_repository_without_a_token_is_not_found(hub: HubEmulator) -> None:
    url = "https://huggingface.co/secret-org/hidden"
    obs = obs_of(check([url], hub), url)
    assert (obs.outcome, obs.http_status) == (Outcome.FAIL, 401)
    assert "authorization" not in hub.seen[0].headers


def test_private_repository_with_a_token_that_sees_it(hub: HubEmulator, caplog) -> None:
    hub.scenario.allow(TOKEN, "secret-org/hidden")
    caplog.set_level(logging.DEBUG)
    urls = ["https://huggingface.co/secret-org/hidden", "https://huggingface.co/nobody/nothing"]
    res = check(urls, hub, env={"HF_TOKEN": TOKEN})
    hidden, gone = (obs_of(res, u) for u in urls)
    assert (hidden.outcome, hidden.private, hidden.facts().labels) == (
        Outcome.OK, True, ("private",)
    )  # fmt: skip
    # Authenticated, a missing repository is a 404 (still RepoNotFound).
    assert (gone.outcome, gone.http_status) == (Outcome.FAIL, 404)
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in hub.seen)
    assert TOKEN not in caplog.text and TOKEN not in json.dumps([asdict(o) for o in
                                                                  res.observations.values()])  # type: ignore[arg-type]  # fmt: skip


def test_private_repository_the_token_cannot_see_is_not_found(hub: HubEmulator) -> None:
    hub.scenario.allow(TOKEN)
    url = "https://huggingface.co/secret-org/hidden"
    obs = obs_of(check([url], hub, env={"HF_TOKEN": TOKEN}), url)
    assert (obs.outcome, obs.http_status, obs.error) == (Outcome.FAIL, 404, NOT_FOUND)


def test_a_refused_token_makes_the_run_incomplete(hub: HubEmulator) -> None:
    urls = [f"https://huggingface.co/org/repo-{i}" for i in range(12)]
    res = check(urls, hub, env={"HF_TOKEN": "hf_wrong"})
    assert res.lost and any(TOKEN_REFUSED in n for n in res.notes)
    assert all(o.outcome is Outcome.UNKNOWN for o in res.observations.values())
    assert hub.total_requests() <= SETTINGS.per_host  # not asked again once refused


def test_the_token_never_goes_to_another_host(hub: HubEmulator) -> None:
    other = HubEmulator(HubScenario(), host="127.0.0.2").start()
    try:
        other.scenario.add("elsewhere/model", likes=9)
        hub.scenario.allow(TOKEN)
        where = {"Location": f"{other.url}/api/models/elsewhere/model"}
        hub.inject(Fault(status=307, match_path="/api/models/moved/away", headers=where))
        url = "https://huggingface.co/moved/away"
        obs = obs_of(check([url], hub, env={"HF_TOKEN": TOKEN}), url)
        assert [r.headers.get("authorization") for r in hub.seen] == [f"Bearer {TOKEN}"]
        assert len(other.seen) == 1
        assert "authorization" not in other.seen[0].headers
        assert (obs.outcome, obs.moved_to, obs.likes) == (Outcome.OK, "elsewhere/model", 9)
    finally:
        other.stop()


def test_config_api_url_wins_over_hf_endpoint(hub: HubEmulator) -> None:
    cfg = Config()
    cfg.huggingface.api_url = hub.url
    url = "https://huggingface.co/bigscience/bloomz"
    obs = obs_of(check([url], "http://127.0.0.1:9", config=cfg), url)
    assert obs.outcome is Outcome.OK


# -- cost and outages ----------------------------------------------------------------------


def test_one_request_per_distinct_repository(hub: HubEmulator) -> None:
    for i in range(20):
        hub.scenario.add(f"org/model-{i}")
    urls = [f"https://huggingface.co/org/model-{i}" for i in range(20)]
    spellings = [u.replace("https://", "https://www.") + "/" for u in urls]
    spellings += [u.replace("huggingface.co", "hf.co") + "#readme" for u in urls]
    done: list[int] = []
    ctx = Context(http=Http(SETTINGS), config=Config(), env={"HF_ENDPOINT": hub.url},
                  progress=done.append)  # fmt: skip
    res = HF.check([target(u) for u in urls + spellings], ctx)
    assert res.requests == 20 == hub.total_requests() == len(res.observations) == sum(done)
    assert all(hub.requests_to(f"/api/models/org/model-{i}") == 1 for i in range(20))
    assert all(o.outcome is Outcome.OK for o in res.observations.values())
    assert hub.max_concurrency <= SETTINGS.per_host


def test_429_honours_retry_after_through_the_policy(hub: HubEmulator) -> None:
    hub.inject(Fault(status=429, times=1, headers={"Retry-After": "1"}))
    url = "https://huggingface.co/bigscience/bloomz"
    res = check([url], hub)
    assert obs_of(res, url).outcome is Outcome.OK
    assert res.requests == 2 == hub.total_requests()
    first, second = (t for t, _, _ in hub.request_log)
    assert second - first >= 0.99


def test_persistent_5xx_is_unknown_and_the_run_incomplete(hub: HubEmulator) -> None:
    hub.inject(Fault(status=503, times=None))
    url = "https://huggingface.co/bigscience/bloomz"
    res = check([url], hub)
    obs = obs_of(res, url)
    assert obs.outcome is Outcome.UNKNOWN and obs.error and "503" in obs.error
    assert res.lost and res.requests == 1 + SETTINGS.retries


def test_one_unanswered_repository_among_answered_ones_is_unknown_only(hub: HubEmulator) -> None:
    hub.inject(Fault(status=502, times=None, match_path="/api/datasets/"))
    urls = ["https://huggingface.co/bigscience/bloomz",
            "https://huggingface.co/datasets/HuggingFaceFW/fineweb"]  # fmt: skip
    res = check(urls, hub)
    assert [obs_of(res, u).outcome for u in urls] == [Outcome.OK, Outcome.UNKNOWN]
    assert not res.lost


def test_timeouts_are_unknown_never_fail(hub: HubEmulator) -> None:
    hub.latency = 1.0
    fast = HttpSettings(timeout=0.2, retries=1, backoff=0.01, max_wait=1.0)
    url = "https://huggingface.co/bigscience/bloomz"
    res = check([url], hub, settings=fast)
    obs = obs_of(res, url)
    assert obs.outcome is Outcome.UNKNOWN and obs.error == "read timeout"
    assert res.lost


def test_unreachable_hub_is_lost_and_not_hammered() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    urls = [f"https://huggingface.co/org/model-{i}" for i in range(30)]
    res = check(urls, f"http://127.0.0.1:{port}")
    assert res.lost and res.notes
    assert all(o.outcome is Outcome.UNKNOWN for o in res.observations.values())
    # Three unanswered with none answered: the rest are not asked (a few were in flight).
    most = (UNREACHABLE_AFTER + SETTINGS.per_host) * (1 + SETTINGS.retries)
    assert res.requests <= most < len(urls) * (1 + SETTINGS.retries)


def test_no_targets_no_requests(hub: HubEmulator) -> None:
    res = check([], hub)
    assert (res.requests, res.observations, res.lost) == (0, {}, False)


# -- history -----------------------------------------------------------------------------


def test_restore_rebuilds_the_last_good_observation(hub: HubEmulator) -> None:
    url = "https://huggingface.co/meta-llama/Llama-2-7b"
    obs = obs_of(check([url], hub), url)
    data = {k: v for k, v in asdict(obs).items() if k != "outcome"}
    back = HF.restore(json.loads(json.dumps(data)))
    assert back == obs and back is not None and back.facts() == obs.facts()
    assert HF.restore({"repo_id": "a/b", "unknown_field": 1}) is not None
    assert HF.restore({}) is None


def test_state_keeps_the_hub_section_and_old_files_are_unchanged() -> None:
    empty = State().to_json()
    state = State()
    state.entries("hub")  # asked for, still empty: the file does not change
    assert state.to_json() == empty and '"hub"' not in empty
    entry = Entry(first_seen="2025-01-01T00:00:00Z", failures=1, data={"likes": 3})
    state.entries("hub")["model:org/name"] = entry
    text = state.to_json()
    back = from_json(text, "state")
    assert back.entries("hub") == {"model:org/name": entry}
    assert back.to_json() == text


# -- through the real CLI ------------------------------------------------------------------

HF_LIST = """# Awesome models

- [BLOOMZ](https://huggingface.co/bigscience/bloomz) - multilingual.
- [Renamed](https://huggingface.co/old-org/old-model?library=transformers) - moved.
- [Gone](https://huggingface.co/nobody/nothing) - deleted.
- [FineWeb](https://huggingface.co/datasets/HuggingFaceFW/fineweb) - data.
- [Arena](https://huggingface.co/spaces/lmsys/chatbot-arena-leaderboard) - leaderboard.
- [Llama 2](https://hf.co/meta-llama/Llama-2-7b) - gated.
- [QLoRA](https://huggingface.co/papers/2305.14314) - paper page.
- [Docs](https://huggingface.co/docs/trl/en/index) - not a repository.
"""


def test_check_through_the_cli_gives_hub_links_verdicts(
    make_world: MakeWorld, tmp_path: Path
) -> None:
    world = make_world(HF_LIST, web_cases=False, check_web=False)
    world.hub.scenario.rename("old-org/old-model", "new-org/new-model")
    world.hub.scenario.remove("nobody/nothing")
    world.hub.scenario.repos[("model", "meta-llama/llama-2-7b")].gated = "auto"
    for key in [
        ("model", "bigscience/bloomz"),
        ("model", "meta-llama/llama-2-7b"),
        ("dataset", "huggingfacefw/fineweb"),
        ("space", "lmsys/chatbot-arena-leaderboard"),
    ]:
        world.hub.scenario.repos[key].last_modified = "2019-05-01T10:00:00.000Z"  # fmt: skip
    scan_out = tmp_path / "scan.json"
    assert main(["scan", str(world.list_path), "--json", str(scan_out)]) == 0
    kinds = {e["url"]: e["kind"] for e in json.loads(scan_out.read_text())["links"]}
    assert sorted(kinds.values()) == sorted(
        ["hf_model"] * 4 + ["hf_dataset", "hf_space", "hf_paper", "web"]
    )

    run = world.run("check", "--write")
    assert run.code == 0, run.err
    by_url = run.by_url()
    verdicts = {u: (e["kind"], e["verdict"]) for u, e in by_url.items()}
    assert verdicts == {
        "https://huggingface.co/bigscience/bloomz": ("hf_model", "alive"),
        "https://huggingface.co/old-org/old-model?library=transformers": ("hf_model", "moved"),
        "https://huggingface.co/nobody/nothing": ("hf_model", "unknown"),
        "https://huggingface.co/datasets/HuggingFaceFW/fineweb": ("hf_dataset", "alive"),
        "https://huggingface.co/spaces/lmsys/chatbot-arena-leaderboard": ("hf_space", "alive"),
        "https://hf.co/meta-llama/Llama-2-7b": ("hf_model", "alive"),
        "https://huggingface.co/papers/2305.14314": ("hf_paper", "alive"),
        "https://huggingface.co/docs/trl/en/index": ("web", "unknown"),  # web is off
    }
    moved = by_url["https://huggingface.co/old-org/old-model?library=transformers"]
    assert moved["moved_to"] == "https://huggingface.co/new-org/new-model?library=transformers"
    gone = by_url["https://huggingface.co/nobody/nothing"]
    assert (gone["failures_in_a_row"], gone["error"]) == (1, NOT_FOUND)
    assert run.report["requests"]["huggingface"] == 8 == world.hub.total_requests()

    text = world.list_path.read_text(encoding="utf-8")
    assert "(https://huggingface.co/new-org/new-model?library=transformers)" in text
    # A note on every Hub link that answered (what it says is the templates' business).
    noted = ["<!-- awesome-monitor -->" in ln for ln in text.splitlines() if ln[:2] == "- "]
    answered = [e["kind"] != "web" and e["verdict"] != "unknown" for e in run.report["links"]]
    assert sum(answered) == 6 and all(n for n, a in zip(noted, answered, strict=True) if a)
    assert not noted[-1]  # the docs page is a web link: no note
    # Activity and stale are for code: the Space (an app's repository, last changed in
    # 2019) is stale; the models and the dataset, changed as long ago, are not: weights
    # and data are published once.
    lines = {ln.split("](", 1)[0].rsplit("[", 1)[1]: ln for ln in text.splitlines() if "](" in ln}
    assert "stale since 2019" in lines["Arena"]
    for name in ("BLOOMZ", "FineWeb", "Llama 2"):
        assert "2019" not in lines[name] and "stale" not in lines[name], lines[name]
        assert "♥" in lines[name], lines[name]
    assert run.report["summary"]["stale"] == 1
    assert "Stale" in run.out and "chatbot-arena-leaderboard" in run.out.split("Stale", 1)[1]
    assert "bloomz" not in run.out.split("Stale", 1)[1].split("\n\n", 1)[0]
    state = json.loads(world.state_path.read_text(encoding="utf-8"))
    assert {"model:bigscience/bloomz", "dataset:huggingfacefw/fineweb",
            "paper:2305.14314", "model:new-org/new-model"} <= set(state["hub"])  # fmt: skip
    likes = state["hub"]["model:bigscience/bloomz"]["stars"][0][1]  # the likes' history
    assert likes == len("bigscience/bloomz") * 7

    again = world.run("check", "--write", "--dead-after", "1")
    assert again.code == 0, again.err
    assert again.by_url()["https://huggingface.co/nobody/nothing"]["verdict"] == "dead"


def test_the_hub_being_down_makes_the_cli_run_incomplete(make_world: MakeWorld) -> None:
    world = make_world(HF_LIST, web_cases=False, check_web=False)
    world.hub.inject(Fault(status=503, times=None))
    run = world.run("check")
    assert run.code == 3, run.err
    assert "huggingface" in run.out + run.err


# -- a real list -----------------------------------------------------------------------------

LLM = SHARED / "corpus" / "Hannibal046__Awesome-LLM.md"


@pytest.mark.skipif(LLM not in corpus_files(), reason="../shared/corpus is absent")
def test_awesome_llm_hub_links_get_their_own_kinds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def scan() -> list[dict]:
        out = tmp_path / "scan.json"
        assert main(["scan", str(LLM), "--json", str(out), "-q"]) == 0
        return json.loads(out.read_text(encoding="utf-8"))["links"]

    now = scan()
    import bot.check.providers as providers

    monkeypatch.setattr(providers, "REGISTRY", tuple(p for p in REGISTRY if p is not HF))
    before = scan()
    assert [(e["url"], e["line"]) for e in now] == [(e["url"], e["line"]) for e in before]
    changed = [(b, n) for b, n in zip(before, now, strict=True) if b != n]
    # Only Hub repository links changed, all from `web` to their own kind, nothing else.
    assert all(b["kind"] == "web" and {**n, "kind": "web"} == b for b, n in changed)
    got = {n["url"]: n["kind"] for _, n in changed}
    assert sorted(got.values()).count("hf_model") == 14
    assert sorted(got.values()).count("hf_space") == 2
    assert got["https://huggingface.co/spaces/lmsys/chatbot-arena-leaderboard"] == "hf_space"
    assert got["https://huggingface.co/bigscience/bloomz"] == "hf_model"
    # Organizations, collections and docs on the Hub are pages, not repositories.
    kinds = {e["url"]: e["kind"] for e in now}
    pages = ["https://huggingface.co/THUDM", "https://huggingface.co/docs/trl/en/index",
             "https://huggingface.co/collections/Qwen/qwen-65c0e50c3f1ab89cb8704144"]  # fmt: skip
    assert [kinds[u] for u in pages] == ["web"] * 3
    hub_links = [u for u in kinds if u.startswith(("https://huggingface.co/", "https://hf.co/"))]
    assert all(kinds[u] == "web" or u in got for u in hub_links)
