"""The import contracts of pyproject.toml (docs/architecture.md, "Layers") hold for the code, and
they fail on an upward import, including one hidden inside a function."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = "from importlinter.cli import lint_imports as li; raise SystemExit(li(no_cache=True, no_logo=True))"


def lint(directory: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", LINT], cwd=directory, capture_output=True, text=True)


@pytest.fixture
def copy_of_the_code(tmp_path: Path) -> Path:
    """The Python modules of mostaql/ and pyproject.toml, in a directory of their own."""
    shutil.copytree(
        ROOT / "mostaql",
        tmp_path / "mostaql",
        ignore=lambda folder, names: [
            name for name in names if not name.endswith(".py") and not (Path(folder) / name).is_dir()
        ],
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def add_line(module: Path, text: str) -> None:
    module.write_text(module.read_text() + text)


def test_the_code_keeps_its_import_contracts():
    result = lint(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_lower_app_importing_a_higher_one_inside_a_function_breaks_the_layers(copy_of_the_code):
    add_line(
        copy_of_the_code / "mostaql/projects/selectors.py",
        "\n\ndef _sneaky():\n    from mostaql.contracts.models import Contract\n\n    return Contract\n",
    )

    result = lint(copy_of_the_code)

    assert result.returncode != 0
    assert "mostaql.projects is not allowed to import mostaql.contracts" in result.stdout


def test_a_service_reaching_up_through_a_view_breaks_the_faces_contract(copy_of_the_code):
    add_line(copy_of_the_code / "mostaql/wallet/services.py", "\nfrom mostaql.projects import views\n")

    result = lint(copy_of_the_code)

    assert result.returncode != 0
    assert "Only faces import faces BROKEN" in result.stdout


def test_core_importing_an_app_breaks_the_kernel_contract(copy_of_the_code):
    add_line(copy_of_the_code / "mostaql/core/views.py", "\nfrom mostaql.projects import selectors\n")

    result = lint(copy_of_the_code)

    assert result.returncode != 0
    assert "Core imports no app BROKEN" in result.stdout
