// OpenLayers styles built from the server's symbology (miasto.web.mapstyle via json_script).
import { Fill, Stroke, Style, Text, Circle as CircleStyle } from 'ol/style';

function hexToRgba(hex, alpha) {
  const h = hex.replace('#', '');
  const r = parseInt(h.slice(0, 2), 16);
  const g = parseInt(h.slice(2, 4), 16);
  const b = parseInt(h.slice(4, 6), 16);
  return `rgba(${r},${g},${b},${alpha})`;
}

// A repeating canvas pattern of thin lines: constraints stay readable over buildings.
function hatchPattern(colour, direction) {
  const size = 10;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = hexToRgba(colour, 0.12);
  ctx.fillRect(0, 0, size, size);
  ctx.strokeStyle = hexToRgba(colour, 0.75);
  ctx.lineWidth = 1.4;
  ctx.beginPath();
  const fwd = () => {
    ctx.moveTo(0, size);
    ctx.lineTo(size, 0);
    ctx.moveTo(-size / 2, size / 2);
    ctx.lineTo(size / 2, -size / 2);
    ctx.moveTo(size / 2, size * 1.5);
    ctx.lineTo(size * 1.5, size / 2);
  };
  const back = () => {
    ctx.moveTo(0, 0);
    ctx.lineTo(size, size);
    ctx.moveTo(-size / 2, size / 2);
    ctx.lineTo(size / 2, size * 1.5);
    ctx.moveTo(size / 2, -size / 2);
    ctx.lineTo(size * 1.5, size / 2);
  };
  if (direction === '/') fwd();
  else if (direction === '\\') back();
  else if (direction === '-') {
    ctx.moveTo(0, size / 2);
    ctx.lineTo(size, size / 2);
  } else if (direction === '|') {
    ctx.moveTo(size / 2, 0);
    ctx.lineTo(size / 2, size);
  } else {
    fwd();
    back();
  }
  ctx.stroke();
  return ctx.createPattern(canvas, 'repeat');
}

function byValue(layer) {
  const map = new Map();
  for (const cls of layer.classes || []) map.set(cls.value, cls);
  return map;
}

const FALLBACK = '#888888';

// Names on the map: dark text with a white halo (contrast well above 4.5:1 on any fill),
// from layers of their own (LABEL_LAYERS) that are decluttered, so names never overlap.
const LABEL_INK = '#1d1f21';
const LABEL_HALO = 'rgba(255,255,255,0.95)';
const FONT = 'system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

// From which resolution (metres per pixel of the view, Web Mercator) a street class is named:
// main roads from about zoom 13, collectors from 14, local and access roads from 15.5,
// footways from 17 (a name is drawn only where it fits along its segment).
const STREET_LABEL_RESOLUTION = { GP: 20, G: 20, Z: 10, L: 3.5, D: 3.5, P: 1.3 };

const streetLabel = new Style({
  text: new Text({
    font: `600 12px ${FONT}`,
    placement: 'line',
    overflow: false, // only where the name fits along the segment
    fill: new Fill({ color: LABEL_INK }),
    stroke: new Stroke({ color: LABEL_HALO, width: 4 }),
  }),
});

// The street's name along it, or null where the scale is too small for its class.
export function streetLabelStyle(feature, resolution) {
  const name = feature.get('label') || feature.get('name');
  const limit = STREET_LABEL_RESOLUTION[feature.get('road_class')] ?? 2.5;
  if (!name || resolution > limit) return null;
  streetLabel.getText().setText(name);
  return streetLabel;
}

const districtLabel = new Style({
  text: new Text({
    font: `700 14px ${FONT}`,
    overflow: true,
    fill: new Fill({ color: '#2b2a28' }),
    stroke: new Stroke({ color: LABEL_HALO, width: 4 }),
    padding: [2, 4, 2, 4],
  }),
});

// A district's name at its label point (the `district-labels` tiles).
export function districtLabelStyle(feature) {
  const name = feature.get('name');
  if (!name) return null;
  districtLabel.getText().setText(name);
  return districtLabel;
}

// The layers of names (`labels` of a layer in the page's config): their style and zooms.
// Tiles from `tileMinZoom` to `tileMaxZoom` (overzoomed beyond), shown from `minZoom` up to
// (not including) `maxZoom`. All of them declutter together, district names first.
export const LABEL_LAYERS = {
  'district-labels': { style: districtLabelStyle, tileMinZoom: 9, tileMaxZoom: 16, minZoom: 10, maxZoom: 17, zIndex: 61 },
  'street-labels': { style: streetLabelStyle, tileMinZoom: 12, tileMaxZoom: 16, minZoom: 12.5, maxZoom: 23, zIndex: 60 },
};

export function makeStyle(layer) {
  const classes = byValue(layer);
  const prop = layer.property;
  const cache = new Map();
  const cached = (key, build) => {
    if (!cache.has(key)) cache.set(key, build());
    return cache.get(key);
  };
  switch (layer.name) {
    case 'districts':
      return (feature) => {
        const value = feature.get(prop);
        return cached(value, () => {
          const colour = (classes.get(value) || {}).colour || '#ebe8e2';
          return new Style({
            fill: new Fill({ color: hexToRgba(colour, 0.55) }),
            stroke: new Stroke({ color: '#5a554d', width: 1.5, lineDash: [6, 4] }),
          });
        });
      };
    case 'water':
      return cached('water', () => new Style({
        fill: new Fill({ color: ((layer.classes || [])[0] || {}).colour || '#8fc1e8' }),
        stroke: new Stroke({ color: '#4a8fc7', width: 1 }),
      }));
    case 'parcels':
      return cached('parcel', () => new Style({
        fill: new Fill({ color: 'rgba(255,255,255,0.01)' }),
        stroke: new Stroke({ color: '#8a857c', width: 0.7 }),
      }));
    case 'buildings':
      return (feature) => {
        const value = feature.get(prop);
        return cached(value, () => new Style({
          fill: new Fill({ color: (classes.get(value) || {}).colour || FALLBACK }),
          stroke: new Stroke({ color: 'rgba(40,40,40,0.55)', width: 0.6 }),
        }));
      };
    case 'constraints':
      return (feature) => {
        const value = feature.get(prop);
        return cached(value, () => {
          const cls = classes.get(value) || { colour: FALLBACK, hatch: '/' };
          return new Style({
            fill: new Fill({ color: hatchPattern(cls.colour, cls.hatch) }),
            stroke: new Stroke({ color: hexToRgba(cls.colour, 0.9), width: 1.5 }),
          });
        });
      };
    case 'streets':
      return (feature, resolution) => {
        const value = feature.get(prop);
        const cls = classes.get(value) || { colour: FALLBACK, width: 1 };
        // Thinner at small scales so the city stays legible when zoomed out.
        const scale = resolution > 20 ? 0.5 : resolution > 5 ? 0.8 : 1;
        return cached(`${value}:${scale}`, () => new Style({
          stroke: new Stroke({
            color: cls.colour,
            width: cls.width * scale,
            lineDash: value === 'P' ? [4, 3] : undefined,
            lineCap: 'round',
            lineJoin: 'round',
          }),
        }));
      };
    case 'services':
      return (feature, resolution) => {
        const value = feature.get(prop);
        const radius = resolution > 10 ? 4 : 6;
        return cached(`${value}:${radius}`, () => new Style({
          image: new CircleStyle({
            radius,
            fill: new Fill({ color: (classes.get(value) || {}).colour || FALLBACK }),
            stroke: new Stroke({ color: '#ffffff', width: 1.5 }),
          }),
        }));
      };
    default:
      return new Style({
        fill: new Fill({ color: 'rgba(120,120,120,0.2)' }),
        stroke: new Stroke({ color: '#555', width: 1 }),
        image: new CircleStyle({ radius: 5, fill: new Fill({ color: '#555' }) }),
      });
  }
}

export const highlightStyle = [
  new Style({ stroke: new Stroke({ color: '#ffffff', width: 7 }) }),
  new Style({
    stroke: new Stroke({ color: '#d0021b', width: 3.5 }),
    fill: new Fill({ color: 'rgba(208,2,27,0.10)' }),
  }),
];

export const markerStyle = new Style({
  image: new CircleStyle({
    radius: 9,
    fill: new Fill({ color: 'rgba(208,2,27,0.25)' }),
    stroke: new Stroke({ color: '#d0021b', width: 3 }),
  }),
});

