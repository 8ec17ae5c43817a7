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

import Feature from 'ol/Feature';
import Point from 'ol/geom/Point';
import VectorLayer from 'ol/layer/Vector';
import { fromLonLat } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import { Circle as CircleStyle, Fill, Stroke, Style, Text } from 'ol/style';

import { featureReader, makeMap, rgba, tileLayer } from './olmap.js';
import { readJson } from './util.js';

const INK = '#1d1f21';

// Districts: the fill of the page's figure and the outline; their labels are a layer of their
// own (below).
function districtStyle(feature) {
  const colour = feature.get('colour');
  let fill = colour ? rgba(colour, 0.8) : 'rgba(255,255,255,0.7)';
  if (feature.get('outline')) fill = 'rgba(255,255,255,0.35)';
  return new Style({ fill: new Fill({ color: fill }), stroke: new Stroke({ color: INK, width: 1.2 }) });
}

// Every district is labelled by its number (the key beside the map names it), drawn at the
// centre of the largest circle inside it, always; its name and figure follow below the number
// where they fit — a decluttered layer drops a name that would collide with another label.
function numberStyle(feature) {
  return new Style({
    zIndex: 2,
    image: new CircleStyle({ radius: 11, fill: new Fill({ color: '#ffffff' }), stroke: new Stroke({ color: INK, width: 1.5 }) }),
    text: new Text({ text: String(feature.get('key')), font: '700 12px system-ui, sans-serif', fill: new Fill({ color: INK }) }),
  });
}

function nameStyle(feature) {
  return new Style({
    text: new Text({
      text: `${feature.get('name')}\n${feature.get('label')}`,
      font: '600 12px system-ui, sans-serif',
      offsetY: 28,
      fill: new Fill({ color: INK }),
      stroke: new Stroke({ color: '#ffffff', width: 3 }),
      overflow: true,
    }),
  });
}

function labelFeatures(districts) {
  return districts.getFeatures()
    .filter((f) => Array.isArray(f.get('label_point')))
    .map((f) => new Feature({
      geometry: new Point(fromLonLat(f.get('label_point'))),
      key: f.get('key'),
      name: f.get('name'),
      label: f.get('label'),
    }));
}

// Areas over the figure's colours: hatched, so that the colour below still shows.
function hatch(colour) {
  const canvas = document.createElement('canvas');
  canvas.width = 8;
  canvas.height = 8;
  const ctx = canvas.getContext('2d');
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(0, 8);
  ctx.lineTo(8, 0);
  ctx.moveTo(-2, 2);
  ctx.lineTo(2, -2);
  ctx.moveTo(6, 10);
  ctx.lineTo(10, 6);
  ctx.stroke();
  return ctx.createPattern(canvas, 'repeat');
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

let gapStyle = null;
function gapStyleOf() {
  gapStyle = gapStyle || new Style({ fill: new Fill({ color: hatch('#b00020') }), stroke: new Stroke({ color: '#b00020', width: 1 }) });
  return gapStyle;
}

function specLayer(spec) {
  const style = spec.name === 'capacity' ? capacityStyle : gapStyleOf();
  const layer = tileLayer(spec.url, { style, minzoom: spec.minzoom || 0 });
  layer.set('name', spec.name);
  return layer;
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
  const named = (layer, name) => {
    layer.set('name', name);
    return layer;
  };
  const labels = new VectorSource({ features: labelFeatures(districts) });
  const layers = [named(new VectorLayer({ source: districts, style: districtStyle }), 'districts')];
  if (Array.isArray(tiles)) tiles.forEach((spec) => layers.push(specLayer(spec)));
  if (config.overlay) {
    layers.push(named(new VectorLayer({ source: new VectorSource({ features: read(config.overlay) }), style: overlayStyle }), 'overlay'));
  }
  layers.push(named(new VectorLayer({ source: labels, style: nameStyle, declutter: true, zIndex: 10 }), 'labels'));
  layers.push(named(new VectorLayer({ source: labels, style: numberStyle, zIndex: 11 }), 'labels'));
  const map = makeMap(target, layers, { center: [2160000, 6830000], maxZoom: 20 });
  const view = map.getView();
  if (districts.getFeatures().length) {
    view.fit(districts.getExtent(), { padding: [16, 16, 16, 16] });
  }
  window.miastoAnalysisMap = map;
  switchLayers(layers);
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

// The checkboxes beside the map (rendered by the server, hidden without JS) show and hide the
// layers of the same name.
function switchLayers(layers) {
  const box = document.getElementById('analysis-layers');
  if (!box) return;
  for (const input of box.querySelectorAll('input[data-layer]')) {
    const mine = layers.filter((layer) => layer.get('name') === input.dataset.layer);
    if (!mine.length) {
      input.closest('label').hidden = true;
      continue;
    }
    input.addEventListener('change', () => mine.forEach((layer) => layer.setVisible(input.checked)));
  }
  box.hidden = false;
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
