// Data hub pages: the dataset's map preview, the job progress poller and the confirmation
// of "make current". Everything works without JS too (the job page refreshes itself).
import 'ol/ol.css';
import './datahub.css';

import Map from 'ol/Map';
import View from 'ol/View';
import VectorTileLayer from 'ol/layer/VectorTile';
import VectorTileSource from 'ol/source/VectorTile';
import MVT from 'ol/format/MVT';
import { createXYZ } from 'ol/tilegrid';
import { getArea } from 'ol/extent';
import { fromLonLat, transformExtent, get as getProjection } from 'ol/proj';
import { defaults as defaultControls, ScaleLine } from 'ol/control';
import { Fill, Stroke, Style, Circle as CircleStyle } from 'ol/style';

import { readJson, getJson, fmt, plural } from './util.js';

const BLUE = '#0b5394';

function previewStyle(kind) {
  if (kind === 'point') {
    return new Style({
      image: new CircleStyle({
        radius: 5,
        fill: new Fill({ color: BLUE }),
        stroke: new Stroke({ color: '#ffffff', width: 1.5 }),
      }),
    });
  }
  if (kind === 'line') return new Style({ stroke: new Stroke({ color: BLUE, width: 2 }) });
  return new Style({
    fill: new Fill({ color: 'rgba(11,83,148,0.18)' }),
    stroke: new Stroke({ color: BLUE, width: 1.2 }),
  });
}

// The preview opens on the area the server chose (a sample of a large dataset, sized to keep
// the tiles small) and never below the layer's minimum zoom, where its tiles are empty.
function initPreview() {
  const target = document.getElementById('preview-map');
  if (!target) return;
  const config = readJson('preview-config');
  const t = readJson('preview-i18n');
  const lang = document.documentElement.lang || 'pl';
  const status = document.getElementById('preview-status');
  const minZoom = config.minzoom || 0;
  let failed = false;
  const source = new VectorTileSource({
    format: new MVT(),
    url: config.tiles,
    // (512-pixel tiles: without the grid's minimum a view at the layer's minimum zoom would ask
    // for the level below it, whose tiles are empty)
    tileGrid: createXYZ({ extent: getProjection('EPSG:3857').getExtent(), tileSize: 512, minZoom, maxZoom: config.maxzoom || 22 }),
  });
  source.on('tileloaderror', () => {
    failed = true;
    if (status) status.textContent = t.error;
  });
  const layer = new VectorTileLayer({ source, style: previewStyle(config.geometry), renderMode: 'hybrid' });
  const view = new View({ center: fromLonLat([19.4, 52.1]), zoom: Math.max(6, minZoom), minZoom, maxZoom: 21 });
  const map = new Map({
    target,
    view,
    layers: [layer],
    controls: defaultControls({ attribution: false, rotate: false }).extend([new ScaleLine()]),
    keyboardEventTarget: target,
  });
  if (config.bbox) {
    const extent = transformExtent(config.bbox, 'EPSG:4326', 'EPSG:3857');
    view.fit(extent, { padding: [24, 24, 24, 24], maxZoom: 18 });
    // A sample is sized by its area: a wide map shows as much area as the sample, not more.
    const shown = getArea(view.calculateExtent(map.getSize()));
    if (config.sampled && shown > getArea(extent)) {
      view.setZoom(Math.min(18, view.getZoom() + Math.log2(shown / getArea(extent)) / 2));
    }
    if (view.getZoom() < minZoom) view.setZoom(minZoom);
  }
  window.miastoPreview = map;

  function describe() {
    if (failed || !status) return;
    const size = map.getSize();
    if (!size) return;
    const zoom = view.getZoom();
    if (zoom < minZoom) {
      status.textContent = fmt(t.zoomIn, { zoom: minZoom });
      return;
    }
    const n = layer.getFeaturesInExtent(view.calculateExtent(size)).length;
    target.dataset.features = String(n);
    if (n === 0) status.textContent = t.empty;
    else status.textContent = plural(config.sampled ? t.sampled : t.ready, n, lang);
  }

  map.once('rendercomplete', () => {
    describe();
    document.body.dataset.previewReady = 'true';
    map.on('moveend', () => map.once('rendercomplete', describe));
  });
}

function initJob() {
  const box = document.getElementById('job');
  if (!box) return;
  const t = readJson('job-i18n');
  const bar = document.getElementById('job-progress');
  const status = document.getElementById('job-status');
  const finished = ['done', 'failed', 'cancelled'];
  let state = box.dataset.status;
  if (finished.includes(state)) return;
  let failures = 0;

  async function finish() {
    // The final result is rendered by the server (plain Polish, links): take it from the page.
    try {
      const response = await fetch(window.location.href, { headers: { Accept: 'text/html' } });
      const html = await response.text();
      const doc = new DOMParser().parseFromString(html, 'text/html');
      const result = doc.getElementById('job-result');
      const text = doc.getElementById('job-status');
      if (result) document.getElementById('job-result').replaceChildren(...result.childNodes);
      if (text) status.textContent = text.textContent.trim();
      const hint = document.getElementById('job-hint');
      if (hint) hint.remove();
    } catch {
      window.location.reload();
    }
  }

  async function poll() {
    try {
      const job = await getJson(box.dataset.url);
      failures = 0;
      bar.value = job.progress;
      bar.textContent = `${job.progress}%`;
      if (finished.includes(job.status)) {
        state = job.status;
        bar.value = job.status === 'done' ? 100 : job.progress;
        await finish();
        return;
      }
      const text = job.status === 'queued' ? t.queued : fmt(t.running.replace('%%', '%'), { progress: job.progress });
      const full = job.message && job.status === 'running' ? `${text} — ${job.message}` : text;
      if (status.textContent.trim() !== full) status.textContent = full;
    } catch {
      failures += 1;
      if (failures === 3) status.textContent = t.error;
    }
    window.setTimeout(poll, 1000);
  }
  window.setTimeout(poll, 1000);
}

function initConfirm() {
  for (const form of document.querySelectorAll('form[data-confirm]')) {
    const box = form.querySelector('input[name="confirm"]');
    if (!box) continue;
    // With JS a dialog asks instead of the checkbox.
    box.required = false;
    box.hidden = true;
    const label = form.querySelector(`label[for="${box.id}"]`);
    if (label) label.hidden = true;
    form.addEventListener('submit', (event) => {
      if (window.confirm(form.dataset.confirm)) box.checked = true;
      else event.preventDefault();
    });
  }
}

function init() {
  initPreview();
  initJob();
  initConfirm();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
