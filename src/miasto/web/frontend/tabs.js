// ARIA tabs (Map / Table) with arrow-key navigation and roving tabindex.
export function createTabs({ onShow, onHide }) {
  const tabs = Array.from(document.querySelectorAll('.view-tabs [role="tab"]'));
  const listeners = [];

  function nameOf(tab) {
    return tab.id.replace(/^tab-/, '');
  }

  function select(name, { focus = false } = {}) {
    for (const tab of tabs) {
      const selected = nameOf(tab) === name;
      const panel = document.getElementById(tab.getAttribute('aria-controls'));
      const wasSelected = tab.getAttribute('aria-selected') === 'true';
      if (wasSelected && !selected && onHide) onHide(nameOf(tab));
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      panel.hidden = !selected;
      if (selected && focus) tab.focus();
      if (selected && !wasSelected) {
        if (onShow) onShow(name);
        listeners.forEach((fn) => fn(name));
      }
    }
  }

  tabs.forEach((tab, index) => {
    tab.addEventListener('click', () => select(nameOf(tab)));
    tab.addEventListener('keydown', (event) => {
      let next = null;
      if (event.key === 'ArrowRight') next = tabs[(index + 1) % tabs.length];
      else if (event.key === 'ArrowLeft') next = tabs[(index - 1 + tabs.length) % tabs.length];
      else if (event.key === 'Home') next = tabs[0];
      else if (event.key === 'End') next = tabs[tabs.length - 1];
      if (next) {
        event.preventDefault();
        select(nameOf(next), { focus: true });
      }
    });
  });

  return {
    select,
    onChange(fn) {
      listeners.push(fn);
    },
    current() {
      const tab = tabs.find((x) => x.getAttribute('aria-selected') === 'true');
      return tab ? nameOf(tab) : null;
    },
  };
}
