/* Copying text from a tap: the clipboard API where the browser has it, else the older selection and
   execCommand('copy') (WeChat's and older Android browsers have no navigator.clipboard, and file:// or http pages
   may refuse it). Needs: nothing. Provides: copy(text, done) with done(ok): false means nothing was copied, and the
   caller shows the text selected for a manual copy. */
L.mapgen.define('copyText', [], function () {
  'use strict';

  /** Copy text, then call done(true) or done(false). */
  function copy(text, done) {
    var clipboard = navigator.clipboard;
    if (clipboard && typeof clipboard.writeText === 'function') {
      clipboard.writeText(text).then(function () { done(true); }, function () { done(selectAndCopy(text)); });
      return;
    }
    done(selectAndCopy(text));
  }

  /** The pre-clipboard way: select the text in a temporary textarea and ask the browser to copy the selection. */
  function selectAndCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', ''); // no keyboard popping up on phones
    area.setAttribute('aria-hidden', 'true');
    // Out of sight but selectable (display:none cannot be selected); 16px keeps iOS from zooming in.
    area.style.cssText = 'position:fixed;top:0;left:-9999px;width:1px;height:1px;opacity:0;font-size:16px';
    document.body.appendChild(area);
    var ok = false;
    try {
      area.focus();
      area.select();
      area.setSelectionRange(0, text.length); // iOS selects nothing with select() alone
      ok = document.execCommand('copy') === true;
    } catch (err) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  }

  return { copy: copy };
});
