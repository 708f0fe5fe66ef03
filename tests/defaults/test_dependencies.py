"""StoneBridge defaults sit below every domain app: they import only the audit log, and the apps
that use a default import them (README, Architecture)."""

from pathlib import Path

from django.conf import settings

from ..audit.test_dependencies import imported_modules

DEFAULTS = Path(settings.BASE_DIR) / "stonebridge" / "defaults"
ALLOWED = ("stonebridge.audit", "stonebridge.defaults")


def test_no_module_of_the_defaults_app_imports_another_app_than_audit():
    modules = sorted(DEFAULTS.rglob("*.py"))
    assert len(modules) > 5
    offending = {
        str(path.relative_to(DEFAULTS)): sorted(
            m
            for m in imported_modules(path)
            if m.startswith("stonebridge.")
            and not any(m == a or m.startswith(a + ".") for a in ALLOWED)
        )
        for path in modules
    }
    assert {path: names for path, names in offending.items() if names} == {}
