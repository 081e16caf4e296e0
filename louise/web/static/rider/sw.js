/* LOUISE rider app service worker (served from /fahrer/sw.js, scope /fahrer/).
 * The tour page is fetched from the network first and kept as the offline copy; static
 * files come from the cache first. API calls are never cached: the page's own outbox
 * (IndexedDB) holds actions until they are sent. */
const CACHE = "louise-rider-v2";
const SHELL = ["/fahrer/", "/static/rider/rider.js", "/static/rider/rider.css",
               "/static/web/louise.css", "/static/rider/manifest.webmanifest",
               "/static/leaflet/leaflet.js", "/static/leaflet/leaflet.css"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).catch(() => {}).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then((response) => {
      if (response.ok) { const copy = response.clone(); caches.open(CACHE).then((c) => c.put("/fahrer/", copy)); }
      return response;
    }).catch(() => caches.match("/fahrer/")));
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request).then((response) => {
      const copy = response.clone(); caches.open(CACHE).then((c) => c.put(request, copy)); return response;
    })));
  }
});
