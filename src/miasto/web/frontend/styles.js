// OpenLayers styles built from the server's symbology (miasto.web.mapstyle via json_script).
import { Fill, Stroke, Style, Circle as CircleStyle } from 'ol/style';

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

