/*
 * Search loads when it is first used, not with every page (issue 17): the index is a third of what a
 * first visit downloads. The theme's bundle, on start, asks for the search index and starts the
 * search worker; this file runs just before it (overrides/main.html) and holds both back until the
 * visitor opens or focuses the search: a click or tap on the search button, Tab onto it, the f, s
 * or / keys (the theme focuses the box), or an address with ?q=. Held requests then go out in order,
 * so a query typed at once is answered as soon as the index is read.
 *
 * From a copy opened from the file system, where browsers refuse a worker, the theme's worker runs
 * in a hidden frame instead (the theme's worker supports this: it looks for `IFrameWorker`), and the
 * index comes from search/search_index.js, which the build writes beside search_index.json.
 */
(function () {
  "use strict"

  var wanted = false
  var waiting = []
  function whenWanted(run) {
    if (wanted) run()
    else waiting.push(run)
  }
  function want() {
    if (wanted) return
    wanted = true
    waiting.splice(0).forEach(function (run) { run() })
  }

  function isSearch(target) {
    return target instanceof Element && !!target.closest(".md-search, label[for=__search]")
  }
  document.addEventListener("focusin", function (ev) { if (isSearch(ev.target)) want() }, true)
  document.addEventListener("pointerdown", function (ev) { if (isSearch(ev.target)) want() }, true)
  document.addEventListener("change", function (ev) {
    if (ev.target instanceof HTMLInputElement && ev.target.id === "__search" && ev.target.checked) want()
  }, true)

  /* The index, over HTTP: the request is opened at once, sent when search is wanted. */
  var INDEX_JSON = /\/search\/search_index\.json$/
  var held = new WeakSet()
  var open = XMLHttpRequest.prototype.open
  var send = XMLHttpRequest.prototype.send
  XMLHttpRequest.prototype.open = function (method, url) {
    if (INDEX_JSON.test(new URL(String(url), location.href).pathname)) held.add(this)
    else held.delete(this)
    return open.apply(this, arguments)
  }
  XMLHttpRequest.prototype.send = function () {
    var request = this, args = arguments
    if (wanted || !held.has(request)) return send.apply(request, args)
    whenWanted(function () { send.apply(request, args) })
  }

  /* The index, from the file system: the theme adds a <script> for it to the head. */
  var INDEX_JS = /\/search\/search_index\.js$/
  var head = document.head
  var append = head.appendChild
  head.appendChild = function (node) {
    if (wanted || !(node instanceof HTMLScriptElement && INDEX_JS.test(node.src))) return append.apply(this, arguments)
    whenWanted(function () { append.call(head, node) })
    return node
  }

  /* The worker: a stand-in that keeps the theme's messages until the real one starts. */
  var WORKER = /\/workers\/search\.[\w.]*\.js$/
  var RealWorker = window.Worker
  window.Worker = function (url, options) {
    var address = new URL(String(url), location.href)
    if (!WORKER.test(address.pathname)) return new RealWorker(url, options)
    var port = new EventTarget()
    var queue = []
    var worker = null
    port.postMessage = function (data) {
      if (worker) worker.postMessage(data)
      else queue.push(data)
    }
    port.terminate = function () { if (worker) worker.terminate() }
    whenWanted(function () {
      worker = address.protocol === "file:" ? frameWorker(address.href) : new RealWorker(url, options)
      worker.addEventListener("message", function (ev) {
        port.dispatchEvent(new MessageEvent("message", { data: ev.data }))
      })
      queue.splice(0).forEach(function (data) { worker.postMessage(data) })
    })
    return port
  }

  /* The theme's worker script in a hidden frame of this page: its importScripts adds <script>s in
     order and returns a promise (which the theme's worker awaits), its postMessage answers this page. */
  function inFrame() {
    window.importScripts = function () {
      return Array.prototype.reduce.call(arguments, function (done, src) {
        return done.then(function () {
          return new Promise(function (loaded, failed) {
            var script = document.createElement("script")
            script.src = src
            script.onload = loaded
            script.onerror = function () { failed(new Error("Cannot load " + src)) }
            document.head.appendChild(script)
          })
        })
      }, Promise.resolve())
    }
    window.postMessage = function (data) {
      frameElement.dispatchEvent(new parent.MessageEvent("message", { data: data }))
    }
  }

  function frameWorker(src) {
    window.IFrameWorker = true
    var frame = document.createElement("iframe")
    var port = new EventTarget()
    var queue = []
    var loaded = false
    function deliver(data) {
      var inside = frame.contentWindow
      inside.dispatchEvent(new inside.MessageEvent("message", { data: data }))
    }
    port.postMessage = function (data) {
      if (loaded) deliver(data)
      else queue.push(data)
    }
    port.terminate = function () { frame.remove() }
    frame.hidden = true
    frame.tabIndex = -1
    frame.setAttribute("aria-hidden", "true")
    frame.srcdoc = "<script>(" + inFrame + ")()<\/script><script src=\"" + src.replace(/"/g, "&quot;") + "\"><\/script>"
    frame.addEventListener("message", function (ev) {
      port.dispatchEvent(new MessageEvent("message", { data: ev.data }))
    })
    frame.addEventListener("load", function () {
      loaded = true
      queue.splice(0).forEach(deliver)
    })
    document.body.appendChild(frame)
    return port
  }
})()
