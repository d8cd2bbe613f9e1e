/* What the sheet shows of stations: a result line (name, distance, walk, open badge, navigate) and a station's
   details (kind, actions, address, hours, facilities, note).
   Needs: dom, format, phones. Provides: Details(store, t, lang) with .item(i, metres, rank, onOpen),
   .nodes(i, metres) and .labelFacility(node, name). */
L.mapgen.define('details', ['dom', 'format', 'phones'], function (dom, format, phones) {
  'use strict';

  var el = dom.el;

  /** Station text for one store, in one language. */
  function Details(store, t, lang) {
    this.store = store;
    this.t = t;
    this.lang = lang;
  }

  /** Walking minutes, at least 1, for a straight-line distance. */
  Details.prototype.walk = function (metres) {
    return this.t('walk', { n: Math.max(1, Math.ceil(this.store.walkMinutes(metres))) });
  };

  /** One result: rank, name, distance and walk (or address), open badge; tap to open; a navigate link. */
  Details.prototype.item = function (i, metres, rank, onOpen) {
    var t = this.t;
    var store = this.store;
    var li = el('li', 'mg-item');
    li.setAttribute('data-id', store.cols.id[i]);
    var main = dom.button('mg-item-main', null, null, function () { onOpen(i, metres); });
    main.appendChild(el('span', 'mg-item-name', (rank ? rank + '. ' : '') + store.cols.name[i]));
    var meta = el('span', 'mg-item-meta');
    if (metres !== undefined) {
      meta.append(el('span', null, format.distance(t, metres)), el('span', null, this.walk(metres)));
    } else {
      meta.appendChild(el('span', null, [store.cols.address[i], store.cols.areas[store.cols.area[i]][1]]
        .filter(Boolean).join(' · ')));
    }
    var badge = format.openBadge(t, store.schedule(i), Date.now());
    if (badge) meta.appendChild(badge);
    main.appendChild(meta);
    li.appendChild(main);
    if (!store.office[i]) li.appendChild(dom.link('mg-nav', t('navigate'), store.navigationUrl(i), 'navigate'));
    return li;
  };

  /** The detail nodes of row i: kind and type, badge, actions (navigate, call), address, hours, facilities. */
  Details.prototype.nodes = function (i, metres) {
    var t = this.t;
    var rec = this.store.record(i);
    var head = el('p', 'mg-kind', [t(rec.kind), rec.type, rec.county].filter(Boolean).join(' · '));
    var badge = format.openBadge(t, this.store.schedule(i), Date.now());
    if (badge) head.appendChild(badge);
    var nodes = [head];
    if (metres !== undefined) {
      nodes.push(el('p', 'mg-distance', t('straightLine') + ' ' + format.distance(t, metres) + ' · ' + this.walk(metres)));
    }
    nodes.push(this.actions(i, rec));
    var dl = el('dl', 'mg-facts');
    fact(dl, t('address'), rec.address);
    fact(dl, t('hours'), rec.hours);
    fact(dl, t('facilities'), rec.facilities.length ? this.chips(rec.facilities) : null);
    fact(dl, t('note'), rec.note);
    nodes.push(dl);
    return nodes;
  };

  /** Navigate (Amap walking route, GCJ-02) and one call button per phone number. */
  Details.prototype.actions = function (i, rec) {
    var t = this.t;
    var row = el('div', 'mg-actions');
    row.appendChild(dom.link('mg-btn mg-primary', t('navigate'), this.store.navigationUrl(i), 'navigate'));
    phones.phoneNumbers(rec.phone).forEach(function (p) {
      row.appendChild(dom.link('mg-btn', t('call') + ' ' + p.text, 'tel:' + p.tel, 'phone'));
    });
    return row;
  };

  /** Facility tags, each with its icon and its label in the page's language. */
  Details.prototype.chips = function (names) {
    var self = this;
    var box = el('span', 'mg-chips');
    names.forEach(function (n) {
      var chip = el('span', 'mg-chip');
      chip.setAttribute('data-facility', n);
      self.labelFacility(chip, n);
      box.appendChild(chip);
    });
    return box;
  };

  /** Append a facility's icon (hidden from screen readers) and label to a node. */
  Details.prototype.labelFacility = function (node, name) {
    var f = this.store.facilityLabel(name, this.lang);
    if (f.icon) {
      var glyph = el('span', 'mg-glyph', f.icon);
      glyph.setAttribute('aria-hidden', 'true');
      node.appendChild(glyph);
    }
    node.appendChild(el('span', null, f.label));
  };

  /** One label/value pair of the facts list; skipped when empty. */
  function fact(dl, label, value) {
    if (value === null || value === undefined || value === '') return;
    var dd = el('dd');
    if (typeof value === 'string') dd.textContent = value;
    else dd.appendChild(value);
    dl.append(el('dt', null, label), dd);
  }

  return { Details: Details };
});
