// The parcel panel: a labelled region that receives focus when opened and gives it back
// to whatever opened it when closed (Escape or the close button).
import { codeLabel, codedNode, el, getJson, numberFormat } from './util.js';

export function createPanel({ config, t, lang, onLoaded, onClose }) {
  const panel = document.getElementById('parcel-panel');
  const title = document.getElementById('parcel-panel-title');
  const body = document.getElementById('parcel-panel-body');
  const closeButton = document.getElementById('parcel-panel-close');
  const reportUrl = config.pages && config.pages.planningReport;
  const parcelUrl = config.pages && config.pages.parcelPage;
  let opener = null;
  let controller = null;

  // EGiB land use in words ("B" → "tereny mieszkaniowe"), the code on hover
  const codes = config.codes || {};
  const landUse = (value) => codedNode(codeLabel((codes.parcels || {}).land_use, value, { compound: true, t }), value, t);

  function row(label, value) {
    return [el('dt', { text: label }), el('dd', {}, value)];
  }

  function list(items, render) {
    if (!items || items.length === 0) return el('p', { className: 'muted', text: t.none });
    return el('ul', { className: 'panel-list' }, items.map((item) => el('li', {}, render(item))));
  }

  function render(d) {
    const precinct = d.precinct ? `${d.precinct.identifier}${d.precinct.name ? ` (${d.precinct.name})` : ''}` : '—';
    const district = d.district ? `${d.district.name}${d.district.code ? ` (${d.district.code})` : ''}` : '—';
    body.replaceChildren(
      el('dl', { className: 'facts' },
        row(t.area, `${numberFormat(d.area, lang, 1)} ${t.areaUnit}`),
        d.land_use ? row(t.landUse, landUse(d.land_use)) : null,
        row(t.precinct, precinct),
        row(t.district, district),
      ),
      el('h3', { text: t.addresses }),
      list(d.addresses, (a) => `${a.label}${a.postcode ? `, ${a.postcode}` : ''}`),
      el('h3', { text: t.buildings }),
      list(d.buildings, (b) => {
        const bits = [];
        if (b.storeys !== null && b.storeys !== undefined) bits.push(`${t.storeys}: ${b.storeys}`);
        if (b.height) bits.push(`${t.height} ${numberFormat(b.height, lang, 1)} m`);
        if (b.dwellings) bits.push(`${t.dwellings}: ${numberFormat(b.dwellings, lang)}`);
        if (b.year_built) bits.push(`${t.built} ${b.year_built}`);
        return [el('strong', {}, codedNode(b.use_label || b.use, b.use, t)), ` — ${bits.join(', ')}`, el('br'), el('span', { className: 'muted small', text: b.identifier })];
      }),
      el('h3', { text: t.constraints }),
      list(d.constraints, (c) => [el('strong', { text: c.kind_label || c.kind }), c.name ? `: ${c.name}` : '']),
      // the parcel's own page (an address to share) and its planning report page
      ...(parcelUrl ? [el('p', { className: 'panel-page' }, el('a', {
        href: parcelUrl.replace('{identifier}', encodeURI(d.identifier)),
        text: t.parcelPage,
      }))] : []),
      // the planning report page of this parcel (its URL from the page's config)
      ...(reportUrl ? [el('p', { className: 'panel-report' }, el('a', {
        href: reportUrl.replace('{identifier}', encodeURI(d.identifier)),
        text: t.planningReport || (lang === 'en' ? 'Planning report (extract and map extract)' : 'Raport planistyczny (wypis i wyrys)'),
      }))] : []),
    );
  }

  function close({ restoreFocus = true } = {}) {
    if (panel.hidden) return;
    if (controller) controller.abort();
    panel.hidden = true;
    body.replaceChildren();
    if (onClose) onClose();
    const back = opener;
    opener = null;
    if (restoreFocus && back && document.contains(back)) back.focus();
  }

  async function open(identifier, from) {
    if (controller) controller.abort();
    controller = new AbortController();
    opener = from || document.activeElement;
    panel.hidden = false;
    panel.setAttribute('aria-busy', 'true');
    title.textContent = `${t.parcel} ${identifier}`;
    body.replaceChildren(el('p', { className: 'muted', text: t.loading }));
    title.focus();
    try {
      const url = `${config.api.parcels}/${encodeURI(identifier)}`;
      const detail = await getJson(url, { signal: controller.signal });
      title.textContent = `${t.parcel} ${detail.identifier}`;
      panel.dataset.identifier = detail.identifier;
      render(detail);
      if (onLoaded) onLoaded(detail);
    } catch (e) {
      if (e.name === 'AbortError') return;
      body.replaceChildren(el('p', { className: 'error', role: 'alert', text: e.message || t.panelError }));
    } finally {
      panel.removeAttribute('aria-busy');
    }
  }

  closeButton.addEventListener('click', () => close());
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });

  return { open, close };
}
