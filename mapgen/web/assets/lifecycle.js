/* The page's start: what runs once every element's script has run (the station layer, fitted to the page's
   first view), and what waits for the first paint of the stations (areas, controls).
   Needs: nothing. Provides: onStart(fn), afterPaint(fn), expose(name, value).
   Also window.__mapgenTest, FOR TESTS AND BENCHMARKS ONLY (not an interface: it may change any time):
   {painted (ms of the first frame), ready (a promise resolved once the areas and controls are in), layers
   (the overlays by label), and what `expose` adds}. */
L.mapgen.define('lifecycle', [], function () {
  'use strict';

  var starting = [];
  var painting = [];
  var phase = 'waiting'; // then 'started' (start tasks done), then 'ready' (paint tasks done)
  var resolveReady;
  var hooks = { painted: null, ready: new Promise(function (resolve) { resolveReady = resolve; }), layers: {} };
  window.__mapgenTest = hooks;

  /** Run tasks in order; one that throws is reported without stopping the others. */
  function run(tasks) {
    tasks.splice(0).forEach(function (task) {
      try {
        task();
      } catch (err) {
        setTimeout(function () { throw err; }, 0);
      }
    });
  }

  // Start tasks run in a microtask, i.e. once the whole script that creates the elements has run.
  Promise.resolve().then(function () {
    run(starting);
    phase = 'started';
    requestAnimationFrame(function () {
      hooks.painted = performance.now();
      setTimeout(function () {
        run(painting);
        phase = 'ready';
        resolveReady(hooks.painted);
      }, 0);
    });
  });

  /** Run fn once every element of the page exists (at once if that time has passed). */
  function onStart(fn) {
    if (phase === 'waiting') starting.push(fn);
    else fn();
  }

  /** Run fn after the first paint of the page (at once if that time has passed). */
  function afterPaint(fn) {
    if (phase === 'ready') fn();
    else painting.push(fn);
  }

  /** Make something reachable for tests as window.__mapgenTest[name]. */
  function expose(name, value) {
    hooks[name] = value;
  }

  return { onStart: onStart, afterPaint: afterPaint, expose: expose, hooks: hooks };
});
