// Miasto map page: OpenLayers map of the spine from vector tiles, layer switcher, search
// combobox, parcel panel and the table equivalent of the map.
import 'ol/ol.css';
import './map.css';

import Map from 'ol/Map';
import View from 'ol/View';
import VectorTileLayer from 'ol/layer/VectorTile';
import VectorTileSource from 'ol/source/VectorTile';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import MVT from 'ol/format/MVT';
import GeoJSON from 'ol/format/GeoJSON';
import Feature from 'ol/Feature';
import Point from 'ol/geom/Point';
import { createXYZ } from 'ol/tilegrid';
import { fromLonLat, toLonLat, transformExtent, get as getProjection } from 'ol/proj';
import { defaults as defaultControls, ScaleLine } from 'ol/control';

import { readJson, getJson } from './util.js';
import { makeStyle, highlightStyle, markerStyle, LABEL_LAYERS } from './styles.js';
import { createPanel } from './panel.js';
import { createSearch } from './search.js';
import { createTable } from './table.js';
import { createTabs } from './tabs.js';
import { createUrlState, parseState } from './urlstate.js';

const config = readJson('map-config');
const t = readJson('map-i18n');
const lang = document.documentElement.lang || 'pl';

function tileUrl(layer, apiLayer) {
  if (apiLayer && apiLayer.tiles) return apiLayer.tiles;
  return config.api.tiles.replace('{name}', layer.name);
}

function buildLayer(layer, apiLayer) {
  const minzoom = Math.max(apiLayer?.minzoom ?? layer.minzoom ?? 0, 0);
  const maxzoom = Math.min(apiLayer?.maxzoom ?? 22, 22);
  const source = new VectorTileSource({
    format: new MVT(),
    url: tileUrl(layer, apiLayer),
    tileGrid: createXYZ({
      extent: getProjection('EPSG:3857').getExtent(),
      tileSize: 512,
      minZoom: minzoom,
      maxZoom: maxzoom,
    }),
  });
  const olLayer = new VectorTileLayer({
    source,
    style: makeStyle(layer),
    declutter: false,
    renderMode: 'hybrid',
    visible: layer.visible,
    minZoom: minzoom > 0 ? minzoom - 0.0001 : undefined,
    properties: { name: layer.name, title: layer.title, minzoom },
  });
  return olLayer;
}

// The names of a layer, from a tile layer of their own (`labels` in the layer's config:
// district names at points, street names along whole streets): shown with their layer, above
// everything else, decluttered together so that no two names overlap.
function buildLabelLayer(layer) {
  const spec = LABEL_LAYERS[layer.labels];
  if (!spec) return null;
  const source = new VectorTileSource({
    format: new MVT(),
    url: config.api.tiles.replace('{name}', layer.labels),
    tileGrid: createXYZ({
      extent: getProjection('EPSG:3857').getExtent(),
      tileSize: 512,
      minZoom: spec.tileMinZoom,
      maxZoom: spec.tileMaxZoom,
    }),
  });
  return new VectorTileLayer({
    source,
    style: spec.style,
    declutter: true,
    renderMode: 'hybrid',
    visible: layer.visible,
    minZoom: spec.minZoom,
    maxZoom: spec.maxZoom,
    zIndex: spec.zIndex,
    properties: { name: layer.labels },
  });
}

// Messages about the map. Every one is announced by the visually hidden live region
// (#map-status); those a sighted user needs to see ("no parcel here", errors) are also shown
// in #map-notice, which is hidden from screen readers so that nothing is read twice.
function setStatus(text, { visible = false } = {}) {
  const node = document.getElementById('map-status');
  if (node) node.textContent = text;
  const notice = document.getElementById('map-notice');
  if (notice) notice.textContent = visible ? text : '';
}

// Layer switcher: plain checkboxes, so keyboard and screen readers work as usual.
function createLayerSwitcher(olLayers, onChange) {
  const boxes = [...document.querySelectorAll('#layer-switcher input[name="layer"]')]
    .filter((box) => olLayers[box.value]);
  for (const box of boxes) {
    olLayers[box.value].setVisible(box.checked);
    box.addEventListener('change', () => {
      olLayers[box.value].setVisible(box.checked);
      onChange();
    });
  }
  return {
    show(names) {
      for (const box of boxes) {
        box.checked = names.includes(box.value);
        olLayers[box.value].setVisible(box.checked);
      }
    },
    shown: () => boxes.filter((box) => box.checked).map((box) => box.value),
  };
}

async function init() {
  const target = document.getElementById('map');
  if (!target) return;

  const highlightSource = new VectorSource();
  const highlight = new VectorLayer({ source: highlightSource, style: highlightStyle, zIndex: 100 });
  const markerSource = new VectorSource();
  const marker = new VectorLayer({ source: markerSource, style: markerStyle, zIndex: 101 });

  const view = new View({ center: fromLonLat([19.4, 52.1]), zoom: 6, maxZoom: 21, constrainResolution: false });
  const map = new Map({
    target,
    layers: [],
    view,
    controls: defaultControls({ attribution: false }).extend([new ScaleLine()]),
    keyboardEventTarget: target,
  });
  // For browser tests and curious developers: the map and a lon/lat → pixel helper.
  window.miastoMap = map;
  window.miastoPixelOf = (lon, lat) => map.getPixelFromCoordinate(fromLonLat([lon, lat]));

  // Layers: tile URLs and zoom ranges from the API; symbology from the server-side style.
  let apiLayers = {};
  try {
    const list = await getJson(config.api.layers);
    for (const item of list) apiLayers[item.name] = item;
  } catch {
    apiLayers = {};
  }
  const olLayers = {};
  config.layers.forEach((layer, index) => {
    const olLayer = buildLayer(layer, apiLayers[layer.name]);
    olLayer.setZIndex(index);
    olLayers[layer.name] = olLayer;
    map.addLayer(olLayer);
    const labels = layer.labels ? buildLabelLayer(layer) : null;
    if (labels) {
      olLayer.on('change:visible', () => labels.setVisible(olLayer.getVisible()));
      map.addLayer(labels);
    }
  });
  map.addLayer(highlight);
  map.addLayer(marker);
  map.set('miastoLayers', olLayers);

  let urlState = null;
  const switcher = createLayerSwitcher(olLayers, () => urlState && urlState.write());
  const known = config.layers.map((layer) => layer.name);
  const defaults = config.layers.filter((layer) => layer.visible).map((layer) => layer.name);
  const initial = parseState(window.location.hash, { known, parcelPattern: config.parcelPattern });
  if (initial.layers) switcher.show(initial.layers);

  // Initial view: the city's bounding box.
  let city = null;
  try {
    city = await getJson(config.api.city);
  } catch (e) {
    setStatus(e.status === 404 ? t.noCity : t.mapError, { visible: true });
  }
  if (city && city.bbox) {
    const extent = transformExtent(city.bbox, 'EPSG:4326', 'EPSG:3857');
    if (!initial.view) view.fit(extent, { padding: [20, 20, 20, 20] });
    map.set('cityExtent', extent);
  }
  if (initial.view) {
    view.setCenter(fromLonLat([initial.view.lon, initial.view.lat]));
    view.setZoom(initial.view.zoom);
  }

  const geojson = new GeoJSON();
  function showParcelGeometry(detail) {
    highlightSource.clear();
    if (!detail || !detail.geometry) return;
    const geometry = geojson.readGeometry(detail.geometry, {
      dataProjection: 'EPSG:4326',
      featureProjection: 'EPSG:3857',
    });
    highlightSource.addFeature(new Feature({ geometry, identifier: detail.identifier }));
  }

  // The parcel whose panel is open (or opening), as the URL names it.
  let openParcel = null;
  let fitToParcel = !initial.view && Boolean(initial.parcel);
  const panel = createPanel({
    config,
    t,
    lang,
    onLoaded(detail) {
      showParcelGeometry(detail);
      if (fitToParcel && detail.bbox) {
        view.fit(transformExtent(detail.bbox, 'EPSG:4326', 'EPSG:3857'), { padding: [60, 60, 60, 60], maxZoom: 19 });
      }
      fitToParcel = false;
    },
    onClose: () => {
      highlightSource.clear();
      openParcel = null;
      if (urlState) urlState.write({ push: true });
    },
  });

  function openPanel(identifier, opener) {
    openParcel = identifier;
    panel.open(identifier, opener);
    if (urlState) urlState.write({ push: true });
  }

  urlState = createUrlState({
    known,
    defaults,
    parcelPattern: config.parcelPattern,
    read() {
      const [lon, lat] = toLonLat(view.getCenter() || [0, 0]);
      return { view: { zoom: view.getZoom() || 0, lat, lon }, parcel: openParcel, layers: switcher.shown() };
    },
    apply(state) {
      switcher.show(state.layers || defaults);
      if (state.view) {
        view.setCenter(fromLonLat([state.view.lon, state.view.lat]));
        view.setZoom(state.view.zoom);
      }
      if (state.parcel && state.parcel !== openParcel) openPanel(state.parcel, target);
      else if (!state.parcel && openParcel) panel.close();
    },
  });

  function flyTo({ point, bbox }, { zoom = 18 } = {}) {
    if (bbox) {
      const extent = transformExtent(bbox, 'EPSG:4326', 'EPSG:3857');
      view.fit(extent, { padding: [60, 60, 60, 60], maxZoom: 19, duration: 500 });
    } else if (point) {
      view.animate({ center: fromLonLat(point), zoom: Math.max(view.getZoom() || 0, zoom), duration: 500 });
    }
  }

  function mark(point) {
    markerSource.clear();
    if (point) markerSource.addFeature(new Feature(new Point(fromLonLat(point))));
  }

  async function openParcelAt(coordinate, opener) {
    const [lon, lat] = toLonLat(coordinate);
    const url = `${config.api.parcels}?lon=${lon.toFixed(7)}&lat=${lat.toFixed(7)}`;
    try {
      const collection = await getJson(url);
      const feature = (collection.features || [])[0];
      if (!feature) {
        setStatus(t.noParcelHere, { visible: true });
        return;
      }
      const identifier = feature.properties?.identifier ?? feature.id;
      setStatus('');
      openPanel(identifier, opener);
    } catch (e) {
      setStatus(e.status === 404 ? e.message || t.noParcelHere : t.panelError, { visible: true });
    }
  }

  map.on('singleclick', (event) => {
    markerSource.clear();
    openParcelAt(event.coordinate, target);
  });
  target.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && event.target === target) {
      event.preventDefault();
      openParcelAt(view.getCenter(), target);
    }
  });
  map.on('pointermove', (event) => {
    if (event.dragging) return;
    target.style.cursor = olLayers.parcels && olLayers.parcels.isVisible(view) ? 'pointer' : '';
  });

  const tabs = createTabs({
    onShow(name) {
      if (name === 'map') map.updateSize();
      else panel.close({ restoreFocus: false });
    },
    onHide(name) {
      if (name === 'map') map.set('lastExtent', view.calculateExtent(map.getSize()));
    },
  });

  function currentBbox() {
    const size = map.getSize();
    const extent = size && size[0] > 0 ? view.calculateExtent(size) : map.get('lastExtent') || map.get('cityExtent');
    return extent ? transformExtent(extent, 'EPSG:3857', 'EPSG:4326') : null;
  }

  createTable({
    config,
    t,
    lang,
    currentBbox,
    tabs,
    onShow(row, layerName) {
      tabs.select('map');
      map.updateSize();
      flyTo({ point: row.point, bbox: layerName === 'streets' || layerName === 'districts' ? row.bbox : null });
      mark(row.point);
      if (layerName === 'parcels' && row.identifier) openPanel(row.identifier, document.getElementById('tab-table'));
      else target.focus();
    },
  });

  createSearch({
    config,
    t,
    onSelect(result, input) {
      tabs.select('map');
      map.updateSize();
      flyTo(result);
      mark(result.type === 'street' ? null : result.point);
      if (result.parcel) openPanel(result.parcel, input);
    },
  });

  // Panning and zooming replace the current history entry; a parcel opened from the URL
  // opens now (it replaces the entry too: reloading must not add one).
  map.on('moveend', () => urlState.write());
  if (initial.parcel) {
    openParcel = initial.parcel;
    panel.open(initial.parcel, target);
  }

  map.once('rendercomplete', () => {
    document.body.dataset.mapReady = 'true';
    if (city) setStatus(t.mapReady);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
