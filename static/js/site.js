/* Behaviour every page may use, kept out of the markup: the Content-Security-Policy allows no
   inline script or event handler (config/settings.py, docs/operations.md). */
(function () {
  "use strict";

  // <button data-confirm="Sure?">: the form is sent only once the question is answered yes.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // <img data-remove-on-error>: a picture that cannot be drawn leaves no broken icon behind.
  function removeIfBroken(image) {
    if (image.complete && image.naturalWidth === 0) {
      image.remove();
    }
  }
  document.addEventListener(
    "error",
    function (event) {
      if (event.target.matches && event.target.matches("img[data-remove-on-error]")) {
        event.target.remove();
      }
    },
    true
  );
  document.querySelectorAll("img[data-remove-on-error]").forEach(removeIfBroken);
})();
