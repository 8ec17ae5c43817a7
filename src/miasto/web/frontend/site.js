// Every page: the header's menu button on narrow screens (the disclosure pattern).
// Progressive enhancement: without this script the button stays hidden and the menu open.
// The button toggles aria-expanded; Escape closes the menu and gives focus back to the button.
export function enhanceMenu(header) {
  const button = header.querySelector('.menu-toggle');
  const menu = button && document.getElementById(button.getAttribute('aria-controls'));
  if (!button || !menu) return;

  function setOpen(open) {
    button.setAttribute('aria-expanded', String(open));
    menu.classList.toggle('is-open', open);
  }

  button.hidden = false;
  header.classList.add('has-menu-button');
  setOpen(false);
  button.addEventListener('click', () => setOpen(button.getAttribute('aria-expanded') !== 'true'));
  header.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && button.getAttribute('aria-expanded') === 'true') {
      setOpen(false);
      button.focus();
    }
  });
}

const header = document.querySelector('.site-header');
if (header) enhanceMenu(header);
