// A parcel's page (/dzialki/<identifier>/): the parcel outlined on the city's tiles, with the
// street and district names. Everything the map shows is also written on the page.
import 'ol/ol.css';
import './parcel.css';

import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { transformExtent } from 'ol/proj';

import { makeMap, tileLayer, featureReader } from './olmap.js';
import { makeStyle, highlightStyle, LABEL_LAYERS } from './styles.js';
import { readJson } from './util.js';

function init() {
  const target = document.getElementById('parcel-map');
  const config = readJson('parcel-map-config');
  if (!target || !config.geometry) return;
  const url = (name) => config.tiles.replace('{name}', name);
  const layers = [];
  config.layers.forEach((layer, index) => {
    layers.push(tileLayer(url(layer.name), {
      style: makeStyle(layer),
      minzoom: layer.minzoom || 0,
      zIndex: index,
    }));
    const spec = LABEL_LAYERS[layer.labels];
    if (spec) {
      const labels = tileLayer(url(layer.labels), {
        style: spec.style, minzoom: spec.tileMinZoom, maxzoom: spec.tileMaxZoom, zIndex: spec.zIndex, declutter: true,
      });
      labels.setMinZoom(spec.minZoom);
      labels.setMaxZoom(spec.maxZoom);
      layers.push(labels);
    }
  });
  const parcel = featureReader().feature({ type: 'Feature', geometry: config.geometry, properties: {} });
  layers.push(new VectorLayer({ source: new VectorSource({ features: [parcel] }), style: highlightStyle, zIndex: 100 }));
  const map = makeMap(target, layers);
  map.getView().fit(transformExtent(config.bbox, 'EPSG:4326', 'EPSG:3857'), {
    padding: [50, 50, 50, 50],
    maxZoom: 19,
  });
  map.once('rendercomplete', () => {
    document.body.dataset.mapReady = 'true';
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
