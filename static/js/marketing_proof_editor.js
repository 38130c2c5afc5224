// The proof editor (marketing catalogue, back-office): "Preview" posts the form in place and
// swaps the editor with the page the server answers, without reloading. Without this script
// the form posts normally and the page reloads on the proof: same result.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.id !== "proof-form" || !window.fetch) return;
    event.preventDefault();
    var editor = document.getElementById("proof-editor");
    editor.setAttribute("aria-busy", "true");
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var fresh = page.getElementById("proof-editor");
      if (!fresh) { form.submit(); return; }
      editor.replaceWith(fresh);
      var url = fresh.getAttribute("data-proof-url");
      if (url && window.history && window.history.replaceState) window.history.replaceState(null, "", url);
      var target = fresh.querySelector(".errorlist, [role=alert]") || document.getElementById("proof");
      if (target && target.scrollIntoView) target.scrollIntoView({ block: "nearest" });
    }).catch(function () {
      form.submit();
    });
  });
})();
