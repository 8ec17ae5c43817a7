"""The layers of docs/architecture.md hold: the import-linter contracts of pyproject.toml are
kept (``make lint`` runs the same check), and core's shared pieces know no domain."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from miasto.core.widgets import POLAND_CENTRE, OfflineMapWidget

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_core_map_widget_starts_from_poland_without_a_city() -> None:
    """Core's widget asks no domain for a centre (the spine's CityMapWidget does)."""
    context = OfflineMapWidget().get_context("geom", None, {"id": "id_geom"})
    options = context["map_options"]
    assert (options["default_lon"], options["default_lat"]) == POLAND_CENTRE
    assert options["default_zoom"] == 6
    assert context["map_options_id"] == "id_geom_map_options"
