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
import { makeStyle, highlightStyle, markerStyle } from './styles.js';
import { createPanel } from './panel.js';
import { createSearch } from './search.js';
import { createTable } from './table.js';
import { createTabs } from './tabs.js';

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

function setStatus(text) {
  const node = document.getElementById('map-status');
  if (node) node.textContent = text;
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
  });
  map.addLayer(highlight);
  map.addLayer(marker);
  map.set('miastoLayers', olLayers);

  // Layer switcher: plain checkboxes, so keyboard and screen readers work as usual.
  for (const box of document.querySelectorAll('#layer-switcher input[name="layer"]')) {
    const olLayer = olLayers[box.value];
    if (!olLayer) continue;
    olLayer.setVisible(box.checked);
    box.addEventListener('change', () => olLayer.setVisible(box.checked));
  }

  // Initial view: the city's bounding box.
  let city = null;
  try {
    city = await getJson(config.api.city);
  } catch (e) {
    setStatus(e.status === 404 ? t.noCity : t.mapError);
  }
  if (city && city.bbox) {
    const extent = transformExtent(city.bbox, 'EPSG:4326', 'EPSG:3857');
    view.fit(extent, { padding: [20, 20, 20, 20] });
    map.set('cityExtent', extent);
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

  const panel = createPanel({
    config,
    t,
    lang,
    onLoaded: showParcelGeometry,
    onClose: () => highlightSource.clear(),
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
        setStatus(t.noParcelHere);
        return;
      }
      const identifier = feature.properties?.identifier ?? feature.id;
      panel.open(identifier, opener);
    } catch (e) {
      setStatus(e.status === 404 ? e.message || t.noParcelHere : t.panelError);
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
      if (layerName === 'parcels' && row.identifier) panel.open(row.identifier, document.getElementById('tab-table'));
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
      if (result.parcel) panel.open(result.parcel, input);
    },
  });

  map.once('rendercomplete', () => {
    document.body.dataset.mapReady = 'true';
    if (city) setStatus(t.mapReady);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
