/* LOUISE dispatch console: map, tours, planning job, adjustments, live updates.
 * All data comes from /api/v1/dispatch/day (first picture embedded in the page); every
 * change goes through the JSON API and the page re-reads the day afterwards. */
(function () {
  "use strict";
  const API = "/api/v1";
  const COLORS = ["#0b6e4f", "#c2410c", "#1d4ed8", "#a21caf", "#b45309", "#0f766e", "#be123c"];
  const LIVE_MS = 5000;
  let state = JSON.parse(document.getElementById("day-data").textContent);
  // Tours whose stop list the dispatcher folded away; long days start folded.
  const collapsed = new Set(state.tours.length > 2 ? state.tours.map((t) => t.id) : []);
  const mapConfig = JSON.parse(document.getElementById("map-config").textContent);
  // Data blocks instead of inline scripts: the Content-Security-Policy runs only our files.
  const CSRF_TOKEN = JSON.parse(document.getElementById("csrf-token").textContent);
  const $ = (id) => document.getElementById(id);
  const time = (iso) => iso ? new Date(iso).toLocaleTimeString("de-DE", {hour: "2-digit", minute: "2-digit", timeZone: "Europe/Berlin"}) : "–";
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  // German numbers (88,5 km) and plurals (1 Tour, 2 Touren) from one place each.
  const num = (x, digits = 1) => Number(x).toLocaleString("de-DE", {maximumFractionDigits: digits});
  const plural = (n, one, many) => `${num(n, 0)} ${(window.ngettext || ((a, b, k) => (k === 1 ? a : b)))(one, many, n)}`;
  const euro = (cents) => (cents / 100).toLocaleString("de-DE", {style: "currency", currency: "EUR"});
  const co2 = (kg) => (kg < 1 ? `${num(kg * 1000, 0)} g CO₂` : `${num(kg)} kg CO₂`);
  /* What each vehicle kind takes of the plan, at the town's rates: whether the bikes carry the day. */
  const byKind = (vehicles) => Object.entries(vehicles || {}).filter(([, u]) => u.tours)
    .map(([kind, u]) => `${u.label || kind}: ${plural(u.tours, "Tour", "Touren")}, ${num(u.km)} km, ${euro(u.cost_cents)}, ${co2(u.co2_kg)}`)
    .join(" · ");
  const PLAN_RUNNING = "Planung läuft – bitte warten, bis sie fertig ist, dann veröffentlichen.";

  async function api(method, path, body) {
    const response = await fetch(API + path, {
      method, credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": CSRF_TOKEN},
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw Object.assign(new Error(data.detail || `Fehler ${response.status}`), {code: data.code});
    return data;
  }

  function feedback(messages, ok, extraHtml = "") {
    const box = $("feedback");
    box.hidden = false;
    box.className = "feedback " + (ok ? "ok" : "warn");
    box.innerHTML = messages.map((m) => `<p>${esc(m)}</p>`).join("") + extraHtml;
  }

  /* A tour the checker rejects goes out only with a reason, which is kept on record. */
  function overrideForm(tourId) {
    return `<form class="override" data-tour="${tourId}">
      <label><input type="checkbox" name="confirm" required> Trotzdem veröffentlichen – ich habe die Meldungen geprüft</label>
      <label>Begründung <input name="reason" required minlength="5" maxlength="500" autocomplete="off"></label>
      <button class="btn small" type="submit">Mit Begründung veröffentlichen</button></form>`;
  }

  /* Background jobs that failed (a plan run, an insertion of new orders) stay in sight. */
  function renderFailures() {
    const box = $("failures");
    const failures = state.failures || [];
    box.hidden = !failures.length;
    box.innerHTML = failures.map((f) => `<p><strong>${esc(f.title)}</strong> (${time(f.at)})<br>${esc(f.message)}</p>`).join("");
  }

  const planRunning = () => state.run && (state.run.status === "queued" || state.run.status === "running");
  const insertRunning = () => state.insertion && (state.insertion.status === "queued" || state.insertion.status === "running");
  const INSERT_RUNNING = "Neue Aufträge werden gerade eingefügt – bitte warten, bis das fertig ist.";

  /* The dispatcher's insertion runs as a background job: while it runs the button waits,
   * afterwards the day's latest one says what it did (legs left out: see the failures). */
  function renderInsertion() {
    const run = state.insertion, button = $("insert-btn");
    button.disabled = Boolean(insertRunning());
    button.title = insertRunning() ? INSERT_RUNNING : button.dataset.title;
    $("insert-status").textContent = !run ? ""
      : run.status === "queued" ? "Einfügen wartet auf den Rechner …"
      : run.status === "running" ? "Neue Aufträge werden eingefügt …"
      : run.status === "failed" ? `Einfügen fehlgeschlagen (${time(run.at)}).`
      : `Einfügen fertig (${time(run.at)}): ${plural(run.placed, "Auftrag", "Aufträge")} eingefügt`
        + (run.unassigned ? `, ${num(run.unassigned, 0)} nicht eingefügt.` : ".");
  }

  /* ---- map ------------------------------------------------------------------------ */
  const map = L.map("map", {preferCanvas: false}).setView(mapConfig.center, 13);
  L.tileLayer(mapConfig.tiles, {attribution: mapConfig.attribution, maxZoom: 19}).addTo(map);
  let layers = L.layerGroup().addTo(map);
  let fitted = false;

  function drawMap() {
    layers.clearLayers();
    const bounds = [];
    const add = (layer, latlng) => { layer.addTo(layers); if (latlng) bounds.push(latlng); return layer; };
    for (const hub of state.hubs) {
      add(L.circleMarker([hub.lat, hub.lon], {radius: 10, color: "#1d2b2a", fillColor: "#f2b134", fillOpacity: 1, weight: 3})
        .bindTooltip(`Hub: ${esc(hub.name)}`), [hub.lat, hub.lon]);
    }
    for (const p of state.points) {
      add(L.circleMarker([p.lat, p.lon], {radius: 6, color: "#1d4ed8", fillOpacity: .6}).bindTooltip(`Abholstelle: ${esc(p.name)}`));
    }
    for (const lk of state.lockers) {
      add(L.circleMarker([lk.lat, lk.lon], {radius: 6, color: "#a21caf", fillOpacity: .6}).bindTooltip(`Paketstation: ${esc(lk.name)} (${lk.free} frei)`));
    }
    for (const leg of state.legs.filter((l) => l.status === "open")) {
      add(L.circleMarker([leg.drop_lat, leg.drop_lon], {radius: 5, color: "#6b7280", dashArray: "2", fillOpacity: .3})
        .bindTooltip(`offen: ${esc(leg.order || leg.id)} → ${esc(leg.drop)}`), [leg.drop_lat, leg.drop_lon]);
    }
    const hub = state.hubs[0];
    state.tours.forEach((tour, i) => {
      const color = COLORS[i % COLORS.length];
      const line = tour.stops.map((s) => [s.lat, s.lon]);
      if (hub) { line.unshift([hub.lat, hub.lon]); line.push([hub.lat, hub.lon]); }
      add(L.polyline(line, {color, weight: tour.status === "draft" ? 3 : 5, dashArray: tour.status === "draft" ? "6 6" : null, className: "tour-line"})
        .bindTooltip(`${esc(tour.vehicle)} · ${esc(tour.rider)}`));
      for (const s of tour.stops) {
        add(L.circleMarker([s.lat, s.lon], {
          radius: 8, color: s.late ? "#a4161a" : color, weight: s.late ? 4 : 2,
          fillColor: s.status === "done" ? "#9ca3af" : s.status === "failed" ? "#a4161a" : color, fillOpacity: .9,
          className: "stop-marker",
        }).bindTooltip(`${s.sequence}. ${esc(s.kind_label)}: ${esc(s.label)} (${time(s.eta || s.planned)})`)
          .on("click", () => showStop(tour.id, s.id)), [s.lat, s.lon]);
      }
    });
    for (const sh of state.shifts.filter((x) => x.position)) {
      add(L.marker([sh.position.lat, sh.position.lon], {title: sh.rider, icon: L.divIcon({className: "rider-pin", html: esc(sh.rider.split(" ")[0]), iconSize: null})}));
    }
    if (!fitted && bounds.length) { map.fitBounds(bounds, {padding: [30, 30], maxZoom: 15}); fitted = true; }
  }

  /* A click on the map opens the stop's tour and points at its row. */
  function showStop(tourId, stopId) {
    collapsed.delete(tourId);
    renderLists();
    const row = document.querySelector(`tr.stop[data-stop="${stopId}"]`);
    if (!row) return;
    row.scrollIntoView({block: "center", behavior: "smooth"});
    row.classList.add("flash");
    setTimeout(() => row.classList.remove("flash"), 1500);
  }

  /* ---- lists ---------------------------------------------------------------------- */
  function tourHtml(tour, i) {
    const drafts = state.tours.filter((t) => t.status === "draft");
    const color = COLORS[i % COLORS.length];
    const rows = tour.stops.map((s) => {
      const move = tour.status === "draft" ? `
        <form class="move" data-stop="${s.id}">
          <select name="tour" aria-label="Ziel-Tour">${drafts.map((t) => `<option value="${t.id}" ${t.id === tour.id ? "selected" : ""}>${esc(t.vehicle)}</option>`).join("")}</select>
          <input name="position" type="number" min="1" value="${s.sequence}" aria-label="Position" class="pos">
          <button class="btn btn-secondary small" type="submit">Verschieben</button>
        </form>
        <button class="btn btn-secondary small lock" data-stop="${s.id}" data-locked="${s.locked}" type="button">${s.locked ? "Entsperren" : "Sperren"}</button>` : "";
      return `<tr class="stop ${s.status} ${s.late ? "late" : ""}" data-stop="${s.id}">
        <td>${s.sequence}${s.locked ? ' <span title="gesperrt">🔒</span>' : ""}</td>
        <td>${esc(s.kind_label)}<br><small>${esc(s.order || "")}</small></td>
        <td>${esc(s.label)}${s.fallback ? `<br><small>Ersatzweg: ${esc(s.fallback)}</small>` : ""}</td>
        <td>${time(s.planned)}${s.done_at ? `<br><small>${s.status === "done" ? "erledigt" : "gemeldet"} ${time(s.done_at)}</small>` : s.eta ? `<br><small>ETA ${time(s.eta)}</small>` : ""}</td>
        <td>${time(s.window[0])}–${time(s.window[1])}</td>
        <td>${s.load_parcels} P · ${num(s.load_kg)} kg</td>
        <td>${esc(s.status_label)}${s.late ? ' <span class="badge late-badge">verspätet</span>' : ""}${s.failure ? `<br><small>${esc(s.failure)}</small>` : ""}</td>
        <td>${move}</td></tr>`;
    }).join("");
    const publish = tour.status === "draft" ? `<button class="btn small publish" data-tour="${tour.id}" type="button" ${planRunning() ? `disabled title="${PLAN_RUNNING}"` : ""}>Veröffentlichen</button>` : "";
    const override = tour.override ? `<div class="override-note small">Trotz Prüfung veröffentlicht von ${esc(tour.override.by)} um ${time(tour.override.at)}: „${esc(tour.override.reason)}“</div>` : "";
    const done = tour.stops.filter((s) => s.status !== "pending").length;
    const open = collapsed.has(tour.id) ? "" : "open";
    return `<article class="tour" data-tour="${tour.id}" data-color="${color}">
      <header><strong>${esc(tour.vehicle)}</strong> · ${esc(tour.rider)} <span class="badge">${esc(tour.status_label)}</span>
        ${tour.late ? `<span class="badge late-badge">${tour.late} verspätet</span>` : ""} ${publish}
        <div class="muted small">${time(tour.starts_at)}–${time(tour.ends_at)} · ${num(tour.km)} km · ${plural(tour.stops.length, "Stopp", "Stopps")} (${num(done, 0)} erledigt) ·
          max. ${tour.max_parcels}/${plural(tour.capacity_parcels, "Paket", "Pakete")}</div>${override}</header>
      <details data-tour="${tour.id}" ${open}><summary>Stopps</summary>
      <table class="stops"><thead><tr><th>#</th><th>Art</th><th>Ort</th><th>Plan</th><th>Fenster</th><th>Ladung</th><th>Status</th><th></th></tr></thead>
      <tbody>${rows}</tbody></table></details></article>`;
  }

  function fillFilter(id, values) {
    const select = $(id);
    const current = select.value;
    const known = new Set([...select.options].map((o) => o.value));
    for (const v of values) if (v && !known.has(v)) { known.add(v); select.add(new Option(v, v)); }
    select.value = current;
  }

  /* ---- live refresh without eating what the dispatcher types ---------------------- */
  // A move form is being edited while it has the focus or a value other than it was drawn
  // with; once sent it is the server's again.
  function editing(form) {
    if (form.dataset.sent) return false;
    if (form.contains(document.activeElement)) return true;
    return [...form.elements].some((el) => el.tagName === "SELECT"
      ? [...el.options].some((o) => o.selected !== o.defaultSelected)
      : "defaultValue" in el && el.value !== el.defaultValue);
  }

  const keyOf = (el, i) => `${el.tagName}:${el.dataset.stop || el.dataset.tour || i}`;

  /* Replace `parent`'s children by `fresh`'s, except the one on the way to `path[0]`: it
   * stays where it is (moving or redrawing a field loses its focus and its input) and is
   * updated the same way one level down; the edited row itself is left alone. */
  function morph(parent, fresh, path) {
    const keep = path[0];
    const keepKey = keyOf(keep, [...parent.children].indexOf(keep));
    const twins = [...fresh.children];
    const at = twins.findIndex((el, i) => keyOf(el, i) === keepKey);
    if (at < 0) { parent.replaceChildren(...twins); return; }  // the stop left this tour
    for (const el of [...parent.children]) if (el !== keep) el.remove();
    keep.before(...twins.slice(0, at));
    keep.after(...twins.slice(at + 1));
    if (path.length > 1) morph(keep, twins[at], path.slice(1));
  }

  function renderTours(html) {
    const root = $("tours");
    const form = [...root.querySelectorAll("form.move")].find(editing);
    if (!form) { root.innerHTML = html; return; }
    const fresh = document.createElement("div");
    fresh.innerHTML = html;
    const path = [];
    for (let el = form.closest("tr.stop"); el && el !== root; el = el.parentElement) path.unshift(el);
    morph(root, fresh, path);
  }

  function renderLists() {
    renderTours(state.tours.length ? state.tours.map(tourHtml).join("") : '<p class="muted">Noch keine Touren – „Planen“ rechnet sie.</p>');
    // Set through the DOM: style attributes in HTML are refused by the Content-Security-Policy.
    $("tours").querySelectorAll("article.tour[data-color]").forEach((a) => { a.style.borderLeftColor = a.dataset.color; });
    renderFailures();
    renderInsertion();
    const open = state.legs.filter((l) => l.status === "open" || (l.status === "failed" && !l.rerouted));
    const why = (l) => l.status === "failed" ? "fehlgeschlagen – Ware zurück zur City-Station, bitte klären" : l.reason || "noch nicht geplant";
    $("unassigned").innerHTML = open.length ? open.map((l) => `<li><strong>${esc(l.order || "#" + l.id)}</strong> ${esc(l.drop)}<br>
      <span class="reason">${esc(why(l))}</span></li>`).join("") : '<li class="muted">Alles eingeplant.</li>';
    const paid = state.shifts.reduce((a, s) => a + s.paid_hours, 0), used = state.shifts.reduce((a, s) => a + s.tour_hours, 0);
    $("shift-hours").textContent = state.shifts.length ? `Bezahlt ${num(paid)} h, davon unterwegs ${num(used)} h` : "";
    // A shift the day's plan gives no tour is paid for nothing: the shift page can cancel it.
    const idle = (s) => state.tours.length && !s.tour_hours
      ? `<br><small class="reason">ohne Tour – <a href="${esc($("shifts-link").href)}">absagen</a>, damit niemand umsonst kommt</small>` : "";
    $("shifts").innerHTML = state.shifts.map((s) => `<li><strong>${esc(s.rider)}</strong> · ${esc(s.vehicle)} (${esc(s.kind)}) ${time(s.from)}–${time(s.until)}
      <br><small>bezahlt ${num(s.paid_hours)} h · Tour ${num(s.tour_hours)} h</small>${idle(s)}
      ${s.position ? `<br><small>Position ${time(s.position.at)}</small>` : ""}</li>`).join("") || '<li class="muted">Keine Schichten.</li>';
    fillFilter("f-status", state.legs.map((l) => l.status_label));
    fillFilter("f-zone", state.legs.map((l) => l.zone));
    fillFilter("f-wave", state.legs.map((l) => l.wave));
    const fs = $("f-status").value, fz = $("f-zone").value, fw = $("f-wave").value;
    $("legs").innerHTML = state.legs.filter((l) => (!fs || l.status_label === fs) && (!fz || l.zone === fz) && (!fw || l.wave === fw))
      .map((l) => `<tr><td>${esc(l.order || "#" + l.id)}</td><td>${esc(l.kind)}</td><td>${esc(l.pickup)}</td><td>${esc(l.drop)}</td>
        <td>${esc(l.wave)}</td><td>${esc(l.zone)}</td><td>${l.parcels}</td><td>${esc(l.status_label)}${l.reason ? `<br><small class="reason">${esc(l.reason)}</small>` : ""}</td></tr>`).join("");
    $("publish-all").hidden = !state.tours.some((t) => t.status === "draft");
    $("publish-all").disabled = planRunning();
    $("publish-all").title = planRunning() ? PLAN_RUNNING : "";
  }

  function render() { drawMap(); renderLists(); }

  async function reload() {
    state = await api("GET", `/dispatch/day?day=${state.day}&town=${state.town.slug}`);
    render();
  }

  /* ---- planning job --------------------------------------------------------------- */
  async function plan() {
    if (!$("time-limit").checkValidity()) {  // 0, 1000 or a typo: say so before asking
      $("plan-status").textContent = "Rechenzeit: 1 bis 600 Sekunden, oder leer lassen (automatisch nach Zahl der Aufträge).";
      return;
    }
    const button = $("plan-btn");
    button.disabled = true;
    const bar = $("plan-progress");
    bar.hidden = false; bar.value = 0;
    try {
      let run = await api("POST", "/dispatch/plan", {day: state.day, town: state.town.slug, time_limit: Number($("time-limit").value) || null});
      while (run.status === "queued" || run.status === "running") {
        $("plan-status").textContent = run.status === "queued" ? "Planung wartet auf den Rechner …" : `Planung läuft … ${Math.round(run.progress * 100)} % von ${Math.round(run.time_limit_s)} s`;
        bar.value = run.progress;
        await new Promise((r) => setTimeout(r, 500));
        run = await api("GET", `/plans/${run.id}`);
      }
      bar.value = 1;
      if (run.status === "failed") throw new Error(run.error || "Planung fehlgeschlagen");
      const s = run.summary;
      // Nothing open (all in published tours, or a day without orders yet): say so, not "0 Touren".
      $("plan-status").textContent = s.legs === 0
        ? "Planung fertig: nichts zu planen – kein offener Auftrag an diesem Tag (veröffentlichte Touren bleiben, wie sie sind)."
        : `Planung fertig: ${plural(s.tours, "Tour", "Touren")}, ${s.assigned}/${plural(s.legs, "Auftrag", "Aufträge")}, ${num(s.distance_km)} km, ${num(s.vehicle_hours)} von ${num(s.paid_hours)} bezahlten Stunden unterwegs. ${byKind(s.vehicles)}`;
      await reload();
    } catch (err) {
      $("plan-status").textContent = err.message;
    } finally {
      button.disabled = false;
    }
  }

  /* Queue the insertion (the answer comes at once), then follow it on the day's picture. */
  async function insert() {
    $("insert-btn").disabled = true;
    try {
      const run = await api("POST", "/dispatch/insert", {day: state.day, town: state.town.slug});
      state.insertion = {...run, at: new Date().toISOString()};
      renderInsertion();
      do {
        await new Promise((r) => setTimeout(r, 1000));
        await reload();
      } while (insertRunning() && state.insertion.id === run.id);
    } catch (err) {
      feedback(err.message.split("\n"), false);
      renderInsertion();
    }
  }

  async function act(promise, okText) {
    try {
      const result = await promise;
      if (result && result.messages) {
        feedback(result.ok ? ["Alles machbar: keine Regel verletzt."] : result.messages, result.ok);
      } else if (okText) {
        feedback([okText], true);
      }
      await reload();
    } catch (err) {
      feedback(err.message.split("\n"), false, err.tour && err.code === "tour_infeasible" ? overrideForm(err.tour) : "");
    }
  }

  async function publish(tourId, overrideReason) {
    try {
      return await api("POST", `/tours/${tourId}/publish`, overrideReason ? {override_reason: overrideReason} : undefined);
    } catch (err) {
      err.tour = tourId;
      throw err;
    }
  }

  /* One after the other, so each refusal is told with its tour. */
  async function publishAll() {
    const drafts = state.tours.filter((x) => x.status === "draft");
    const done = [], refused = [];
    for (const tour of drafts) {
      try { await publish(tour.id); done.push(tour); } catch (err) {
        refused.push(`${tour.vehicle}: ${err.message.split("\n").join(" ")}`);
        if (err.code === "plan_running") break;
      }
    }
    const messages = [];
    if (done.length) messages.push(`${plural(done.length, "Tour", "Touren")} veröffentlicht.`);
    feedback([...messages, ...refused], !refused.length);
    await reload();
  }

  document.addEventListener("click", (event) => {
    const t = event.target;
    if (t.id === "plan-btn") plan();
    else if (t.id === "insert-btn") insert();
    else if (t.id === "publish-all") publishAll().catch((err) => feedback([err.message], false));
    else if (t.classList.contains("publish")) act(publish(Number(t.dataset.tour)), "Tour veröffentlicht.");
    else if (t.classList.contains("lock")) act(api("POST", `/stops/${t.dataset.stop}/lock`, {locked: t.dataset.locked !== "true"}), t.dataset.locked === "true" ? "Stopp entsperrt." : "Stopp gesperrt: bleibt beim Neuplanen auf dieser Tour.");
  });
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.classList.contains("override")) {
      event.preventDefault();
      act(publish(Number(form.dataset.tour), form.reason.value.trim()), "Tour mit Begründung veröffentlicht.");
      return;
    }
    if (!form.classList.contains("move")) return;
    event.preventDefault();
    form.dataset.sent = "1";
    act(api("POST", `/stops/${form.dataset.stop}/move`, {tour_id: Number(form.tour.value), position: Number(form.position.value)}));
  });
  for (const id of ["f-status", "f-zone", "f-wave"]) $(id).addEventListener("change", renderLists);
  $("tours").addEventListener("toggle", (event) => {
    const id = Number(event.target.dataset.tour);
    if (event.target.open) collapsed.delete(id); else collapsed.add(id);
  }, true);

  $("insert-btn").dataset.title = $("insert-btn").title;
  render();
  setInterval(() => { if (!document.hidden) reload().catch(() => {}); }, LIVE_MS);
})();
