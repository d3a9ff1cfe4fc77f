"""The layers hold (docs/architecture.md): import-linter's contract passes, and an upward import breaks it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
PACKAGES = ["core", "channels", "guideline", "approvals", "somegov"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root):
    return subprocess.run(  # noqa: S603 - our own tool on our own files
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def copy_of_the_code(tmp_path):
    """The portal's packages (Python files only) and its pyproject.toml, in a folder of their own."""
    for package in PACKAGES:
        shutil.copytree(PROJECT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.html", "*.po", "*.mo"))
    shutil.copy(PROJECT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_layers_contract_is_kept():
    result = _lint(PROJECT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("core/roles.py", "from channels.models import Person"),
        ("channels/services.py", "from approvals.models import Authorisation"),
        ("guideline/services.py", "from approvals.models import PolicyRule"),
        ("approvals/reminders.py", "from somegov import retention"),
    ],
)
def test_an_upward_import_breaks_the_build(copy_of_the_code, module, upward):
    path = copy_of_the_code / module
    path.write_text(path.read_text() + f"\n{upward}  # an upward import\n")
    result = _lint(copy_of_the_code)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout.upper()
    assert module.replace("/", ".").removesuffix(".py") in result.stdout
