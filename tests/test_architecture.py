"""core/ is channel-agnostic: it imports nothing from bot/, adapters/, telegram or slack_bolt."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("bot", "adapters", "telegram", "slack_bolt", "slack_sdk")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)  # `from core import commands`
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "core").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_imports_no_channel_or_composition_code(path: Path) -> None:
    bad = {name for name in _imports(path) if name.split(".")[0] in FORBIDDEN}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_importing_all_of_core_loads_no_channel_library() -> None:
    code = (
        "import importlib, pkgutil, sys, core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'core.'): importlib.import_module(m.name)\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]\n"
        "print(bad); raise SystemExit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_dispatcher_and_the_commands_do_not_import_each_other() -> None:
    """core.app dispatches whatever table the wiring hands it; the commands depend on core.context, not on it."""
    assert not {n for n in _imports(ROOT / "core" / "app.py") if n.startswith("core.commands")}
    for path in sorted((ROOT / "core" / "commands").glob("*.py")):
        assert "core.app" not in _imports(path), f"{path.relative_to(ROOT)} imports core.app"


def test_each_formatter_and_parser_name_has_one_meaning() -> None:
    """Two ``format_minutes`` wrote "1h 30m" and "1h30", ``parse_day`` read a weekday in one module and a date in
    another: a ``format_…`` or ``parse_…`` function is defined once in the whole program."""
    defined: dict[str, list[str]] = {}
    for folder in ("core", "bot", "adapters"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.FunctionDef) and node.name.startswith(("format_", "parse_")):
                    defined.setdefault(node.name, []).append(str(path.relative_to(ROOT)))
    assert {name: where for name, where in defined.items() if len(where) > 1} == {}
