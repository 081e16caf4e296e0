/* Progressive enhancement of the customer shop; every page works without it. */
(function () {
  "use strict";

  // A booking form is sent once: a second click would only repeat the same idempotent POST.
  document.querySelectorAll("button[data-once]").forEach(function (button) {
    button.form.addEventListener("submit", function () {
      setTimeout(function () { button.disabled = true; }, 0);
    });
  });

  // Delegated, so forms in the order page's refreshed part ask too.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  });

  function json(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function baseMap(node) {
    if (!window.L || !node) { return null; }
    node.hidden = false;
    var map = L.map(node, { scrollWheelZoom: false });
    var tiles = json("map-tiles");
    if (tiles) { L.tileLayer(tiles, { maxZoom: 18 }).addTo(map); }
    return map;
  }

  // Checkout: show only the chosen destination's fields, show the fee and total the server
  // wrote out for the chosen method, and let the map pick a pickup point or locker.
  var checkout = document.getElementById("checkout-form");
  if (checkout) {
    var data = json("map-places");
    var update = function () {
      var chosen = checkout.querySelector("input[name=method]:checked");
      var method = chosen ? chosen.value : "door";
      checkout.querySelectorAll(".dest").forEach(function (box) {
        box.hidden = box.dataset.method !== method;
      });
      var price = data.prices[method] || data.prices.door;
      document.getElementById("fee").textContent = price.fee;
      document.getElementById("total").textContent = price.total;
      var mapNode = document.getElementById("drop-map");
      mapNode.hidden = method === "door" || !window.L;
    };
    checkout.querySelectorAll("input[name=method]").forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
    window.addEventListener("load", function () {
      var node = document.getElementById("drop-map");
      var map = baseMap(node);
      if (!map || !data.places.length) { return; }
      var bounds = [];
      data.places.forEach(function (place) {
        var marker = L.circleMarker([place.lat, place.lon], {
          radius: 9, color: place.kind === "locker" ? "#08513a" : "#a45f00", weight: 3
        }).addTo(map).bindTooltip(document.createTextNode(place.name)); // a name is text, never HTML
        marker.on("click", function () {
          checkout.querySelector("input[name=method][value=" + place.kind + "]").checked = true;
          checkout.querySelector("select[name=" + (place.kind === "locker" ? "locker" : "pickup_point") + "]").value = place.id;
          update();
        });
        bounds.push([place.lat, place.lon]);
      });
      map.fitBounds(bounds, { padding: [20, 20] });
      update();
    });
  }

  // Order page: refresh the live part (status, ETA, courier) every few seconds.
  function drawCourier() {
    var node = document.getElementById("courier-map");
    if (!node || node.dataset.drawn) { return; }
    var map = baseMap(node);
    if (!map) { return; }
    node.dataset.drawn = "1";
    var courier = node.dataset.courier.split(",").map(Number);
    var target = node.dataset.target.split(",").map(Number);
    L.circleMarker(courier, { radius: 10, color: "#f2b134", fillOpacity: 0.9 }).addTo(map)
      .bindTooltip("Kurier", { permanent: true });
    L.circleMarker(target, { radius: 10, color: "#08513a", fillOpacity: 0.9 }).addTo(map)
      .bindTooltip("Sie", { permanent: true });
    map.fitBounds([courier, target], { padding: [40, 40], maxZoom: 16 });
  }
  var live = document.getElementById("live");
  if (live && live.dataset.url) {
    window.addEventListener("load", drawCourier);
    setInterval(function () {
      if (document.hidden) { return; }
      fetch(live.dataset.url, { credentials: "same-origin" }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (html && html !== live.innerHTML) { live.innerHTML = html; drawCourier(); }
      }).catch(function () { /* offline for a moment: try again next time */ });
    }, (Number(live.dataset.poll) || 20) * 1000);
  }
})();
