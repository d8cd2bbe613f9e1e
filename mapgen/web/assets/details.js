/* What the sheet shows of stations: a result line (name, distance in large type, walk or ride, open state,
   facility icons, navigate) and a station's details (back to the list, kind, open state, actions: navigate, call,
   copy the address, report wrong information; address, hours, facilities, note).
   Needs: dom, format, phones, travel, facilityIcons, copyText, feedback.
   Provides: Details(store, t, lang, reach) with .item(i, metres, rank, onOpen, state), .nodes(i, opts) and
   .labelFacility(node, name). */
L.mapgen.define('details', ['dom', 'format', 'phones', 'travel', 'facilityIcons', 'copyText', 'feedback'],
  function (dom, format, phones, travel, icons, copyText, feedback) {
    'use strict';

    var el = dom.el;

    /** Station text for one store, in one language. */
    function Details(store, t, lang, reach) {
      this.store = store;
      this.t = t;
      this.lang = lang;
      // With service areas along streets (--network) the list's distances, straight lines, must say so.
      this.straight = reach === 'network' ? t('straightLine') + ' ' : '';
    }

    /** How to get there from a straight-line distance: walking minutes when near, a hint to ride when farther. */
    Details.prototype.goThere = function (metres) {
      if (travel.mode(metres) === 'ride') return this.t('rideHint');
      return this.t('walk', { n: Math.max(1, Math.ceil(this.store.walkMinutes(metres))) });
    };

    /** The Amap navigation link of row i, walking or riding by distance, named after its station for screen readers. */
    Details.prototype.navigateLink = function (className, i, metres) {
      var a = dom.link(className, this.t('navigate'), this.store.navigationUrl(i, travel.mode(metres)), 'navigate');
      a.setAttribute('aria-label', this.t('navigateTo', { name: this.store.cols.name[i] }));
      a.setAttribute('data-mode', travel.mode(metres));
      return a;
    };

    /** One result: rank and name, distance (large) and how to go, open state, facility icons; tap to open; navigate.
        `state` is the open state the list was ordered by (so the line and the order agree). */
    Details.prototype.item = function (i, metres, rank, onOpen, state) {
      var t = this.t;
      var store = this.store;
      var li = el('li', 'mg-item');
      li.setAttribute('data-id', store.cols.id[i]);
      var main = dom.button('mg-item-main', null, null, function () { onOpen(i, metres); });
      main.appendChild(el('span', 'mg-item-name', (rank ? rank + '. ' : '') + store.cols.name[i]));
      var line = el('span', 'mg-item-line');
      if (metres !== undefined) {
        line.append(el('span', 'mg-item-dist', this.straight + format.distance(t, metres)),
          el('span', 'mg-item-go', this.goThere(metres)));
      } else {
        line.appendChild(el('span', 'mg-item-where', [store.cols.address[i], store.cols.areas[store.cols.area[i]][1]]
          .filter(Boolean).join(' · ')));
      }
      main.appendChild(line);
      var badge = format.openBadge(t, store.schedule(i), Date.now());
      if (state) li.setAttribute('data-open', state);
      main.appendChild(badge);
      var facilities = this.facilityBadges(i);
      if (facilities) main.appendChild(facilities);
      li.appendChild(main);
      if (!store.office[i]) li.appendChild(this.navigateLink('mg-nav', i, metres));
      return li;
    };

    /** The facility icons of row i, each with its label as text alternative; null when it lists none. */
    Details.prototype.facilityBadges = function (i) {
      var self = this;
      var names = this.store.facilities(i);
      if (!names.length) return null;
      var box = el('span', 'mg-facs');
      names.forEach(function (n) { box.appendChild(icons.badge(n, self.store.facilityLabel(n, self.lang).label)); });
      return box;
    };

    /** The detail nodes of row i: back to the list (opts.back), kind and open state, distance (opts.metres),
        actions, then address, hours, facilities and note. */
    Details.prototype.nodes = function (i, opts) {
      var t = this.t;
      var rec = this.store.record(i);
      var metres = opts.metres;
      var nodes = [];
      if (opts.back) nodes.push(dom.button('mg-btn mg-back', '‹ ' + t('back'), null, opts.back));
      var head = el('p', 'mg-kind', [t(rec.kind), rec.type, rec.county].filter(Boolean).join(' · '));
      head.appendChild(format.openBadge(t, this.store.schedule(i), Date.now()));
      nodes.push(head);
      if (metres !== undefined) {
        nodes.push(el('p', 'mg-distance', t('straightLine') + ' ' + format.distance(t, metres) + ' · ' + this.goThere(metres)));
      }
      var status = el('p', 'mg-copy-status');
      status.setAttribute('role', 'status');
      nodes.push(this.actions(i, rec, metres, status), status);
      // Reporting is not a way to the station: it gets its own row, after the address is copied or not.
      var report = rec.kind === 'station' ? feedback.reportLink(this.store, i, t) : null;
      if (report) {
        var row = el('div', 'mg-feedback');
        row.appendChild(report);
        nodes.push(row);
      }
      var dl = el('dl', 'mg-facts');
      fact(dl, t('address'), rec.address);
      fact(dl, t('hours'), rec.hours);
      fact(dl, t('facilities'), rec.facilities.length ? this.chips(rec.facilities) : null);
      fact(dl, t('note'), rec.note);
      nodes.push(dl);
      return nodes;
    };

    /** Navigate (Amap, GCJ-02; walking or riding), one call button per phone number, copy the address. */
    Details.prototype.actions = function (i, rec, metres, status) {
      var t = this.t;
      var row = el('div', 'mg-actions');
      row.appendChild(this.navigateLink('mg-btn mg-primary', i, metres));
      phones.phoneNumbers(rec.phone).forEach(function (p) {
        row.appendChild(dom.link('mg-btn', t('call') + ' ' + p.text, 'tel:' + p.tel, 'phone'));
      });
      if (rec.address) row.appendChild(this.copyButton(rec.address, status));
      return row;
    };

    /** "复制地址": copies, then says so; where nothing could be copied, shows the address selected to copy by hand. */
    Details.prototype.copyButton = function (address, status) {
      var t = this.t;
      return dom.button('mg-btn mg-copy', t('copyAddress'), null, function () {
        copyText.copy(address, function (ok) {
          if (ok) {
            dom.setChildren(status, [el('span', null, t('copied'))]);
            return;
          }
          var area = el('textarea', 'mg-copy-manual');
          area.readOnly = true;
          area.value = address;
          area.setAttribute('aria-label', t('address'));
          dom.setChildren(status, [el('span', null, t('copyManually')), area]);
          area.focus();
          area.select();
        });
      });
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

    /** Append a facility's icon (drawn, else the data's emoji; hidden from screen readers) and label to a node. */
    Details.prototype.labelFacility = function (node, name) {
      var f = this.store.facilityLabel(name, this.lang);
      var drawn = icons.glyph(name);
      if (drawn) {
        node.appendChild(drawn);
      } else if (f.icon) {
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
