/* Phone numbers in a phone cell as station lists write them: each its own call link.
   Needs: nothing. Provides: phoneNumbers(cell) -> [{text (as written), tel (digits and a leading '+')}]. */
L.mapgen.define('phones', [], function () {
  'use strict';

  // One phone number: digits with '-' inside, a leading '+' or a bracketed area code, and an extension ('转8001')
  // that is shown but not dialled. Whitespace, ／ / , ， ; ； 、 and any other text separate numbers.
  var PHONE_NUMBER = /([(（]\s*\+?\d{2,4}\s*[)）]\s*)?(\+?\d(?:-*\d)*)(\s*(?:转|分机|ext\.?)\s*\d{1,6})?/gi;
  // Fewer digits is a fragment (a house number, '24小时'), more is not a number anyone can dial.
  var PHONE_MIN_DIGITS = 3;
  var PHONE_MAX_DIGITS = 15;

  /** Phone numbers of a phone cell, each {text (as written), tel (digits and a leading '+')}. */
  function phoneNumbers(cell) {
    var written = cell === null || cell === undefined ? '' : String(cell);
    // Full-width digits, '＋' and '－' as ASCII: one character for one, so positions still index `written`.
    var text = written.replace(/[０-９＋－]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); });
    // '139 0730 1234' and '0731 8888 0000' are one number written in groups: join runs of 7 to 12 digits
    // (a space becomes '-', so positions still index `written`); longer runs are several numbers.
    text = text.replace(/\d[\d ]*\d/g, function (run) {
      var digits = run.replace(/ /g, '').length;
      return digits >= 7 && digits <= 12 ? run.replace(/ /g, '-') : run;
    });
    var found = [];
    var match;
    PHONE_NUMBER.lastIndex = 0;
    while ((match = PHONE_NUMBER.exec(text)) !== null) {
      var tel = ((match[1] || '') + match[2]).replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
      var digits = tel.replace('+', '').length;
      if (digits >= PHONE_MIN_DIGITS && digits <= PHONE_MAX_DIGITS) {
        found.push({ text: written.slice(match.index, match.index + match[0].length).trim(), tel: tel });
      }
    }
    return found;
  }

  return { phoneNumbers: phoneNumbers };
});
