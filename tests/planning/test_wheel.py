"""The built wheel carries the APP schemas: installed into a fresh virtualenv, with no checkout
beside it, it validates an APP file offline (issue #13, part 6).

Builds the wheel from a copy of the sources (the build writes ``build/`` and ``*.egg-info``,
which must not land in the checkout), makes a virtualenv without the project's packages and
installs the wheel (no dependencies) plus lxml; pip may fetch setuptools and lxml from its
cache or the package index. About 10 s.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

from tests.planning.conftest import SAMPLES

REPO = Path(__file__).resolve().parents[2]

#: run by the fresh interpreter: validates with the installed package's schema, no Django,
#: with every socket refused
SNIPPET = """
import socket, sys
from pathlib import Path

def refuse(*args, **kwargs):
    raise SystemExit(f"network access attempted: {args!r}")

socket.socket.connect = refuse
socket.getaddrinfo = refuse

from lxml import etree
from miasto.planning import xsd

assert Path(xsd.__file__).resolve().is_relative_to(Path(sys.prefix).resolve()), xsd.__file__
assert xsd.app_schema() is not None
assert xsd.xsd_errors(etree.parse(sys.argv[1])) == [], "valid sample refused"
broken = Path(sys.argv[1]).read_text().replace("app:tytul>", "app:tytulX>")
errors = xsd.xsd_errors(etree.fromstring(broken.encode()))
assert errors and "tytulX" in errors[0], errors
print("validated", xsd.SCHEMAS_DIR)
"""


def _run(*args: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_installed_wheel_validates_an_app_file(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(
        REPO / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"),
    )
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _run(*pip, "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", source, cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("miasto-*.whl")

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)  # the outer pip installs into it
    python = env_dir / "bin" / "python"
    _run(*pip, "--python", python, "install", "-q", "--no-deps", wheel, cwd=tmp_path)
    _run(*pip, "--python", python, "install", "-q", "lxml>=5.0", cwd=tmp_path)

    # -I: ignore PYTHONPATH and the user site, so only the installed copy can be imported;
    # cwd is the temporary folder, far from the checkout
    out = _run(
        python, "-I", "-c", SNIPPET, SAMPLES / "pog_AktPlanowaniaPrzestrzennego.gml", cwd=tmp_path
    )
    assert "validated" in out and str(env_dir.resolve()) in out
