/* The sheet, one per map: a bottom sheet on phones, a side panel on wider screens, showing one thing at a time
   (nearest stations, a station's details, search results, filters, the county table).
   It is a non-modal dialog (role="dialog", aria-modal="false", named by its heading): the map beside or above
   it stays usable (a tap there shows the stations nearest that place), so focus is not trapped; focus moves
   into it when it opens, Esc closes it and focus returns to what opened it. A status line outside it
   (role="status", visually hidden, always present so screen readers hear each change) says how many stations
   a list shows.
   Needs: dom. Provides: of(map, t) -> the map's Sheet: show(mode, title, nodes), hide(), note(text),
   mode, body, node, insets(). */
L.mapgen.define('sheet', ['dom'], function (dom) {
  'use strict';

  var el = dom.el;
  var sheets = new WeakMap();
  var LIST_MODES = { nearest: true, search: true };
  var serial = 0;

  /** The sheet's DOM, placed before the map in the page (so it comes before the map's controls in tab order). */
  function Sheet(map, t) {
    var self = this;
    this.t = t;
    this.map = map;
    this.mode = null;
    this.opener = null;
    this.node = dom.shield(el('section', 'mg-sheet'));
    this.node.hidden = true;
    this.node.setAttribute('role', 'dialog');
    this.node.setAttribute('aria-modal', 'false');
    var head = el('div', 'mg-sheet-head');
    this.title = el('h2', 'mg-sheet-title');
    this.title.id = 'mg-sheet-title-' + (++serial);
    this.title.tabIndex = -1; // focusable by script only: where focus lands when the sheet opens
    this.node.setAttribute('aria-labelledby', this.title.id);
    var close = dom.button('mg-close', null, 'close', function () { self.hide(); });
    close.setAttribute('aria-label', t('close'));
    close.title = t('close');
    head.append(this.title, close);
    this.noteLine = el('p', 'mg-sheet-note');
    this.noteLine.hidden = true;
    this.body = el('div', 'mg-sheet-body');
    this.node.append(head, this.noteLine, this.body);
    this.status = el('p', 'mg-sr-only');
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    var container = map.getContainer();
    container.parentNode.insertBefore(this.node, container);
    container.parentNode.insertBefore(this.status, container);
    document.addEventListener('keydown', function (e) {
      if ((e.key === 'Escape' || e.key === 'Esc') && !self.node.hidden) self.hide();
    });
  }

  /** Show content under a title; `mode` names what it shows (search, details, ...). */
  Sheet.prototype.show = function (mode, title, nodes) {
    var opening = this.node.hidden;
    if (opening) this.opener = document.activeElement;
    this.mode = mode;
    this.title.textContent = title;
    this.note(null);
    dom.setChildren(this.body, nodes);
    this.body.scrollTop = 0;
    this.node.hidden = false;
    this.node.setAttribute('data-mode', mode);
    document.body.classList.add('mg-sheet-open');
    this.announce(mode);
    this.takeFocus();
  };

  /** Move focus to the heading, unless the user is typing (search results must not steal the search box). */
  Sheet.prototype.takeFocus = function () {
    var active = document.activeElement;
    if (active && (active.tagName === 'INPUT' || active.tagName === 'TEXTAREA')) return;
    if (this.node.contains(active) && active !== document.body) return;
    this.title.focus({ preventScroll: true });
  };

  /** Tell screen readers how many stations a list shows ("找到 3 个驿站"); other modes say nothing. */
  Sheet.prototype.announce = function (mode) {
    var text = '';
    if (LIST_MODES[mode]) {
      var n = this.body.querySelectorAll('.mg-item').length;
      text = n ? this.t('found', { n: n }) : this.t('foundNone');
    }
    // Cleared first, so the same count said twice (a second search) is announced again.
    this.status.textContent = '';
    var status = this.status;
    if (text) setTimeout(function () { status.textContent = text; }, 50);
  };

  /** A line under the heading (a coarse or old position, ...); null removes it. Cleared by show(). */
  Sheet.prototype.note = function (text) {
    this.noteLine.textContent = text || '';
    this.noteLine.hidden = !text;
  };

  /** Close the sheet; focus goes back to what opened it (else to the map), if it was in the sheet. */
  Sheet.prototype.hide = function () {
    var hadFocus = this.node.contains(document.activeElement) || document.activeElement === document.body;
    this.mode = null;
    this.node.hidden = true;
    document.body.classList.remove('mg-sheet-open');
    if (!hadFocus) return;
    var back = this.opener;
    this.opener = null;
    if (!back || !back.isConnected || back === document.body || !back.getClientRects().length) {
      back = this.map.getContainer();
    }
    back.focus({ preventScroll: true });
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
    if (!sheets.has(map)) sheets.set(map, new Sheet(map, t));
    return sheets.get(map);
  }

  return { of: of };
});
