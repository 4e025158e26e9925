/*! Cairn widget runtime — mounts widgets in shadow roots. MIT licence. */
/*
 * window.CairnWidgets
 *   define(id, mount)          a widget script registers its mount(root, config, widget) function
 *   show(instruction, host)    mount a rendered instruction {widget, config, html, script}; resolves to a handle
 *   close(id)                  remove an open widget
 *   isOpen(id)                 whether a widget is showing
 *
 * Each widget gets a <cairn-widget data-widget="id"> element at the end of <body> with
 * an open shadow root holding the server-rendered HTML (its <style> included). The
 * widget's script is loaded once from Cairn, then mount() runs; an error in a widget
 * is logged and never reaches the page.
 */
(function (window, document) {
  "use strict";
  if (window.CairnWidgets) { return; }

  var TAG = "cairn-widget";
  var definitions = {};
  var waiting = {};
  var scripts = {};
  var open = {};

  function define(id, mount) {
    definitions[id] = mount;
    (waiting[id] || []).forEach(function (resolve) { resolve(mount); });
    delete waiting[id];
  }

  function loadScript(url) {
    if (!scripts[url]) {
      scripts[url] = new Promise(function (resolve, reject) {
        var element = document.createElement("script");
        element.async = true;
        element.src = url;
        element.onload = resolve;
        element.onerror = function () {
          delete scripts[url];
          reject(new Error("could not load " + url));
        };
        (document.head || document.documentElement).appendChild(element);
      });
    }
    return scripts[url];
  }

  function definitionOf(id, url) {
    if (definitions[id]) { return Promise.resolve(definitions[id]); }
    return loadScript(url).then(function () {
      if (definitions[id]) { return definitions[id]; }
      return new Promise(function (resolve, reject) {
        (waiting[id] = waiting[id] || []).push(resolve);
        setTimeout(function () { reject(new Error("widget " + id + " did not define mount()")); }, 5000);
      });
    });
  }

  function close(id) {
    var handle = open[id];
    if (!handle) { return false; }
    delete open[id];
    if (handle.element.parentNode) { handle.element.parentNode.removeChild(handle.element); }
    return true;
  }

  function attach(instruction) {
    var element = document.createElement(TAG);
    element.setAttribute("data-widget", instruction.widget);
    var root = element.attachShadow({ mode: "open" });
    root.innerHTML = instruction.html;
    return { id: instruction.widget, element: element, root: root };
  }

  /* host: {baseUrl, track(type, properties), consent} — what the widget may use. */
  function show(instruction, host) {
    var id = instruction && instruction.widget;
    if (!id || typeof instruction.html !== "string") {
      return Promise.reject(new Error("a widget instruction needs widget and html"));
    }
    if (open[id]) { return Promise.resolve(open[id]); }
    var ready = instruction.script ? definitionOf(id, host.baseUrl + instruction.script) : Promise.resolve(null);
    return ready.then(function (mount) {
      if (open[id]) { return open[id]; }
      var handle = open[id] = attach(instruction);
      var widget = {
        id: id,
        root: handle.root,
        config: instruction.config || {},
        track: function (type, properties) { return host.track(type, properties || {}); },
        close: function () { close(id); },
        consent: host.consent
      };
      (document.body || document.documentElement).appendChild(handle.element);
      if (mount) {
        try {
          mount(handle.root, widget.config, widget);
        } catch (error) {
          close(id);
          throw error;
        }
      }
      return handle;
    });
  }

  window.CairnWidgets = {
    define: define,
    show: show,
    close: close,
    isOpen: function (id) { return Boolean(open[id]); }
  };
})(window, document);
