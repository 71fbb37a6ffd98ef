/* "Copier le lien" on place pages; without JavaScript the address stays selectable text. */
(function () {
  "use strict";
  if (window.annuaireCopier) { return; }
  window.annuaireCopier = true;
  function init() {
    document.querySelectorAll("[data-annuaire-copier]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-annuaire-copier"));
      var state = document.getElementById("partage-etat");
      if (!field) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var done = function () { state.textContent = "Lien copié. Vous pouvez le coller dans un message."; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(field.value).then(done, function () { field.select(); document.execCommand("copy"); done(); });
        } else { field.select(); document.execCommand("copy"); done(); }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
