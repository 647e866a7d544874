"""The learned extractor's weights ship inside the package: a wheel installed into a
fresh virtual environment, with no index and no network, loads them and extracts."""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_fresh_virtualenv_loads_the_shipped_model_offline(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "-q", "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    (wheel,) = wheels.glob("parley-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True)
    # The dependencies (spaCy and its model, numpy...) come from this environment's
    # site-packages, read-only; parley itself only from the wheel just installed.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    script = (
        "import parley.extract.learned.model as m\n"
        "from parley.records import Article\n"
        "import datetime as dt\n"
        "print(m.__file__)\n"
        "w = m.load_weights()\n"
        "print(w.version, len(w.sentences.features))\n"
        "a = Article(id='t', text='Harwell Foods rejected the takeover offer from Dunmore Group on Monday.', "
        "published=dt.datetime(2024, 3, 4))\n"
        "print(sorted({e.type for e in m.LearnedExtractor().extract(a)}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update({"HF_HUB_OFFLINE": "1", "PIP_NO_INDEX": "1", "no_proxy": "*", "https_proxy": "http://127.0.0.1:9",
                "http_proxy": "http://127.0.0.1:9"})
    done = subprocess.run([str(python), "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    module_path, version_line, types = done.stdout.strip().splitlines()
    assert module_path.startswith(str(venv)), "parley must come from the installed wheel, not the source tree"
    assert version_line.startswith("learned.v1 ") and int(version_line.split()[1]) > 1000
    assert "reject" in types
