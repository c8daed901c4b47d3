"""Which folder may import which: the rules of docs/architecture.md, read from the source itself.

Each rule names the packages a folder never imports. `DEBT` lists the imports that break a rule
today, each with what removes it (issue 12); the test fails on a new one, and on a listed one that
is gone (so that the list only shrinks).
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "actuel"

# the stages: plain data in, plain data out; no database, no site, no orchestration
STAGES = {
    "sources",
    "fetch",
    "parse",
    "extract",
    "enrich",
    "stories",
    "comments",
    "images",
    "translate",
}
SHELLS = {"web", "api", "cli", "demo", "pipeline", "console", "__main__"}
NEVER: dict[str, set[str]] = {
    **{stage: {"store", *SHELLS} for stage in STAGES},
    "store": {*STAGES, *SHELLS},
    "api": {"web", "cli", "demo"},
    "cli": {"web"},  # but it may start the server: ALLOWED
    "demo": {"web", "api", "store", "pipeline"},
    "web": {"api", "cli", "demo"},  # but the site mounts the API: ALLOWED
    "accounts": {"store", *SHELLS},
    # what readers see of a story, and the neutral helpers: rules on plain data, for all
    "reading": {"store", *STAGES, *SHELLS},
    **{helper: {"store", *STAGES, *SHELLS} for helper in ("text", "times", "urls", "cursor")},
}
ALLOWED = {
    ("actuel.cli.demo", "actuel.web.server"),
    ("actuel.cli.ingest", "actuel.web.server"),
    ("actuel.web.app", "actuel.api.routes"),
}
DEBT: set[tuple[str, str]] = set()
# third-party libraries one folder alone may use
ONLY_IN = {
    "httpx": "fetch",
    "sqlalchemy": "store",
    "alembic": "store",
    "procrastinate": "pipeline",
}


def _modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = ast.parse(path.read_text(encoding="utf-8"))
    return found


def _imports(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _folder(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def test_no_folder_imports_what_its_rule_forbids() -> None:
    broken = set()
    for module, tree in _modules().items():
        forbidden = NEVER.get(_folder(module), set())
        for target in _imports(tree):
            if target.startswith("actuel.") and _folder(target) in forbidden:
                broken.add((module, target))
    new = sorted(broken - DEBT - ALLOWED)
    assert not new, f"imports against docs/architecture.md's rules: {new}"
    paid = sorted(DEBT - broken)
    assert not paid, f"no longer imported: take them off DEBT: {paid}"


def test_the_network_and_the_database_each_have_one_folder() -> None:
    misplaced = []
    for module, tree in _modules().items():
        for target in _imports(tree):
            owner = ONLY_IN.get(target.split(".")[0])
            if owner is not None and _folder(module) != owner:
                misplaced.append((module, target))
    assert not misplaced, f"only fetch/ reaches the network, only store/ the database: {misplaced}"


def test_the_bench_and_scripts_import_only_modules_that_exist() -> None:
    """The suite never runs bench/ and scripts/: a module moved or renamed must not leave them
    importing its old name (found once by CI's ruff, not by a test)."""
    root = SRC.parent
    missing = []
    for path in sorted([*root.glob("bench/*.py"), *root.glob("scripts/*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            module = names[0]
            if not module.startswith("actuel"):
                continue
            if importlib.util.find_spec(module) is None:
                missing.append((path.name, module))
            elif isinstance(node, ast.ImportFrom):
                loaded = importlib.import_module(module)
                missing += [(path.name, n) for n in names[1:] if not _importable(loaded, n)]
    assert not missing, f"bench or scripts import what no longer exists: {missing}"


def _importable(package: object, dotted: str) -> bool:
    """`from package import name`: an attribute, or a submodule of that name."""
    name = dotted.rsplit(".", 1)[1]
    return hasattr(package, name) or importlib.util.find_spec(dotted) is not None
