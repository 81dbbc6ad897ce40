/* Filters for the lists of the enterprise pages. The page works without this file: every item is
   listed, grouped, with links. With it, a form above the list (hidden until now) narrows it down.

   <form data-filter data-count="Showing {shown} of {total}." data-none="Nothing matches." hidden>
   holds selects (<select name="award">) and a text box (<input type="search" name="tim">; not "q",
   which the theme reads as a search). Items are looked for in the form's <article>, or in the
   element that data-filter names. An item is an element with data-filter-item, or the table row
   holding one. It matches a select when its data-<name> lists the chosen value or "*", or when it
   has no data-<name>; it matches the text box by its text, with or without Vietnamese accents.
   A group (data-filter-group) is hidden when a choice leaves none of its items. The count line
   (data-filter-count) counts the items without data-filter-uncounted. Choices are kept in the
   address (?award=ocop), so a filtered list can be linked to. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function setUp(form) {
    var selector = form.getAttribute("data-filter");
    var root = (selector && document.querySelector(selector)) || form.closest("article") || document;
    var fields = Array.prototype.slice.call(form.querySelectorAll("select, input[type=search]"));
    var items = Array.prototype.map.call(root.querySelectorAll("[data-filter-item]"), function (marker) {
      var element = marker.closest("tr") || marker;
      return { marker: marker, element: element, text: fold(element.textContent || ""),
               counted: !marker.hasAttribute("data-filter-uncounted") };
    });
    var groups = root.querySelectorAll("[data-filter-group]");
    var count = form.querySelector("[data-filter-count]");
    var params = new URLSearchParams(window.location.search);

    fields.forEach(function (field) {
      var value = params.get(field.name);
      if (value !== null && (field.tagName !== "SELECT" || field.querySelector('option[value="' + CSS.escape(value) + '"]'))) {
        field.value = value;
      }
    });

    function matches(item) {
      return fields.every(function (field) {
        var wanted = field.value.trim();
        if (!wanted) { return true; }
        if (field.tagName !== "SELECT") { return item.text.indexOf(fold(wanted)) !== -1; }
        var have = item.marker.getAttribute("data-" + field.name);
        if (have === null) { return true; }
        var values = have.split(" ");
        return values.indexOf(wanted) !== -1 || values.indexOf("*") !== -1;
      });
    }

    function apply() {
      var shown = 0;
      var total = 0;
      items.forEach(function (item) {
        var show = matches(item);
        item.element.hidden = !show;
        if (item.counted) {
          total += 1;
          if (show) { shown += 1; }
        }
      });
      // with nothing chosen the list stays as it came, empty groups too: nothing moves as the page loads
      var chosen = fields.some(function (field) { return field.value.trim() !== ""; });
      Array.prototype.forEach.call(groups, function (group) {
        var visible = Array.prototype.some.call(group.querySelectorAll("[data-filter-item]"), function (marker) {
          return !(marker.closest("tr") || marker).hidden;
        });
        group.hidden = chosen && !visible;
      });
      if (count) {
        var template = shown ? form.getAttribute("data-count") : form.getAttribute("data-none");
        count.textContent = (template || "").replace("{shown}", shown).replace("{total}", total);
      }
      var query = new URLSearchParams();
      fields.forEach(function (field) { if (field.value.trim()) { query.set(field.name, field.value.trim()); } });
      var search = query.toString();
      try {
        window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
      } catch (ignored) { /* some browsers refuse it for pages opened from disk */ }
    }

    fields.forEach(function (field) {
      field.addEventListener(field.tagName === "SELECT" ? "change" : "input", apply);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.hidden = false;
    apply();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-filter]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
