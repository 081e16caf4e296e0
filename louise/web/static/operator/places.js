/* The operator's console for places: the zones' map, drawing a zone's area (Leaflet.draw),
 * and the small map that places a hub, pickup point or locker.
 *
 * Progressive enhancement: every form works without this script (the area is GeoJSON text,
 * the position two numbers). The script keeps the text and the drawing in step; the server
 * checks whatever is sent. Data comes in json_script blocks (the Content-Security-Policy
 * runs no inline script). */
(function () {
  "use strict";

  const ON = {color: "#0b6e4f", weight: 2, fillOpacity: 0.25};
  const OFF = {color: "#6b7280", weight: 2, dashArray: "6 4", fillOpacity: 0.08};
  const OTHER = {color: "#6b7280", weight: 1, fillOpacity: 0.05, interactive: false};

  function data(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function baseMap(element) {
    const config = data("map-config");
    const map = L.map(element).setView(config.center, 13);
    L.tileLayer(config.tiles, {attribution: config.attribution, maxZoom: 19}).addTo(map);
    return map;
  }

  function fit(map, layer) {
    const bounds = layer.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, {padding: [20, 20]}); }
  }

  /* ---- the zones of the town ------------------------------------------------------- */
  function zonesMap(element) {
    const map = baseMap(element);
    const all = L.featureGroup().addTo(map);
    for (const zone of data("zones-data") || []) {
      if (!zone.area) { continue; }
      L.geoJSON(zone.area, {style: zone.active ? ON : OFF})
        .bindTooltip(zone.name + (zone.active ? "" : " (ausgeschaltet)"))
        .on("click", function () { window.location.href = zone.url; })
        .addTo(all);
    }
    fit(map, all);
  }

  /* ---- drawing one zone's area ------------------------------------------------------ */
  function german() {
    const draw = L.drawLocal.draw;
    draw.toolbar.buttons.polygon = "Fläche zeichnen";
    draw.toolbar.buttons.rectangle = "Rechteck zeichnen";
    draw.toolbar.actions = {title: "Zeichnen abbrechen", text: "Abbrechen"};
    draw.toolbar.finish = {title: "Fläche abschließen", text: "Fertig"};
    draw.toolbar.undo = {title: "Letzten Punkt löschen", text: "Letzten Punkt löschen"};
    draw.handlers.polygon.tooltip = {start: "Klicken, um die erste Ecke zu setzen.",
      cont: "Klicken, um weitere Ecken zu setzen.",
      end: "Auf die erste Ecke klicken, um die Fläche zu schließen."};
    draw.handlers.rectangle.tooltip.start = "Klicken und ziehen.";
    draw.handlers.simpleshape.tooltip.end = "Loslassen, um das Rechteck abzuschließen.";
    draw.handlers.polyline.error = "<strong>Fehler:</strong> Kanten dürfen sich nicht kreuzen.";
    const edit = L.drawLocal.edit;
    edit.toolbar.buttons = {edit: "Fläche ändern", editDisabled: "Keine Fläche zum Ändern",
      remove: "Fläche löschen", removeDisabled: "Keine Fläche zum Löschen"};
    edit.toolbar.actions.save = {title: "Änderung übernehmen", text: "Übernehmen"};
    edit.toolbar.actions.cancel = {title: "Änderung verwerfen", text: "Verwerfen"};
    edit.toolbar.actions.clearAll = {title: "Alles löschen", text: "Alles löschen"};
    edit.handlers.edit.tooltip = {text: "Ecken ziehen, um die Fläche zu ändern.", subtext: ""};
    edit.handlers.remove.tooltip = {text: "Auf die Fläche klicken, um sie zu löschen."};
  }

  function toGeometry(group) {
    const polygons = [];
    group.eachLayer(function (layer) {
      const geometry = layer.toGeoJSON().geometry;
      if (geometry.type === "Polygon") { polygons.push(geometry.coordinates); }
      if (geometry.type === "MultiPolygon") { polygons.push(...geometry.coordinates); }
    });
    if (!polygons.length) { return null; }
    return polygons.length === 1 ? {type: "Polygon", coordinates: polygons[0]}
      : {type: "MultiPolygon", coordinates: polygons};
  }

  function zoneEditor(element) {
    const form = document.getElementById("zone-form");
    const text = form.elements.area;
    const map = baseMap(element);
    for (const other of data("other-zones") || []) {
      L.geoJSON(other.area, {style: OTHER}).bindTooltip(other.name).addTo(map);
    }
    const drawn = L.featureGroup().addTo(map);

    // The text, if it is GeoJSON, on the map (as typed or pasted; the server judges it).
    function fromText() {
      drawn.clearLayers();
      if (!text.value.trim()) { return; }
      let value;
      try { value = JSON.parse(text.value); } catch (e) { return; }
      try {
        L.geoJSON(value, {style: ON}).eachLayer(function (layer) {
          if (layer instanceof L.Polygon) { drawn.addLayer(layer); }
        });
      } catch (e) { return; }
      fit(map, drawn);
    }

    function toText() {
      const geometry = toGeometry(drawn);
      text.value = geometry ? JSON.stringify(geometry) : "";
    }

    german();
    map.addControl(new L.Control.Draw({
      position: "topleft",
      draw: {polygon: {allowIntersection: false, showArea: false, shapeOptions: ON},
        rectangle: {showArea: false, shapeOptions: ON},
        polyline: false, circle: false, marker: false, circlemarker: false},
      edit: {featureGroup: drawn},
    }));
    map.on(L.Draw.Event.CREATED, function (event) { drawn.addLayer(event.layer); toText(); });
    map.on(L.Draw.Event.EDITED, toText);
    map.on(L.Draw.Event.DELETED, toText);
    text.addEventListener("input", fromText);
    fromText();
  }

  /* ---- the position of a hub, point or locker --------------------------------------- */
  function placeMap(element) {
    const form = document.getElementById("place-form");
    const lat = form.elements.lat;
    const lon = form.elements.lon;
    const map = baseMap(element);
    let marker = null;
    let first = true;

    function show(recentre) {
      const position = [parseFloat(lat.value), parseFloat(lon.value)];
      if (!isFinite(position[0]) || !isFinite(position[1])) { return; }
      if (marker) { marker.setLatLng(position); } else {
        marker = L.circleMarker(position, {radius: 9, color: "#1d2b2a", fillColor: "#f2b134",
          fillOpacity: 1, weight: 3}).addTo(map);
      }
      if (recentre) { map.setView(position, Math.max(map.getZoom(), 15), {animate: !first}); }
      first = false;
    }

    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      show(false);
    });
    lat.addEventListener("change", function () { show(true); });
    lon.addEventListener("change", function () { show(true); });
    form.addEventListener("address-chosen", function () { show(true); });
    show(true);
  }

  const zones = document.getElementById("zones-map");
  if (zones) { zonesMap(zones); }
  const editor = document.getElementById("zone-map");
  if (editor) { zoneEditor(editor); }
  const place = document.getElementById("place-map");
  if (place) { placeMap(place); }
})();
