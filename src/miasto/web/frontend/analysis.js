// Planning analysis pages (coverage, capacity, conflicts, accessibility): see
// scripts/build_frontend.sh. Progressive enhancement only: every page is complete without JS
// (the charts are inline SVG drawn by the server and the tables carry the same figures).
//
// The map (#analysis-map) shows the districts coloured by the page's figure (colours and
// legend from the server), an optional overlay of areas (conflicts) and optional vector-tile
// layers (parcels with remaining capacity, accessibility gaps) that appear when zoomed in.
import 'ol/ol.css';
import './datahub.css';
import './planning.css';
import './analysis.css';

import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { Fill, Stroke, Style, Text } from 'ol/style';

import { featureReader, makeMap, rgba, tileLayer } from './olmap.js';
import { readJson } from './util.js';

const INK = '#1d1f21';

function districtStyle(feature, resolution) {
  const colour = feature.get('colour');
  let fill = colour ? rgba(colour, 0.8) : 'rgba(255,255,255,0.7)';
  if (feature.get('outline')) fill = 'rgba(255,255,255,0.35)';
  return new Style({
    fill: new Fill({ color: fill }),
    stroke: new Stroke({ color: INK, width: 1.2 }),
    text:
      resolution < 40
        ? new Text({
            text: `${feature.get('name')}\n${feature.get('label')}`,
            font: '600 12px system-ui, sans-serif',
            fill: new Fill({ color: INK }),
            stroke: new Stroke({ color: '#ffffff', width: 3 }),
            overflow: false,
          })
        : undefined,
  });
}

const SEVERITY_ORDER = { info: 1, warning: 2, error: 3 };
function overlayStyle(feature) {
  const colour = feature.get('colour') || '#b00020';
  return new Style({
    zIndex: SEVERITY_ORDER[feature.get('severity')] || 0,
    fill: new Fill({ color: rgba(colour, 0.45) }),
    stroke: new Stroke({ color: colour, width: 2 }),
  });
}

// Parcels with remaining capacity: darker with more potential dwellings.
const CAPACITY_COLOURS = ['#fee6ce', '#fdae6b', '#e6550d', '#a63603'];
function capacityStyle(feature) {
  const n = Number(feature.get('dwellings') || 0);
  const i = n >= 50 ? 3 : n >= 10 ? 2 : n >= 1 ? 1 : 0; // CAPACITY_CLASSES in pages/analyses.py
  return new Style({
    fill: new Fill({ color: rgba(CAPACITY_COLOURS[i], 0.85) }),
    stroke: new Stroke({ color: 'rgba(29,31,33,0.5)', width: 0.5 }),
  });
}

const GAP_STYLE = new Style({
  fill: new Fill({ color: 'rgba(176,0,32,0.55)' }),
  stroke: new Stroke({ color: '#b00020', width: 0.8 }),
});

function specLayer(spec) {
  const style = spec.name === 'capacity' ? capacityStyle : GAP_STYLE;
  return tileLayer(spec.url, { style, minzoom: spec.minzoom || 0 });
}

function init() {
  const target = document.getElementById('analysis-map');
  if (!target) return;
  const config = readJson('analysis-map-config');
  const tiles = readJson('analysis-map-tiles');
  const t = readJson('analysis-map-i18n');
  const status = document.getElementById('analysis-map-status');
  const read = featureReader().features;

  const districts = new VectorSource({ features: read(config.districts) });
  const layers = [new VectorLayer({ source: districts, style: districtStyle })];
  if (Array.isArray(tiles)) tiles.forEach((spec) => layers.push(specLayer(spec)));
  if (config.overlay) {
    layers.push(new VectorLayer({ source: new VectorSource({ features: read(config.overlay) }), style: overlayStyle }));
  }
  const map = makeMap(target, layers, { center: [2160000, 6830000], maxZoom: 20 });
  const view = map.getView();
  if (districts.getFeatures().length) {
    view.fit(districts.getExtent(), { padding: [16, 16, 16, 16] });
  }
  window.miastoAnalysisMap = map;
  map.once('rendercomplete', () => {
    document.body.dataset.analysisMapReady = 'true';
    if (status) status.textContent = t.ready || '';
  });
  for (const layer of layers) {
    const source = layer.getSource();
    if (source && source.on) {
      source.on('tileloaderror', () => {
        if (status) status.textContent = t.error || '';
      });
    }
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
