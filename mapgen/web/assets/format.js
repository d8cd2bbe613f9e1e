/* Numbers, distances and opening states as the interface shows them.
   Needs: dom, schedule. Provides: distance(t, metres), number(value, digits), openBadge(t, schedule, ms). */
L.mapgen.define('format', ['dom', 'schedule'], function (dom, schedule) {
  'use strict';

  /** Metres as '850 米' or '1.2 公里'. */
  function formatDistance(t, metres) {
    return metres < 1000 ? t('metres', { n: Math.round(metres) }) : t('kilometres', { n: (metres / 1000).toFixed(1) });
  }

  /** A number for the county table: fixed decimals, or a dash when unknown. */
  function formatNumber(value, digits) {
    return value === null || value === undefined ? '–' : Number(value).toFixed(digits);
  }

  /** The open-now badge of a schedule at a moment; hours that were not understood say so ('营业时间未知'), since
      such a station may well be open; a closed place says when it opens next ('已关闭 · 明天 08:00 开放'). */
  function openBadge(t, plan, ms) {
    var state = schedule.openState(plan, ms);
    var key = openKey(state);
    var next = state === 'closed' ? schedule.nextOpening(plan, ms) : null;
    var text = next ? t(key) + ' · ' + t('opensAt', { when: opening(t, next) }) : t(key);
    return dom.el('span', 'mg-badge mg-badge-' + (state || 'unknown'), text);
  }

  /** The i18n key naming an open state (null: hours unknown). */
  function openKey(state) {
    return { always: 'always', open: 'openNow', closed: 'closedNow' }[state] || 'hoursUnknown';
  }

  /** '今天 14:00', '明天 08:00', else the weekday and time: '周六 08:00', 'Sat 08:00'. */
  function opening(t, next) {
    var time = String(Math.floor(next.minute / 60)).padStart(2, '0') + ':' + String(next.minute % 60).padStart(2, '0');
    if (next.days === 0) return t('today') + ' ' + time;
    if (next.days === 1) return t('tomorrow') + ' ' + time;
    return t('weekdays').split(',')[next.day] + ' ' + time;
  }

  return { distance: formatDistance, number: formatNumber, openBadge: openBadge };
});
