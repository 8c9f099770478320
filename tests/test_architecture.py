"""The core stays free of Streamlit, modules stay small, the code stays ruff clean."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.paths import REPO_ROOT

PACKAGE = REPO_ROOT / "dashboard"
UI = {PACKAGE / "app.py", *(PACKAGE / "ui").rglob("*.py")}
CORE = sorted(p for p in PACKAGE.rglob("*.py") if p not in UI)


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("path", CORE, ids=[module_name(p) for p in CORE])
def test_core_modules_do_not_import_streamlit(path):
    assert not {"streamlit", "streamlit_folium"} & imports(path)


def test_core_imports_with_streamlit_unavailable():
    names = [module_name(p) for p in CORE if p.name != "__main__.py"]
    code = ("import sys; sys.modules['streamlit'] = None; sys.modules['streamlit_folium'] = None\n"
            + "\n".join(f"import {n}" for n in names))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO_ROOT, timeout=120)
    assert done.returncode == 0, done.stderr


def test_caching_lives_in_one_ui_module():
    users = [p.name for p in PACKAGE.rglob("*.py") if "st.cache_" in p.read_text("utf-8")]
    assert users == ["cache.py"]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 300


def test_ruff_clean():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_third_party_assets_are_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    vendored = [f for f in tracked if f.endswith((".js", ".css", ".woff", ".woff2", ".ttf"))]
    assert vendored == []


def _pyproject() -> dict:
    import tomllib

    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_import_contracts_hold_for_indirect_and_function_level_imports():
    linter = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(linter), "--no-cache"], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_package_type_checks():
    """mypy (configured in pyproject.toml, run by ``make lint``) finds no error.

    It keeps mypy's own incremental cache (``.mypy_cache``, shared with ``make lint`` and
    removed by ``make clean``): the first run checks everything (half a minute), later
    ones check again only the modules changed since and those depending on them.
    """
    done = subprocess.run([sys.executable, "-m", "mypy"],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_the_contract_covers_every_core_module():
    contract = _pyproject()["tool"]["importlinter"]["contracts"][0]
    top_level = {".".join(module_name(p).split(".")[:2]) for p in CORE} - {"dashboard"}
    assert top_level == set(contract["source_modules"]), "list new core modules in the contract"


def test_every_imported_package_is_declared():
    from importlib.metadata import packages_distributions

    declared = {re.split(r"[<>=\[; ]", d, maxsplit=1)[0].lower()
                for d in _pyproject()["project"]["dependencies"]}
    owners = packages_distributions()
    imported = set().union(*(imports(p) for p in PACKAGE.rglob("*.py")))
    third_party = imported - set(sys.stdlib_module_names) - {"dashboard"}
    missing = {name for name in third_party
               if not {d.lower() for d in owners.get(name, [name])} & declared}
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"
