"""The app-boundary contracts (docs/adr/0009-app-boundaries.md): they hold on
the project, and they catch a deliberate violation in a scratch copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from minzheng.architecture.public_interfaces_contract import PublicInterfacesContract

ROOT = Path(__file__).resolve().parents[3]


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    executable = Path(sys.executable).parent / "lint-imports"
    command = [str(executable)] if executable.exists() else [sys.executable, "-m", "importlinter.cli"]
    env = {**os.environ, "COLUMNS": "250", "PYTHONPATH": "", "NO_COLOR": "1"}
    return subprocess.run([*command, "--no-logo", "--no-cache"], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.mark.slow
def test_the_project_keeps_its_contracts():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


@pytest.mark.slow
def test_a_deliberate_violation_in_a_scratch_copy_breaks_the_contracts(tmp_path):
    for name in ("minzheng", "policy", "config"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with (tmp_path / "minzheng" / "casework" / "amounts.py").open("a") as f:
        f.write("\nfrom minzheng.payments.batches import batch_run  # noqa: E402  deliberate violation\n")
    with (tmp_path / "minzheng" / "core" / "scope.py").open("a") as f:
        f.write("\nimport minzheng.registry  # noqa: E402  deliberate violation\n")
    with (tmp_path / "minzheng" / "registry" / "selectors.py").open("a") as f:
        f.write("\nfrom minzheng.demo import identity  # noqa: E402  deliberate violation\n")

    result = _lint_imports(tmp_path)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "minzheng.casework.amounts -> minzheng.payments.batches" in out
    assert "apps use each other only through models, selectors, services and documented ports BROKEN" in out
    assert "core (the platform kernel) depends on no domain app BROKEN" in out
    assert "no domain code imports the demo data generator BROKEN" in out
    assert "policy (the rules) imports neither Django, Spark nor the platform KEPT" in out


# The contract type itself, on a small hand-made graph (fast, no subprocess).

def _graph() -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for module in ("shop", "shop.api", "shop.orders", "shop.orders.models", "shop.orders.selectors",
                   "shop.orders.services", "shop.orders.services.checkout", "shop.orders.pricing",
                   "shop.orders.api", "shop.billing", "shop.billing.models", "shop.billing.tasks"):
        graph.add_module(module)
    return graph


def _check(graph: grimp.ImportGraph):
    contract = PublicInterfacesContract(
        name="public interfaces", session_options={"root_packages": ["shop"]},
        contract_options={
            "apps": ["shop.orders", "shop.billing"],
            "public_modules": ["shop.*.models", "shop.*.selectors", "shop.*.services"],
            "allowed_imports": ["shop.api -> shop.*.api"],
        },
    )
    return contract.check(graph, verbose=False)


def test_public_modules_their_submodules_and_allowed_imports_are_kept():
    graph = _graph()
    graph.add_import(importer="shop.billing.tasks", imported="shop.orders.models", line_number=1, line_contents="")
    graph.add_import(importer="shop.billing.tasks", imported="shop.orders.services.checkout", line_number=2,
                     line_contents="")
    graph.add_import(importer="shop.api", imported="shop.orders.api", line_number=3, line_contents="")
    graph.add_import(importer="shop.orders.services", imported="shop.orders.pricing", line_number=4,
                     line_contents="")  # inside the app: anything goes
    assert _check(graph).kept


def test_an_internal_module_imported_from_another_app_breaks_the_contract():
    graph = _graph()
    graph.add_import(importer="shop.billing.tasks", imported="shop.orders.pricing", line_number=7, line_contents="")
    graph.add_import(importer="shop.billing.tasks", imported="shop.orders.api", line_number=8, line_contents="")
    check = _check(graph)
    assert not check.kept
    links = [(link["importer"], link["imported"], link["line_numbers"]) for link in check.metadata["broken"]["shop.orders"]]
    assert links == [("shop.billing.tasks", "shop.orders.api", (8,)), ("shop.billing.tasks", "shop.orders.pricing", (7,))]
