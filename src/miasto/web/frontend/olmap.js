// The OpenLayers set-up shared by the planning pages (planning.js) and the analysis pages
// (analysis.js): a map with scale line and keyboard control, vector-tile layers of the city's
// own tiles, GeoJSON reading and colour helpers. Each page keeps its own styles and layers.
import Map from 'ol/Map';
import View from 'ol/View';
import VectorTileLayer from 'ol/layer/VectorTile';
import VectorTileSource from 'ol/source/VectorTile';
import MVT from 'ol/format/MVT';
import GeoJSON from 'ol/format/GeoJSON';
import { createXYZ } from 'ol/tilegrid';
import { get as getProjection } from 'ol/proj';
import { defaults as defaultControls, ScaleLine } from 'ol/control';

// "#rrggbb" (the server's colours) with an alpha; a grey for anything else.
export function rgba(hex, alpha) {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || '');
  if (!m) return `rgba(120,120,120,${alpha})`;
  return `rgba(${parseInt(m[1], 16)},${parseInt(m[2], 16)},${parseInt(m[3], 16)},${alpha})`;
}

// A map on `target` (which takes the keyboard when focused: arrows pan, +/- zoom), centred on
// Poland until the page fits it to its data.
export function makeMap(target, layers, { center = [2160000, 6800000], zoom = 6, maxZoom = 21 } = {}) {
  const view = new View({ center, zoom, maxZoom });
  return new Map({
    target,
    view,
    layers,
    controls: defaultControls({ attribution: false, rotate: false }).extend([new ScaleLine()]),
    keyboardEventTarget: target,
  });
}

// A layer of the city's vector tiles (`url` with {z}/{x}/{y}, from the page's config), shown
// from `minzoom` on: tiles below it are not requested, beyond `maxzoom` the last level is
// overzoomed; `declutter` for layers of names.
export function tileLayer(url, { style, minzoom = 0, maxzoom = 22, zIndex, declutter = false } = {}) {
  return new VectorTileLayer({
    source: new VectorTileSource({
      format: new MVT(),
      url,
      tileGrid: createXYZ({
        extent: getProjection('EPSG:3857').getExtent(),
        tileSize: 512,
        minZoom: minzoom,
        maxZoom: maxzoom,
      }),
    }),
    style,
    declutter,
    renderMode: 'hybrid',
    minZoom: minzoom > 0 ? minzoom - 0.0001 : undefined,
    zIndex,
  });
}

// GeoJSON in WGS 84 (as the server sends it) to features in the map's projection.
export function featureReader() {
  const format = new GeoJSON();
  const options = { dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' };
  return {
    features: (data) => (data && data.features ? format.readFeatures(data, options) : []),
    feature: (data) => format.readFeature(data, options),
  };
}
