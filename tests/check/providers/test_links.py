"""URL classification, as the parser and then the providers see a link: one identity per
repository or paper, however it is spelled."""

import pytest

from bot.check.providers import target_of as classify
from bot.check.providers.arxiv import ArxivKind
from bot.check.providers.github_urls import GitHubKind
from bot.parse.target import Kind


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/Owner/Repo",
        "https://github.com/owner/repo/",
        "http://www.github.com/OWNER/repo.git",
        "https://github.com/owner/repo#readme",
        "https://github.com/owner/repo?tab=readme-ov-file",
        " <https://github.com/owner/repo> ",
    ],
)
def test_repo_spellings_share_one_identity(url: str) -> None:
    t = classify(url)
    assert t.kind is GitHubKind.REPO
    assert t.repo_key == "owner/repo"
    assert t.url.lower() == "https://github.com/owner/repo"


@pytest.mark.parametrize(
    ("url", "ref", "path"),
    [
        ("https://github.com/pytorch/vision/blob/master/torchvision/models/vgg.py", "master",
         "torchvision/models/vgg.py"),
        ("https://github.com/o/r/tree/main/docs", "main", "docs"),
        ("https://github.com/o/r/raw/v1.0/data/x.csv", "v1.0", "data/x.csv"),
        ("https://raw.githubusercontent.com/o/r/main/README.md", "main", "README.md"),
    ],
)  # fmt: skip
def test_paths_inside_repos(url: str, ref: str, path: str) -> None:
    t = classify(url)
    assert (t.kind, t.ref, t.path) == (GitHubKind.PATH, ref, path)
    assert t.repo is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/owner",
        "https://github.com/topics/python",
        "https://github.com/sponsors/someone",
        "https://gist.github.com/a/b",
    ],
)
def test_other_github_pages_are_web(url: str) -> None:
    assert classify(url).kind is Kind.WEB


@pytest.mark.parametrize(
    "url", ["https://github.com/owner/repo/issues/12", "https://github.com/owner/repo/releases"]
)
def test_pages_of_a_repository_are_its_pages(url: str) -> None:
    t = classify(url)
    assert (t.kind, t.url) == (GitHubKind.PAGE, url)  # a web link without a token


@pytest.mark.parametrize(
    ("url", "arxiv_id", "version"),
    [
        ("https://arxiv.org/abs/1409.1556", "1409.1556", None),
        ("http://arxiv.org/abs/1409.1556v6", "1409.1556", 6),
        ("https://www.arxiv.org/pdf/1512.03385.pdf", "1512.03385", None),
        ("https://arxiv.org/pdf/1512.03385v2.pdf", "1512.03385", 2),
        ("https://arxiv.org/pdf/2301.00001", "2301.00001", None),
        ("https://arxiv.org/html/2301.00001v3", "2301.00001", 3),
        ("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001", None),
        ("https://arxiv.org/abs/math.GT/0309136v2", "math.GT/0309136", 2),
    ],
)
def test_arxiv(url: str, arxiv_id: str, version: int | None) -> None:
    t = classify(url)
    assert (t.kind, t.arxiv_id, t.arxiv_version) == (ArxivKind.PAPER, arxiv_id, version)


def test_arxiv_listing_pages_are_web() -> None:
    assert classify("https://arxiv.org/list/cs.CV/recent").kind is Kind.WEB


def test_ssh_clone_address_is_invalid_but_names_the_repo() -> None:
    t = classify("git@github.com:weiaicunzai/pytorch-cifar.git")
    assert t.kind is Kind.INVALID
    assert t.repo == "weiaicunzai/pytorch-cifar"
    assert t.suggestion == "https://github.com/weiaicunzai/pytorch-cifar"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "http://", "http://exa mple.com"]
)
def test_unfetchable_is_invalid(url: str) -> None:
    assert classify(url).kind is Kind.INVALID


def test_stray_characters_before_address_suggest_the_address() -> None:
    t = classify("[https://github.com/simonw/llm")
    assert t.kind is Kind.INVALID
    assert t.suggestion == "https://github.com/simonw/llm"
