/* Sadok map: draws the kindergartens of the page on the Leaflet map that
   django-leaflet creates, each marker with a popup linking to its page. */
(function () {
  "use strict";
  window.sadokShowMarkers = function (map) {
    var source = document.getElementById("sadok-markers");
    if (!source) { return; }
    var markers = JSON.parse(source.textContent);
    var lang = document.documentElement.lang;
    var en = lang === "en";
    // The same words as the pages (kindergartens/_places.html).
    var freeLabel = en ? "free places: {n}" : "вільних місць: {n}";
    var noneLabel = en ? "no free places" : "вільних місць немає";
    var offeredLabel = en ? "offered to children, awaiting an answer: {n}" : "запропоновано дітям, чекають відповіді: {n}";
    var undeclaredLabel = en ? "places by capacity not declared by the head: {n}" : "місць за нормою, не оголошених керівником: {n}";
    var totalLabel = en ? "places in total: {n}" : "всього місць: {n}";
    var openLabel = lang === "en" ? "Open the page" : "Відкрити сторінку";
    var addLabel = lang === "en" ? "Add to my kindergartens" : "Додати до моїх садочків";
    var bounds = [];
    markers.forEach(function (m) {
      var popup = document.createElement("div");
      var title = document.createElement("strong");
      title.textContent = "№ " + m.number + " · " + m.name;
      var address = document.createElement("div");
      address.textContent = m.address;
      popup.appendChild(title);
      popup.appendChild(address);
      var lines = [
        [m.open > 0 ? freeLabel.replace("{n}", m.open) : noneLabel, m.open > 0 ? "free" : "none"]
      ];
      if (m.offered > 0) { lines.push([offeredLabel.replace("{n}", m.offered), "offered"]); }
      if (m.undeclared > 0) { lines.push([undeclaredLabel.replace("{n}", m.undeclared), "undeclared"]); }
      lines.push([totalLabel.replace("{n}", m.total), "capacity"]);
      var places = document.createElement("div");
      places.className = "places";
      lines.forEach(function (line) {
        var span = document.createElement("span");
        span.className = line[1];
        span.textContent = line[0];
        places.appendChild(span);
        places.appendChild(document.createElement("br"));
      });
      popup.appendChild(places);
      if (m.url) {
        var link = document.createElement("a");
        link.href = m.url;
        link.textContent = openLabel;
        popup.appendChild(link);
      }
      if (m.add_url) {
        var add = document.createElement("a");
        add.href = m.add_url;
        add.className = "popup-add";
        add.textContent = addLabel;
        popup.appendChild(document.createElement("br"));
        popup.appendChild(add);
      }
      var marker = L.circleMarker([m.lat, m.lng], {
        radius: 8,
        weight: 2,
        color: "#0b4f8a",
        // Green only where a declared place is free: room not declared is no vacancy.
        fillColor: m.open > 0 ? "#1f8f4e" : "#8a8f98",
        fillOpacity: 0.9
      });
      marker.bindPopup(popup);
      marker.options.title = "№ " + m.number;
      marker.addTo(map);
      bounds.push([m.lat, m.lng]);
    });
    map.getContainer().dataset.markers = String(markers.length);
    if (bounds.length === 1) {
      map.setView(bounds[0], 15, { animate: false });
    } else if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [20, 20], animate: false });
    }
  };

  // The map itself, as django-leaflet's `leaflet_map` tag would create it, from the
  // options the page carries as data (`map_options`).
  var source = document.getElementById("sadok-map-options");
  if (!source) { return; }
  var options = JSON.parse(source.textContent);
  function loadmap() {
    var map = L.Map.djangoMap(options.name, {
      djoptions: options.djoptions,
      initfunc: loadmap,
      globals: options.globals,
      callback: window.sadokShowMarkers
    });
    if (options.globals) { window["leafletmap" + options.name] = map; }
  }
  if (options.loadevents.length === 0) {
    loadmap();
  } else {
    options.loadevents.forEach(function (name) {
      window.addEventListener(name, loadmap, false);
    });
  }
})();
