/* Storefront enhancements. Every page works without this file: the maps only add to the lists
   next to them, the variant choice and the sort order are plain GET forms, the position is
   an optional alternative to typing a postal code. */
(function () {
  "use strict";

  var MANY_MARKERS = 200;
  // The visitor allowed the tiles on this page (the placeholder's button, or her cookie
  // choice): a map drawn afterwards (another variant) loads them too.
  var tilesAllowedHere = false;
  var pendingTiles = [];

  function readJson(id) {
    var element = id && document.getElementById(id);
    if (!element) return null;
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text || "";
    return div.innerHTML;
  }

  function popupFor(point, linkLabel) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = point.name;
    box.appendChild(name);
    [point.address, point.detail].forEach(function (line) {
      if (!line) return;
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(line));
    });
    if (point.url) {
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = linkLabel;
      box.appendChild(document.createElement("br"));
      box.appendChild(link);
    }
    return box;
  }

  function markerIcon(element) {
    // Leaflet guesses its images' folder from leaflet.css's URL, which the hashed static
    // names defeat (404s): name each image instead.
    if (!element.dataset.markerIcon) return new window.L.Icon.Default();
    return window.L.icon({
      iconUrl: element.dataset.markerIcon,
      iconRetinaUrl: element.dataset.markerIcon2x,
      shadowUrl: element.dataset.markerShadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      tooltipAnchor: [16, -28],
      shadowSize: [41, 41],
    });
  }

  function watchTiles(element, tiles) {
    // No tile at all (offline, blocked): say so; the markers and the list still work.
    var loaded = false;
    var note = document.getElementById(element.id + "-offline");
    tiles.on("tileload", function () {
      loaded = true;
      element.classList.remove("store-map--no-tiles");
      if (note) note.hidden = true;
    });
    tiles.on("tileerror", function () {
      if (loaded) return;
      element.classList.add("store-map--no-tiles");
      if (note) note.hidden = false;
    });
  }

  function addTiles(element, map) {
    // The only place a tile is asked for: after the visitor allowed it.
    if (element.dataset.tilesLoaded) return;
    element.dataset.tilesLoaded = "1";
    var tiles = window.L.tileLayer(element.dataset.tiles, {
      maxZoom: 19,
      attribution:
        '&copy; <a href="https://www.openstreetmap.org/copyright">' +
        escapeHtml(element.dataset.attribution) +
        "</a>",
    });
    watchTiles(element, tiles);
    tiles.addTo(map);
    var placeholder = document.getElementById(element.id + "-consent");
    if (placeholder) placeholder.hidden = true;
  }

  function loadAllTiles() {
    tilesAllowedHere = true;
    pendingTiles.splice(0).forEach(function (pending) {
      addTiles(pending.element, pending.map);
    });
  }

  function askForTiles(element, map) {
    // The markers show on a blank background; the placeholder offers the tiles, once or
    // for good (recorded as her cookie choice).
    pendingTiles.push({ element: element, map: map });
    var placeholder = document.getElementById(element.id + "-consent");
    if (!placeholder) return;
    placeholder.hidden = false;
    var button = placeholder.querySelector("[data-load-tiles]");
    var remember = placeholder.querySelector("[data-remember-maps]");
    button.addEventListener("click", function () {
      if (remember && remember.checked && window.NMConsent) {
        window.NMConsent.save({ choice: "custom", maps: "on", source: "map" }).catch(function () {
          return null;
        });
      }
      loadAllTiles();
    });
  }

  document.addEventListener("nm:cookie-choice", function (event) {
    if (event.detail && event.detail.granted && event.detail.granted.indexOf("maps") !== -1) {
      loadAllTiles();
    }
  });

  function initMaps(root) {
    if (!window.L) return; // Leaflet did not load: the list is the whole story.
    root.querySelectorAll("[data-store-map]").forEach(function (element) {
      if (element.dataset.ready) return;
      var points = readJson(element.dataset.storeMap) || [];
      var here = readJson(element.dataset.here);
      if (!points.length && !here) return;
      element.dataset.ready = "1";
      element.hidden = false;
      var many = points.length > MANY_MARKERS;
      var map = window.L.map(element, { scrollWheelZoom: false, preferCanvas: many });
      if (element.dataset.tilesAllowed || tilesAllowedHere) {
        addTiles(element, map);
      } else {
        askForTiles(element, map);
      }
      var icon = markerIcon(element);
      var bounds = [];
      var focused = points.some(function (point) {
        return point.focus;
      });
      points.forEach(function (point) {
        var position = [point.lat, point.lng];
        var marker = many
          ? window.L.circleMarker(position, { radius: 6, color: "#22443a", fillColor: "#2f5d50", fillOpacity: 0.85 })
          : window.L.marker(position, { title: point.name, alt: point.name, icon: icon });
        marker.bindPopup(popupFor(point, element.dataset.linkLabel)).addTo(map);
        if (point.focus || !focused) bounds.push(position);
      });
      if (here) {
        window.L.circleMarker([here.lat, here.lng], {
          radius: 9, color: "#ffffff", weight: 3, fillColor: "#b5452a", fillOpacity: 1,
        })
          .bindTooltip(element.dataset.hereLabel + " · " + here.label)
          .addTo(map);
        bounds.push([here.lat, here.lng]);
      }
      if (bounds.length === 1) {
        map.setView(bounds[0], 14);
      } else {
        map.fitBounds(bounds, { padding: [28, 28], maxZoom: 14 });
      }
    });
  }

  function initGeolocation(root) {
    if (!("geolocation" in navigator)) return;
    root.querySelectorAll("[data-geolocate]").forEach(function (button) {
      if (button.dataset.ready) return;
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var form = button.closest("form");
        button.disabled = true;
        navigator.geolocation.getCurrentPosition(
          function (position) {
            form.querySelectorAll('input[type="text"]').forEach(function (input) {
              input.value = "";
            });
            [["lat", position.coords.latitude], ["lng", position.coords.longitude]].forEach(
              function (pair) {
                var input = document.createElement("input");
                input.type = "hidden";
                input.name = pair[0];
                input.value = pair[1].toFixed(5);
                form.appendChild(input);
              }
            );
            form.submit();
          },
          function () {
            button.disabled = false;
            var note = form.querySelector(".geolocate-error") || document.createElement("p");
            note.className = "field-error geolocate-error";
            note.setAttribute("role", "alert");
            note.textContent = button.dataset.error;
            button.after(note);
          },
          { timeout: 10000, maximumAge: 600000 }
        );
      });
    });
  }

  function initForms(root) {
    root.querySelectorAll("[data-hidden-with-js]").forEach(function (element) {
      element.hidden = true;
    });
    root.querySelectorAll(".listing__sort select").forEach(function (select) {
      select.addEventListener("change", function () {
        select.form.submit();
      });
    });
    if (window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) {
      root.querySelectorAll("[data-open-when-wide]").forEach(function (details) {
        details.open = true;
      });
    }
  }

  function loadScripts(fresh, done) {
    // Scripts parsed by DOMParser never run: load the ones the page does not have yet.
    var missing = Array.prototype.filter.call(fresh.querySelectorAll("script[src]"), function (s) {
      return !document.querySelector('script[src="' + s.getAttribute("src") + '"][data-loaded]') &&
        !(s.getAttribute("src").indexOf("leaflet") !== -1 && window.L);
    });
    if (!missing.length) return done();
    var pending = missing.length;
    missing.forEach(function (old) {
      var script = document.createElement("script");
      script.src = old.getAttribute("src");
      script.dataset.loaded = "1";
      script.onload = script.onerror = function () {
        pending -= 1;
        if (!pending) done();
      };
      document.head.appendChild(script);
    });
  }

  function initVariantSwitch() {
    if (!window.fetch || !window.DOMParser || !window.history.replaceState) return;
    document.addEventListener("change", function (event) {
      var input = event.target;
      var form = input.closest && input.closest("[data-variant-form]");
      if (!form || input.name !== "variant") return;
      var panel = form.closest("[data-variant-panel]");
      var url = new URL(form.action, window.location.href);
      url.searchParams.set("variant", input.value);
      panel.setAttribute("aria-busy", "true");
      fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.querySelector("[data-variant-panel]");
          if (!fresh) throw new Error("no panel");
          panel.replaceWith(fresh);
          window.history.replaceState(null, "", url);
          initForms(fresh);
          initGeolocation(fresh);
          loadScripts(fresh, function () {
            initMaps(fresh);
          });
          var chosen = fresh.querySelector('input[name="variant"]:checked');
          if (chosen) chosen.focus();
        })
        .catch(function () {
          form.submit();
        });
    });
  }

  function init() {
    initForms(document);
    initGeolocation(document);
    initMaps(document);
    initVariantSwitch();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
