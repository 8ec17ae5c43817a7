// The inspection form of advertising carriers (/reklamy/inspekcja/), for inspectors on a phone.
// The page is a complete form without JavaScript; this script adds what a phone needs:
//
// - the position from the device (navigator.geolocation), with the fields for a position typed
//   by hand when it is refused or unavailable;
// - the carriers near that position, or found by their register number, to choose from;
// - a draft that survives a lost connection: every field is kept in localStorage as it is
//   typed and the photo in IndexedDB; a form sent without a connection waits in an outbox
//   (IndexedDB) and is sent when the connection comes back (the `online` event, or the next
//   time the page opens). Each form carries its own identifier (client_id), so the server
//   stores a form sent twice once.
import './inspection.css';

import { readJson, fmt } from './util.js';

const DRAFT_KEY = 'miasto.inspection.draft';
const DB_NAME = 'miasto-inspection';
const OUTBOX = 'outbox';
const PHOTOS = 'photos';
const FIELDS = [
  'carrier', 'new_carrier', 'kind', 'width', 'height', 'sides', 'bottom_edge', 'illuminated',
  'latitude', 'longitude', 'accuracy', 'position_source', 'notes', 'client_id', 'taken_at',
];

const form = document.getElementById('inspection-form');
const t = readJson('inspection-i18n');
const config = readJson('inspection-config');

// --- IndexedDB: the outbox and the draft's photo ----------------------------------------------

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(OUTBOX, { keyPath: 'client_id' });
      request.result.createObjectStore(PHOTOS);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(name, mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    const result = work(tx.objectStore(name));
    tx.oncomplete = () => resolve(result && 'result' in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
  });
}

const outboxAll = () => store(OUTBOX, 'readonly', (s) => s.getAll());
const outboxPut = (item) => store(OUTBOX, 'readwrite', (s) => s.put(item));
const outboxDelete = (id) => store(OUTBOX, 'readwrite', (s) => s.delete(id));
const photoGet = () => store(PHOTOS, 'readonly', (s) => s.get('draft'));
const photoPut = (file) => store(PHOTOS, 'readwrite', (s) => s.put(file, 'draft'));
const photoDelete = () => store(PHOTOS, 'readwrite', (s) => s.delete('draft'));

// --- the draft --------------------------------------------------------------------------------

function field(name) {
  return form.elements.namedItem(name);
}

function readFields() {
  const data = {};
  for (const name of FIELDS) {
    const input = field(name);
    if (!input) continue;
    data[name] = input.type === 'checkbox' ? input.checked : input.value;
  }
  return data;
}

function writeFields(data) {
  for (const name of FIELDS) {
    const input = field(name);
    if (!input || !(name in data)) continue;
    if (input.type === 'checkbox') input.checked = Boolean(data[name]);
    else input.value = data[name];
  }
  showNewCarrier();
}

function newId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  // (crypto.randomUUID needs a secure context; a phone on plain http in the field may not be)
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function saveDraft() {
  localStorage.setItem(DRAFT_KEY, JSON.stringify(readFields()));
  setStatus('draft', t.draft_saved);
}

async function restoreDraft() {
  const text = localStorage.getItem(DRAFT_KEY);
  if (text) {
    try {
      writeFields(JSON.parse(text));
      setStatus('draft', t.draft_restored);
    } catch {
      localStorage.removeItem(DRAFT_KEY);
    }
  }
  if (!field('client_id').value) field('client_id').value = newId();
  if (!field('taken_at').value) field('taken_at').value = new Date().toISOString();
  const photo = await photoGet().catch(() => null);
  showPhotoNote(photo);
}

async function clearDraft() {
  localStorage.removeItem(DRAFT_KEY);
  await photoDelete().catch(() => null);
  form.reset();
  field('client_id').value = newId();
  field('taken_at').value = new Date().toISOString();
  showPhotoNote(null);
  showNewCarrier();
  document.getElementById('inspection-nearby').replaceChildren();
}

function showPhotoNote(photo) {
  const note = document.getElementById('inspection-photo-kept');
  note.hidden = !photo;
  if (photo) note.textContent = fmt(t.photo_kept, { name: photo.name || 'photo' });
}

// --- status and errors ------------------------------------------------------------------------

function setStatus(kind, text) {
  const box = document.getElementById('inspection-status');
  box.dataset.kind = kind;
  box.textContent = text;
}

function showErrors(errors) {
  const list = document.getElementById('inspection-errors');
  list.replaceChildren();
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  const entries = Object.entries(errors || {});
  list.hidden = entries.length === 0;
  for (const [name, messages] of entries) {
    const item = document.createElement('li');
    const input = field(name);
    const label = input && input.labels && input.labels[0] ? `${input.labels[0].textContent.trim()}: ` : '';
    item.textContent = label + messages.join(' ');
    list.append(item);
    if (input && input.setAttribute) input.setAttribute('aria-invalid', 'true');
  }
  if (entries.length) list.focus();
}

async function showOutbox() {
  const items = await outboxAll().catch(() => []);
  const note = document.getElementById('inspection-outbox');
  note.hidden = items.length === 0;
  note.textContent = fmt(t.outbox, { count: items.length });
}

// --- position and carriers --------------------------------------------------------------------

function locate() {
  if (!navigator.geolocation) {
    setStatus('error', t.no_geolocation);
    return;
  }
  setStatus('info', t.locating);
  navigator.geolocation.getCurrentPosition(
    (position) => {
      field('latitude').value = position.coords.latitude.toFixed(6);
      field('longitude').value = position.coords.longitude.toFixed(6);
      field('accuracy').value = Math.round(position.coords.accuracy);
      field('position_source').value = 'gps';
      saveDraft();
      setStatus('info', fmt(t.located, { accuracy: Math.round(position.coords.accuracy) }));
      findCarriers({ lat: position.coords.latitude, lon: position.coords.longitude });
    },
    () => {
      field('position_source').value = 'manual';
      setStatus('error', t.position_refused);
      field('latitude').focus();
    },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 },
  );
}

async function findCarriers(params) {
  const list = document.getElementById('inspection-nearby');
  if (!navigator.onLine) {
    list.replaceChildren(Object.assign(document.createElement('p'), { textContent: t.offline_search }));
    return;
  }
  const url = `${config.carriers}?${new URLSearchParams(params)}`;
  try {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.message || response.statusText);
    renderCarriers(body.carriers);
  } catch (error) {
    list.replaceChildren(Object.assign(document.createElement('p'), { textContent: `${t.search_failed} ${error.message}` }));
  }
}

function renderCarriers(carriers) {
  const list = document.getElementById('inspection-nearby');
  if (!carriers.length) {
    list.replaceChildren(Object.assign(document.createElement('p'), { textContent: t.none_found }));
    return;
  }
  const fieldset = document.createElement('fieldset');
  const legend = document.createElement('legend');
  legend.textContent = t.choose;
  fieldset.append(legend);
  for (const carrier of carriers) {
    const label = document.createElement('label');
    label.className = 'inspection-choice';
    const radio = Object.assign(document.createElement('input'), {
      type: 'radio', name: 'carrier_choice', value: carrier.reference,
    });
    radio.checked = field('carrier').value === carrier.reference;
    radio.addEventListener('change', () => {
      field('carrier').value = carrier.reference;
      field('new_carrier').checked = false;
      showNewCarrier();
      saveDraft();
    });
    const distance = carrier.distance_m === null ? '' : ` · ${fmt(t.distance, { m: carrier.distance_m })}`;
    label.append(radio, ` ${carrier.reference} — ${carrier.kind}${distance}`);
    fieldset.append(label);
  }
  list.replaceChildren(fieldset);
}

function showNewCarrier() {
  const box = document.getElementById('inspection-new-carrier');
  if (box) box.hidden = !field('new_carrier').checked;
}

// --- sending ----------------------------------------------------------------------------------

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : field('csrfmiddlewaretoken').value;
}

async function send(item) {
  const body = new FormData();
  for (const [name, value] of Object.entries(item.fields)) {
    if (typeof value === 'boolean') {
      if (value) body.append(name, 'on');
    } else body.append(name, value);
  }
  if (item.photo) body.append('photo', item.photo, item.photo.name || 'photo.jpg');
  const response = await fetch(form.action, {
    method: 'POST',
    body,
    headers: { Accept: 'application/json', 'X-CSRFToken': csrfToken() },
    credentials: 'same-origin',
  });
  let answer = {};
  try {
    answer = await response.json();
  } catch {
    answer = { message: response.statusText };
  }
  return { status: response.status, answer };
}

async function currentItem() {
  const input = field('photo');
  const photo = input.files && input.files[0] ? input.files[0] : await photoGet().catch(() => null);
  return { client_id: field('client_id').value, fields: readFields(), photo: photo || null };
}

async function submit(event) {
  event.preventDefault();
  const item = await currentItem();
  if (!navigator.onLine) {
    await queue(item);
    return;
  }
  let result;
  try {
    result = await send(item);
  } catch {
    await queue(item);
    return;
  }
  await answered(item, result, true);
}

async function queue(item) {
  await outboxPut(item);
  await clearDraft();
  setStatus('queued', t.queued);
  await showOutbox();
}

async function answered(item, { status, answer }, fromForm) {
  if (status === 200 || status === 201) {
    await outboxDelete(item.client_id).catch(() => null);
    if (fromForm) await clearDraft();
    showErrors({});
    setStatus('sent', answer.message);
  } else if (status === 400) {
    // refused by the server: back into the form with the reasons, never lost
    await outboxDelete(item.client_id).catch(() => null);
    writeFields(item.fields);
    if (item.photo) await photoPut(item.photo).catch(() => null);
    saveDraft();
    showPhotoNote(item.photo);
    showErrors(answer.errors || { __all__: [answer.message] });
    setStatus('error', answer.message);
  } else {
    // signed out, a server error: keep it for later
    await outboxPut(item);
    setStatus('error', fmt(t.not_sent, { message: answer.message || status }));
  }
  await showOutbox();
}

async function flushOutbox() {
  if (!navigator.onLine) return;
  const items = await outboxAll().catch(() => []);
  for (const item of items) {
    let result;
    try {
      result = await send(item);
    } catch {
      return; // the connection went again: the rest waits for the next `online`
    }
    await answered(item, result, false);
  }
}

// --- wiring -----------------------------------------------------------------------------------

function start() {
  if (!form) return;
  form.addEventListener('input', (event) => {
    if (event.target.name !== 'photo') saveDraft();
  });
  form.addEventListener('change', async (event) => {
    if (event.target.name === 'new_carrier') showNewCarrier();
    if (event.target.name === 'photo' && event.target.files[0]) {
      await photoPut(event.target.files[0]).catch(() => null);
      showPhotoNote(event.target.files[0]);
    }
    if (['latitude', 'longitude'].includes(event.target.name)) field('position_source').value = 'manual';
    saveDraft();
  });
  form.addEventListener('submit', submit);
  document.getElementById('inspection-locate').hidden = false;
  document.getElementById('inspection-locate').addEventListener('click', locate);
  document.getElementById('inspection-search').addEventListener('click', () => {
    const text = document.getElementById('inspection-query').value.trim();
    if (text) findCarriers({ q: text });
  });
  document.getElementById('inspection-discard').hidden = false;
  document.getElementById('inspection-discard').addEventListener('click', async () => {
    await clearDraft();
    setStatus('info', t.discarded);
  });
  window.addEventListener('online', () => {
    setStatus('info', t.online);
    flushOutbox();
  });
  window.addEventListener('offline', () => setStatus('queued', t.offline));
  restoreDraft().then(showOutbox).then(flushOutbox);
}

start();
