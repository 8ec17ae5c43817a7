"""Upload safety shared by every module that takes files: the size limit, safe stored names, the
XML guard. Everything here assumes the file is hostile; each problem raises :class:`UnsafeFile`
with a Polish sentence for the user. The data hub's format detection and ZIP guards build on
this (:mod:`miasto.datahub.files`), as does planning's APP GML import; what GDAL will open is
checked in full by :func:`miasto.core.gdal.check_content`.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from miasto.core import gdal as untrusted


class UnsafeFile(untrusted.UnsafeSource):
    pass


def max_upload_bytes() -> int:
    return int(getattr(settings, "MIASTO_UPLOAD_MAX_BYTES", 2 * 1024**3))


_FILENAME_RE = re.compile(r"[^\w.\-]+", re.UNICODE)


def safe_filename(name: str) -> str:
    """A file name safe to store: no directories, no odd characters, bounded length."""
    base = Path(name.replace("\\", "/")).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = _FILENAME_RE.sub("_", stem).strip("._")[:80] or "plik"
    suffix = _FILENAME_RE.sub("", suffix)[:12]
    return stem + suffix


def check_xml(path: Path) -> None:
    """Reject XML with a DTD or entities (external, recursive) and malformed XML, streaming."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    try:
        for _event, element in iterparse(str(path), events=("end",), forbid_dtd=True):
            element.clear()
    except DefusedXmlException:
        raise UnsafeFile(
            "Plik XML zawiera deklarację DTD lub encje (np. zewnętrzne odwołania) — "
            "ze względów bezpieczeństwa takie pliki są odrzucane."
        ) from None
    except Exception as exc:  # ParseError and friends
        raise UnsafeFile(f"Plik nie jest poprawnym XML: {exc}.") from None
