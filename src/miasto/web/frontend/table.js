// The table equivalent of the map: features of one layer in the current map view, paged,
// each with a "show on map" button.
import { codeLabel, codedNode, el, fmt, getJson, numberFormat } from './util.js';

const NUMERIC = new Set(['area', 'storeys', 'height', 'dwellings', 'residents', 'capacity', 'year_built', 'id']);
const HIDDEN = new Set(['point', 'bbox', 'geometry']);

export function createTable({ config, t, lang, currentBbox, tabs, onShow }) {
  const select = document.getElementById('table-layer');
  const table = document.getElementById('feature-table');
  const caption = document.getElementById('table-caption');
  const summary = document.getElementById('table-summary');
  const prev = document.getElementById('table-prev');
  const next = document.getElementById('table-next');
  const pageSize = config.pageSize || 50;
  const layers = Object.fromEntries(config.layers.map((layer) => [layer.name, layer]));
  const codes = config.codes || {};
  let offset = 0;
  let controller = null;

  // A coded value in words (the layer's code list, else the legend's classes); the value.
  function labelFor(layerName, key, value) {
    const list = (codes[layerName] || {})[key];
    if (list) return codeLabel(list, value, { compound: key === 'land_use', t });
    const layer = layers[layerName];
    if (layer && layer.property === key) {
      const cls = (layer.classes || []).find((c) => c.value === value);
      if (cls) return cls.label;
    }
    return value;
  }

  function columnsOf(features) {
    const keys = [];
    for (const feature of features) {
      for (const key of Object.keys(feature)) {
        if (!HIDDEN.has(key) && !key.endsWith('_label') && !keys.includes(key)) keys.push(key);
      }
    }
    return keys;
  }

  // A cell: numbers formatted, codes in words with the code on hover.
  function cell(layerName, key, feature) {
    const raw = feature[key];
    const value = feature[`${key}_label`] ?? labelFor(layerName, key, raw);
    if (value === null || value === undefined || value === '') return '—';
    if (NUMERIC.has(key) && key !== 'year_built' && key !== 'id') return numberFormat(value, lang, key === 'area' || key === 'height' ? 1 : 0);
    return codedNode(String(value), raw, t);
  }

  function nameOf(feature) {
    return feature.label || feature.name || feature.identifier || feature.code || String(feature.id ?? '');
  }

  async function load() {
    const layerName = select.value;
    const bbox = currentBbox();
    if (controller) controller.abort();
    controller = new AbortController();
    caption.textContent = fmt(t.tableCaption, { layer: layers[layerName]?.title || layerName });
    summary.textContent = t.loading;
    table.setAttribute('aria-busy', 'true');
    const params = new URLSearchParams({ limit: String(pageSize), offset: String(offset) });
    if (bbox) params.set('bbox', bbox.map((v) => v.toFixed(6)).join(','));
    try {
      const url = `${config.api.features.replace('{name}', layerName)}?${params}`;
      const data = await getJson(url, { signal: controller.signal });
      const features = data.features || [];
      const count = data.count ?? features.length;
      const columns = columnsOf(features);
      table.tHead.replaceChildren(
        el('tr', {}, columns.map((key) => el('th', { scope: 'col', className: NUMERIC.has(key) ? 'num' : null, title: t.columns[key] ? key : null, text: t.columns[key] || key })),
          el('th', { scope: 'col', text: t.actions })),
      );
      table.tBodies[0].replaceChildren(
        ...features.map((feature) => el('tr', {},
          columns.map((key, i) => el(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, className: NUMERIC.has(key) ? 'num' : null }, cell(layerName, key, feature))),
          el('td', {}, el('button', {
            type: 'button',
            className: 'button button--small',
            disabled: !feature.point,
            onclick: () => onShow(feature, layerName),
          },
          // The visible text starts the accessible name (WCAG 2.5.3); the row's name follows.
          t.showOnMap,
          el('span', { className: 'visually-hidden', text: `: ${nameOf(feature)}` }))),
        )),
      );
      summary.textContent = features.length
        ? fmt(t.tableSummary, { from: offset + 1, to: offset + features.length, count })
        : t.tableEmpty;
      prev.disabled = offset <= 0;
      next.disabled = offset + features.length >= count;
    } catch (e) {
      if (e.name === 'AbortError') return;
      table.tHead.replaceChildren();
      table.tBodies[0].replaceChildren();
      summary.textContent = e.message || t.tableError;
      prev.disabled = true;
      next.disabled = true;
    } finally {
      table.removeAttribute('aria-busy');
    }
  }

  select.addEventListener('change', () => {
    offset = 0;
    load();
  });
  prev.addEventListener('click', () => {
    offset = Math.max(0, offset - pageSize);
    load();
  });
  next.addEventListener('click', () => {
    offset += pageSize;
    load();
  });
  tabs.onChange((name) => {
    if (name === 'table') {
      offset = 0;
      load();
    }
  });
  return { load };
}
