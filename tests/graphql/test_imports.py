"""The ``graphql/`` folder must never hide graphql-core from a process started at the repo root."""

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import graphql, strawberry
from strawberry.tools import merge_types
import cairn.graphql.app
print(graphql.__file__)
print(graphql.version)
"""


def test_the_graphql_folder_has_no_init_module() -> None:
    assert (REPO_ROOT / "graphql").is_dir()
    assert not (REPO_ROOT / "graphql" / "__init__.py").exists()


def test_strawberry_and_graphql_core_import_from_the_repo_root() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    graphql_file, version = result.stdout.split()
    assert Path(graphql_file).parent != REPO_ROOT / "graphql"
    assert "site-packages" in graphql_file
    assert version[0].isdigit()
