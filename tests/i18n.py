"""Translations for tests: compile an app's Polish catalogue when its .mo is missing or older
than the .po (the .mo files are build output, not committed)."""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path

from django.core.management import call_command
from django.utils import translation


def compile_messages(app: str) -> None:
    """``compile_messages("planning")`` — compile ``miasto.<app>``'s Polish catalogue."""
    folder = Path(import_module(f"miasto.{app}").__file__ or "").parent
    po = folder / "locale" / "pl" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        cwd = os.getcwd()
        try:
            os.chdir(folder)
            call_command("compilemessages", locale=["pl"], verbosity=0)
        finally:
            os.chdir(cwd)
        translation.trans_real._translations = {}


def compile_all_messages() -> None:
    """Compile every app's stale Polish catalogue (see ``compile_messages``)."""
    import miasto

    for po in sorted(Path(miasto.__file__).parent.glob("*/locale/pl/LC_MESSAGES/django.po")):
        compile_messages(po.parents[3].name)
