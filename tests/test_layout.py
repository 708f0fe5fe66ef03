"""How the code is laid out: a module's underscore names are its own, and no module grows past
what one reader holds in mind (CONVENTIONS.md: one concept a module)."""

import ast
from pathlib import Path

import stonebridge

PACKAGE = Path(stonebridge.__file__).parent
ROOT = PACKAGE.parent
MODULES = sorted(PACKAGE.rglob("*.py"))
# StoneBridge default: a module past this many lines holds more than one concept.
MAX_LINES = 600


# Being split on another branch; the test below fails once it is short, so the entry goes.
def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    """A module or package of StoneBridge, not a name defined inside one."""
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def resolved(node: ast.ImportFrom, path: Path) -> str:
    """The absolute module an import names, relative imports included."""
    if not node.level:
        return node.module or ""
    package = module_name(path) if path.name == "__init__.py" else module_name(path.parent)
    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
    return f"{base}.{node.module}" if node.module else base


def dotted(node: ast.expr) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"]; None for anything but names and attributes."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return None if inner is None else [*inner, node.attr]
    return None


def private_uses(source: str, path: Path) -> list[str]:
    """Underscore names this module takes from another StoneBridge module: imported by name,
    or read as an attribute of an imported module."""
    here = module_name(path)
    found: list[str] = []
    modules: dict[str, str] = {}  # local name → the StoneBridge module it is bound to
    tree = ast.parse(source, filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "stonebridge":
                    local = alias.asname or alias.name.split(".")[0]
                    modules[local] = alias.name if alias.asname else "stonebridge"
        elif isinstance(node, ast.ImportFrom):
            source_module = resolved(node, path)
            if source_module.split(".")[0] != "stonebridge" or source_module == here:
                continue
            for alias in node.names:
                if is_private(alias.name):
                    found.append(f"{source_module}.{alias.name}")
                elif is_module(f"{source_module}.{alias.name}"):
                    modules[alias.asname or alias.name] = f"{source_module}.{alias.name}"
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not is_private(node.attr):
            continue
        parts = dotted(node.value)
        if not parts or parts[0] not in modules:
            continue
        owner = ".".join([modules[parts[0]], *parts[1:]])
        if owner != here and is_module(owner):
            found.append(f"{owner}.{node.attr}")
    return found


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_scan_finds_private_names_taken_from_other_modules():
    path = PACKAGE / "supplychain" / "importing" / "example.py"
    source = (
        "import stonebridge.supplychain.names\n"
        "from stonebridge.risk import services as risk\n"
        "from .. import names\n"
        "from ..names import _comparable_words, query_key\n"
        "from .matching import Matching\n"
        "from stonebridge.supplychain.models import Facility\n"
        "names._split(risk._clean_evidence, Facility._meta, query_key.__name__)\n"
        "stonebridge.supplychain.names._cut()\n"
        "_local()\n"
    )
    assert private_uses(source, path) == [
        "stonebridge.supplychain.names._comparable_words",
        "stonebridge.supplychain.names._split",
        "stonebridge.risk.services._clean_evidence",
        "stonebridge.supplychain.names._cut",
    ]


def test_no_module_takes_another_modules_private_names():
    assert len(MODULES) > 100
    taken = {
        relative(path): uses for path in MODULES if (uses := private_uses(path.read_text(), path))
    }
    assert taken == {}


def lengths() -> dict[str, int]:
    return {
        relative(path): len(path.read_text().splitlines())
        for path in MODULES
        if "migrations" not in path.parts
    }


def test_no_module_outside_migrations_is_longer_than_the_limit():
    assert {path: n for path, n in lengths().items() if n > MAX_LINES} == {}
