// The interactive chart, only when the reader asks for it: loads the site's own Vega bundle
// (never a CDN), then the spec that sits beside the page. Without JavaScript the SVG and the
// table are the chart.
(function () {
  "use strict";
  var bundle = null;
  function scriptBase() {
    var current = document.querySelector('script[src$="assets/charts.js"]');
    return current ? current.src.replace(/charts\.js$/, "") : "assets/";
  }
  function loadBundle() {
    if (!bundle) {
      bundle = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = scriptBase() + "vendor/vega-bundle.js";
        s.onload = resolve;
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return bundle;
  }
  var LOCALES = {
    vi: { decimal: ",", thousands: ".", grouping: [3], currency: ["", " ₫"] },
    en: { decimal: ".", thousands: ",", grouping: [3], currency: ["", ""] }
  };
  function open(box) {
    var button = box.querySelector("button");
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    status.textContent = box.dataset.loading;
    box.replaceChild(status, button);
    loadBundle()
      .then(function () { return fetch(box.dataset.spec); })
      .then(function (r) { return r.json(); })
      .then(function (spec) {
        var target = document.createElement("div");
        box.appendChild(target);
        return window.vegaEmbed(target, spec, { actions: false, renderer: "svg", formatLocale: LOCALES[box.dataset.lang] });
      })
      .then(function () {
        status.remove();
        var img = box.closest("figure").querySelector("img");
        if (img) { img.hidden = true; }
      })
      .catch(function () { status.remove(); box.hidden = true; });
  }
  function init() {
    // fetch() of a file beside the page needs http(s); from a downloaded copy the SVG stays
    if (location.protocol === "file:") { return; }
    document.querySelectorAll(".chart-interactive").forEach(function (box) {
      box.hidden = false;
      box.querySelector("button").addEventListener("click", function () { open(box); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
