// Problem report pages (problems): see scripts/build_frontend.sh. Progressive enhancement only:
// every page works without JS (the table lists what the map shows; the form takes an address).
//
// - the list and a report's page (#problems-map): reports from the vector tiles, coloured by
//   status; a click on a point opens its report; a report's page marks its own point; below
//   zoom 15 the tiles hold clusters (`count`) drawn with their number, a click zooms in;
// - the form (#problems-map.problems-map--pick): a click marks the place and fills the
//   latitude and longitude fields (which may also be typed);
// - the officer's page: an answer template fills the answer.
import 'ol/ol.css';
import './problems.css';

import Feature from 'ol/Feature';
import Point from 'ol/geom/Point';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { fromLonLat, toLonLat } from 'ol/proj';
import { Circle, Fill, Stroke, Style, Text } from 'ol/style';

import { makeMap, tileLayer } from './olmap.js';
import { readJson } from './util.js';

const COLOURS = { open: '#1d4ed8', acknowledged: '#1d4ed8', in_progress: '#b45309', resolved: '#15803d' };
const styles = {};

function dot(colour, radius = 5) {
  return new Style({
    image: new Circle({ radius, fill: new Fill({ color: colour }), stroke: new Stroke({ color: '#fff', width: 1.5 }) }),
  });
}

const clusterStyles = {};

// A cluster of several reports (the tiles' `count` below zoom 15): a dark disc with the number.
const compact = new Intl.NumberFormat('pl-PL', { notation: 'compact' });

function clusterStyle(count) {
  if (!clusterStyles[count]) {
    clusterStyles[count] = new Style({
      image: new Circle({
        radius: Math.min(10 + 4 * Math.log10(count), 22),
        fill: new Fill({ color: '#334155' }),
        stroke: new Stroke({ color: '#fff', width: 2 }),
      }),
      text: new Text({
        text: count < 10000 ? String(count) : compact.format(count),
        font: 'bold 10px sans-serif',
        fill: new Fill({ color: '#fff' }),
      }),
    });
  }
  return clusterStyles[count];
}

function reportStyle(feature) {
  const count = feature.get('count') || 1;
  if (count > 1) return clusterStyle(count);
  const colour = COLOURS[feature.get('status')] || '#5f6368';
  if (!styles[colour]) styles[colour] = dot(colour);
  return styles[colour];
}

function baseLayers(config) {
  return [
    tileLayer(config.streets, { style: new Style({ stroke: new Stroke({ color: 'rgba(95,99,104,0.4)', width: 1 }) }), zIndex: 0 }),
    tileLayer(config.tiles, { style: reportStyle, minzoom: 10, zIndex: 1 }),
  ];
}

function centre(config, point) {
  if (point) return fromLonLat([point.lon, point.lat]);
  if (config.centre) return fromLonLat(config.centre);
  return undefined;
}

function openOnClick(map) {
  map.on('click', (event) => {
    const hit = map.forEachFeatureAtPixel(event.pixel, (f) => f, { hitTolerance: 4 });
    if (hit && hit.get('count') > 1) {
      const view = map.getView();
      view.animate({ center: event.coordinate, zoom: view.getZoom() + 2, duration: 250 });
      return;
    }
    if (hit && hit.get('id')) window.location.href = `/zgloszenia/${hit.get('id')}/`;
  });
}

function marker(coordinate) {
  const feature = new Feature(new Point(coordinate));
  const layer = new VectorLayer({ source: new VectorSource({ features: [feature] }), style: dot('#d62828', 8), zIndex: 2 });
  return { feature, layer };
}

function initPicker(map, target) {
  const lat = document.getElementById('id_lat');
  const lon = document.getElementById('id_lon');
  const status = document.getElementById('pick-status');
  const mark = marker([0, 0]);
  mark.layer.setVisible(false);
  map.addLayer(mark.layer);
  const show = () => {
    if (!lat.value || !lon.value) return;
    mark.feature.getGeometry().setCoordinates(fromLonLat([Number(lon.value), Number(lat.value)]));
    mark.layer.setVisible(true);
  };
  show();
  map.on('click', (event) => {
    const [x, y] = toLonLat(event.coordinate);
    lon.value = x.toFixed(6);
    lat.value = y.toFixed(6);
    show();
    if (status) status.textContent = target.dataset.picked || `${lat.value}, ${lon.value}`;
  });
  lat.addEventListener('change', show);
  lon.addEventListener('change', show);
}

function initMap() {
  const target = document.getElementById('problems-map');
  if (!target) return;
  const config = readJson('problems-map-config') || {};
  const pointEl = document.getElementById('problems-point');
  const point = pointEl ? JSON.parse(pointEl.textContent) : null;
  const map = makeMap(target, baseLayers(config), { center: centre(config, point), zoom: point ? 17 : 13 });
  if (point) map.addLayer(marker(fromLonLat([point.lon, point.lat])).layer);
  if (target.classList.contains('problems-map--pick')) initPicker(map, target);
  else openOnClick(map);
  window.miastoProblemsMap = map;
}

function initTemplates() {
  document.querySelectorAll('select[data-fills]').forEach((select) => {
    const field = document.getElementById(select.dataset.fills);
    select.addEventListener('change', () => { if (field) field.value = select.value; });
  });
}

initMap();
initTemplates();
