// Residents' proposals (proposals): see scripts/build_frontend.sh. Progressive enhancement only:
// the list's table is the map's equivalent, and the form takes an address or a parcel typed
// instead of a drawn place.
//
// - list and proposal page (#proposals-map): the proposals coloured by category; a click on
//   one highlights its table row (list) — the table has the same proposals;
// - form (#draw-map): buttons to draw a point, a line or an area (one at a time), written as
//   GeoJSON (WGS 84) into the hidden field `geometry`; "Clear" removes it.
import 'ol/ol.css';
import './proposals.css';

import Feature from 'ol/Feature';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import Draw from 'ol/interaction/Draw';
import GeoJSON from 'ol/format/GeoJSON';
import { Circle as CircleStyle, Fill, Stroke, Style } from 'ol/style';

import { featureReader, makeMap, rgba, tileLayer } from './olmap.js';
import { readJson } from './util.js';

const GREY = '#455a64';
const HIGHLIGHT = '#d62828';

function contextLayer(url) {
  return tileLayer(url, {
    style: new Style({ stroke: new Stroke({ color: 'rgba(95,99,104,0.35)', width: 1 }) }),
    zIndex: 0,
  });
}

function styleFor(colour, active) {
  const stroke = new Stroke({ color: active ? HIGHLIGHT : colour, width: active ? 4 : 2 });
  return new Style({
    fill: new Fill({ color: rgba(colour, 0.3) }),
    stroke,
    image: new CircleStyle({ radius: active ? 8 : 6, fill: new Fill({ color: colour }), stroke: new Stroke({ color: '#fff', width: 2 }) }),
  });
}

function fit(map, extent, fallback) {
  const target = extent && Number.isFinite(extent[0]) ? extent : fallback;
  if (target) map.getView().fit(target, { padding: [24, 24, 24, 24], maxZoom: 17 });
}

function initProposalsMap() {
  const target = document.getElementById('proposals-map');
  if (!target) return;
  const data = readJson('proposals-map-data');
  const config = readJson('proposals-map-style');
  const table = document.getElementById('proposals-table');
  const source = new VectorSource({ features: featureReader().features(data) });
  let selected = null;
  const layer = new VectorLayer({
    source,
    zIndex: 1,
    style: (feature) => styleFor(config.colours[feature.get('category')] || GREY, feature === selected),
  });
  const map = makeMap(target, [contextLayer(config.streets), layer]);
  fit(map, source.getExtent(), config.city);
  map.on('singleclick', (event) => {
    const feature = map.forEachFeatureAtPixel(event.pixel, (f, l) => (l === layer ? f : null));
    if (table) table.querySelectorAll('tr.is-highlighted').forEach((r) => r.classList.remove('is-highlighted'));
    selected = feature || null;
    layer.changed();
    if (!selected || !table) return;
    const row = table.querySelector(`tr[data-proposal-id="${selected.getId()}"]`);
    if (row) {
      row.classList.add('is-highlighted');
      row.scrollIntoView({ block: 'nearest' });
      const link = row.querySelector('a');
      if (link) link.focus({ preventScroll: true });
    }
  });
  map.once('rendercomplete', () => {
    document.body.dataset.mapReady = 'true';
  });
}

function toolButton(label, onClick) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button button--small';
  button.textContent = label;
  button.setAttribute('aria-pressed', 'false');
  button.addEventListener('click', onClick);
  return button;
}

function initDrawMap() {
  const target = document.getElementById('draw-map');
  if (!target) return;
  const config = readJson('draw-map-style');
  const t = readJson('draw-i18n');
  const field = document.querySelector('input[name="geometry"]');
  const tools = document.getElementById('draw-tools');
  const status = document.getElementById('draw-status');
  const source = new VectorSource();
  const layer = new VectorLayer({ source, zIndex: 2, style: styleFor(HIGHLIGHT, false) });
  const map = makeMap(target, [contextLayer(config.streets), layer]);
  fit(map, null, config.city);
  const format = new GeoJSON();
  const options = { dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' };
  if (field && field.value) {
    try {
      source.addFeature(new Feature(format.readGeometry(JSON.parse(field.value), options)));
    } catch {
      field.value = '';
    }
  }
  let draw = null;
  const buttons = [];
  const stop = () => {
    if (draw) map.removeInteraction(draw);
    draw = null;
    buttons.forEach((b) => b.setAttribute('aria-pressed', 'false'));
  };
  const start = (type, button) => {
    stop();
    draw = new Draw({ source, type });
    draw.on('drawstart', () => source.clear());
    draw.on('drawend', (event) => {
      field.value = format.writeGeometry(event.feature.getGeometry(), options);
      if (status) status.textContent = t.drawn;
      target.dataset.drawn = 'true';
    });
    map.addInteraction(draw);
    button.setAttribute('aria-pressed', 'true');
  };
  for (const [type, label] of [['Point', t.point], ['LineString', t.line], ['Polygon', t.polygon]]) {
    const button = toolButton(label, () => start(type, button));
    buttons.push(button);
    tools.appendChild(button);
  }
  tools.appendChild(
    toolButton(t.clear, () => {
      stop();
      source.clear();
      field.value = '';
      target.dataset.drawn = '';
      if (status) status.textContent = t.cleared;
    }),
  );
  tools.hidden = false;
  window.miastoDrawMap = map;
  map.once('rendercomplete', () => {
    document.body.dataset.mapReady = 'true';
  });
}

initProposalsMap();
initDrawMap();
