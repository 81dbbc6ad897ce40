/*
 * The theme's script runs when the visitor first does something, not while the page loads (issue 17).
 *
 * Material for MkDocs' bundle only adds to a page that already reads in full without it: the search
 * box's results, the table of contents following the scroll, the back-to-top button. On a long page
 * it held a phone's processor for seconds on arrival (reading the size of the whole page as soon as
 * it starts), for features the reader may never touch. So overrides/main.html loads this file in its
 * place, with the bundle's address in data-bundle, and this file starts the bundle on the first
 * scroll, touch, click, key or focus, or at once when the address asks for search (?q=) or for the
 * words of a search to be marked (?h=).
 *
 * The bundle starts its work when the document is read (DOMContentLoaded). That moment has passed when
 * it runs from here, so a listener it adds for it while it starts is called at once, after the bundle
 * has run, as the browser would have. Nothing else sees that call.
 *
 * The search keys (f, s, /) open the search at the first press, as the theme does once it is running.
 * The tables are already in the theme's scrolling box (scripts/engines/table_boxes.py), so nothing moves when
 * the bundle starts.
 */
(function () {
  "use strict"

  var bundle = document.currentScript && document.currentScript.getAttribute("data-bundle")
  if (!bundle) return
  var started = false
  var EVENTS = ["scroll", "wheel", "touchstart", "pointerdown", "keydown", "focusin"]

  function start() {
    if (started) return
    started = true
    EVENTS.forEach(function (type) { window.removeEventListener(type, start, true) })
    var add = document.addEventListener
    document.addEventListener = function (type, listener) {
      if (type !== "DOMContentLoaded") return add.apply(this, arguments)
      Promise.resolve().then(function () {
        if (typeof listener === "function") listener.call(document, new Event(type))
        else listener.handleEvent(new Event(type))
      })
    }
    var script = document.createElement("script")
    script.src = bundle
    script.onload = script.onerror = function () { document.addEventListener = add }
    document.head.appendChild(script)
  }

  /* f, s or / outside a text field: open the search and put the cursor in it, as the theme does. */
  function searchKey(ev) {
    if (started || ev.metaKey || ev.ctrlKey || ev.altKey || ["f", "s", "/"].indexOf(ev.key) < 0) return
    var field = ev.target
    if (field instanceof Element && (field.isContentEditable || field.closest("input, textarea, select"))) return
    var toggle = document.getElementById("__search")
    var query = document.querySelector("[data-md-component=search-query]")
    if (!toggle || !query) return
    ev.preventDefault()
    toggle.checked = true
    toggle.dispatchEvent(new Event("change", { bubbles: true }))
    query.focus()
  }

  /* The search button (a label that ticks the search toggle) opens the search with the cursor in it. */
  function searchOpened(ev) {
    if (ev.target instanceof HTMLInputElement && ev.target.id === "__search" && ev.target.checked) {
      var query = document.querySelector("[data-md-component=search-query]")
      if (query && document.activeElement !== query) query.focus()
    }
  }

  var asked = new URLSearchParams(location.search)
  if (asked.has("q") || asked.has("h")) return start()
  window.addEventListener("keydown", searchKey, true)
  document.addEventListener("change", searchOpened, true)
  EVENTS.forEach(function (type) { window.addEventListener(type, start, { capture: true, passive: true }) })
})()
