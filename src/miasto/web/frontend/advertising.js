// The advertising map (/reklamy/): the zones of the landscape resolution in force and the
// registered carriers (green: compliant, red: against the rules) from the city's vector tiles.
// The table under the map lists the same carriers: the map is its picture, not its only form.
import 'ol/ol.css';
import './advertising.css';

import { Circle, Fill, Stroke, Style, Text } from 'ol/style';

import { makeMap, tileLayer } from './olmap.js';
import { readJson } from './util.js';

const config = readJson('ad-map-config');
const t = readJson('ad-i18n');
const target = document.getElementById('ad-map');
const status = document.getElementById('ad-map-status');

const zoneStyle = (feature) => new Style({
  stroke: new Stroke({ color: '#5e3c99', width: 2 }),
  fill: new Fill({ color: 'rgba(94,60,153,0.06)' }),
  text: new Text({ text: String(feature.get('code') || ''), font: 'bold 14px sans-serif',
    fill: new Fill({ color: '#3f2873' }), stroke: new Stroke({ color: '#fff', width: 3 }) }),
});

const carrierStyles = {
  true: new Style({ image: new Circle({ radius: 4, fill: new Fill({ color: '#1a9641' }),
    stroke: new Stroke({ color: '#fff', width: 1 }) }) }),
  false: new Style({ image: new Circle({ radius: 5, fill: new Fill({ color: '#d7191c' }),
    stroke: new Stroke({ color: '#fff', width: 1 }) }) }),
};

function start() {
  if (!target || !config.tiles) return;
  try {
    const map = makeMap(target, [
      tileLayer(config.tiles.zones, { style: zoneStyle, zIndex: 1 }),
      tileLayer(config.tiles.carriers, {
        style: (f) => carrierStyles[String(f.get('compliant') !== false)],
        minzoom: 12,
        zIndex: 2,
      }),
    ]);
    if (config.extent) map.getView().fit(config.extent, { padding: [16, 16, 16, 16], maxZoom: 15 });
    map.on('pointermove', (event) => {
      const feature = map.getFeaturesAtPixel(event.pixel).find((f) => f.get('reference'));
      target.title = feature
        ? `${feature.get('reference')}: ${feature.get('compliant') === false ? t.not_compliant : t.compliant}`
        : '';
    });
  } catch (error) {
    if (status) status.textContent = t.error;
    throw error;
  }
}

start();
