/* Progressive enhancement of the depot's page; every action works without it. */
(function () {
  "use strict";

  // Holding a delivery back takes its stops off tonight's tour: ask once more.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  });
})();
