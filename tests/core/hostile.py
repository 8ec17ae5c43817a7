"""Hostile files for GDAL, built in the tests, and a local HTTP server that counts requests.

``http_trap`` listens on 127.0.0.1 at a random port and records every request: a test points
a hostile file at it and asserts that nothing came (no connection leaves the process).
"""

from __future__ import annotations

import http.server
import io
import json
import sqlite3
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest


class Trap:
    def __init__(self) -> None:
        self.requests: list[str] = []
        trap = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 — http.server's name
                trap.requests.append(f"{self.command} {self.path}")
                body = b'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257]]]'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_HEAD = do_GET  # noqa: N815
            do_POST = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Trap:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def http_trap() -> Iterator[Trap]:
    with Trap() as trap:
        yield trap


def vrt_pg(dbname: str = "miasto") -> bytes:
    """The finding's file: an OGR VRT reading our database with our role."""
    return f"""<OGRVRTDataSource>
  <OGRVRTLayer name="who">
    <SrcDataSource>PG:dbname={dbname} host=127.0.0.1 user=miasto password=miasto</SrcDataSource>
    <SrcSQL>SELECT current_user AS who, rolsuper::text AS superuser,
      ST_SetSRID(ST_MakePoint(500000, 400000), 2180) AS geom
      FROM pg_roles WHERE rolname = current_user</SrcSQL>
  </OGRVRTLayer>
</OGRVRTDataSource>
""".encode()


def vrt_curl(url: str) -> bytes:
    return f"""<OGRVRTDataSource>
  <OGRVRTLayer name="remote">
    <SrcDataSource>/vsicurl/{url}/internal.csv</SrcDataSource>
  </OGRVRTLayer>
</OGRVRTDataSource>
""".encode()


def gml(
    href: str = "#p1", schema: str | None = None, srs: str = "urn:ogc:def:crs:EPSG::2180"
) -> bytes:
    location = f' xsi:schemaLocation="http://ogr.maptools.org/ {schema}"' if schema else ""
    features = "".join(
        f"""<gml:featureMember><ogr:pomnik gml:id="p{i}">
<ogr:geometryProperty><gml:Point srsName="{srs}"><gml:pos>{400000 + i} {500000 + i}</gml:pos>
</gml:Point></ogr:geometryProperty><ogr:nazwa>pomnik {i}</ogr:nazwa>
<ogr:odnosnik xlink:href="{href}"/></ogr:pomnik></gml:featureMember>"""
        for i in (1, 2)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/"
 xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"{location}>{features}
</ogr:FeatureCollection>
""".encode()


def kml(href: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<NetworkLink><name>sieć</name><Link><href>{href}</href></Link></NetworkLink>
<Placemark><name>pomnik</name><styleUrl>{href}#styl</styleUrl>
<Point><coordinates>19.0,51.5</coordinates></Point></Placemark>
</Document></kml>
""".encode()


def geojson_crs_link(url: str) -> bytes:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "crs": {"type": "link", "properties": {"href": f"{url}/crs.wkt", "type": "ogcwkt"}},
            "features": [
                {
                    "type": "Feature",
                    "properties": {"nazwa": "a"},
                    "geometry": {"type": "Point", "coordinates": [19.0, 51.5]},
                }
            ],
        }
    ).encode()


def geopackage(path: Path, *statements: str) -> Path:
    """A real GeoPackage (written by ogr2ogr) with ``statements`` run on it afterwards."""
    src = path.with_suffix(".src.geojson")
    src.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"nazwa": "a"},
                        "geometry": {"type": "Point", "coordinates": [19.0, 51.5]},
                    }
                ],
            }
        )
    )
    subprocess.run(
        ["ogr2ogr", "-f", "GPKG", "-nln", "pomniki", str(path), str(src)],
        check=True,
        capture_output=True,
    )
    src.unlink()
    if statements:
        db = sqlite3.connect(path)
        try:
            for sql in statements:
                db.execute(sql)
            db.commit()
        finally:
            db.close()
    return path


def zip_of(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()
