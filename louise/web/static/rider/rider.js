/* LOUISE rider app: today's tour stop by stop, working on a flaky connection.
 *
 * Every action (collect, deliver, fail) goes into an outbox in IndexedDB first, with an
 * idempotency key made at the tap, and is shown as done at once. The outbox is sent in
 * order, one action at a time, whenever the phone is online; the server applies each key
 * exactly once, so a resend after a lost answer is harmless. A refusal (wrong parcel count,
 * wrong locker code) is shown on its stop and the stop opens again.
 *
 * The order of stops is a recommendation: the rider may open any stop, except a drop whose
 * pickup on this tour is not done yet. The page opens at the first unfinished stop; the
 * finished ones before it are folded away, and stops at one place share one heading. */
(function () {
  "use strict";
  const dataNode = document.getElementById("tour-data");
  if (!dataNode) return;
  const tour = JSON.parse(dataNode.textContent);
  // A data block, not an inline script: the Content-Security-Policy runs only our files.
  const RIDER = JSON.parse(document.getElementById("rider-config").textContent);
  const $ = (sel, root = document) => root.querySelector(sel);
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  const time = (iso) => new Date(iso).toLocaleTimeString("de-DE", {hour: "2-digit", minute: "2-digit", timeZone: "Europe/Berlin"});
  const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`);
  // stop id -> message of a refused action; kept across the reload that fetches the tour
  // anew after a failed pickup, so a refusal is still told after it
  const errors = JSON.parse(sessionStorage.getItem("rider-errors") || "{}");
  sessionStorage.removeItem("rider-errors");
  const plural = (n, one, many) => `${n} ${(window.ngettext || ((a, b, k) => (k === 1 ? a : b)))(one, many, n)}`;
  let chosen = null;  // the stop the rider opened out of order

  /* ---- outbox (IndexedDB) ---------------------------------------------------------- */
  const db = new Promise((resolve, reject) => {
    const open = indexedDB.open("louise-rider", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("outbox", {keyPath: "seq", autoIncrement: true});
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  async function store(mode, fn) {
    const tx = (await db).transaction("outbox", mode);
    const result = fn(tx.objectStore("outbox"));
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve(result.result);
      tx.onerror = () => reject(tx.error);
    });
  }
  const outboxAll = () => store("readonly", (s) => s.getAll());
  const outboxAdd = (item) => store("readwrite", (s) => s.add(item));
  const outboxDelete = (seq) => store("readwrite", (s) => s.delete(seq));

  async function enqueue(stop, kind, data, photo) {
    delete errors[stop.id];
    if (chosen === stop.id) chosen = null;
    if (kind === "fail" && stop.kind === "pickup") {
      // Nothing collected, nothing to deliver: the drop leaves the tour (the server agrees).
      tour.stops = tour.stops.filter((s) => !(s.leg === stop.leg && s.kind === "delivery" && s.status === "pending"));
      reloadAfterFlush = true;
    }
    await outboxAdd({key: newKey(), tour: tour.id, stop_id: stop.id, kind, data, photo: photo || null, at: new Date().toISOString()});
    await render();
    flush();
  }

  let flushing = false;
  let signedOut = false;
  let reloadAfterFlush = false;
  async function flush() {
    if (flushing || !navigator.onLine) return;
    flushing = true;
    try {
      for (;;) {
        const items = (await outboxAll()).filter((i) => i.tour === tour.id);
        if (!items.length) break;
        const item = items[0];  // oldest first: the server sees them in the rider's order
        const form = new FormData();
        form.append("key", item.key);
        form.append("kind", item.kind);
        form.append("stop_id", String(item.stop_id));
        form.append("data", JSON.stringify(item.data));
        form.append("at", item.at);
        if (item.photo) form.append("photo", item.photo, "nachweis.jpg");
        let response;
        try {
          response = await fetch("/api/v1/rider/actions", {method: "POST", body: form, credentials: "same-origin", headers: {"X-CSRFToken": RIDER.csrf}});
        } catch (err) {
          break;  // offline again: keep it, try later
        }
        if (response.status === 401 || response.status === 403) {
          signedOut = true;  // the session ended: keep everything, ask to sign in again
          break;
        }
        if (response.status >= 500) break;
        const body = await response.json().catch(() => ({}));
        const stop = tour.stops.find((s) => s.id === item.stop_id);
        if (response.ok) {
          if (stop) {
            stop.status = body.result.status;
            if (body.result.fallback) { stop.fallback = body.result.fallback; reloadAfterFlush = true; }
          }
        } else if (stop) {
          errors[stop.id] = body.detail || `Abgelehnt (${response.status})`;
          delete scanned[stop.id];  // scan afresh: a refused label must not stick
        }
        await outboxDelete(item.seq);
        await render();
      }
    } finally {
      flushing = false;
    }
    if (reloadAfterFlush && navigator.onLine && !(await outboxAll()).length) {
      reloadAfterFlush = false;
      sessionStorage.setItem("rider-errors", JSON.stringify(errors));
      location.reload();  // the fallback changed the tour: fetch its new stops
    }
  }

  /* ---- rendering ------------------------------------------------------------------- */
  function navLinks(s) {
    const q = encodeURIComponent(s.label);
    return `<a class="btn btn-secondary small" href="geo:${s.lat},${s.lon}?q=${s.lat},${s.lon}(${q})">Navigation</a>
      <a class="btn btn-secondary small" target="_blank" rel="noopener" href="https://www.openstreetmap.org/directions?engine=fossgis_osrm_bike&route=%3B${s.lat}%2C${s.lon}">OSM-Route</a>`;
  }

  function pickupForm(s) {
    return `<form class="act collect" data-stop="${s.id}">
      <p><strong>Abholen:</strong> ${plural(s.parcels, "Paket", "Pakete")}, Bestellung ${esc(s.order)}</p>
      ${s.shopping ? `<p><a class="btn btn-secondary" href="/fahrer/einkauf/${encodeURIComponent(s.order)}/">Einkaufszettel: erst einkaufen</a></p>` : ""}
      <div class="scan-area"></div>
      <button type="button" class="btn btn-secondary scan">Etikett scannen</button>
      <label>Code vom Etikett (oder tippen) <input name="code" autocomplete="off" placeholder="LOUISE:${esc(s.order)}:1/${s.parcels}"></label>
      <p class="codes muted small" aria-live="polite"></p>
      <label>Anzahl Pakete <input name="parcels" type="number" min="0" max="99" inputmode="numeric" required></label>
      <button class="btn" type="submit">Abholung bestätigen</button></form>
    ${failForm(s, "Abholung nicht möglich, weil", "Abholung gescheitert")}`;
  }

  function failForm(s, question, button) {
    return `<form class="act fail" data-stop="${s.id}">
      <label>${question} <select name="reason">${Object.entries(s.reasons).map(([k, l]) => `<option value="${k}">${esc(l)}</option>`).join("")}</select></label>
      <button class="btn btn-danger" type="submit">${button}</button></form>`;
  }

  function deliverForm(s) {
    const locker = s.locker ? `<p class="locker"><strong>Paketstation, Fach ${s.locker.number}</strong> – Code ${esc(s.locker.code)}</p>` : "";
    return `<form class="act deliver" data-stop="${s.id}">
      <p><strong>Abliefern:</strong> ${plural(s.parcels, "Paket", "Pakete")} an ${esc(s.recipient)} ${s.order ? `(${esc(s.order)})` : ""}</p>${locker}
      <fieldset class="methods"><legend>Nachweis</legend>
        ${[["photo", "Foto"], ["signature", "Unterschrift"], ["name", "Name"], ["locker_code", "Fachcode"]].map(([v, l], i) =>
          `<label class="method"><input type="radio" name="proof" value="${v}" ${(s.locker ? v === "locker_code" : i === 0) ? "checked" : ""}> ${l}</label>`).join("")}
      </fieldset>
      <div class="proof proof-photo"><label>Foto aufnehmen <input type="file" name="photo" accept="image/*" capture="environment"></label></div>
      <div class="proof proof-signature"><canvas class="sig" width="320" height="140" aria-label="Unterschrift"></canvas>
        <button type="button" class="link sig-clear">Löschen</button></div>
      <div class="proof proof-name"><label>Name des Empfängers <input name="recipient_name" autocomplete="off"></label></div>
      <div class="proof proof-locker_code"><label>Fachcode eingeben <input name="locker_code" inputmode="numeric" autocomplete="off"></label></div>
      <button class="btn" type="submit">Zugestellt</button>
    </form>
    ${failForm(s, "Nicht zustellbar, weil", "Nicht zustellbar")}`;
  }

  const FALLBACKS = {locker: "Paketstation", point: "Abholstelle", next_wave: "nächste Lieferwelle", hub: "zurück zur City-Station"};

  function card(s, waiting, open, blocker) {
    const state = waiting ? "gespeichert – wird gesendet" : s.status === "done" ? "erledigt" : s.status === "failed" ? `${s.kind === "pickup" ? "nicht abgeholt" : "nicht zugestellt"}${s.failure ? `: ${esc(s.failure)}` : ""}${s.fallback ? ` → ${FALLBACKS[s.fallback] || esc(s.fallback)}` : ""}` : "";
    const index = tour.stops.indexOf(s) + 1;
    const later = s.status === "pending" && !waiting && !open;
    return `<li class="stop-card ${s.status} ${waiting ? "queued" : ""} ${open ? "current" : ""}" data-stop="${s.id}" id="stop-${s.id}">
      <div class="stop-head"><span class="seq">${index}</span>
        <div><small class="of">Stopp ${index} von ${tour.stops.length}</small><br><strong>${esc(s.kind_label)}</strong> · ${esc(s.label)}<br>
        <small>${time(s.window[0])}–${time(s.window[1])} Uhr · ${s.done_at ? `um ${time(s.done_at)}` : `ETA ${time(s.eta)}`}</small></div>
        ${state ? `<span class="badge state">${state}</span>` : ""}</div>
      ${s.notes ? `<p class="notes">${esc(s.notes)}</p>` : ""}
      ${s.phone && open ? `<p><a href="tel:${esc(s.phone)}">${esc(s.phone)}</a></p>` : ""}
      ${errors[s.id] ? `<p class="error" role="alert">${esc(errors[s.id])}</p>` : ""}
      ${later && blocker ? `<p class="muted small">Erst abholen: Stopp ${tour.stops.indexOf(blocker) + 1}</p>` : ""}
      ${later && !blocker ? `<button type="button" class="btn btn-secondary small choose" data-stop="${s.id}">Diesen Stopp jetzt machen</button>` : ""}
      ${open ? `<div class="nav">${navLinks(s)}</div>${s.kind === "pickup" ? pickupForm(s) : deliverForm(s)}` : ""}
    </li>`;
  }

  /* ---- the list: folded history, places, cards redrawn only when they changed ------ */
  const cards = new Map();   // stop id -> its <li>
  const groups = new Map();  // first stop id of a place -> its <li>
  const finished = document.createElement("li");
  finished.className = "finished";
  finished.innerHTML = '<details><summary></summary><ol class="stops"></ol></details>';

  /* Put `nodes` into `parent` in this order; nodes already in place are not touched (a
   * moved field would lose its focus and what is being typed). */
  function place(parent, nodes) {
    nodes.forEach((node, i) => { if (parent.children[i] !== node) parent.insertBefore(node, parent.children[i] || null); });
    while (parent.children.length > nodes.length) parent.lastElementChild.remove();
  }

  function cardNode(s, waiting, open, blocker) {
    const sig = JSON.stringify([s.id, s.status, waiting, open, errors[s.id] || "", s.fallback, s.eta, tour.stops.indexOf(s), tour.stops.length, blocker && blocker.id]);
    const old = cards.get(s.id);
    if (old && old.dataset.sig === sig) return old;
    const tpl = document.createElement("template");
    tpl.innerHTML = card(s, waiting, open, blocker).trim();
    const fresh = tpl.content.firstElementChild;
    fresh.dataset.sig = sig;
    if (old && old.parentNode) old.replaceWith(fresh);
    cards.set(s.id, fresh);
    fresh.querySelectorAll("form.deliver").forEach(setupDeliver);
    return fresh;
  }

  /* Consecutive stops at one place (same coordinates) under one heading with their parcels. */
  function groupNode(stops, nodes) {
    let node = groups.get(stops[0].id);
    if (!node) {
      node = document.createElement("li");
      node.className = "place-group";
      node.innerHTML = '<h2 class="place"></h2><ol class="stops"></ol>';
      groups.set(stops[0].id, node);
    }
    const parcels = stops.reduce((n, s) => n + s.parcels, 0);
    const orders = stops.map((s) => s.order).filter(Boolean);
    const heading = `${stops[0].label} · ${plural(stops.length, "Stopp", "Stopps")} · ${plural(parcels, "Paket", "Pakete")}${orders.length ? ` (${orders.join(", ")})` : ""}`;
    const h = node.firstElementChild;
    if (h.textContent !== heading) h.textContent = heading;
    place(node.lastElementChild, nodes);
    return node;
  }

  const isDone = (s, queued) => s.status !== "pending" || queued.has(s.id);

  /* The pending pickup on this tour that a drop has to wait for, if any. */
  function blockerOf(s, queued) {
    if (s.kind !== "delivery") return null;
    return tour.stops.find((p) => p.leg === s.leg && p.kind === "pickup" && !isDone(p, queued)) || null;
  }

  function currentStop(queued) {
    const open = tour.stops.filter((s) => !isDone(s, queued) && !blockerOf(s, queued));
    return open.find((s) => s.id === chosen) || open[0] || null;
  }

  async function render() {
    const queued = new Set((await outboxAll()).filter((i) => i.tour === tour.id).map((i) => i.stop_id));
    const box = $("#outbox");
    box.hidden = !queued.size;
    box.innerHTML = !queued.size ? "" : signedOut
      ? `${plural(queued.size, "Aktion", "Aktionen")} gespeichert. Ihre Anmeldung ist abgelaufen – bitte <a href="/konto/anmelden/?next=/fahrer/">neu anmelden</a>, danach wird gesendet.`
      : `${plural(queued.size, "Aktion wartet auf Verbindung und wird", "Aktionen warten auf Verbindung und werden")} automatisch gesendet.`;
    const current = currentStop(queued);
    $("#tour-start").textContent = time(tour.starts_at);
    const node = (s) => cardNode(s, queued.has(s.id), s === current, blockerOf(s, queued));
    // The finished stops before the first unfinished one fold away.
    let head = 0;
    while (head < tour.stops.length && isDone(tour.stops[head], queued)) head++;
    const top = [];
    if (head) {
      finished.querySelector("summary").textContent = `${plural(head, "erledigter Stopp", "erledigte Stopps")}`;
      place(finished.querySelector("ol"), tour.stops.slice(0, head).map(node));
      top.push(finished);
    }
    const rest = tour.stops.slice(head);
    for (let i = 0; i < rest.length;) {
      let j = i + 1;
      while (j < rest.length && rest[j].place === rest[i].place) j++;
      const run = rest.slice(i, j);
      top.push(run.length > 1 ? groupNode(run, run.map(node)) : node(run[0]));
      i = j;
    }
    place($("#stops"), top);
    $("#tour-done").hidden = tour.stops.some((s) => s.status === "pending");
    const net = $("#net");
    net.textContent = navigator.onLine ? "online" : "offline – Aktionen werden gespeichert";
    net.className = "net " + (navigator.onLine ? "on" : "off");
    drawMap(current);
    return current;
  }

  /* ---- a small map of the tour (stops and line; no tiles needed) -------------------- */
  const mapConfig = JSON.parse(document.getElementById("map-config").textContent);
  let map = null, mapLayers = null;
  function drawMap(current) {
    if (!window.L || !tour.stops.length) return;
    if (!map) {
      map = L.map("tour-map", {zoomControl: false, attributionControl: true});
      L.tileLayer(mapConfig.tiles, {attribution: mapConfig.attribution, maxZoom: 19}).addTo(map);
      mapLayers = L.layerGroup().addTo(map);
      map.fitBounds(tour.stops.map((s) => [s.lat, s.lon]), {padding: [16, 16], maxZoom: 16});
    }
    mapLayers.clearLayers();
    L.polyline(tour.stops.map((s) => [s.lat, s.lon]), {color: "#0b6e4f", weight: 3, className: "tour-line"}).addTo(mapLayers);
    tour.stops.forEach((s, i) => {
      const here = s === current;
      L.circleMarker([s.lat, s.lon], {
        radius: here ? 8 : 4, weight: here ? 4 : 1, color: "#0b6e4f", className: "stop-marker",
        fillColor: s.status === "done" ? "#9ca3af" : s.status === "failed" ? "#a4161a" : "#0b6e4f", fillOpacity: .9,
      }).bindTooltip(`${i + 1}. ${esc(s.label)}`).on("click", () => {
        const el = document.getElementById(`stop-${s.id}`);
        if (el) el.scrollIntoView({block: "start", behavior: "smooth"});
      }).addTo(mapLayers);
    });
  }

  /* ---- collect: scanning labels ---------------------------------------------------- */
  const scanned = {};  // stop id -> Set of label codes of this stop's order
  const LABEL = /^LOUISE:([^:]+):(\d+)\/(\d+)$/;

  /* A label is checked when it is read: a wrong one is told and left out, so the next
   * scan counts as if it had never happened. */
  function addCode(form, code) {
    const stopId = Number(form.dataset.stop);
    const stop = tour.stops.find((s) => s.id === stopId);
    const value = code.trim().toUpperCase();
    const match = LABEL.exec(value);
    const set = (scanned[stopId] = scanned[stopId] || new Set());
    const seen = set.size ? `Gescannt: ${[...set].join(", ")}. ` : "";
    if (!match) {
      $(".codes", form).textContent = `${seen}„${value}“ ist kein LOUISE-Etikett – bitte nochmal scannen.`;
      return;
    }
    if (match[1] !== String(stop.order).toUpperCase()) {
      $(".codes", form).textContent = `${seen}Das Etikett gehört zu Bestellung ${match[1]}, nicht zu ${stop.order} – nicht gezählt.`;
      return;
    }
    set.add(value);
    $(".codes", form).textContent = `Gescannt: ${[...set].join(", ")}`;
    form.parcels.value = set.size;
  }

  async function scan(form) {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
      form.code.focus();
      $(".codes", form).textContent = "Dieses Gerät kann nicht scannen – bitte den Code tippen.";
      return;
    }
    const area = $(".scan-area", form);
    area.replaceChildren(document.getElementById("scan-tpl").content.cloneNode(true));
    const video = $("video", area);
    const stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}});
    video.srcObject = stream;
    await video.play();
    const detector = new BarcodeDetector({formats: ["qr_code"]});
    let running = true;
    const stop = () => { running = false; stream.getTracks().forEach((t) => t.stop()); area.replaceChildren(); };
    $(".scan-stop", area).onclick = stop;
    while (running) {
      const codes = await detector.detect(video).catch(() => []);
      for (const c of codes) { addCode(form, c.rawValue); navigator.vibrate && navigator.vibrate(80); }
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  /* ---- deliver: proof -------------------------------------------------------------- */
  function setupDeliver(form) {
    const show = () => form.querySelectorAll(".proof").forEach((p) => { p.hidden = !p.classList.contains("proof-" + form.elements.proof.value); });
    form.querySelectorAll('input[name="proof"]').forEach((r) => r.addEventListener("change", show));
    show();
    const canvas = $("canvas.sig", form);
    const ctx = canvas.getContext("2d");
    const strokes = (canvas.strokes = []);
    let drawing = false;
    const point = (e) => { const r = canvas.getBoundingClientRect(); return [Math.round((e.clientX - r.left) * canvas.width / r.width), Math.round((e.clientY - r.top) * canvas.height / r.height)]; };
    canvas.addEventListener("pointerdown", (e) => { drawing = true; strokes.push([point(e)]); canvas.setPointerCapture(e.pointerId); });
    canvas.addEventListener("pointermove", (e) => {
      if (!drawing) return;
      const stroke = strokes[strokes.length - 1];
      const [x0, y0] = stroke[stroke.length - 1];
      const [x, y] = point(e);
      stroke.push([x, y]);
      ctx.lineWidth = 2; ctx.lineCap = "round"; ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x, y); ctx.stroke();
    });
    canvas.addEventListener("pointerup", () => { drawing = false; });
    $(".sig-clear", form).onclick = () => { strokes.length = 0; ctx.clearRect(0, 0, canvas.width, canvas.height); };
  }

  function signatureSvg(canvas) {
    if (!canvas.strokes.length) return "";
    const paths = canvas.strokes.map((s) => `<polyline fill="none" stroke="#000" stroke-width="2" points="${s.map((p) => p.join(",")).join(" ")}"/>`).join("");
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${canvas.width} ${canvas.height}">${paths}</svg>`;
  }

  /* A phone photo is several MB; a 1280 px JPEG is plenty as proof and fits the outbox. */
  async function shrink(file) {
    if (!file) return null;
    try {
      const bitmap = await createImageBitmap(file);
      const scale = Math.min(1, 1280 / Math.max(bitmap.width, bitmap.height));
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return await new Promise((resolve) => canvas.toBlob((b) => resolve(b || file), "image/jpeg", 0.75));
    } catch (err) {
      return file;  // not an image the browser can decode: send it as it is
    }
  }

  /* ---- events ---------------------------------------------------------------------- */
  document.addEventListener("click", (e) => {
    if (e.target.classList.contains("choose")) {
      chosen = Number(e.target.dataset.stop);
      render().then(() => document.getElementById(`stop-${chosen}`).scrollIntoView({block: "start"}));
      return;
    }
    if (e.target.classList.contains("scan")) scan(e.target.closest("form")).catch((err) => { $(".codes", e.target.closest("form")).textContent = `Kamera: ${err.message}`; });
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target.name === "code") {
      e.preventDefault();
      if (e.target.value.trim()) addCode(e.target.form, e.target.value);
      e.target.value = "";
    }
  });
  document.addEventListener("submit", async (e) => {
    const form = e.target;
    if (!form.classList.contains("act")) return;
    e.preventDefault();
    const stop = tour.stops.find((s) => s.id === Number(form.dataset.stop));
    if (form.classList.contains("collect")) {
      if (form.code.value.trim()) addCode(form, form.code.value);
      const codes = [...(scanned[stop.id] || [])];
      const count = Number(form.parcels.value);
      if (count !== stop.parcels) {
        errors[stop.id] = `Anzahl stimmt nicht: ${plural(stop.parcels, "Paket", "Pakete")} erwartet, ${count} gezählt.`;
        return render();
      }
      await enqueue(stop, "complete", {codes, parcels: count});
    } else if (form.classList.contains("deliver")) {
      const method = form.elements.proof.value;
      const data = {proof_method: method};
      let photo = null;
      if (method === "photo") photo = await shrink(form.photo.files[0]);
      if (method === "signature") data.signature_svg = signatureSvg($("canvas.sig", form));
      if (method === "name") data.recipient_name = form.recipient_name.value.trim();
      if (method === "locker_code") data.locker_code = form.locker_code.value.trim();
      if ((method === "photo" && !photo) || (method !== "photo" && !Object.values(data).slice(1).some(Boolean))) {
        errors[stop.id] = "Bitte einen Nachweis erfassen.";
        return render();
      }
      await enqueue(stop, "complete", data, photo);
    } else if (form.classList.contains("fail")) {
      await enqueue(stop, "fail", {reason: form.reason.value});
    }
  });
  window.addEventListener("online", () => { render(); flush(); });
  window.addEventListener("offline", render);
  setInterval(flush, 15000);

  /* ---- position while on tour ------------------------------------------------------ */
  let lastSent = 0;
  // Tracked only on the tour's own day, while it is under way (the server refuses otherwise).
  const today = new Date().toLocaleDateString("sv-SE", {timeZone: "Europe/Berlin"});
  function onTour() { return tour.day === today && tour.status === "published" && tour.stops.some((s) => s.status === "pending"); }
  if (navigator.geolocation && onTour()) {
    navigator.geolocation.watchPosition((pos) => {
      const now = Date.now();
      if (!onTour() || !navigator.onLine || now - lastSent < RIDER.positionIntervalS * 1000) return;
      lastSent = now;
      fetch("/api/v1/rider/positions", {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": RIDER.csrf},
        body: JSON.stringify({lat: pos.coords.latitude, lon: pos.coords.longitude, accuracy_m: Math.round(pos.coords.accuracy)}),
      }).catch(() => {});
    }, () => {}, {enableHighAccuracy: true, maximumAge: 10000});
  }

  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/fahrer/sw.js", {scope: "/fahrer/"}).catch(() => {});
  // Open at the first unfinished stop (the finished ones are folded above it).
  render().then((current) => {
    if (current && current !== tour.stops[0]) document.getElementById(`stop-${current.id}`).scrollIntoView({block: "start"});
    flush();
  });
})();
