"""The layers the README promises are kept by a tool, and the package ships every app.

docs/architecture.md: core at the bottom, then plans, indicators, partners, accounts, returns, portal,
and the project (settings, root URLs, API router) on top. `make lint` runs the contract.
"""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
LOCAL_APPS = ["core", "plans", "indicators", "partners", "accounts", "returns", "portal", "reports"]


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(cwd / "pyproject.toml")],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
    )


def _copy_tree(tmp_path: Path) -> Path:
    copy = tmp_path / "tree"
    copy.mkdir()
    shutil.copy(ROOT / "pyproject.toml", copy)
    for package in [*LOCAL_APPS, "luton_plan"]:
        shutil.copytree(ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_tree_keeps_its_layers():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    tree = _copy_tree(tmp_path)
    (tree / "plans" / "upward.py").write_text("from returns.models import ReportingRound  # plans must not\n")

    result = _lint_imports(tree)

    assert result.returncode == 1
    assert "plans.upward -> returns.models" in result.stdout


def test_the_wheel_ships_every_app_and_each_imports(tmp_path):
    """The package's `include` list once left out returns and portal: build the wheel, then set Django up
    from the wheel's files alone (not this tree) and import every app's modules."""
    wheels = tmp_path / "wheels"
    tree = _copy_tree(tmp_path)  # setuptools writes build/ beside the sources: not in this tree
    shutil.copy(ROOT / "README.md", tree)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(tree)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = wheels.glob("*.whl")
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
        shipped = {name.split("/")[0] for name in archive.namelist()}
    assert {*LOCAL_APPS, "luton_plan"} <= shipped

    script = (
        "import importlib, pkgutil, django\n"
        "django.setup()\n"
        f"for app in {LOCAL_APPS!r}:\n"
        "    package = importlib.import_module(app)\n"
        "    assert package.__file__.startswith(%r), package.__file__\n"
        "    for module in pkgutil.walk_packages(package.__path__, app + '.'):\n"
        "        if '.migrations.' not in module.name:\n"
        "            importlib.import_module(module.name)\n"
        "print('imported')\n"
    ) % str(unpacked)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "PYTHONPATH": str(unpacked),
            "DJANGO_SETTINGS_MODULE": "luton_plan.settings",
            "DJANGO_DEBUG": "1",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert result.stdout.strip() == "imported", result.stderr[-3000:]


def test_the_lock_file_is_what_pyproject_resolves_to(tmp_path):
    """`make setup` installs only from requirements.lock: it must be regenerated (`make lock`) whenever a
    dependency in pyproject.toml changes, or the install would not be what pyproject.toml says."""
    fresh = tmp_path / "requirements.lock"
    # uv keeps the versions of an existing output file unless asked to upgrade: start from the lock, so that
    # only a change to pyproject.toml (not a new release on PyPI) makes a difference.
    shutil.copy(ROOT / "requirements.lock", fresh)
    subprocess.run(
        [
            str(Path(sys.executable).with_name("uv")),
            *("pip", "compile", "pyproject.toml", "--extra", "dev", "--universal", "--python-version", "3.12"),
            *("--generate-hashes", "--no-header", "--quiet", "-o", str(fresh)),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert fresh.read_text() == (ROOT / "requirements.lock").read_text(), "run `make lock` and commit the result"
