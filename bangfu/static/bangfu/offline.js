// The phone's offline side in the page (docs/offline.md): registers the service worker, keeps the
// offline data in IndexedDB, queues the field forms (visit, risk report, warning check) instead of
// posting them, sends the queue when the connection returns, and shows what is waiting and what could
// not be saved. Plain script under the Content-Security-Policy (no inline code, no framework).
/* global BangfuQueue */
(function () {
  "use strict";
  var Q = window.BangfuQueue;
  var conf = document.getElementById("bangfu-offline");
  if (!Q || !conf || !window.indexedDB) return;

  var cfg = conf.dataset;
  var signedIn = !!cfg.user;
  var PAGES_CACHE = "bangfu-pages";
  var DATA_MAX_AGE_MS = 2 * 60 * 1000;
  var PHOTO_MAX_BYTES = 200 * 1024;
  var PHOTO_LONG_SIDE = 1280;
  // The routes the server accepts from the queue (docs/offline.md §1); a warning only for `verify`.
  var QUEUED = [
    { re: /^\/cases\/grid\/visit\/(\d+)\/$/, kind: "visit" },
    { re: /^\/monitoring\/warnings\/(\d+)\/$/, kind: "warning", event: "verify" },
  ];

  // --- words: rendered by Django ({% trans %}) into <template id="bangfu-offline-text">; kept in
  // IndexedDB for the static offline page, which has no server to render them.
  var words = {};
  function readWords() {
    var tpl = document.getElementById("bangfu-offline-text");
    if (!tpl) return Q.getData("words").then(function (w) { words = w || {}; });
    tpl.content.querySelectorAll("[data-k]").forEach(function (el) { words[el.dataset.k] = el.innerHTML; });
    return signedIn ? Q.setData("words", words) : Promise.resolve();
  }
  function say(key, n) { // a DOM fragment of the (trusted, server-rendered) phrase; {n} → a number
    var span = document.createElement("span");
    span.innerHTML = words[key] || key;
    span.querySelectorAll("[data-n]").forEach(function (el) { el.textContent = String(n); });
    return span;
  }
  function text(value) { return document.createTextNode(value == null ? "" : String(value)); }

  // --- whose phone: one user's data only. Another user signing in on it starts from nothing.
  function ensureOwner() {
    if (!signedIn) return Promise.resolve();
    return Q.getData("owner").then(function (owner) {
      if (owner === cfg.user) return;
      return Q.clearAll().then(function () { return clearCaches([PAGES_CACHE]); }).then(function () {
        return Q.setData("owner", cfg.user);
      });
    });
  }
  function clearCaches(only) {
    if (!window.caches) return Promise.resolve();
    return caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return !only || only.indexOf(k) >= 0; }).map(function (k) { return caches.delete(k); }));
    });
  }

  // --- the service worker
  function register() {
    if (!("serviceWorker" in navigator) || !cfg.sw) return;
    navigator.serviceWorker.register(cfg.sw, { scope: "/" }).catch(function (e) {
      console.warn("service worker not registered", e);
    });
  }
  function askBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync) return reg.sync.register(Q.SYNC_TAG);
    }).catch(function () { /* no Background Sync: the pages send on load and on `online` */ });
  }

  // --- CSRF: the cookie as it is now (a new sign-in rotates it), else the offline data's token
  function cookieCsrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return Promise.resolve(m ? decodeURIComponent(m[1]) : "");
  }
  function refreshCsrf() { return refreshData(true); }

  // --- the offline data (§3): the worker's own households and tasks, and the pages to keep
  function refreshData(force) {
    if (!signedIn || !cfg.data || !navigator.onLine) return Promise.resolve(null);
    return Q.getData("offline-at").then(function (at) {
      if (!force && at && Date.now() - at < DATA_MAX_AGE_MS) return null;
      return fetch(cfg.data, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
        if (!r.ok) return null;
        return r.json().then(function (data) {
          if (String(data.user && data.user.id) !== cfg.user) return null; // another session answered
          return Q.setData("offline", data).then(function () { return Q.setData("offline-at", Date.now()); })
            .then(function () { warm(data, true); return data; });
        });
      });
    }).catch(function () { return null; });
  }

  // Keeps the task pages (always refreshed) and each household's visit form and open warning (when
  // not kept yet) in the service worker's page cache, two at a time, after the page has loaded.
  function whenControlled() { // the first page after signing in is not controlled yet: clientsClaim follows
    if (!("serviceWorker" in navigator)) return Promise.reject(new Error("no service worker"));
    if (navigator.serviceWorker.controller) return Promise.resolve();
    return new Promise(function (resolve, reject) {
      navigator.serviceWorker.addEventListener("controllerchange", function () { resolve(); }, { once: true });
      setTimeout(function () { reject(new Error("no service worker took control")); }, 30000);
    });
  }
  // Asks the service worker to keep the task pages (each time the data is fetched: fresh tasks) and each
  // household's visit form and open warning (when not kept yet): every page load checks what is missing.
  function warm(data, fresh) {
    if (!window.caches || !data) return;
    var tasks = fresh ? (data.precache || []).filter(function (u) { return u.indexOf(cfg.static) !== 0; }) : [];
    var kept = [];
    (data.households || []).forEach(function (h) { if (h.visit_url) kept.push(h.visit_url); });
    ((data.tasks && data.tasks.warnings) || []).forEach(function (w) { if (w.url) kept.push(w.url); });
    whenControlled().then(function () {
      return caches.open(PAGES_CACHE);
    }).then(function (cache) {
      return Promise.all(kept.map(function (u) {
        return cache.match(u, { ignoreVary: true }).then(function (hit) { return hit ? null : u; });
      }));
    }).then(function (missing) {
      var urls = tasks.concat(missing.filter(Boolean));
      if (signedIn && urls.length && navigator.serviceWorker.controller) { // not once signing out has begun
        navigator.serviceWorker.controller.postMessage({ type: "warm", urls: urls });
      }
    }, function () { /* no service worker: pages are kept on visit only */ });
  }

  function forgetHousehold(id) { // moved away: its data and its kept pages leave the phone
    return Q.getData("offline").then(function (data) {
      if (!data) return;
      var gone = (data.households || []).filter(function (h) { return String(h.id) === String(id); });
      data.households = (data.households || []).filter(function (h) { return String(h.id) !== String(id); });
      ["warnings", "visits_due", "leads"].forEach(function (k) {
        if (data.tasks && data.tasks[k]) {
          data.tasks[k] = data.tasks[k].filter(function (t) { return String(t.household_id) !== String(id); });
        }
      });
      return Q.setData("offline", data).then(function () {
        if (!window.caches) return;
        return caches.open(PAGES_CACHE).then(function (cache) {
          return Promise.all(gone.map(function (h) { return h.visit_url && cache.delete(h.visit_url, { ignoreVary: true }); })
            .concat([cache.delete("/registry/households/" + id + "/", { ignoreVary: true })]));
        });
      });
    });
  }

  // --- sending the queue
  var flushing = null;
  function flush() {
    if (!signedIn) return Promise.resolve(null);
    if (flushing) return flushing;
    flushing = Q.flush({ csrf: cookieCsrf, refreshCsrf: refreshCsrf }).then(function (r) {
      flushing = null;
      if (r && r.sent) refreshData(true);
      return Q.state().then(function (s) {
        return Promise.all(s.failed.filter(function (f) { return f.answer && f.answer.code === "moved_away"; })
          .map(function (f) { var m = f.url.match(/\/visit\/(\d+)\//); return m && forgetHousehold(m[1]); }));
      }).then(function () { render(); return r; });
    }, function (e) { flushing = null; render(); throw e; });
    return flushing;
  }

  // --- the bar: offline, how many wait, what could not be saved, what was sent
  var bar = null;
  function ensureBar() {
    if (bar) return bar;
    bar = document.createElement("div");
    bar.id = "sync-bar";
    bar.className = "sync-bar";
    bar.setAttribute("role", "status");
    bar.setAttribute("aria-live", "polite");
    var main = document.querySelector("main") || document.body;
    main.insertBefore(bar, main.firstChild);
    return bar;
  }
  // One language at a time: the page's (an answer carries both).
  var english = (document.documentElement.lang || "").toLowerCase().indexOf("en") === 0;
  function inLanguage(zh, en) { return english && en ? en : zh || en || ""; }
  function answerText(answer) {
    if (!answer) return "";
    var head = inLanguage(answer.message_zh || answer.message || answer.detail, answer.message_en || answer.title);
    var problems = (answer.errors || []).map(function (p) { return inLanguage(p.message, p.message_en); });
    return [head].concat(problems).join(" ");
  }
  // A refusal of the form just sent: each problem beside its field, as the server's own page shows it.
  // Returns the first field holding one, or null when a problem names no field of this form (then the
  // bar above says it).
  function showBeside(form, answer) {
    form.querySelectorAll("ul.errorlist.from-queue").forEach(function (el) { el.remove(); });
    var problems = (answer && answer.errors) || [];
    var first = null;
    var all = problems.length > 0;
    problems.forEach(function (p) {
      var name = String(p.field || "").split(".").pop();
      var input = name ? form.querySelector('[name="' + (window.CSS && CSS.escape ? CSS.escape(name) : name) + '"]') : null;
      if (!input) { all = false; return; }
      var holder = input.closest("label, fieldset") || input.parentNode;
      var ul = document.createElement("ul");
      ul.className = "errorlist from-queue";
      var li = document.createElement("li");
      li.appendChild(text(inLanguage(p.message, p.message_en)));
      ul.appendChild(li);
      holder.appendChild(ul);
      if (!first) first = holder;
    });
    return all ? first : null;
  }
  function dismissButton(store, key) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "link";
    b.dataset.dismiss = store;
    b.dataset.key = key;
    b.appendChild(say("dismiss"));
    return b;
  }
  function render() {
    return Q.state().then(function (s) {
      var el = ensureBar();
      el.textContent = "";
      var offline = !navigator.onLine;
      el.classList.toggle("is-offline", offline);
      var line = document.createElement("p");
      line.className = "sync-line";
      if (offline) { var b = say("offline"); b.className = "badge-offline"; line.appendChild(b); }
      var login = s.waiting.some(function (w) { return w.state === "login"; });
      if (s.waiting.length) {
        var w = say("waiting", s.waiting.length);
        w.className = "sync-count";
        w.dataset.count = String(s.waiting.length);
        line.appendChild(w);
      }
      if (login) line.appendChild(say("login"));
      if (line.childNodes.length) el.appendChild(line);
      if (s.waiting.length) {
        var wl = document.createElement("ul");
        wl.className = "sync-waiting";
        s.waiting.forEach(function (item) {
          var li = document.createElement("li");
          li.appendChild(text(item.label + " · " + item.created.slice(0, 16).replace("T", " ")));
          wl.appendChild(li);
        });
        el.appendChild(wl);
      }
      if (s.failed.length) {
        var box = document.createElement("section");
        box.className = "sync-failed";
        var h = document.createElement("h2");
        h.appendChild(say("failed", s.failed.length));
        box.appendChild(h);
        var ul = document.createElement("ul");
        s.failed.forEach(function (f) {
          var li = document.createElement("li");
          li.dataset.code = (f.answer && f.answer.code) || "";
          var code = (f.answer && f.answer.code) || "";
          // Decided by someone else meanwhile: nothing to redo. Anything else: not saved, say why.
          li.appendChild(say(code === "already_decided" ? "notneeded" : "notsaved"));
          li.appendChild(text(" "));
          var strong = document.createElement("strong");
          strong.appendChild(text(f.label));
          li.appendChild(strong);
          li.appendChild(text(" — " + answerText(f.answer) + " "));
          li.appendChild(dismissButton("failed", f.key));
          ul.appendChild(li);
        });
        box.appendChild(ul);
        el.appendChild(box);
      }
      if (s.done.length) {
        var ok = document.createElement("section");
        ok.className = "sync-done";
        var ul2 = document.createElement("ul");
        s.done.slice(-5).forEach(function (d) {
          var li = document.createElement("li");
          li.appendChild(say("sent"));
          li.appendChild(text(" " + d.label + " — " + answerText(d.answer) + " "));
          li.appendChild(dismissButton("done", d.key));
          ul2.appendChild(li);
        });
        ok.appendChild(ul2);
        el.appendChild(ok);
      }
      var flash = sessionStorage.getItem("bangfu-queued");
      if (flash) {
        sessionStorage.removeItem("bangfu-queued");
        var q = document.createElement("p");
        q.className = "sync-queued";
        q.appendChild(say("queued"));
        q.appendChild(text(" " + flash));
        el.appendChild(q);
      }
      el.hidden = !el.childNodes.length;
    });
  }

  // --- photos: compressed on the phone so a weak line carries them (≤ 200 KB, long side ≤ 1280 px)
  function toBlob(canvas, quality) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", quality); });
  }
  function compress(file) {
    if (!/^image\//.test(file.type) || !window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bmp) {
      var side = Math.max(bmp.width, bmp.height);
      if (file.size <= PHOTO_MAX_BYTES && side <= PHOTO_LONG_SIDE) return file;
      var scale = Math.min(1, PHOTO_LONG_SIDE / side);
      var quality = 0.72;
      function attempt() {
        var canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(bmp.width * scale));
        canvas.height = Math.max(1, Math.round(bmp.height * scale));
        canvas.getContext("2d").drawImage(bmp, 0, 0, canvas.width, canvas.height);
        return toBlob(canvas, quality).then(function (blob) {
          if (blob && blob.size > PHOTO_MAX_BYTES && (quality > 0.4 || scale > 0.3)) {
            if (quality > 0.4) quality -= 0.12; else scale *= 0.75;
            return attempt();
          }
          return blob || file;
        });
      }
      return attempt();
    }).catch(function () { return file; });
  }

  function routeOf(form) {
    var url = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    if (url.origin !== window.location.origin) return null;
    for (var i = 0; i < QUEUED.length; i++) {
      var m = url.pathname.match(QUEUED[i].re);
      if (m) return { url: url.pathname, kind: QUEUED[i].kind, id: m[1], event: QUEUED[i].event };
    }
    return null;
  }

  function collect(form, submitter, route) {
    var data;
    try { data = new FormData(form, submitter || undefined); } catch (e) { data = new FormData(form); }
    if (submitter && submitter.name && !data.has(submitter.name)) data.append(submitter.name, submitter.value);
    var fields = [];
    var files = [];
    data.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return; // sent as X-CSRFToken, fresh, when the action goes
      if (value instanceof File) { if (value.size > 0) files.push([name, value]); } else fields.push([name, value]);
    });
    var heading = document.querySelector("h1");
    var label = heading ? heading.firstChild && heading.firstChild.textContent.trim() : "";
    return Promise.all(files.map(function (f) {
      return compress(f[1]).then(function (blob) { return [f[0], blob, (f[1].name || "photo").replace(/\.\w+$/, "") + ".jpg"]; });
    })).then(function (shrunk) {
      return { url: route.url, kind: route.kind, label: label || route.url, fields: fields, files: shrunk };
    });
  }

  function leave(form) {
    var next = new URLSearchParams(location.search).get("next") || "";
    if (next.charAt(0) === "/" && next.charAt(1) !== "/" && next.charAt(1) !== "\\") { location.assign(next); return; }
    var back = document.referrer;
    try {
      var u = new URL(back);
      if (u.origin === location.origin && u.pathname !== location.pathname) { location.assign(back); return; }
    } catch (e) { /* no referrer */ }
    location.assign(form.dataset.next || "/");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !signedIn) return;
    if (cfg.logout && new URL(form.action, location.href).pathname === cfg.logout) { signOut(event, form); return; }
    var route = routeOf(form);
    if (!route) return;
    var submitter = event.submitter || null;
    if (route.event && !(submitter && submitter.name === "event" && submitter.value === route.event)) return;
    event.preventDefault();
    if (form.dataset.queued === "1") return;
    form.dataset.queued = "1";
    collect(form, submitter, route).then(function (action) {
      return Q.enqueue(action);
    }).then(function (item) {
      askBackgroundSync();
      if (!navigator.onLine) return { item: item, waiting: true };
      return flush().then(function () { return Q.state(); }).then(function (s) {
        return {
          item: item,
          waiting: s.waiting.some(function (w) { return w.key === item.key; }),
          failed: s.failed.filter(function (f) { return f.key === item.key; })[0],
        };
      });
    }).then(function (r) {
      if (r.failed) { // refused at once: the form stays filled; a field's problem beside it, else above
        form.dataset.queued = "";
        var field = showBeside(form, r.failed.answer);
        if (!field) { window.scrollTo(0, 0); return; }
        field.scrollIntoView({ block: "center" });
        return Q.dismiss("failed", r.failed.key).then(render); // said beside its field: not again above
      }
      if (r.waiting) sessionStorage.setItem("bangfu-queued", r.item.label);
      leave(form);
    }).catch(function (e) {
      form.dataset.queued = "";
      console.error(e);
      form.submit(); // the queue itself failed (storage full, private mode): post the form as before
    });
  }, true);

  // --- signing out: warn about unsent actions, then clear the phone's copy before the server's
  // Clear-Site-Data (a browser on plain HTTP ignores that header).
  function signOut(event, form) {
    event.preventDefault();
    Q.state().then(function (s) {
      if (s.waiting.length && !window.confirm(say("lose", s.waiting.length).textContent)) return false;
      // From here this page sends, refreshes and keeps nothing more: a refresh of the offline data still
      // on its way would otherwise ask the worker to keep pages again after it emptied its caches.
      signedIn = false;
      return Q.clearAll().then(function () { return clearCaches(null); }).then(askWorkerToClear).then(function () {
        return true;
      });
    }).then(function (go) { if (go) form.submit(); }, function () { form.submit(); });
  }

  // The service worker may be keeping a page at this moment: it stops, clears, and answers (≤ 3 s).
  function askWorkerToClear() {
    var sw = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (!sw) return Promise.resolve();
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function () { resolve(); };
      sw.postMessage({ type: "clear" }, [channel.port2]);
      setTimeout(resolve, 3000);
    });
  }

  document.addEventListener("click", function (event) {
    var b = event.target instanceof Element ? event.target.closest("button[data-dismiss]") : null;
    if (!b) return;
    Q.dismiss(b.dataset.dismiss, b.dataset.key).then(render);
  });

  // --- the static offline page: what the phone keeps (households and tasks), from IndexedDB
  function drawOfflinePage() {
    var list = document.getElementById("offline-households");
    if (!list) return Promise.resolve();
    return Q.getData("offline").then(function (data) {
      if (!data) return;
      var tasks = document.getElementById("offline-tasks");
      ((data.tasks && data.tasks.visits_due) || []).forEach(function (t) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = t.url;
        a.textContent = t.head_name;
        li.appendChild(a);
        li.appendChild(text(" " + (t.reason_zh || "")));
        tasks.appendChild(li);
      });
      (data.households || []).forEach(function (h) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = h.visit_url;
        a.textContent = h.head_name + " · " + (h.village || "");
        li.appendChild(a);
        list.appendChild(li);
      });
      var at = document.getElementById("offline-at");
      if (at) at.textContent = data.generated_at || "";
    });
  }

  window.addEventListener("online", function () { render(); flush(); });
  window.addEventListener("offline", render);
  window.addEventListener("bangfu-queue", function () { render(); });
  if (typeof BroadcastChannel === "function") {
    new BroadcastChannel("bangfu-queue").onmessage = function () { render(); };
  }
  setInterval(function () { if (navigator.onLine) flush(); }, 30000);

  readWords().then(ensureOwner).then(function () {
    register();
    return Promise.all([render(), drawOfflinePage()]);
  }).then(function () {
    if (!navigator.onLine) return;
    return flush().then(function () { return refreshData(false); }).then(function (fresh) {
      if (!fresh) return Q.getData("offline").then(function (kept) { warm(kept, false); });
    });
  });
})();
