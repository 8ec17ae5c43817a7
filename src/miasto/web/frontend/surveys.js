// Map surveys (surveys): see scripts/build_frontend.sh. Progressive enhancement: without JS
// a map answer is typed as GeoJSON in its field and the results' tables stand alone.
//
// - the form (.survey-map-question): a map per question where a click marks a place or
//   draws a route or area; the keyboard alternative is the address/parcel search beside it
//   (each result is a button adding a place, or the next point of a route or area). The
//   list of places under the map is the answer in words, with a Remove button (and a
//   rating for rated places); every change is written to the question's GeoJSON field.
// - the results (.survey-heatmap): the density grid the server built, darker where more
//   places were marked; the table of places per district is its equivalent.
import 'ol/ol.css';
import './surveys.css';

import Feature from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import { LineString, Point, Polygon } from 'ol/geom';
import Draw from 'ol/interaction/Draw';
import VectorLayer from 'ol/layer/Vector';
import { transformExtent, fromLonLat } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import { Circle, Fill, Stroke, Style } from 'ol/style';

import { featureReader, makeMap, tileLayer } from './olmap.js';
import { fmt as format, readJson } from './util.js';

const BRAND = '#0b5cad';
const DRAW_TYPES = { points: 'Point', rating: 'Point', lines: 'LineString', areas: 'Polygon' };
const WGS84 = { dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' };

function baseMap(target, config, layers) {
  const context = tileLayer(config.streets, {
    style: new Style({ stroke: new Stroke({ color: 'rgba(95,99,104,0.45)', width: 1 }) }),
    zIndex: 0,
  });
  const map = makeMap(target, [context, ...layers]);
  if (config.bbox) {
    map.getView().fit(transformExtent(config.bbox, 'EPSG:4326', 'EPSG:3857'), { padding: [12, 12, 12, 12] });
  }
  return map;
}

const PLACE_STYLE = new Style({
  image: new Circle({ radius: 7, fill: new Fill({ color: BRAND }), stroke: new Stroke({ color: '#fff', width: 2 }) }),
  stroke: new Stroke({ color: BRAND, width: 3 }),
  fill: new Fill({ color: 'rgba(11,92,173,0.25)' }),
});

// One map question: its features, the list, the field, the search.
class MapQuestion {
  constructor(fieldset, config) {
    this.box = fieldset;
    this.t = config.t;
    this.kind = fieldset.dataset.kind;
    this.max = Number(fieldset.dataset.max) || 5;
    this.scores = [Number(fieldset.dataset.scoreMin), Number(fieldset.dataset.scoreMax)];
    this.field = document.getElementById(fieldset.dataset.field);
    this.list = fieldset.querySelector('.survey-places');
    this.status = fieldset.querySelector('.survey-shape-status');
    this.finish = fieldset.querySelector('.survey-finish');
    this.pending = []; // lon/lat points of a route or area built from search results
    this.source = new VectorSource();
    const layer = new VectorLayer({ source: this.source, style: PLACE_STYLE, zIndex: 2 });
    this.map = baseMap(fieldset.querySelector('.survey-map'), config, [layer]);
    this.readField();
    this.addDraw();
    this.addSearch(config.search);
    fieldset.querySelector('.survey-map-tools').hidden = false;
    this.render();
  }

  readField() {
    const text = this.field.value.trim();
    if (!text) return;
    try {
      const features = new GeoJSON().readFeatures(JSON.parse(text), WGS84);
      this.source.addFeatures(features.slice(0, this.max));
    } catch {
      // a field the person typed by hand and broke: the server says what is wrong
    }
  }

  addDraw() {
    const draw = new Draw({ source: this.source, type: DRAW_TYPES[this.kind] });
    draw.on('drawend', (event) => {
      if (this.source.getFeatures().length >= this.max) {
        setTimeout(() => this.source.removeFeature(event.feature), 0);
        this.say(this.t.tooMany);
        return;
      }
      event.feature.set('label', '');
      setTimeout(() => this.changed(), 0);
    });
    this.map.addInteraction(draw);
  }

  addSearch(url) {
    const input = this.box.querySelector('.survey-find-input');
    const results = this.box.querySelector('.survey-found');
    const run = async () => {
      const q = input.value.trim();
      results.replaceChildren();
      if (q.length < 2) return;
      const answer = await fetch(`${url}?q=${encodeURIComponent(q)}&limit=8`).then((r) => r.json());
      const found = (answer.results || []).filter((r) => Array.isArray(r.point));
      if (!found.length) {
        results.append(Object.assign(document.createElement('li'), { textContent: answer.message || this.t.nothing }));
        return;
      }
      for (const result of found) {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'button button--small';
        const verb = this.kind === 'lines' || this.kind === 'areas' ? this.t.addVertex : this.t.add;
        button.textContent = `${verb}: ${result.label}`;
        button.addEventListener('click', () => this.addFound(result));
        item.append(button);
        results.append(item);
      }
    };
    this.box.querySelector('.survey-find').addEventListener('click', run);
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        run();
      }
    });
    if (this.finish) this.finish.addEventListener('click', () => this.closeShape());
  }

  addFound(result) {
    if (this.source.getFeatures().length >= this.max) {
      this.say(this.t.tooMany);
      return;
    }
    if (this.kind === 'points' || this.kind === 'rating') {
      const feature = new Feature(new Point(fromLonLat(result.point)));
      feature.set('label', result.label);
      this.source.addFeature(feature);
      this.say(format(this.t.added, { label: result.label }));
      this.changed();
      return;
    }
    this.pending.push(result.point);
    this.finish.hidden = this.pending.length < (this.kind === 'lines' ? 2 : 3);
    this.say(format(this.t.vertices, { n: this.pending.length }));
  }

  closeShape() {
    const coords = this.pending.map((p) => fromLonLat(p));
    const geometry = this.kind === 'lines' ? new LineString(coords) : new Polygon([[...coords, coords[0]]]);
    this.source.addFeature(new Feature(geometry));
    this.pending = [];
    this.finish.hidden = true;
    this.say(format(this.t.vertices, { n: 0 }));
    this.changed();
  }

  say(text) {
    if (this.status) this.status.textContent = text;
    else this.list.setAttribute('aria-description', text);
  }

  changed() {
    const features = this.source.getFeatures();
    const data = JSON.parse(new GeoJSON().writeFeatures(features, { ...WGS84, decimals: 7 }));
    for (const feature of data.features) {
      const props = feature.properties || {};
      feature.properties = this.kind === 'rating' ? { score: props.score ?? null } : {};
    }
    this.field.value = features.length ? JSON.stringify(data) : '';
    this.render();
  }

  render() {
    this.list.replaceChildren();
    const features = this.source.getFeatures();
    if (!features.length) {
      this.list.append(Object.assign(document.createElement('li'), { textContent: this.t.none }));
      return;
    }
    const noun = { points: this.t.place, rating: this.t.place, lines: this.t.route, areas: this.t.area }[this.kind];
    features.forEach((feature, index) => this.list.append(this.item(feature, format(noun, { n: index + 1 }))));
  }

  item(feature, name) {
    const li = document.createElement('li');
    const label = feature.get('label');
    li.append(document.createTextNode(label ? `${name}: ${label} ` : `${name} `));
    if (this.kind === 'rating') {
      const select = document.createElement('select');
      select.setAttribute('aria-label', `${this.t.rating}: ${name}`);
      select.append(new Option('—', ''));
      for (let v = this.scores[0]; v <= this.scores[1]; v += 1) select.append(new Option(String(v), String(v)));
      select.value = feature.get('score') != null ? String(feature.get('score')) : '';
      select.addEventListener('change', () => {
        feature.set('score', select.value === '' ? null : Number(select.value));
        this.changed();
      });
      li.append(select, document.createTextNode(' '));
    }
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'button button--small';
    remove.textContent = `${this.t.remove}: ${name}`;
    remove.addEventListener('click', () => {
      this.source.removeFeature(feature);
      this.changed();
      this.say(this.t.removed);
    });
    li.append(remove);
    return li;
  }
}

function heatStyle(max) {
  const cache = {};
  return (feature) => {
    const share = Math.min(1, feature.get('count') / (max || 1));
    const step = Math.ceil(share * 5);
    if (!cache[step]) {
      cache[step] = new Style({
        fill: new Fill({ color: `rgba(200,40,20,${0.15 + 0.15 * step})` }),
        stroke: new Stroke({ color: 'rgba(120,20,10,0.5)', width: 0.5 }),
      });
    }
    return cache[step];
  };
}

function heatMaps(config) {
  const grids = readJson('survey-grids') || {};
  for (const target of document.querySelectorAll('.survey-heatmap')) {
    const grid = grids[target.dataset.question];
    if (!grid) continue;
    const source = new VectorSource({ features: featureReader().features(grid) });
    const layer = new VectorLayer({ source, style: heatStyle(grid.max), zIndex: 2 });
    const map = baseMap(target, config, [layer]);
    if (source.getFeatures().length) map.getView().fit(source.getExtent(), { padding: [24, 24, 24, 24], maxZoom: 16 });
  }
}

function main() {
  const config = readJson('survey-map-config');
  if (!config) return;
  for (const fieldset of document.querySelectorAll('.survey-map-question')) new MapQuestion(fieldset, config);
  heatMaps(config);
}

main();
