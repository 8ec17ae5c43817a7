"""Child process of :func:`miasto.core.gdal.describe`: open one user file, print its layers.

``python -m miasto.core.gdal_probe DRIVER PATH ENCODING`` — runs in the environment made by
:func:`miasto.core.gdal.tool_env` (only ``DRIVER`` registered, no network) and opens the file
with ``GDALOpenEx`` restricted to ``DRIVER`` as well. Prints a JSON list of layers; on failure
exits with 2 and a Polish sentence on stdout. Needs no Django settings, only GDAL.
"""

from __future__ import annotations

import json
import os
import sys
from ctypes import POINTER, c_char_p
from typing import Any

CANNOT_OPEN = (
    "GDAL nie potrafi otworzyć pliku — jest uszkodzony, niekompletny albo ma inny format, "
    "niż wskazuje rozszerzenie."
)


def _open(driver: str, path: str, encoding: str) -> Any:
    from django.contrib.gis.gdal import DataSource, Driver, GDALException
    from django.contrib.gis.gdal.prototypes import ds as capi

    Driver.ensure_registered()
    allowed = (c_char_p * 2)(driver.encode(), None)
    try:
        ptr = capi.open_ds(
            path.encode(),
            capi.GDAL_OF_READONLY | capi.GDAL_OF_VECTOR,
            allowed,
            POINTER(c_char_p)(),
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


def _fail(message: str) -> int:
    sys.stdout.write(message)
    return 2


def _layers(source: Any) -> list[dict[str, Any]]:
    from django.contrib.gis.gdal import GDALException

    out = []
    for layer in source:
        srs = None
        epsg = None
        try:
            srs = layer.srs
        except GDALException:
            srs = None
        if srs is not None:
            try:
                epsg = srs.srid
                if epsg is None:
                    srs.identify_epsg()
                    epsg = srs.srid
            except GDALException:
                epsg = None
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
                "srs_wkt": srs.wkt if srs is not None else None,
                "epsg": int(epsg) if epsg else None,
                "extent": extent,
            }
        )
    return out


def main(argv: list[str]) -> int:
    driver, path, encoding = argv
    library = os.environ.get("MIASTO_GDAL_LIBRARY_PATH")
    if library:
        from django.conf import settings

        settings.configure(GDAL_LIBRARY_PATH=library)
    from django.contrib.gis.gdal import GDALException

    source = _open(driver, path, encoding)
    try:
        layers = _layers(source)
    except GDALException as exc:
        return _fail(f"Nie udało się odczytać warstw pliku: {exc}.")
    sys.stdout.write(json.dumps(layers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
