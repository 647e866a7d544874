"""A checkout with nothing beside it: every test that needs ../shared skips with the
reason instead of failing (CI has ../shared; a new user's clone may not)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NEEDS_SHARED = ("shared", "seed_db", "gold_db")  # the fixtures in conftest.py

# Runs the selected tests only: those that ask for a fixture built on ../shared.
PLUGIN = f'''
def pytest_collection_modifyitems(config, items):
    wanted = [i for i in items if set(getattr(i, "fixturenames", ())) & {set(NEEDS_SHARED)!r}]
    config.hook.pytest_deselected(items=[i for i in items if i not in wanted])
    items[:] = wanted
'''


def test_only_conftest_knows_where_shared_is() -> None:
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path in (ROOT / "tests" / "conftest.py", Path(__file__).resolve()):
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""/\s*["']shared["']|["']\.\./shared""", text), \
            f"{path.relative_to(ROOT)} builds a ../shared path itself: ask for the `shared` fixture"


@pytest.mark.slow
def test_a_checkout_without_shared_skips_those_tests(tmp_path: Path) -> None:
    checkout = tmp_path / "clone"          # tmp_path / "shared" does not exist
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", "parley-demo.html"))
    (tmp_path / "only_shared.py").write_text(PLUGIN, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                           "-p", "only_shared", "tests"],
                          cwd=checkout, capture_output=True, text=True,
                          env={**_env(), "PYTHONPATH": str(tmp_path)})
    summary = done.stdout.strip().splitlines()[-1]
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "failed" not in summary and "error" not in summary and " passed" not in summary, summary
    skipped = int(re.search(r"(\d+) skipped", summary).group(1))  # type: ignore[union-attr]
    assert skipped >= 10, summary
    assert f"the shared corpora are not at {tmp_path / 'shared'}" in done.stdout


def _env() -> dict[str, str]:
    import os
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
