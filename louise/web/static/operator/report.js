// The what-if panel of the town's report: a changed lever asks the server for the panel
// alone (the same view with teil=waswaere, the period from the panel's hidden fields) and
// puts the answer in place. Without this script the panel's button sends its form.
(function () {
  "use strict";
  var form = document.getElementById("what-if-form");
  var result = document.getElementById("what-if-result");
  if (!form || !result) { return; }
  var levers = ["id_gebuehr", "id_anteil", "id_bestellungen", "id_rad"];
  var pending = null;
  function recompute() {
    var query = new URLSearchParams(new FormData(form));
    query.set("teil", "waswaere");
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(window.location.pathname + "?" + query.toString(), {signal: pending.signal,
                                                 credentials: "same-origin"})
      .then(function (response) { return response.text().then(function (html) {
        // a lever the server refuses comes back as its message, in place of the figures
        result.innerHTML = html;
        result.dataset.state = response.ok ? "fresh" : "error";
      }); })
      .catch(function () { /* a newer request replaced this one */ });
  }
  levers.forEach(function (id) {
    var input = document.getElementById(id);
    if (input) { input.addEventListener("input", recompute); }
  });
})();
