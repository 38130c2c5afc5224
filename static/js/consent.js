/* The cookie banner: saves the visitor's choice without leaving the page, reopens from the
   footer's "Manage cookies", and tells the page's maps ("nm:cookie-choice" event, with the
   categories allowed). Without this file the banner is a plain form and the footer link leads
   to the cookies page. Nothing here sets a cookie: the server does, once she chose. */
(function () {
  "use strict";

  var banner = document.querySelector("[data-cookie-banner]");
  var form = banner && banner.querySelector("[data-cookie-form]");

  function announce(granted) {
    document.dispatchEvent(new CustomEvent("nm:cookie-choice", { detail: { granted: granted } }));
  }

  // Save a choice: `fields` as the form would send them ({choice, maps, source}).
  function save(fields) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (name) {
      body.append(name, fields[name]);
    });
    var token = form && form.querySelector("[name=csrfmiddlewaretoken]");
    return fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "X-CSRFToken": token ? token.value : "",
      },
      body: body,
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (answer) {
        if (banner) banner.hidden = true;
        announce(answer.granted);
        return answer.granted;
      });
  }

  window.NMConsent = { save: save };

  if (!banner || !form || !window.fetch) return;

  var details = banner.querySelector("[data-cookie-details]");
  var customise = banner.querySelector("[data-cookie-customise]");
  var customiseLink = banner.querySelector("[data-cookie-customise-link]");
  if (customise && customiseLink && details) {
    customiseLink.hidden = true;
    customise.hidden = false;
    customise.addEventListener("click", function () {
      details.open = !details.open;
      customise.setAttribute("aria-expanded", details.open ? "true" : "false");
      if (details.open) {
        var first = details.querySelector("input:not([disabled])");
        if (first) first.focus();
      }
    });
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (!submitter || !submitter.value) return;
    event.preventDefault();
    var fields = { choice: submitter.value, source: "banner" };
    form.querySelectorAll("input[type=checkbox][name]").forEach(function (box) {
      if (box.checked) fields[box.name] = "on";
    });
    save(fields).catch(function () {
      // The server will say what went wrong on the cookies page: send the form as it is.
      var chosen = document.createElement("input");
      chosen.type = "hidden";
      chosen.name = "choice";
      chosen.value = submitter.value;
      form.appendChild(chosen);
      form.submit();
    });
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-open-cookie-banner]");
    if (!link) return;
    event.preventDefault();
    banner.hidden = false;
    banner.focus();
  });
})();
