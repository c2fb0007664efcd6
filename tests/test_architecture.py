"""The architecture, enforced: stages as packages, imports pointing one way (function-level
imports included), nothing imports the CLI, no import cycle, no module over the size limit.
See docs/ARCHITECTURE.md."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

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
