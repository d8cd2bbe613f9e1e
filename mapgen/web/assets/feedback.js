/* "信息有误": a link that lets a worker tell the county union office that a station is closed or wrong, with the
   station's name and id already written. A mobile number gets an SMS; a landline (most offices' numbers) cannot
   receive one, so it gets a call. The SMS link is written sms:NUMBER?&body=TEXT: Android reads the query
   (an empty parameter, then body), iOS 8 and later read "&body=", so one form works on both without guessing the
   phone from its user agent (RFC 5724's plain "?body=" is ignored by some iOS versions).
   Needs: dom, phones. Provides: reportLink(store, i, t) -> an <a> or null (no office has a phone). */
L.mapgen.define('feedback', ['dom', 'phones'], function (dom, phones) {
  'use strict';

  var el = dom.el;
  // Chinese mobile numbers: 11 digits from 13x to 19x, optionally with the country code.
  var MOBILE = /^(?:\+?86)?1[3-9]\d{9}$/;

  /** The report link for station row i, to its county's office (else the nearest office with a phone). */
  function reportLink(store, i, t) {
    var office = store.officeFor(i);
    if (!office) return null;
    var numbers = phones.phoneNumbers(store.cols.phone[office.i]);
    var mobile = numbers.filter(function (p) { return MOBILE.test(p.tel); })[0];
    var number = mobile || numbers[0];
    if (!number) return null;
    var officeName = store.cols.name[office.i];
    var href = mobile
      ? 'sms:' + mobile.tel + '?&body=' + encodeURIComponent(t('reportBody', { name: store.cols.name[i], id: store.cols.id[i] }))
      : 'tel:' + number.tel;
    var a = dom.link('mg-btn mg-report', t('reportWrong'), href, null);
    var to = t(mobile ? 'reportBySms' : 'reportByCall', { office: officeName });
    a.appendChild(el('small', 'mg-report-to', to));
    // One name with a pause between its two lines (screen readers would run them together).
    a.setAttribute('aria-label', t('reportWrong') + ', ' + to);
    a.setAttribute('data-office', store.cols.id[office.i]);
    return a;
  }

  return { reportLink: reportLink };
});
