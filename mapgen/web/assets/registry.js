/* The module registry of mapgen's scripts.
   Needs: Leaflet's global L. Provides: L.mapgen.define(name, needs, factory), L.mapgen.require(name) and
   L.mapgen.create(name, ...args) (require(name).create(...args), what mapgen's folium elements call) and
   L.mapgen.data(id) (an element's data, from its JSON script element of that id in the page).
   Every other file is one module: L.mapgen.define('name', ['needed', ...], function (needed, ...) {...}).
   A factory runs on the first require, after the factories of what it needs, so the module files may be
   inlined in any order after this one; nothing but L.mapgen is global. */
(function () {
  'use strict';
  if (L.mapgen) return; // a second copy (two mapgen pages in one document) keeps the first registry

  var factories = {};
  var modules = {};
  var loading = {};

  /** Register a module's factory, called with the modules named in `needs` (in that order). */
  function define(name, needs, factory) {
    factories[name] = { needs: needs, factory: factory };
  }

  /** The module `name`, built on first use. */
  function require(name) {
    if (Object.prototype.hasOwnProperty.call(modules, name)) return modules[name];
    var entry = factories[name];
    if (!entry) throw new Error('mapgen: no module named ' + name);
    if (loading[name]) throw new Error('mapgen: modules need each other through ' + name);
    loading[name] = true;
    modules[name] = entry.factory.apply(null, entry.needs.map(require));
    return modules[name];
  }

  /** require(name).create(...args): how a folium element's script makes its Leaflet object. */
  function create(name) {
    var module = require(name);
    return module.create.apply(module, Array.prototype.slice.call(arguments, 1));
  }

  /** The JSON data an element wrote into the page as a script element of type application/json: the browser
      parses 12 MB of JSON text (186,000 stations) far faster than the same data as a script's object literal,
      which it must compile first. */
  function data(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  L.mapgen = { define: define, require: require, create: create, data: data };
}());
