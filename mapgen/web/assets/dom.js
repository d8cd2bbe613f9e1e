/* Building the interface's DOM: every piece of data text goes in through textContent, never as HTML.
   Needs: Leaflet's L (DomEvent). Provides: el, setChildren, icon, button, link, isPhone(), shield(node). */
L.mapgen.define('dom', [], function () {
  'use strict';

  // Phones get a bottom sheet and a collapsed legend; wider screens a side panel.
  var PHONE_QUERY = '(max-width: 700px)';
  var ICONS = {
    locate: 'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zm8.94 3A9 9 0 0 0 13 3.06V1h-2v2.06A9 9 0 0 0 3.06 11H1v2h2.06A9 9 0 0 0 ' +
      '11 20.94V23h2v-2.06A9 9 0 0 0 20.94 13H23v-2h-2.06zM12 19a7 7 0 1 1 0-14 7 7 0 0 1 0 14z',
    filter: 'M3 5h18l-7 8.5V19l-4 2v-7.5z',
    table: 'M3 4h18v16H3zm2 2v3h14V6zm0 5v3h6v-3zm8 0v3h6v-3zm-8 5v2h6v-2zm8 0v2h6v-2z',
    close: 'M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12 19 6.4 17.6 5 12 10.6z',
    navigate: 'M21 3 3 10.5v1l7 2.5 2.5 7h1z',
    phone: 'M6.6 10.8a15 15 0 0 0 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 .6-.4 1-1 1A17 17 ' +
      '0 0 1 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1z',
  };

  /** An element with a class and text (as text, never HTML). */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /** Replace a node's children (replaceChildren() is missing from older WeChat browsers); nulls are skipped. */
  function setChildren(node, children) {
    while (node.firstChild) node.removeChild(node.firstChild);
    children.forEach(function (child) { if (child) node.appendChild(child); });
  }

  /** An inline SVG icon from ICONS (no image request). */
  function icon(name) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('class', 'mg-icon');
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('d', ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  /** A button with an icon and/or a label. */
  function button(className, label, iconName, onClick) {
    var b = el('button', className);
    b.type = 'button';
    if (iconName) b.appendChild(icon(iconName));
    if (label) b.appendChild(el('span', null, label));
    b.addEventListener('click', onClick);
    return b;
  }

  /** A link, given its URL through the property (the browser escapes it), opening outside when external. */
  function link(className, label, href, iconName) {
    var a = el('a', className);
    a.href = href;
    if (/^https?:/.test(href)) {
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
    }
    if (iconName) a.appendChild(icon(iconName));
    a.appendChild(el('span', null, label));
    return a;
  }

  /** Whether the screen is phone-sized. */
  function isPhone() {
    return window.matchMedia(PHONE_QUERY).matches;
  }

  /** Keep clicks and scrolls in a panel from reaching the map under it. */
  function shield(node) {
    L.DomEvent.disableClickPropagation(node);
    L.DomEvent.disableScrollPropagation(node);
    return node;
  }

  return { el: el, setChildren: setChildren, icon: icon, button: button, link: link, isPhone: isPhone, shield: shield };
});
