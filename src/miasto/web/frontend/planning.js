// Planning pages (planning): see scripts/build_frontend.sh. Progressive enhancement only: the
// pages are complete without JS (the tables are the maps' equivalents).
//
// - plan register (#plans-map): the plans' boundaries coloured by type, outline by status;
// - plan page (#plan-map): the zones coloured by land use (colours from the server's
//   symbology), building lines, OUZ/OZS/OSD areas and the plan boundary. Pointing at or
//   clicking a zone highlights its table row; "Show on map" in a row highlights the zone.
//   The map takes the keyboard (arrows pan, +/- zoom) when focused.
import 'ol/ol.css';
import './datahub.css';
import './planning.css';

import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { Fill, Stroke, Style } from 'ol/style';

import { featureReader, makeMap, rgba, tileLayer } from './olmap.js';
import { readJson, fmt } from './util.js';

const GREY = '#5f6368';
const HIGHLIGHT = '#d62828';

// Streets and water from the city's own vector tiles (URL from the page's config), faint, for
// orientation.
function contextLayer(url) {
  return tileLayer(url, {
    style: new Style({ stroke: new Stroke({ color: 'rgba(95,99,104,0.35)', width: 1 }) }),
    zIndex: 0,
  });
}

function fitTo(map, extent) {
  if (!extent || !Number.isFinite(extent[0])) return;
  map.getView().fit(extent, { padding: [24, 24, 24, 24], maxZoom: 18 });
}

function markRow(table, id, on) {
  if (!table) return null;
  const row = table.querySelector(`tr[data-${table.dataset.key}="${id}"]`);
  if (row) row.classList.toggle('is-highlighted', on);
  return row;
}

// Hover and click on a vector layer: highlight the feature and its table row.
function linkToTable(map, layer, table, onSelect) {
  let hovered = null;
  let selected = null;
  const refresh = () => layer.changed();
  const idOf = (feature) => (feature ? feature.getId() : null);
  layer.set('isActive', (feature) => feature === hovered || feature === selected);
  map.on('pointermove', (event) => {
    if (event.dragging) return;
    const feature = map.forEachFeatureAtPixel(event.pixel, (f, l) => (l === layer ? f : null));
    if (feature === hovered) return;
    if (hovered && hovered !== selected) markRow(table, idOf(hovered), false);
    hovered = feature || null;
    if (hovered) markRow(table, idOf(hovered), true);
    map.getTargetElement().style.cursor = hovered ? 'pointer' : '';
    refresh();
  });
  const select = (feature, fromTable) => {
    if (selected) markRow(table, idOf(selected), false);
    selected = feature || null;
    refresh();
    if (!selected) return;
    const row = markRow(table, idOf(selected), true);
    onSelect(selected, row, fromTable);
  };
  map.on('singleclick', (event) => {
    const feature = map.forEachFeatureAtPixel(event.pixel, (f, l) => (l === layer ? f : null));
    select(feature, false);
  });
  return select;
}

// ---------------------------------------------------------------- plan register

function initOverview() {
  const target = document.getElementById('plans-map');
  if (!target) return;
  const data = readJson('plans-map-data');
  const config = readJson('plans-map-style');
  const t = readJson('plans-i18n');
  const status = document.getElementById('plans-map-status');
  const table = document.getElementById('plans-table');
  if (table) table.dataset.key = 'plan-id';
  try {
    const source = new VectorSource({
      features: featureReader().features(data),
    });
    const layer = new VectorLayer({ source, zIndex: 1 });
    const styleCache = {};
    layer.setStyle((feature) => {
      const kind = feature.get('kind');
      const group = config.groups[feature.get('status')] || 'in_force';
      const active = layer.get('isActive') && layer.get('isActive')(feature);
      const key = `${kind}|${group}|${active}`;
      if (!styleCache[key]) {
        const colour = group === 'ended' ? GREY : config.kinds[kind] || GREY;
        const dash = group === 'draft' ? [10, 6] : group === 'adopted' ? [2, 5] : undefined;
        styleCache[key] = new Style({
          fill: group === 'ended' ? undefined : new Fill({ color: rgba(colour, kind === 'pog' ? 0.08 : 0.28) }),
          stroke: new Stroke({ color: active ? HIGHLIGHT : colour, width: active ? 4 : 2, lineDash: dash }),
          zIndex: active ? 10 : kind === 'pog' ? 0 : 1,
        });
      }
      return styleCache[key];
    });
    const map = makeMap(target, [contextLayer(config.streets), layer]);
    fitTo(map, source.getExtent());
    linkToTable(map, layer, table, (feature, row) => {
      if (status) status.textContent = fmt(t.selected, { local_id: feature.get('local_id'), title: feature.get('title') });
      if (row) {
        row.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
        const link = row.querySelector('a');
        if (link) link.focus({ preventScroll: true });
      }
    });
    window.miastoPlansMap = map;
    map.once('rendercomplete', () => {
      document.body.dataset.mapReady = 'true';
    });
  } catch (e) {
    if (status) status.textContent = t.error;
    throw e;
  }
}

// ---------------------------------------------------------------- plan page

function initPlan() {
  const target = document.getElementById('plan-map');
  if (!target) return;
  const data = readJson('plan-map-data');
  const config = readJson('plan-map-style');
  const t = readJson('plan-i18n');
  const status = document.getElementById('plan-map-status');
  const table = document.getElementById('zones-table');
  if (table) table.dataset.key = 'zone-id';
  const reader = featureReader();
  const read = reader.features;
  try {
    const zones = new VectorSource({ features: read(data.zones) });
    const zoneLayer = new VectorLayer({ source: zones, zIndex: 2 });
    const cache = {};
    zoneLayer.setStyle((feature) => {
      const symbol = feature.get('symbol');
      const active = zoneLayer.get('isActive') && zoneLayer.get('isActive')(feature);
      const key = `${symbol}|${active}`;
      if (!cache[key]) {
        const colour = config.colours[symbol] || '#999999';
        cache[key] = new Style({
          fill: new Fill({ color: rgba(colour, active ? 0.85 : 0.6) }),
          stroke: new Stroke({ color: active ? HIGHLIGHT : '#ffffff', width: active ? 3.5 : 1 }),
          zIndex: active ? 10 : 0,
        });
      }
      return cache[key];
    });
    const layers = [contextLayer(config.streets), zoneLayer];
    if (data.specials && data.specials.features.length) {
      layers.push(new VectorLayer({
        source: new VectorSource({ features: read(data.specials) }),
        style: new Style({ stroke: new Stroke({ color: '#4a1486', width: 2, lineDash: [6, 4] }) }),
        zIndex: 3,
      }));
    }
    if (data.lines && data.lines.features.length) {
      layers.push(new VectorLayer({
        source: new VectorSource({ features: read(data.lines) }),
        style: new Style({ stroke: new Stroke({ color: '#1d1f21', width: 2, lineDash: [12, 4, 2, 4] }) }),
        zIndex: 4,
      }));
    }
    let extent = zones.getExtent();
    if (data.boundary) {
      const boundary = new VectorSource({
        features: [reader.feature({ type: 'Feature', geometry: data.boundary })],
      });
      layers.push(new VectorLayer({
        source: boundary,
        style: new Style({ stroke: new Stroke({ color: '#1d1f21', width: 2.5 }) }),
        zIndex: 5,
      }));
      extent = boundary.getExtent();
    }
    const map = makeMap(target, layers);
    fitTo(map, extent);
    const select = linkToTable(map, zoneLayer, table, (feature, row, fromTable) => {
      const text = fromTable ? t.shown : t.selected;
      if (status) status.textContent = fmt(text, { designation: feature.get('designation'), symbol: feature.get('symbol') });
      if (!fromTable && row) row.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      if (fromTable) {
        map.getView().fit(feature.getGeometry().getExtent(), { padding: [40, 40, 40, 40], maxZoom: 18, duration: 250 });
      }
    });
    // "Show on map" buttons in the zone table (keyboard users reach every zone this way).
    if (table) {
      for (const button of table.querySelectorAll('button[data-zone-id]')) {
        button.hidden = false;
        button.addEventListener('click', () => {
          const feature = zones.getFeatureById(Number(button.dataset.zoneId)) || zones.getFeatureById(button.dataset.zoneId);
          if (!feature) return;
          select(feature, true);
          target.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
        });
      }
    }
    window.miastoPlanMap = map;
    map.once('rendercomplete', () => {
      document.body.dataset.mapReady = 'true';
    });
  } catch (e) {
    if (status) status.textContent = t.error;
    throw e;
  }
}

function init() {
  initOverview();
  initPlan();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
