// Copy buttons: <button data-copy="ID"> copies the value of the field with that id (an
// invitation link, the shop's button snippet), shared by the back office and the console.
(function () {
  "use strict";

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.dataset.copy);
      field.select();
      navigator.clipboard.writeText(field.value).then(function () { button.textContent = "Kopiert ✓"; });
    });
  });
})();
