/* The map's switchable layers, by label: registered by the layers that make them, listed by the layer switcher.
   Needs: lifecycle (exposes them to tests). Provides: add(map, label, layer), watch(map, fn(label, layer)). */
L.mapgen.define('overlays', ['lifecycle'], function (lifecycle) {
  'use strict';

  var byMap = new WeakMap();

  /** The overlays and watchers of one map. */
  function of(map) {
    if (!byMap.has(map)) byMap.set(map, { layers: [], watchers: [] });
    return byMap.get(map);
  }

  /** Register a layer under a label, telling every watcher. */
  function add(map, label, layer) {
    var entry = of(map);
    entry.layers.push([label, layer]);
    lifecycle.hooks.layers[label] = layer;
    entry.watchers.forEach(function (fn) { fn(label, layer); });
  }

  /** Call fn(label, layer) for every overlay registered so far and every one to come. */
  function watch(map, fn) {
    var entry = of(map);
    entry.layers.forEach(function (pair) { fn(pair[0], pair[1]); });
    entry.watchers.push(fn);
  }

  return { add: add, watch: watch };
});
