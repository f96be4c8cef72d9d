/* Sadok map: draws the kindergartens of the page on the Leaflet map that
   django-leaflet creates, each marker with a popup linking to its page. */
(function () {
  "use strict";
  window.sadokShowMarkers = function (map) {
    var source = document.getElementById("sadok-markers");
    if (!source) { return; }
    var markers = JSON.parse(source.textContent);
    var lang = document.documentElement.lang;
    var placesLabel = lang === "en" ? "vacant places: {v}, total: {t}" : "вакантних місць: {v}, всього: {t}";
    var openLabel = lang === "en" ? "Open the page" : "Відкрити сторінку";
    var addLabel = lang === "en" ? "Add to my kindergartens" : "Додати до моїх садочків";
    var bounds = [];
    markers.forEach(function (m) {
      var popup = document.createElement("div");
      var title = document.createElement("strong");
      title.textContent = "№ " + m.number + " · " + m.name;
      var address = document.createElement("div");
      address.textContent = m.address;
      var places = document.createElement("div");
      places.textContent = placesLabel.replace("{v}", m.vacant).replace("{t}", m.total);
      popup.appendChild(title);
      popup.appendChild(address);
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
        fillColor: m.vacant > 0 ? "#1f8f4e" : "#8a8f98",
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
})();
