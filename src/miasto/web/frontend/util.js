// Small helpers shared by the map page modules.

export function readJson(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : {};
}

// "%(name)s" placeholders, as in Django's gettext strings.
export function fmt(text, params) {
  return String(text).replace(/%\((\w+)\)s/g, (_, key) => (key in params ? String(params[key]) : ''));
}

export async function getJson(url, options = {}) {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, ...options });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const error = new Error((body && body.message) || response.statusText);
    error.status = response.status;
    error.body = body;
    throw error;
  }
  return body;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'className') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function numberFormat(value, lang, digits = 0) {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  return new Intl.NumberFormat(lang, { maximumFractionDigits: digits, useGrouping: true }).format(n);
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// A count with its plural form: `forms` maps CLDR plural categories (one, few, many, other)
// to the gettext forms the server wrote (miasto.core.plurals), "%(n)s" the formatted count.
export function plural(forms, n, lang) {
  if (typeof forms === 'string') return fmt(forms, { n: numberFormat(n, lang) });
  const category = new Intl.PluralRules(lang).select(Number(n));
  return fmt(forms[category] ?? forms.other ?? '', { n: numberFormat(n, lang) });
}

// Soil classes that may follow an EGiB land-use class ("RIIIa"), as territory/codes.py.
const SOIL_CLASSES = ['I', 'II', 'IIIa', 'IIIb', 'III', 'IVa', 'IVb', 'IV', 'V', 'VI', 'VIz'];

function compoundPart(list, part, t) {
  if (part in list) return list[part];
  const known = Object.keys(list).filter((k) => part.startsWith(k)).sort((a, b) => b.length - a.length);
  for (const k of known) {
    const rest = part.slice(k.length).replace(/^-/, '');
    if (SOIL_CLASSES.includes(rest)) return fmt(t.soilClass || '%(use)s, %(soil)s', { use: list[k], soil: rest });
    const inner = rest ? compoundPart(list, rest, t) : rest;
    if (rest && inner !== rest) return `${list[k]} — ${inner}`;
  }
  return part;
}

// A code in words from its list (`codes` of the page config, from territory/codes.py); a
// compound value ("B,R", "RIIIa": land use) is named part by part. The code when unknown.
export function codeLabel(list, value, { compound = false, t = {} } = {}) {
  if (value === null || value === undefined || value === '') return '';
  const text = String(value);
  if (!list) return text;
  if (text in list) return list[text];
  if (!compound) return text;
  return text.split(/[,;]/).map((p) => p.trim()).filter(Boolean).map((p) => compoundPart(list, p, t)).join('; ');
}

// The label of a coded value, keeping the code at hand on hover (its title; the label is what
// everyone, screen readers too, reads: the code adds nothing a person needs).
export function codedNode(label, code, t = {}) {
  const text = String(code ?? '');
  if (!label || label === text) return document.createTextNode(label || text);
  return el('span', { className: 'coded', title: fmt(t.codeTitle || '%(code)s', { code: text }), text: label });
}
