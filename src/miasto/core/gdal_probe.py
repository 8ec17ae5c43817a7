"""Child process of :func:`miasto.core.gdal.describe`: open one user file, print its layers.

``python -m miasto.core.gdal_probe DRIVER PATH ENCODING [OPEN_OPTIONS_JSON]`` — runs in the
environment made by :func:`miasto.core.gdal.tool_env` (only ``DRIVER`` registered, no network)
and opens the file with ``GDALOpenEx`` restricted to ``DRIVER`` as well, with the open options
(``NAME=VALUE``, checked by :meth:`miasto.core.gdal.ReadOptions.checked`). Prints a JSON list of
layers; on failure exits with 2 and a Polish sentence on stdout. Needs no Django settings, only
GDAL.

A layer's SRS without an EPSG code (an unnamed Transverse Mercator written by R/sf, a MapInfo
``.prj`` with its ``D_MIF 0`` datum) is not an error: GDAL raises ``Unsupported SRS`` when asked
to identify it, and the layer is reported with its WKT and PROJ string and no code.
"""

from __future__ import annotations

import json
import os
import sys
from ctypes import CDLL, POINTER, c_char_p
from typing import Any

CANNOT_OPEN = (
    "GDAL nie potrafi otworzyć pliku — jest uszkodzony, niekompletny albo ma inny format, "
    "niż wskazuje rozszerzenie."
)


def _open(driver: str, path: str, encoding: str, options: list[str]) -> Any:
    from django.contrib.gis.gdal import DataSource, Driver, GDALException
    from django.contrib.gis.gdal.prototypes import ds as capi

    Driver.ensure_registered()
    allowed = (c_char_p * 2)(driver.encode(), None)
    open_options = (c_char_p * (len(options) + 1))(*[o.encode() for o in options], None)
    try:
        ptr = capi.open_ds(
            path.encode(),
            capi.GDAL_OF_READONLY | capi.GDAL_OF_VECTOR,
            allowed,
            open_options,
            POINTER(c_char_p)(),
        )
    except GDALException:
        ptr = None
    if not ptr:
        raise SystemExit(_fail(CANNOT_OPEN))
    source = DataSource(ptr, capi.get_dataset_driver(ptr), encoding=encoding)
    if source.driver.name != driver:  # GDALOpenEx honoured the list; say so if it ever did not
        raise SystemExit(_fail(f"Plik otworzył sterownik {source.driver.name}, nie {driver}."))
    return source


def _library() -> CDLL:
    """GDAL's library with function objects of our own: Django's bindings set ``restype``,
    ``argtypes`` and ``errcheck`` on the shared ones of ``lgdal``, which are not changed."""
    from django.contrib.gis.gdal.libgdal import lgdal

    return CDLL(lgdal._name)


def _fail(message: str) -> int:
    sys.stdout.write(message)
    return 2


def _srs(layer: Any) -> dict[str, Any]:
    """The layer's SRS: WKT, EPSG code (``None`` when it has none), name and PROJ string."""
    from django.contrib.gis.gdal import GDALException, SRSException

    try:
        srs = layer.srs
    except (GDALException, SRSException):
        srs = None
    if srs is None:
        return {"srs_wkt": None, "epsg": None, "srs_name": None, "srs_proj4": None}
    epsg = None
    try:
        epsg = srs.srid
        if epsg is None:
            srs.identify_epsg()
            epsg = srs.srid
    except (GDALException, SRSException):  # "Unsupported SRS": no EPSG code matches it
        epsg = None
    if epsg is None:
        epsg = _epsg_by_name(srs)
    try:
        proj4 = srs.proj.strip() or None
    except (GDALException, SRSException):
        proj4 = None
    return {
        "srs_wkt": srs.wkt,
        "epsg": int(epsg) if epsg else None,
        "srs_name": srs.name,
        "srs_proj4": proj4,
    }


def _epsg_by_name(srs: Any) -> int | None:
    """The EPSG code of the CRS GDAL finds equivalent to ``srs`` *and named as it is* — an
    ESRI ``.prj`` (``ETRS_1989_Poland_CS92``), which GDAL renames to the EPSG name
    (``ETRF2000-PL / CS92``) without its code. An unnamed SRS gets no code, however equal its
    parameters: it is used as it is (see :attr:`miasto.core.gdal.LayerInfo.srs_note`)."""
    from ctypes import POINTER, byref, c_char_p, c_int, c_void_p

    lgdal = _library()
    find = lgdal.OSRFindMatches
    find.restype = POINTER(c_void_p)
    find.argtypes = [c_void_p, POINTER(c_char_p), POINTER(c_int), POINTER(POINTER(c_int))]
    authority, code, name = lgdal.OSRGetAuthorityName, lgdal.OSRGetAuthorityCode, lgdal.OSRGetName
    authority.restype = code.restype = name.restype = c_char_p
    authority.argtypes = code.argtypes = [c_void_p, c_char_p]
    name.argtypes = [c_void_p]
    lgdal.OSRFreeSRSArray.argtypes = [POINTER(c_void_p)]
    lgdal.VSIFree.argtypes = [c_void_p]
    count, confidence = c_int(0), POINTER(c_int)()
    matches = find(srs.ptr, None, byref(count), byref(confidence))
    try:
        found = [
            int(code(matches[i], None))
            for i in range(count.value)
            if authority(matches[i], None) == b"EPSG"
            and (name(matches[i]) or b"").decode() == srs.name
        ]
    finally:
        if matches:
            lgdal.OSRFreeSRSArray(matches)
        lgdal.VSIFree(confidence)
    return found[0] if len(found) == 1 else None


def _field_types(layer: Any) -> list[str]:
    """Each field's OGR type as a ``.csvt`` names it: ``Integer``, ``Real(Float32)``,
    ``Integer(Boolean)``, ``String``…"""
    from ctypes import c_char_p, c_int, c_void_p

    lgdal = _library()
    defn = lgdal.OGR_L_GetLayerDefn
    defn.restype, defn.argtypes = c_void_p, [c_void_p]
    field = lgdal.OGR_FD_GetFieldDefn
    field.restype, field.argtypes = c_void_p, [c_void_p, c_int]
    kind, subkind = lgdal.OGR_Fld_GetType, lgdal.OGR_Fld_GetSubType
    kind.restype = subkind.restype = c_int
    kind.argtypes = subkind.argtypes = [c_void_p]
    type_name, sub_name = lgdal.OGR_GetFieldTypeName, lgdal.OGR_GetFieldSubTypeName
    type_name.restype = sub_name.restype = c_char_p
    type_name.argtypes = sub_name.argtypes = [c_int]
    layer_defn = defn(layer.ptr)
    out = []
    for i in range(layer.num_fields):
        fld = field(layer_defn, i)
        name = type_name(kind(fld)).decode()
        sub = subkind(fld)
        out.append(f"{name}({sub_name(sub).decode()})" if sub else name)
    return out


def _layers(source: Any) -> list[dict[str, Any]]:
    from django.contrib.gis.gdal import GDALException

    out = []
    for layer in source:
        try:
            count = len(layer)
        except GDALException:
            count = -1
        try:
            e = layer.extent
            extent = [e.min_x, e.min_y, e.max_x, e.max_y]
        except GDALException:
            extent = None
        out.append(
            {
                "name": layer.name,
                "geometry_type": str(layer.geom_type),
                "feature_count": count,
                "fields": list(layer.fields),
                "field_types": _field_types(layer),
                **_srs(layer),
                "extent": extent,
            }
        )
    return out


def main(argv: list[str]) -> int:
    driver, path, encoding, *rest = argv
    options = [str(o) for o in json.loads(rest[0])] if rest else []
    library = os.environ.get("MIASTO_GDAL_LIBRARY_PATH")
    if library:
        from django.conf import settings

        settings.configure(GDAL_LIBRARY_PATH=library)
    from django.contrib.gis.gdal import GDALException

    source = _open(driver, path, encoding, options)
    try:
        layers = _layers(source)
    except GDALException as exc:
        return _fail(f"Nie udało się odczytać warstw pliku: {exc}.")
    sys.stdout.write(json.dumps(layers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
