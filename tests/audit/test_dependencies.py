"""The audit app knows no other StoneBridge app: accounts (and every domain app) record through
it, never the other way round. A foreign key may name a model by its string label."""

import ast
from pathlib import Path

from django.conf import settings

AUDIT = Path(settings.BASE_DIR) / "stonebridge" / "audit"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(path.relative_to(settings.BASE_DIR).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def test_no_module_of_the_audit_app_imports_accounts():
    modules = sorted(AUDIT.rglob("*.py"))
    assert len(modules) > 5
    offending = {
        str(path.relative_to(AUDIT)): sorted(
            m
            for m in imported_modules(path)
            if m == "stonebridge.accounts" or m.startswith("stonebridge.accounts.")
        )
        for path in modules
    }
    assert {path: names for path, names in offending.items() if names} == {}


def test_relative_imports_are_resolved_to_the_module_they_name(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    module = tmp_path / "stonebridge" / "audit" / "admin.py"
    module.parent.mkdir(parents=True)
    module.write_text("from ..accounts import models\nfrom .models import Entry\n")
    assert {"stonebridge.accounts", "stonebridge.accounts.models"} <= imported_modules(module)
    assert "stonebridge.audit.models" in imported_modules(module)
