// Bangfu's service worker (served as /sw.js by bangfu.core.views.service_worker, which puts the
// configuration self.BANGFU in front of this file). docs/offline.md says what it keeps and why.
//
// Workbox does the caching; every module loads from our own static files (never a CDN), and all of
// them are imported here, at start-up, because a service worker may not import scripts later.
/* global workbox, BangfuQueue */
"use strict";

importScripts(self.BANGFU.workbox);
workbox.setConfig({
  debug: false,
  modulePathCb: function (name) { return self.BANGFU.modules[name]; },
});
Object.keys(self.BANGFU.modules).forEach(function (name) { workbox.loadModule(name); });
importScripts(self.BANGFU.idb, self.BANGFU.queue);

var PAGES_CACHE = "bangfu-pages";
var STATIC_CACHE = "bangfu-static";
var PAGE_PATTERNS = self.BANGFU.pages.map(function (p) { return new RegExp(p); });

workbox.core.setCacheNameDetails({ prefix: "bangfu", suffix: "v1" });
workbox.core.clientsClaim();

// The shell: styles, scripts, the offline page and an icon, stored at install (revisions from the server).
workbox.precaching.precacheAndRoute(self.BANGFU.precache);
workbox.precaching.cleanupOutdatedCaches();

self.addEventListener("install", function () { self.skipWaiting(); });

// Other static files (echarts on an officer's dashboard…): from the cache once fetched.
workbox.routing.registerRoute(
  function (o) { return o.url.origin === self.location.origin && o.url.pathname.indexOf(self.BANGFU.static) === 0; },
  new workbox.strategies.CacheFirst({
    cacheName: STATIC_CACHE,
    plugins: [
      new workbox.cacheableResponse.CacheableResponsePlugin({ statuses: [200] }),
      new workbox.expiration.ExpirationPlugin({ maxEntries: 60, maxAgeSeconds: 30 * 24 * 3600 }),
    ],
  })
);

// The field pages: from the network while there is one (fresh tasks), from the cache without it.
// Only pages the server sent this user are kept, only whole pages (not htmx fragments), only 200s
// that are HTML (a redirect to the login page is never stored as the page). Signing out empties it.
function isFieldPage(o) {
  var r = o.request;
  if (r.method !== "GET" || o.url.origin !== self.location.origin) return false;
  if (r.headers.get("HX-Request")) return false;
  if (r.mode !== "navigate" && !r.headers.get("X-Bangfu-Warm")) return false;
  return PAGE_PATTERNS.some(function (p) { return p.test(o.url.pathname); });
}
var onlyHtml = {
  cacheWillUpdate: function (o) {
    var type = o.response.headers.get("Content-Type") || "";
    return o.response.status === 200 && !o.response.redirected && type.indexOf("text/html") === 0 ? o.response : null;
  },
};
// `?next=` only says where the form goes back to (docs/offline.md §4): the same kept page serves every link.
var withoutNext = {
  cacheKeyWillBeUsed: function (o) {
    var url = new URL(o.request.url);
    if (!url.searchParams.has("next")) return o.request;
    url.searchParams.delete("next");
    return url.href;
  },
};
var pages = new workbox.strategies.NetworkFirst({
  cacheName: PAGES_CACHE,
  networkTimeoutSeconds: 3, // a line that answers nothing in 3 s: the kept page
  matchOptions: { ignoreVary: true, ignoreSearch: false },
  plugins: [onlyHtml, withoutNext, new workbox.expiration.ExpirationPlugin({ maxEntries: 400, maxAgeSeconds: 14 * 24 * 3600 })],
});
workbox.routing.registerRoute(isFieldPage, pages);

// A page never kept, asked for without a connection: the offline page (it lists what is kept).
workbox.routing.setCatchHandler(function (o) {
  if (o.request.mode === "navigate") {
    return workbox.precaching.matchPrecache(self.BANGFU.offlinePage).then(function (r) { return r || Response.error(); });
  }
  return Response.error();
});

// Background Sync where the browser has it: the queued actions go out even with every page closed.
// The page does the same on load, on `online` and after each new action (BangfuQueue.flush holds a
// lock, so only one sender runs at a time, whoever starts it).
self.addEventListener("sync", function (event) {
  if (event.tag === BangfuQueue.SYNC_TAG) {
    event.waitUntil(BangfuQueue.flush({ csrf: swCsrf, refreshCsrf: swRefreshCsrf }).then(function (r) {
      if (r.offline) throw new Error("still offline: the browser retries the sync later");
    }));
  }
});

// The CSRF token: the cookie where the worker can read it (cookieStore), else the one the offline data
// carries (docs/offline.md §1: fetched again after a csrf_failed answer).
var dataCsrf = "";
function swCsrf() {
  if (self.cookieStore) {
    return self.cookieStore.get("csrftoken").then(function (c) { return c ? c.value : dataCsrf; });
  }
  return Promise.resolve(dataCsrf);
}
function swRefreshCsrf() {
  return fetch(self.BANGFU.data, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : {}; })
    .then(function (d) { dataCsrf = d.csrf_token || dataCsrf; });
}

// Warming: the pages the offline data names (the page sends only what is missing, and the task pages),
// fetched here, not in the page, so that moving to another page does not cancel it. Two at a time.
var warming = [];
var inflight = Promise.resolve();

function clearAll() {
  return caches.keys().then(function (keys) { return Promise.all(keys.map(function (k) { return caches.delete(k); })); });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "warm" && Array.isArray(data.urls)) {
    data.urls.forEach(function (u) {
      var url = new URL(u, self.location.origin);
      var ours = url.origin === self.location.origin && PAGE_PATTERNS.some(function (p) { return p.test(url.pathname); });
      if (ours && warming.indexOf(u) < 0 && warming.length < 400) warming.push(u);
    });
    var worker = function () {
      var u = warming.shift();
      if (!u) return Promise.resolve();
      var request = new Request(u, { credentials: "same-origin", headers: { "X-Bangfu-Warm": "1" } });
      return pages.handle({ event: event, request: request }).catch(function () {}).then(worker);
    };
    inflight = Promise.all([inflight, worker(), worker()]);
    event.waitUntil(inflight);
  }
  if (data.type === "clear") {
    // Signing out: nothing more is fetched, and once what is on the way has landed every cache of the
    // site (pages, static, precache) goes. The page waits for the answer before it posts the logout.
    warming.length = 0;
    var done = inflight.catch(function () {}).then(clearAll).then(function () {
      if (event.ports && event.ports[0]) event.ports[0].postMessage({ type: "cleared" });
    });
    event.waitUntil(done);
  }
});
