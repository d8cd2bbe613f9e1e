/* What this phone remembers between visits (localStorage): the worker's filters and last position. Every access is
   guarded: WeChat's browser, private modes and file:// pages may have no storage or throw on any use of it.
   Needs: nothing. Provides: load(name) -> value or null, save(name, value) -> whether it was kept. */
L.mapgen.define('prefs', [], function () {
  'use strict';

  var PREFIX = 'mapgen.worker.';

  /** The stored value of a name (parsed JSON), or null when missing, unreadable or storage is refused. */
  function load(name) {
    try {
      var text = window.localStorage.getItem(PREFIX + name);
      return text === null ? null : JSON.parse(text);
    } catch (err) {
      return null;
    }
  }

  /** Store a value as JSON (null removes it); false when storage is refused or full. */
  function save(name, value) {
    try {
      if (value === null) window.localStorage.removeItem(PREFIX + name);
      else window.localStorage.setItem(PREFIX + name, JSON.stringify(value));
      return true;
    } catch (err) {
      return false;
    }
  }

  return { load: load, save: save };
});
