"""The house's order: scripts/ in folders by stage, imports in one direction, no circle.

The stages, each importing only from those before it (and from paths.py and settings.py, which
import nothing of ours): base → data → intake → render → engines. The command line (__main__.py)
stands on all of them. A module that reaches forward, or two modules that import each other however
indirectly, fail here with their names.
"""
import ast
from pathlib import Path

from scripts import paths

SCRIPTS = paths.ROOT / "scripts"
STAGES = ("base", "data", "intake", "render", "engines")
FRAME = {"scripts.paths", "scripts.settings"}       # import nothing of ours; usable from every stage


def _module_name(path: Path) -> str:
    parts = path.relative_to(paths.ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module of ours this file imports, at the top or inside a function."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("scripts"):
                continue
            for alias in node.names:        # `from . import x` imports the module x
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _exists(candidate) else target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("scripts")}
    return {m for m in found if m != name}


def _exists(module: str) -> bool:
    relative = Path(*module.split("."))
    return (paths.ROOT / relative.with_suffix(".py")).is_file() or (paths.ROOT / relative / "__init__.py").is_file()


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in sorted(SCRIPTS.rglob("*.py"))}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in STAGES else None


def test_scripts_is_laid_out_by_stage():
    top = sorted(p.name for p in SCRIPTS.iterdir() if not p.name.startswith((".", "__pycache__")))
    assert top == sorted(["__init__.py", "__main__.py", "paths.py", "settings.py", *STAGES]), top
    for stage in STAGES:
        assert (SCRIPTS / stage / "__init__.py").read_text(encoding="utf-8").startswith('"""'), f"{stage}/ says what it holds"


def test_each_stage_imports_only_from_the_stages_before_it():
    wrong = []
    for module, imported in _graph().items():
        stage = _stage(module)
        if stage is None:           # __main__, paths, settings, the package itself
            if module in FRAME:
                wrong += [f"{module} imports {m}" for m in imported]
            continue
        allowed = set(STAGES[:STAGES.index(stage) + 1])
        for target in imported:
            if target in FRAME or target == "scripts":
                continue
            if _stage(target) not in allowed:
                wrong.append(f"{module} ({stage}) imports {target} ({_stage(target) or 'the command line'})")
    assert wrong == []


def test_no_module_imports_itself_through_others():
    graph = _graph()
    circles = []

    def visit(module, trail):
        for target in sorted(graph.get(module, ())):
            if target in trail:
                circle = trail[trail.index(target):] + [target]
                if min(circle[:-1]) == circle[0]:       # each circle reported once, from its first name
                    circles.append(" → ".join(circle))
            elif len(trail) < len(graph):
                visit(target, trail + [target])

    for module in graph:
        visit(module, [module])
    assert circles == []
