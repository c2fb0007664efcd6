"""The architecture, enforced: stages as packages, imports pointing one way (function-level
imports included), nothing imports the CLI, no import cycle, no module over the size limit,
and no service named in code outside the providers, the platform and the CLI.
See docs/ARCHITECTURE.md."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from jinja2 import Environment, nodes

BOT = Path(__file__).resolve().parent.parent / "bot"
MAX_LINES = 400

# Lower layers never import higher ones. Modules of one layer may import each other.
LAYERS: dict[str, int] = {
    "bot": 0,  # the package root (version)
    "bot.errors": 0,
    "bot.dates": 0,
    "bot.config": 1,
    "bot.files": 1,
    "bot.parse": 2,
    "bot.check": 3,
    "bot.render": 4,
    "bot.publish": 5,
    "bot.pipeline": 6,
    "bot.review": 6,
    "bot.scheduler": 6,
    "bot.cli": 7,
    "bot.__main__": 8,
}


def module_name(path: Path) -> str:
    rel = path.relative_to(BOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(BOT.rglob("*.py"))}


def imports(path: Path, name: str) -> set[str]:
    """Every `bot.…` module `path` imports, at any depth (functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    known = modules()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "bot")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            if base.split(".")[0] != "bot":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
    return found - {name}


def layer(name: str) -> int:
    best = max((k for k in LAYERS if name == k or name.startswith(k + ".")), key=len)
    return LAYERS[best]


def graph() -> dict[str, set[str]]:
    return {name: imports(path, name) for name, path in modules().items()}


def test_every_module_has_a_layer() -> None:
    for name in modules():
        assert any(name == k or name.startswith(k + ".") for k in LAYERS), name


def test_imports_point_down_and_nothing_imports_the_cli() -> None:
    wrong = []
    for name, deps in graph().items():
        for dep in deps:
            if layer(dep) > layer(name):
                wrong.append(f"{name} (layer {layer(name)}) imports {dep} (layer {layer(dep)})")
            if dep.startswith("bot.cli") and not name.startswith(("bot.cli", "bot.__main__")):
                wrong.append(f"{name} imports the CLI ({dep})")
    assert not wrong, "\n".join(sorted(wrong))


def find_cycle(g: dict[str, set[str]]) -> list[str] | None:
    """A cycle in the import graph (module names, first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(g.get(n, ())):
            if state.get(m) == 1:
                return [*stack[stack.index(m) :], m]
            if m not in state and (cycle := visit(m)):
                return cycle
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(g):
        if n not in state and (cycle := visit(n)):
            return cycle
    return None


def test_no_import_cycle() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, " → ".join(cycle or [])


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_function_level_imports_are_seen(tmp_path: Path) -> None:
    src = tmp_path / "x.py"
    src.write_text("def f():\n    from bot.cli import main\n    return main\n")
    assert "bot.cli" in imports(src, "bot.render.x")


@pytest.mark.parametrize("name", sorted(modules()))
def test_module_size(name: str) -> None:
    lines = len(modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines (limit {MAX_LINES}): split it"


# -- services belong to their providers -----------------------------------------------------

SERVICE = re.compile(r"(?i)github|arxiv|hugging|\bhf_|pypi|npm")
# Where code may name a service: the providers (each owns one), the platform (GitHub is
# where the bot publishes) and the CLI (its options and messages name them).
ALLOWED = ("bot.check.providers", "bot.publish", "bot.cli")
TEMPLATES = BOT / "render" / "templates"


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):  # fmt: skip
                found.add(id(first.value))
    return found


def _words(node: ast.AST, docstrings: set[int]) -> Iterator[str]:
    """Every identifier a node defines or uses, and its text if it is a string constant."""
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, ast.Attribute):
        yield node.attr
    elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        yield node.name
    elif isinstance(node, ast.arg | ast.keyword):
        yield node.arg or ""
    elif isinstance(node, ast.alias):
        yield from (node.name, node.asname or "")
    elif isinstance(node, ast.ImportFrom):
        yield node.module or ""
    elif isinstance(node, ast.Global | ast.Nonlocal):
        yield from node.names
    elif isinstance(node, ast.MatchAs | ast.MatchStar):
        yield node.name or ""
    elif isinstance(node, ast.Constant) and id(node) not in docstrings:  # docstrings explain
        value = node.value
        yield value.decode("latin-1") if isinstance(value, bytes) else str(value)


def service_names(source: str) -> list[tuple[int, str]]:
    """(line, word) of every identifier (names, attributes, function, class and argument
    names, keyword arguments, imports) and every string that is not a docstring, that
    names a link service. Comments and docstrings may explain; code may not decide."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    return [(getattr(node, "lineno", 0), word) for node in ast.walk(tree)
            for word in _words(node, docstrings) if SERVICE.search(word)]  # fmt: skip


def test_no_code_names_a_service_outside_the_providers() -> None:
    found = [f"{name}:{line}: {word[:80]!r}" for name, path in modules().items()
             if not name.startswith(ALLOWED)
             for line, word in service_names(path.read_text(encoding="utf-8"))]  # fmt: skip
    assert not found, "service named outside bot/check/providers, bot/publish, bot/cli:\n" + (
        "\n".join(found)
    )


PLANTED = '''"""A module docstring may name GitHub."""
# So may a comment: arXiv, Hugging Face, PyPI.
import os
from bot.check.providers.github import GitHub as Hub


def f(pypi_token: str) -> str:
    """A function's docstring: npm."""
    os.call(kind="web", npm=1)
    if x.kind == "github_repo":
        return x.hf_model
    return f"https://{host}/arxiv"


class HuggingThing:
    """A class's docstring: huggingface.co."""
'''


def test_the_walk_finds_planted_names_and_strings_and_ignores_docstrings_and_comments() -> None:
    found = {word for _, word in service_names(PLANTED)}
    assert found == {
        "bot.check.providers.github",
        "GitHub",  # an import
        "pypi_token",  # an argument
        "npm",  # a keyword argument
        "github_repo",  # a string the code decides on
        "hf_model",  # an attribute
        "/arxiv",  # part of an f-string
        "HuggingThing",  # a class
    }, found
    assert not service_names('"""GitHub, arXiv, PyPI."""\n# npm, Hugging Face\nx = 1\n')


def _branches(template: nodes.Template) -> Iterator[str]:
    """What a template's conditions (`if`, `x if c else y`, filters in a test) read."""
    for branch in [*template.find_all(nodes.If), *template.find_all(nodes.CondExpr)]:
        cond = branch.test
        for node in [cond, *cond.find_all((nodes.Const, nodes.Name, nodes.Getattr))]:
            if isinstance(node, nodes.Const) and isinstance(node.value, str):
                yield node.value
            elif isinstance(node, nodes.Name):
                yield node.name
            elif isinstance(node, nodes.Getattr):
                yield node.attr


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.j2")), ids=lambda p: p.name)
def test_no_template_branches_on_a_service(path: Path) -> None:
    """Templates are words: they may name a service in their text, never decide on one
    (they get the providers' facts)."""
    template = Environment().parse(path.read_text(encoding="utf-8"))
    bad = [w for w in _branches(template) if SERVICE.search(w) or w == "provider"]
    assert not bad, bad


def test_the_template_check_sees_a_branch_on_a_service() -> None:
    planted = '{% if s.provider == "github" %}★{% endif %}{{ "x" if s.arxiv_id else "" }}'
    assert set(_branches(Environment().parse(planted))) >= {"provider", "github", "arxiv_id"}
