#!/bin/sh
# Build Miasto's front end into src/miasto/web/static/web/dist (gitignored).
# Run after `npm ci` (or `npm install`): `npm run build`. Nothing is fetched at run time.
# Pass --watch to rebuild main.js on change during development.
set -eu
cd "$(dirname "$0")/.."
SRC=src/miasto/web/frontend
OUT=src/miasto/web/static/web/dist
mkdir -p "$OUT"

# The public pages: map, search, panel, table; a parcel's page (parcel.js) (+ the CSS they
# import, OpenLayers' included). site.js: every page (the header's menu button).
node_modules/.bin/esbuild "$SRC/main.js" "$SRC/parcel.js" "$SRC/site.css" "$SRC/site.js" \
  --bundle --minify --sourcemap --target=es2020 --format=iife \
  --outdir="$OUT" --log-level=warning "$@"

# The data hub pages: dataset map preview, job progress (+ their CSS).
node_modules/.bin/esbuild "$SRC/datahub.js" \
  --bundle --minify --sourcemap --target=es2020 --format=iife \
  --outdir="$OUT" --log-level=warning

# Planning pages: plan map with legend (planning.js), analysis maps and charts (analysis.js).
node_modules/.bin/esbuild "$SRC/planning.js" "$SRC/analysis.js" \
  --bundle --minify --sourcemap --target=es2020 --format=iife \
  --outdir="$OUT" --log-level=warning

# Problem report pages: the reports' map, the place picker of the form (+ their CSS).
node_modules/.bin/esbuild "$SRC/problems.js" \
  --bundle --minify --sourcemap --target=es2020 --format=iife \
  --outdir="$OUT" --log-level=warning

# Residents' proposals: their map and the drawing of a proposal's place.
node_modules/.bin/esbuild "$SRC/proposals.js" \
  --bundle --minify --sourcemap --target=es2020 --format=iife \
  --outdir="$OUT" --log-level=warning

# Map surveys: the form's drawing maps and the results' heat maps (+ their CSS).
node_modules/.bin/esbuild "$SRC/surveys.js" \
  --bundle --minify --sourcemap --target=es2020 --format=iife \
  --outdir="$OUT" --log-level=warning

# Area alerts: drawing an area, the map of one's areas, address suggestions (+ its CSS).
node_modules/.bin/esbuild "$SRC/alerts.js" \
  --bundle --minify --sourcemap --target=es2020 --format=iife \
  --outdir="$OUT" --log-level=warning

# The advertising pages: the map of the landscape resolution's zones and the carriers; the
# inspectors' offline-tolerant inspection form.
node_modules/.bin/esbuild "$SRC/advertising.js" "$SRC/inspection.js" \
  --bundle --minify --sourcemap --target=es2020 --format=iife \
  --outdir="$OUT" --log-level=warning

# OpenLayers as a global `ol` for the admin map widget (Django's OLMapWidget.js expects it).
# (without its source-map comment: the map is not shipped, and collectstatic's hashed names
# must resolve every file a bundle refers to)
sed '/^\/\/# sourceMappingURL=/d' node_modules/ol/dist/ol.js > "$OUT/ol.js"
cp node_modules/ol/ol.css "$OUT/ol.css"
# htmx for server-rendered partial updates; axe-core only for tests.
cp node_modules/htmx.org/dist/htmx.min.js "$OUT/htmx.min.js"
# Swagger UI for the API reference page (/api/), with its licence and notice files.
mkdir -p "$OUT/swagger-ui"
for f in swagger-ui-bundle.js swagger-ui.css; do
  sed '/sourceMappingURL=/d' "node_modules/swagger-ui-dist/$f" > "$OUT/swagger-ui/$f"
done
cp node_modules/swagger-ui-dist/LICENSE node_modules/swagger-ui-dist/NOTICE "$OUT/swagger-ui/"
echo "front end built in $OUT"
