/* The sheet, one per map: a bottom sheet on phones, a side panel on wider screens, showing one thing at a time
   (nearest stations, a station's details, search results, filters, the county table).
   Needs: dom. Provides: of(map, t) -> the map's Sheet: show(mode, title, nodes), hide(), mode, body, insets(). */
L.mapgen.define('sheet', ['dom'], function (dom) {
  'use strict';

  var el = dom.el;
  var sheets = new WeakMap();

  /** The sheet's DOM, added to the page, hidden. */
  function Sheet(t) {
    var self = this;
    this.mode = null;
    this.node = dom.shield(el('section', 'mg-sheet'));
    this.node.hidden = true;
    var head = el('div', 'mg-sheet-head');
    this.title = el('h2', 'mg-sheet-title');
    var close = dom.button('mg-close', null, 'close', function () { self.hide(); });
    close.setAttribute('aria-label', t('close'));
    head.append(this.title, close);
    this.body = el('div', 'mg-sheet-body');
    this.node.append(head, this.body);
    document.body.appendChild(this.node);
  }

  /** Show content under a title; `mode` names what it shows (search, details, ...). */
  Sheet.prototype.show = function (mode, title, nodes) {
    this.mode = mode;
    this.title.textContent = title;
    dom.setChildren(this.body, nodes);
    this.body.scrollTop = 0;
    this.node.hidden = false;
    this.node.setAttribute('data-mode', mode);
    document.body.classList.add('mg-sheet-open');
  };

  Sheet.prototype.hide = function () {
    this.mode = null;
    this.node.hidden = true;
    document.body.classList.remove('mg-sheet-open');
  };

  /** Pixels of the map hidden by the page's top bar (--mg-top) and the sheet: {left, top, bottom}. */
  Sheet.prototype.insets = function () {
    var top = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--mg-top')) || 0;
    if (this.node.hidden) return { left: 0, top: top, bottom: 0 };
    return dom.isPhone() ? { left: 0, top: top, bottom: this.node.offsetHeight }
      : { left: this.node.offsetWidth + 10, top: top, bottom: 0 };
  };

  /** The sheet of a map, made on first use. */
  function of(map, t) {
    if (!sheets.has(map)) sheets.set(map, new Sheet(t));
    return sheets.get(map);
  }

  return { of: of };
});
