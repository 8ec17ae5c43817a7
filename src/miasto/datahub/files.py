"""Safe handling of uploaded files: size limits, format detection by content, ZIP and XML guards.

Everything here assumes the file is hostile: the extension may lie, a ZIP may hold ``../``
paths, symlinks or a bomb, an XML file may declare entities (billion laughs, external entities).
Each problem raises :class:`UnsafeFile` with a Polish sentence for the user. The guards every
module shares (the size limit, the XML guard, :class:`UnsafeFile`) live in
:mod:`miasto.core.uploads`. What GDAL will open is then checked in full by
:func:`miasto.core.gdal.check_content` (no VRT under any name, no links to local files, no
GeoJSON CRS link, no SQL functions in a GeoPackage).
"""

from __future__ import annotations

import hashlib
import shutil
import stat
import zipfile
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from miasto.core import gdal as untrusted

# shared with other modules (planning), in core; re-exported for the data hub
from miasto.core.uploads import UnsafeFile as UnsafeFile
from miasto.core.uploads import check_xml as check_xml
from miasto.core.uploads import max_upload_bytes as max_upload_bytes

#: Formats accepted, by extension: (format code, GDAL driver).
FORMATS = {
    ".gpkg": ("gpkg", "GPKG"),
    ".geojson": ("geojson", "GeoJSON"),
    ".json": ("geojson", "GeoJSON"),
    ".geojsonl": ("geojsonseq", "GeoJSONSeq"),
    ".geojsons": ("geojsonseq", "GeoJSONSeq"),
    ".geojsonseq": ("geojsonseq", "GeoJSONSeq"),
    ".ndjson": ("geojsonseq", "GeoJSONSeq"),
    ".zip": ("shp", "ESRI Shapefile"),
    ".shp": ("shp", "ESRI Shapefile"),
    ".csv": ("csv", "CSV"),
    ".gml": ("gml", "GML"),
    ".xml": ("gml", "GML"),
    ".kml": ("kml", "KML"),
}
FORMAT_NAMES = {
    "gpkg": "GeoPackage",
    "geojson": "GeoJSON",
    "geojsonseq": "GeoJSONSeq",
    "shp": "Shapefile (ZIP)",
    "csv": "CSV",
    "gml": "GML",
    "kml": "KML",
}


@dataclass
class SourceFile:
    path: Path  # what GDAL opens (the .shp inside an extracted ZIP, or the file itself)
    format: str
    driver: str
    digest: Future[str]  # the SHA-256 of the file as uploaded, computed beside
    size: int
    name: str

    @property
    def sha256(self) -> str:
        return self.digest.result()


#: hashes files beside the import's first steps, while GDAL loads the file (docs/datahub.md)
_hashing = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sha256")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _head(path: Path, n: int = 4096) -> bytes:
    with path.open("rb") as fh:
        return fh.read(n)


def _first_char(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return chr(text[0]) if text else ""


#: the files of a ZIP that are extracted; anything else in the archive is skipped, unread
EXTRACTED_SUFFIXES = frozenset(
    {".shp", ".shx", ".dbf", ".prj", ".cpg", ".gpkg", ".geojson", ".json", ".csv", ".csvt"}
    | {".gml", ".kml"}
)
#: an archive may expand to this many times its own size (real shapefiles: 3–20×) …
ZIP_MAX_RATIO = 100
#: … or, when small, to this much whatever its ratio
ZIP_SMALL_ALLOWANCE = 64 * 1024**2


def unzip_limit(archive_size: int) -> int:
    """Most bytes an archive of ``archive_size`` may write when extracted."""
    return min(max_upload_bytes() * 5, max(archive_size * ZIP_MAX_RATIO, ZIP_SMALL_ALLOWANCE))


def _bomb() -> UnsafeFile:
    return UnsafeFile("Archiwum ZIP po rozpakowaniu byłoby zbyt duże (możliwa „bomba ZIP”).")


def safe_extract(zip_path: Path, target: Path) -> list[Path]:
    """Extract a ZIP refusing path traversal, links, too many entries and bombs.

    The total is limited (:func:`unzip_limit`) twice: by the sizes the archive declares,
    before anything is written, and by the bytes actually written, counted across all
    entries while extracting — a refused archive leaves nothing behind."""
    limit = unzip_limit(zip_path.stat().st_size)
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError):
        raise UnsafeFile("Archiwum ZIP jest uszkodzone lub niekompletne.") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > 1000:
            raise UnsafeFile("Archiwum ZIP zawiera zbyt wiele plików (ponad 1000).")
        wanted = []
        for info in entries:
            name = PurePosixPath(info.filename.replace("\\", "/"))
            if name.is_absolute() or ".." in name.parts or info.filename.startswith("/"):
                raise UnsafeFile(
                    f"Archiwum ZIP zawiera niebezpieczną ścieżkę „{info.filename[:80]}” "
                    "(wyjście poza katalog) — odrzucono."
                )
            if stat.S_ISLNK(info.external_attr >> 16):
                raise UnsafeFile("Archiwum ZIP zawiera dowiązanie symboliczne — odrzucono.")
            if info.is_dir() or name.suffix.lower() not in EXTRACTED_SUFFIXES:
                continue
            if info.compress_size and info.file_size / info.compress_size > 200:
                raise UnsafeFile(
                    "Archiwum ZIP ma podejrzanie wysoki stopień kompresji (możliwa „bomba ZIP”)."
                )
            wanted.append(info)
        if sum(info.file_size for info in wanted) > limit:
            raise _bomb()
        try:
            return _extract(archive, wanted, target, limit)
        except UnsafeFile:
            shutil.rmtree(target, ignore_errors=True)
            raise


def _extract(
    archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], target: Path, limit: int
) -> list[Path]:
    written: list[Path] = []
    total = 0
    for info in entries:
        out = target / PurePosixPath(info.filename.replace("\\", "/"))
        out.parent.mkdir(parents=True, exist_ok=True)
        size = 0
        try:
            with archive.open(info) as src, out.open("wb") as dst:
                while chunk := src.read(1024 * 1024):
                    size += len(chunk)
                    total += len(chunk)
                    if size > info.file_size:
                        raise UnsafeFile("Archiwum ZIP kłamie o rozmiarze plików — odrzucono.")
                    if total > limit:
                        raise _bomb()
                    dst.write(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error):
            raise UnsafeFile("Archiwum ZIP jest uszkodzone lub niekompletne.") from None
        written.append(out)
    return written


def inspect_upload(path: Path, name: str, workdir: Path) -> SourceFile:
    """Check an uploaded file and say how GDAL should open it: its size, its format (by the
    name's extension), its first bytes against that format, a ZIP's content (extracted into
    ``workdir``), and what GDAL will open, checked in full."""
    size = _checked_size(path)
    suffix, fmt, driver = _format_of(name)
    head = _head(path)
    digest = _hashing.submit(sha256_of, path)
    _check_head(head, fmt, suffix)
    open_path = path
    if fmt == "shp":
        inner = _zip_layer(path, workdir)
        if inner.suffix.lower() != ".shp":
            nested = inspect_upload(inner, inner.name, workdir / "nested")
            return SourceFile(nested.path, nested.format, nested.driver, digest, size, name)
        open_path = inner
    _check_content(open_path, driver)
    return SourceFile(open_path, fmt, driver, digest, size, name)


def _checked_size(path: Path) -> int:
    """The file's size: not empty, not above the upload limit."""
    size = path.stat().st_size
    if size == 0:
        raise UnsafeFile("Plik jest pusty.")
    if size > max_upload_bytes():
        raise UnsafeFile(
            f"Plik jest za duży ({size / 1024**2:.0f} MB); limit to "
            f"{max_upload_bytes() / 1024**2:.0f} MB."
        )
    return size


def _format_of(name: str) -> tuple[str, str, str]:
    """The extension of ``name`` (lower case), its format code and GDAL driver."""
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        allowed = ", ".join(sorted(FORMATS))
        raise UnsafeFile(f"Nieobsługiwane rozszerzenie „{suffix or name}”. Dozwolone: {allowed}.")
    fmt, driver = FORMATS[suffix]
    return suffix, fmt, driver


#: the first bytes (or first character) each format must start with, and what the file is not
_HEAD_BYTES = {
    "gpkg": (b"SQLite format 3\x00", "to nie jest GeoPackage (SQLite)."),
    "shp": (b"PK", "to nie jest archiwum ZIP."),
}
_FIRST_CHARS = {
    "gml": (("<",), "to nie jest XML."),
    "kml": (("<",), "to nie jest XML."),
    "geojson": (("{",), "to nie jest GeoJSON (obiekt JSON)."),
    "geojsonseq": (("{", "\x1e"), "to nie jest GeoJSONSeq."),
}


def _check_head(head: bytes, fmt: str, suffix: str) -> None:
    """The file's first bytes against its format (the extension may lie)."""
    wrong = f"Zawartość pliku nie pasuje do rozszerzenia „{suffix}”"
    if fmt == "shp" and suffix != ".zip":
        raise UnsafeFile("Shapefile należy przesłać jako archiwum ZIP (.shp, .shx, .dbf, .prj).")
    if fmt in _HEAD_BYTES:
        magic, what = _HEAD_BYTES[fmt]
        if not head.startswith(magic):
            raise UnsafeFile(f"{wrong}: {what}")
    elif fmt in _FIRST_CHARS:
        chars, what = _FIRST_CHARS[fmt]
        if _first_char(head) not in chars:
            raise UnsafeFile(f"{wrong}: {what}")
    elif fmt == "csv" and b"\x00" in head:
        raise UnsafeFile(f"{wrong}: to plik binarny, nie CSV.")


def _zip_layer(path: Path, workdir: Path) -> Path:
    """The file of a ZIP to open, extracted into ``workdir``: its first .shp (with its .shx and
    .dbf) or GeoPackage, else its first other supported file."""
    extracted = safe_extract(path, workdir / "unzipped")
    candidates = sorted(p for p in extracted if p.suffix.lower() in (".shp", ".gpkg"))
    candidates += sorted(
        p for p in extracted if p.suffix.lower() in (".geojson", ".json", ".csv", ".gml", ".kml")
    )
    if not candidates:
        raise UnsafeFile("Archiwum ZIP nie zawiera pliku .shp (ani innego obsługiwanego).")
    inner = candidates[0]
    if inner.suffix.lower() == ".shp":
        for ext in (".shx", ".dbf"):
            if not inner.with_suffix(ext).exists() and not inner.with_suffix(ext.upper()).exists():
                raise UnsafeFile(f"W archiwum brakuje pliku {inner.stem}{ext} do warstwy .shp.")
    return inner


def _check_content(path: Path, driver: str) -> None:
    """What GDAL will open, checked in full (VRT, links, GeoPackage SQL, GeoJSON CRS links…)."""
    try:
        untrusted.check_content(path, driver)
    except untrusted.UnsafeSource as exc:
        raise UnsafeFile(str(exc)) from None


def cleanup(workdir: Path) -> None:
    shutil.rmtree(workdir, ignore_errors=True)
