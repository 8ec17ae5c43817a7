// Area alerts (/konto/powiadomienia/): see scripts/build_frontend.sh. Progressive enhancement
// only — without JS the form works with an address and a radius, a district, or a pasted
// outline, and the table lists the areas.
//
// - the overview map (#alerts-overview) shows the city's outline and the areas one follows;
// - the drawing map (#alerts-map) draws one polygon into the form's outline field (GeoJSON in
//   WGS 84); the map takes the keyboard when focused (arrows pan, +/- zoom);
// - the fieldsets of the area kinds not chosen are hidden;
// - the address field suggests addresses from the spine's search (/api/v1/search).
import 'ol/ol.css';
import './alerts.css';

import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import Draw from 'ol/interaction/Draw';
import GeoJSON from 'ol/format/GeoJSON';
import { Fill, Stroke, Style } from 'ol/style';

import { makeMap } from './olmap.js';
import { readJson, getJson } from './util.js';

const PROJ = { dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' };
const format = new GeoJSON();

const cityStyle = new Style({ stroke: new Stroke({ color: '#5f6368', width: 2, lineDash: [6, 4] }) });
const areaStyle = new Style({
  fill: new Fill({ color: 'rgba(31,120,180,0.15)' }),
  stroke: new Stroke({ color: '#1f78b4', width: 2 }),
});
const drawnStyle = new Style({
  fill: new Fill({ color: 'rgba(214,40,40,0.15)' }),
  stroke: new Stroke({ color: '#d62828', width: 2 }),
});

function vector(features, style) {
  return new VectorLayer({ source: new VectorSource({ features }), style });
}

function readGeometry(geometry) {
  return geometry ? format.readFeature({ type: 'Feature', geometry, properties: {} }, PROJ) : null;
}

function baseLayers(data, { skipCurrent = false } = {}) {
  const city = readGeometry(data.city);
  const areas = (data.areas || [])
    .filter((a) => !(skipCurrent && a.current))
    .map((a) => readGeometry(a.geometry));
  const cityLayer = vector(city ? [city] : [], cityStyle);
  return { city, cityLayer, areasLayer: vector(areas, areaStyle) };
}

function fit(map, layer, fallback) {
  const extent = layer.getSource().getExtent();
  const target = Number.isFinite(extent[0]) ? extent : fallback;
  if (target && Number.isFinite(target[0])) {
    map.getView().fit(target, { padding: [16, 16, 16, 16], maxZoom: 17 });
  }
}

function overview(data) {
  const target = document.getElementById('alerts-overview');
  if (!target || !(data.areas || []).length) return;
  target.hidden = false;
  const { cityLayer, areasLayer } = baseLayers(data);
  const map = makeMap(target, [cityLayer, areasLayer]);
  fit(map, areasLayer, cityLayer.getSource().getExtent());
}

function drawing(data, outline) {
  const box = document.querySelector('.alerts-draw');
  const target = document.getElementById('alerts-map');
  if (!box || !target || !outline) return null;
  box.hidden = false;
  const status = document.getElementById('alerts-draw-status');
  const { cityLayer, areasLayer } = baseLayers(data, { skipCurrent: true });
  const drawn = new VectorSource();
  const map = makeMap(target, [cityLayer, areasLayer, new VectorLayer({ source: drawn, style: drawnStyle })]);
  if (outline.value.trim()) {
    try {
      drawn.addFeature(format.readFeature(JSON.parse(outline.value), PROJ));
    } catch {
      // a pasted outline that does not parse: the server says what is wrong with it
    }
  }
  fit(map, drawn.getFeatures().length ? new VectorLayer({ source: drawn }) : cityLayer, null);
  const draw = new Draw({ source: drawn, type: 'Polygon' });
  draw.on('drawstart', () => drawn.clear());
  draw.on('drawend', (event) => {
    outline.value = JSON.stringify(format.writeGeometryObject(event.feature.getGeometry(), PROJ));
    const radio = document.querySelector('input[name="kind"][value="area"]');
    if (radio) radio.checked = true;
    status.textContent = target.dataset.drawn || '';
  });
  map.addInteraction(draw);
  document.getElementById('alerts-draw-clear').addEventListener('click', () => {
    drawn.clear();
    draw.abortDrawing();
    outline.value = '';
    status.textContent = target.dataset.cleared || '';
  });
  return map;
}

function kindSwitch(onShow) {
  const radios = [...document.querySelectorAll('input[name="kind"]')];
  const parts = [...document.querySelectorAll('.alerts-part')];
  const show = () => {
    const chosen = radios.find((r) => r.checked);
    parts.forEach((part) => {
      part.hidden = Boolean(chosen) && part.dataset.kind !== chosen.value;
    });
    if (chosen) onShow(chosen.value);
  };
  radios.forEach((r) => r.addEventListener('change', show));
  show();
}

function addressSuggestions() {
  const input = document.getElementById('id_address');
  const list = document.getElementById('alerts-address-list');
  if (!input || !list) return;
  let timer = null;
  let asked = '';
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (q.length < 2 || q === asked) return;
      asked = q;
      try {
        const body = await getJson(`/api/v1/search?limit=8&q=${encodeURIComponent(q)}`);
        list.replaceChildren(
          ...body.results
            .filter((r) => r.type === 'address')
            .map((r) => Object.assign(document.createElement('option'), { value: r.label })),
        );
      } catch {
        list.replaceChildren();
      }
    }, 250);
  });
}

function main() {
  const data = readJson('alerts-map-data');
  overview(data);
  const map = drawing(data, document.getElementById('id_outline'));
  kindSwitch((kind) => {
    if (kind === 'area' && map) map.updateSize();
  });
  addressSuggestions();
}

main();
