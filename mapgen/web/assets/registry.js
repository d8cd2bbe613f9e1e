/* The module registry of mapgen's scripts.
   Needs: Leaflet's global L. Provides: L.mapgen.define(name, needs, factory), L.mapgen.require(name) and
   L.mapgen.create(name, ...args) (require(name).create(...args), what mapgen's folium elements call).
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

  L.mapgen = { define: define, require: require, create: create };
}());
