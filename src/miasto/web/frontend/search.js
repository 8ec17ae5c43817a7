// Search with autocomplete: the ARIA 1.2 combobox pattern (list autocomplete, manual selection).
// The API reads every form people type (identifier, obręb.numer, number with an area's name,
// address, street, district, precinct) and says what each result is (type, type_label).
// Debounced; arrows move the active option, Enter chooses it (or the first), Escape closes
// the list and, pressed again, clears the box.
import { debounce, el, fmt, getJson } from './util.js';

export function createSearch({ config, t, onSelect }) {
  const form = document.getElementById('search-form');
  const input = document.getElementById('search-input');
  const listbox = document.getElementById('search-listbox');
  const status = document.getElementById('search-status');
  let results = [];
  let active = -1;
  let controller = null;
  let lastQuery = '';
  let emptyMessage = '';

  function setExpanded(open) {
    listbox.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    if (!open) setActive(-1);
  }

  function setActive(index) {
    active = index;
    const options = listbox.querySelectorAll('[role="option"]');
    options.forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    if (index >= 0 && options[index]) {
      input.setAttribute('aria-activedescendant', options[index].id);
      options[index].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function render() {
    listbox.replaceChildren(
      ...results.map((result, i) =>
        el('li', {
          id: `search-option-${i}`,
          role: 'option',
          'aria-selected': 'false',
          className: 'search__option',
          onmousedown: (event) => event.preventDefault(),
          onclick: () => choose(i),
        },
        el('span', { className: `search__type search__type--${result.type}`, text: result.type_label || t[`type_${result.type}`] || result.type }),
        el('span', { className: 'search__label-text', text: result.label }),
        result.detail ? el('span', { className: 'search__detail', text: result.detail }) : null),
      ),
    );
    if (results.length === 0) {
      listbox.append(el('li', { className: 'search__empty', role: 'option', 'aria-disabled': 'true', 'aria-selected': 'false', id: 'search-option-none', text: emptyMessage || t.noResults }));
    }
    setExpanded(true);
    setActive(-1);
    status.textContent = results.length ? fmt(t.resultsCount, { count: results.length }) : emptyMessage || t.noResults;
  }

  async function run(query) {
    if (controller) controller.abort();
    if (query.length < 2) {
      results = [];
      listbox.replaceChildren();
      setExpanded(false);
      status.textContent = '';
      return;
    }
    controller = new AbortController();
    lastQuery = query;
    try {
      const data = await getJson(`${config.api.search}?q=${encodeURIComponent(query)}&limit=10`, { signal: controller.signal });
      if (query !== lastQuery) return;
      results = data.results || [];
      emptyMessage = data.message || ''; // e.g. nothing to search for in "%%": what to type
      render();
    } catch (e) {
      if (e.name === 'AbortError') return;
      results = [];
      listbox.replaceChildren();
      setExpanded(false);
      status.textContent = e.message || t.searchError;
    }
  }

  const debounced = debounce(() => run(input.value.trim()), 250);

  function choose(index) {
    const result = results[index];
    if (!result) return;
    input.value = result.label;
    setExpanded(false);
    onSelect(result, input);
  }

  input.addEventListener('input', debounced);
  input.addEventListener('keydown', (event) => {
    const open = !listbox.hidden && results.length > 0;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open) {
          if (results.length) setExpanded(true);
          else run(input.value.trim());
          return;
        }
        setActive(active < results.length - 1 ? active + 1 : 0);
        break;
      case 'ArrowUp':
        if (!open) return;
        event.preventDefault();
        setActive(active > 0 ? active - 1 : results.length - 1);
        break;
      case 'Enter':
        event.preventDefault();
        if (open) choose(active >= 0 ? active : 0);
        else run(input.value.trim());
        break;
      case 'Escape':
        if (!listbox.hidden) {
          event.preventDefault();
          setExpanded(false);
        } else if (input.value) {
          event.preventDefault();
          input.value = '';
          results = [];
          status.textContent = '';
        }
        break;
      default:
        break;
    }
  });
  input.addEventListener('blur', () => setTimeout(() => setExpanded(false), 150));
  form.addEventListener('submit', (event) => event.preventDefault());
  // Arrived with a query (the home page's search form sends /map/?q=…): show its results.
  if (input.value.trim().length >= 2) run(input.value.trim());
}
