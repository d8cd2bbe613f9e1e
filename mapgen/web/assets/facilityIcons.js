/* Facility icons drawn as inline SVG (emoji show as empty boxes where a phone lacks the emoji font, and no image is
   ever requested), keyed by the canonical names of mapgen/inputs/facilities.py; a facility without a drawing gets
   a text badge. Needs: nothing. Provides: glyph(name) -> an aria-hidden SVG or null, badge(name, label) -> a
   compact icon badge whose text alternative is the label. */
L.mapgen.define('facilityIcons', [], function () {
  'use strict';

  var NS = 'http://www.w3.org/2000/svg';
  // 24x24 drawings: `fill` shapes use the even-odd rule (inner shapes cut holes), `stroke` lines are 2 px wide.
  var DRAWINGS = {
    '饮水': { fill: 'M12 2.6c-3.7 5-6.2 8.4-6.2 11.6a6.2 6.2 0 0 0 12.4 0c0-3.2-2.5-6.6-6.2-11.6z' },
    '热水': { fill: 'M4 10h13v4.5a5.5 5.5 0 0 1-5.5 5.5h-2A5.5 5.5 0 0 1 4 14.5zm13 1.2h1.3a2.8 2.8 0 0 1 0 5.6H17' +
      'v-1.8h1.3a1 1 0 0 0 0-2H17zM7.5 3h1.8v5H7.5zm4 1h1.8v4h-1.8z' },
    '微波炉': { fill: 'M2 5h20v14H2zm2.2 2.2v9.6h11V7.2zm13.3 1h2.3v2h-2.3zm0 3.5h2.3v2h-2.3z' },
    '冰箱': { fill: 'M6 2h12v20H6zm1.8 1.8v5.4h8.4V3.8zm0 7.2v9.2h8.4V11zM9 5h1.6v3H9zm0 7.5h1.6v4H9z' },
    '卫生间': { fill: 'M7 2.5a2 2 0 1 1 0 4 2 2 0 0 1 0-4zM4.8 7.5h4.4l.8 7H8.6V22H5.4v-7.5H4zM17 2.5a2 2 0 1 1 0 4 ' +
      '2 2 0 0 1 0-4zm-1.8 5h3.6l2.7 8.5h-2.4V22h-4.2v-6h-2.4zM11.4 3h1.2v19h-1.2z' },
    '座椅': { fill: 'M4 4h16v3.5H4zm1 3.5h2.2V11H5zm11.8 0H19V11h-2.2zM3 11h18v3H3zm2 3h2.2v6H5zm11.8 0H19v6h-2.2z' },
    '充电': { fill: 'M13.5 2 4.5 13.5h6.2L9.5 22l9-11.5h-6.2z' },
    '空调': { fill: 'M2 4h20v9H2zm3 5.5h14V11H5zM6 15h2v6H6zm5 0h2v7h-2zm5 0h2v6h-2z' },
    '医药箱': { fill: 'M3 7h18v13H3zm6-3h6v3h-1.8V5.8h-2.4V7H9zm2 6h2v3h3v2h-3v3h-2v-3H8v-2h3z' },
    'WiFi': { stroke: 'M2.5 9.5a13.5 13.5 0 0 1 19 0M5.8 13a9 9 0 0 1 12.4 0M9.2 16.5a4.2 4.2 0 0 1 5.6 0',
      fill: 'M12 18a1.9 1.9 0 1 1 0 3.8 1.9 1.9 0 0 1 0-3.8z' },
    '休息区': { fill: 'M3.5 9a2 2 0 0 1 2 2v2.5h13V11a2 2 0 0 1 4 0v7h-2v2h-2v-2h-13v2h-2v-2h-2v-7a2 2 0 0 1 2-2zM6.5 ' +
      '5h11v7h-11z' },
    '雨具': { fill: 'M12 2.5a9.5 9.5 0 0 1 9.5 9.5h-8.6v6.5a3 3 0 0 1-6 0h1.9a1.1 1.1 0 0 0 2.2 0V12H2.5A9.5 9.5 0 0 1 12 ' +
      '2.5z' },
    '书报': { fill: 'M2 5h7.5a3 3 0 0 1 2.5 1.3A3 3 0 0 1 14.5 5H22v14h-7.5a2.5 2.5 0 0 0-2.5 1.5A2.5 2.5 0 0 0 9.5 19H2z' +
      'm9.2 3v10h1.6V8z' },
  };

  /** The drawing of a facility as an SVG hidden from screen readers (its label says it), or null. */
  function glyph(name) {
    var drawing = DRAWINGS[name];
    if (!drawing) return null;
    var svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'mg-fac-icon');
    if (drawing.fill) svg.appendChild(path(drawing.fill, { fill: 'currentColor', 'fill-rule': 'evenodd' }));
    if (drawing.stroke) {
      svg.appendChild(path(drawing.stroke, {
        fill: 'none', stroke: 'currentColor', 'stroke-width': '2.2', 'stroke-linecap': 'round',
      }));
    }
    return svg;
  }

  /** One SVG path with presentation attributes. */
  function path(d, attributes) {
    var p = document.createElementNS(NS, 'path');
    p.setAttribute('d', d);
    Object.keys(attributes).forEach(function (k) { p.setAttribute(k, attributes[k]); });
    return p;
  }

  /** A compact badge for lists: the icon with the label as its text alternative, or the label itself as text. */
  function badge(name, label) {
    var node = document.createElement('span');
    node.className = 'mg-fac';
    node.setAttribute('data-facility', name);
    var svg = glyph(name);
    if (svg) {
      node.setAttribute('role', 'img');
      node.setAttribute('aria-label', label);
      node.title = label;
      node.appendChild(svg);
    } else {
      node.className += ' mg-fac-text';
      node.textContent = label;
    }
    return node;
  }

  return { glyph: glyph, badge: badge };
});
