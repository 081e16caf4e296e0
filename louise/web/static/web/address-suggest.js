// Street suggestions for an address form, shared by the customer shop and the shop's counter.
//
// Progressive enhancement: a <form data-suggest="URL"> with a `street` field works as a plain
// form; with this script the street field becomes an ARIA combobox (WAI-ARIA APG "list
// autocomplete") whose listbox offers the gazetteer's streets and houses. Choosing one fills
// the street (keeping a house number already typed) and whichever of the form's postcode,
// city, district, lat and lon fields exist. URL answers a list of suggestions, or
// {"results": [...]} (the counter's own endpoint).
(function () {
  "use strict";

  var FILLED = ["postcode", "city", "district", "lat", "lon"];
  // Only valid together with the street they came from.
  var POSITION = ["lat", "lon"];

  function attach(form) {
    var street = form.elements.street;
    if (!street) { return; }
    var listId = street.id + "-suggestions";
    var box = document.createElement("div");
    var list = document.createElement("ul");
    var status = document.createElement("p");
    box.className = "suggest";
    list.className = "suggestions";
    list.id = listId;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Adressvorschläge");
    list.hidden = true;
    status.className = "suggest-status";
    status.setAttribute("role", "status");
    // Someone quick may be typing already (the script is deferred); moving the field into
    // the box takes its focus, so give it back and answer what was typed (below).
    var typing = document.activeElement === street;
    street.parentNode.insertBefore(box, street);
    box.appendChild(street);
    box.appendChild(list);
    box.appendChild(status);
    if (typing) { street.focus(); }
    street.setAttribute("role", "combobox");
    street.setAttribute("aria-autocomplete", "list");
    street.setAttribute("aria-controls", listId);
    street.setAttribute("aria-expanded", "false");
    street.setAttribute("autocomplete", "off");  // one popup, not the browser's on top of ours

    var timer = null;
    var results = [];
    var active = -1;
    var chosen = null;
    var asked = 0;

    function field(name) { return form.elements[name] || null; }

    function close() {
      list.hidden = true;
      street.setAttribute("aria-expanded", "false");
      street.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute("aria-selected", String(i === index));
      });
      if (index < 0) { street.removeAttribute("aria-activedescendant"); return; }
      street.setAttribute("aria-activedescendant", listId + "-" + index);
      list.children[index].scrollIntoView({ block: "nearest" });
    }

    function choose(item) {
      var typed = (street.value.match(/\s(\d+\s?[a-zA-Z]?)$/) || ["", ""])[1];
      chosen = item.street;
      street.value = item.street + " " + (item.housenumber || typed);
      FILLED.forEach(function (name) {
        if (field(name) && item[name] !== undefined && item[name] !== "") {
          field(name).value = item[name];
        }
      });
      close();
      // For whoever shows the place, e.g. the operator console's small map.
      form.dispatchEvent(new CustomEvent("address-chosen", { detail: item }));
      status.textContent = item.housenumber ? "" : "Bitte die Hausnummer ergänzen.";
      street.focus();
      street.setSelectionRange(street.value.length, street.value.length);
    }

    function show(items) {
      results = items;
      list.innerHTML = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.textContent = item.label;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        // mousedown, not click: the field must not lose focus (and close the list) first.
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(item); });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      street.setAttribute("aria-expanded", String(items.length > 0));
      active = -1;
      status.textContent = items.length ? items.length + " Vorschläge, mit Pfeiltasten wählen."
        : "Keine Vorschläge.";
    }

    function ask() {
      var q = street.value.trim();
      if (q.length < 2) { close(); return; }
      var ticket = ++asked;  // answers may overtake each other: only the latest counts
      fetch(form.dataset.suggest + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (data) {
          if (ticket === asked) { show(Array.isArray(data) ? data : data.results); }
        })
        .catch(function () { /* offline: the form still works without suggestions */ });
    }

    street.addEventListener("input", function () {
      // Typing the house number keeps the chosen street; changing the street forgets it.
      if (chosen && street.value.startsWith(chosen + " ")) { close(); return; }
      chosen = null;
      POSITION.forEach(function (name) { if (field(name)) { field(name).value = ""; } });
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    street.addEventListener("keydown", function (e) {
      var open = !list.hidden && results.length > 0;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!results.length) { return; }
        e.preventDefault();
        if (!open) { list.hidden = false; street.setAttribute("aria-expanded", "true"); }
        var next = active + (e.key === "ArrowDown" ? 1 : -1);  // wraps at both ends
        highlight(next >= results.length ? 0 : next < 0 ? results.length - 1 : next);
      } else if (e.key === "Enter" && open) {
        e.preventDefault();
        choose(results[Math.max(active, 0)]);
      } else if (e.key === "Escape" && open) {
        e.preventDefault();
        close();
      }
    });
    street.addEventListener("blur", close);
    if (typing) { ask(); }
  }

  document.querySelectorAll("form[data-suggest]").forEach(attach);
})();
