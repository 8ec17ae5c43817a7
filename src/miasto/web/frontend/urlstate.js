// The map's state in the address bar, so that Back, reload and a shared link bring it back.
//
//   /map/#map=<zoom>/<lat>/<lon>&parcel=<identifier>&layers=<name>,<name>…
//
// `map` is the view (zoom 0–21, latitude and longitude in degrees, WGS 84); `parcel` the
// parcel whose panel is open (an EGiB identifier, its slashes kept); `layers` the layers shown,
// written only when they differ from the defaults (`layers=` shows none). Panning and zooming
// replace the current history entry; opening or closing a parcel adds one, so Back closes the
// panel. Whatever is read from the URL is checked: a part that does not parse is ignored and
// its default used, never an error.

const MAX_HASH = 2000;
const NUMBER = /^-?\d{1,3}(?:\.\d{1,12})?$/;

function parseView(value) {
  const parts = value.split('/');
  if (parts.length !== 3 || !parts.every((part) => NUMBER.test(part))) return null;
  const [zoom, lat, lon] = parts.map(Number);
  if (!(zoom >= 0 && zoom <= 21 && lat >= -85 && lat <= 85 && lon >= -180 && lon <= 180)) return null;
  return { zoom, lat, lon };
}

function parseLayers(value, known) {
  if (value === '') return [];
  const names = value.split(',').filter((name) => known.includes(name));
  return names.length ? [...new Set(names)] : null;
}

// { view: {zoom, lat, lon} | null, parcel: string | null, layers: string[] | null }
export function parseState(hash, { known = [], parcelPattern = null } = {}) {
  const state = { view: null, parcel: null, layers: null };
  const text = String(hash || '').replace(/^#/, '');
  if (!text || text.length > MAX_HASH) return state;
  const parcelRe = parcelPattern ? new RegExp(parcelPattern) : null;
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const key = part.slice(0, eq);
    let value;
    try {
      value = decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      continue;
    }
    if (key === 'map') state.view = parseView(value);
    else if (key === 'parcel' && parcelRe && parcelRe.test(value)) state.parcel = value;
    else if (key === 'layers') state.layers = parseLayers(value, known);
  }
  return state;
}

function sameSet(a, b) {
  return a.length === b.length && a.every((name) => b.includes(name));
}

export function formatState({ view, parcel, layers }, defaults = []) {
  const parts = [];
  if (view) {
    const zoom = Number(view.zoom.toFixed(2));
    parts.push(`map=${zoom}/${view.lat.toFixed(6)}/${view.lon.toFixed(6)}`);
  }
  if (parcel) parts.push(`parcel=${encodeURIComponent(parcel).replace(/%2F/gi, '/')}`);
  if (layers && !sameSet(layers, defaults)) parts.push(`layers=${layers.join(',')}`);
  return parts.length ? `#${parts.join('&')}` : '';
}

// Keeps the URL and the map in step. `read()` gives the map's state now, `apply(state)` shows
// a state read from the URL (Back/Forward, an edited address).
export function createUrlState({ known, defaults, parcelPattern, read, apply }) {
  let applying = false;

  function parse() {
    return parseState(window.location.hash, { known, parcelPattern });
  }

  function write({ push = false } = {}) {
    if (applying) return;
    const hash = formatState(read(), defaults);
    if (hash === window.location.hash || (!hash && !window.location.hash)) return;
    const url = `${window.location.pathname}${window.location.search}${hash}`;
    if (push) window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  }

  function restore() {
    applying = true;
    try {
      apply(parse());
    } finally {
      applying = false;
    }
  }

  // Back/Forward fire popstate; an address edited by hand fires hashchange (and, in some
  // browsers, popstate too): applying the same state twice changes nothing.
  window.addEventListener('popstate', restore);
  window.addEventListener('hashchange', restore);

  return { parse, write, restore, isApplying: () => applying };
}
