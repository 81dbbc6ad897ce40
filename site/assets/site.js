/*
 * Small fixes to the theme (Material for MkDocs 9.7), loaded on every page, before the theme's bundle
 * starts (assets/theme.js starts it at the visitor's first action).
 * Each part works on its own; without JavaScript the site reads the same, only search is missing.
 *   1. No sitemap requests that fail.
 *   2. Search: Vietnamese typed with combining accents is made precomposed (the search index folds
 *      accents: assets/javascripts/lunr/min/lunr.vi.min.js), and the page opened from a search
 *      result marks the words found, with or without accents.
 *   3. Keyboard: Enter or Space presses the header's menu and search buttons; the drawer's
 *      "contents" entry takes focus.
 *   4. Keyboard: a table wider than the screen can be focused and scrolled with the arrow keys.
 */
(function () {
  "use strict"

  /* 1. The theme fetches "sitemap.xml" beside every <link rel="alternate" hreflang> to map pages
     between languages; beside a page in a folder there is none (a 404 on every page). Our language
     switch links straight to the same page, and MkDocs' sitemap lists no page without a site_url,
     so the theme gets an empty sitemap without asking the server. */
  var open = XMLHttpRequest.prototype.open
  XMLHttpRequest.prototype.open = function (method, url) {
    var args = Array.prototype.slice.call(arguments)
    if (/\/sitemap\.xml$/.test(new URL(String(url), location.href).pathname))
      args[1] = "data:application/xml,%3Curlset%2F%3E"
    return open.apply(this, args)
  }

  /* The same fold as the search index: one letter for one letter, ấ → a, đ → d. */
  var MARKS = /[\u0300-\u036f]/g
  function fold(text) {
    var out = ""
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i)
      if (c === "đ") c = "d"
      else if (c === "Đ") c = "D"
      else if (c > "\u007f") {
        var base = c.normalize("NFD").replace(MARKS, "")
        if (base.length === 1) c = base
      }
      out += c
    }
    return out
  }

  /* 2a. Some keyboards type "ă" as "a" + a combining breve: make it one letter before the theme reads it. */
  document.addEventListener("input", function (ev) {
    var field = ev.target
    if (field instanceof HTMLInputElement && field.matches("[data-md-component=search-query]")) {
      var nfc = field.value.normalize("NFC")
      if (nfc !== field.value) field.value = nfc
    }
  }, true)

  /* 2b. A search result opens its page with ?h=<words>; mark them in the text, accents or not
     (the theme's own marking only finds the words exactly as they were folded). */
  function markSearchWords() {
    var words = new URL(location.href).searchParams.get("h")
    var content = document.querySelector("article")
    if (!words || !content) return
    var terms = fold(words).split(/[\s*+\-:~^"]+/).filter(Boolean)
      .map(function (t) { return t.replace(/[|\\{}()[\]^$+*?.]/g, "\\$&") })
    if (!terms.length) return
    var pattern = new RegExp("(^|[^\\p{L}\\p{N}])(" + terms.join("|") + ")", "giu")
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT)
    var nodes = []
    for (var node = walker.nextNode(); node; node = walker.nextNode())
      if (!node.parentElement.closest("mark, script, style")) nodes.push(node)
    nodes.forEach(function (node) {
      var folded = fold(node.data), match, last = 0, parts = []
      pattern.lastIndex = 0
      while ((match = pattern.exec(folded))) {
        var start = match.index + match[1].length, end = start + match[2].length
        parts.push(document.createTextNode(node.data.slice(last, start)))
        var mark = document.createElement("mark")
        mark.setAttribute("data-md-highlight", "")
        mark.textContent = node.data.slice(start, end)
        parts.push(mark)
        last = end
      }
      if (!parts.length) return
      parts.push(document.createTextNode(node.data.slice(last)))
      node.replaceWith.apply(node, parts)
    })
  }

  /* 3. The header's menu and search buttons hold a focusable .header-button (overrides/partials/
     header.html); the current page's entry in the phone's navigation drawer, which opens its
     contents, takes focus too (the theme's Enter handler presses focused labels). */
  document.querySelectorAll("label.md-nav__link[for=__toc]").forEach(function (label) {
    label.setAttribute("tabindex", "0")
  })
  document.addEventListener("keydown", function (ev) {
    var el = ev.target
    if ((ev.key === " " || ev.key === "Enter") && el instanceof Element && el.matches(".header-button")) {
      ev.preventDefault()
      el.parentElement.click()                      /* the label, which opens the menu or the search */
    }
  })

  /* 4. Each table is in a box that scrolls sideways on a narrow screen (scripts/engines/table_boxes.py). A box
     whose table is wider than it can take focus and says so; it is measured when the browser lays it
     out (ResizeObserver), never by asking for a layout while the page loads. */
  var tableLabel = document.documentElement.lang === "vi"
    ? "Bảng (cuộn ngang để xem hết)" : "Table (scroll sideways to see all of it)"
  function markScrollable(box) {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("tabindex", "0")
      box.setAttribute("role", "region")
      box.setAttribute("aria-label", tableLabel)
    } else if (box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex")
      box.removeAttribute("role")
      box.removeAttribute("aria-label")
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    markSearchWords()
    if (!("ResizeObserver" in window)) return
    var boxes = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) { markScrollable(entry.target) })
    })
    document.querySelectorAll("article .md-typeset__scrollwrap").forEach(function (box) {
      if (!box.parentElement.closest(".md-typeset__scrollwrap")) boxes.observe(box)
    })
  })
})()
