// The queue of field actions made on the phone (visits, warning checks, risk reports), kept in
// IndexedDB (through the vendored `idb`) until the server has answered each of them. Loaded by the
// pages (offline.js draws it) and by the service worker (Background Sync); no DOM here.
//
// Each action carries its own Idempotency-Key (crypto.randomUUID, made when it is queued) and is sent
// with it, in the order queued, one at a time, by whoever holds the lock "bangfu-sync" (a page or the
// service worker). The server answers a key it has seen with the answer it gave the first time, so a
// resend after a lost answer changes nothing. What happens to an action, per answer (docs/offline.md):
//   2xx                         → sent: removed, its answer kept in "done" for the page to show
//   no answer (network error)   → stays, sending stops until the connection returns
//   redirect / 401 / 403 not JSON (session ended, CSRF) → stays, the worker is asked to sign in again
//   other 4xx (moved_away, already_decided, 404, 422…) → "failed": not saved, shown with the server's
//                                  reason until the worker dismisses it; the next actions go on
//   5xx, 429                    → stays, sending stops, tried again later
/* global idb */
(function (root) {
  "use strict";

  var DB_NAME = "bangfu";
  var SYNC_TAG = "bangfu-queue";
  var LOCK = "bangfu-sync";
  var STORES = ["queue", "failed", "done", "data"];
  var dbPromise = null;
  var channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("bangfu-queue") : null;

  function db() {
    if (!dbPromise) {
      dbPromise = idb.openDB(DB_NAME, 1, {
        upgrade: function (d) {
          d.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
          d.createObjectStore("failed", { keyPath: "key" });
          d.createObjectStore("done", { keyPath: "key" });
          d.createObjectStore("data");
        },
        blocking: function () { // another version wants the database: let it
          if (dbPromise) dbPromise.then(function (d) { d.close(); });
          dbPromise = null;
        },
      });
    }
    return dbPromise;
  }

  function changed(what) {
    if (channel) channel.postMessage({ type: "changed", what: what });
    if (typeof root.dispatchEvent === "function" && typeof CustomEvent === "function") {
      root.dispatchEvent(new CustomEvent("bangfu-queue", { detail: { what: what } }));
    }
  }

  function newKey() {
    if (root.crypto && typeof root.crypto.randomUUID === "function") return root.crypto.randomUUID();
    // crypto.randomUUID needs a secure context (HTTPS or localhost); an intranet on plain HTTP gets
    // the same 122 random bits from getRandomValues.
    var b = root.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // action: {url, fields: [[name, value]…], files: [[name, Blob, filename]…], label, kind}
  function enqueue(action) {
    var item = {
      key: newKey(),
      url: action.url,
      kind: action.kind || "",
      label: action.label || "",
      fields: action.fields || [],
      files: action.files || [],
      csrf: action.csrf || "",
      created: new Date().toISOString(),
      tries: 0,
      state: "waiting",
    };
    return db().then(function (d) { return d.add("queue", item); }).then(function (seq) {
      item.seq = seq;
      changed("queue");
      return item;
    });
  }

  function all(store) { return db().then(function (d) { return d.getAll(store); }); }

  function state() {
    return Promise.all([all("queue"), all("failed"), all("done")]).then(function (r) {
      return { waiting: r[0], failed: r[1], done: r[2] };
    });
  }

  function dismiss(store, key) {
    return db().then(function (d) { return d.delete(store, key); }).then(function () { changed(store); });
  }

  function getData(name) { return db().then(function (d) { return d.get("data", name); }); }
  function setData(name, value) { return db().then(function (d) { return d.put("data", value, name); }); }

  function clearAll() {
    return db().then(function (d) {
      var tx = d.transaction(STORES, "readwrite");
      return Promise.all(STORES.map(function (s) { return tx.objectStore(s).clear(); }).concat([tx.done]));
    }).then(function () { changed("all"); });
  }

  function withLock(fn) {
    if (root.navigator && root.navigator.locks) {
      return root.navigator.locks.request(LOCK, { ifAvailable: true }, function (lock) {
        return lock ? fn() : { busy: true };
      });
    }
    return fn();
  }

  function problemOf(response) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("json") < 0) return Promise.resolve(null);
    return response.json().catch(function () { return null; });
  }

  function send(item, csrf) {
    var body = new FormData();
    item.fields.forEach(function (f) { body.append(f[0], f[1]); });
    item.files.forEach(function (f) { body.append(f[0], f[1], f[2] || "photo.jpg"); });
    return fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Idempotency-Key": item.key, "X-CSRFToken": csrf || item.csrf, Accept: "application/json" },
    });
  }

  function settle(item, outcome) {
    // One transaction: the action leaves the queue and enters "done" or "failed" together.
    return db().then(function (d) {
      var tx = d.transaction(["queue", outcome.store], "readwrite");
      var record = {
        key: item.key, kind: item.kind, label: item.label, url: item.url, created: item.created,
        at: new Date().toISOString(), status: outcome.status, answer: outcome.answer,
      };
      return Promise.all([tx.objectStore("queue").delete(item.seq), tx.objectStore(outcome.store).put(record), tx.done]);
    });
  }

  function keep(item, patch) {
    return db().then(function (d) {
      Object.assign(item, patch);
      return d.put("queue", item);
    });
  }

  // Sends the waiting actions in order. options.csrf: () → Promise<token> (the page reads the cookie).
  // Resolves to {sent, failed, offline, login, retry, busy}.
  function flush(options) {
    var csrfOf = (options && options.csrf) || function () { return Promise.resolve(""); };
    return withLock(function () {
      var result = { sent: 0, failed: 0, offline: false, login: false, retry: false };
      var refreshed = false;
      function next() {
        return db().then(function (d) { return d.transaction("queue").store.openCursor(); }).then(function (cursor) {
          if (!cursor) return result;
          var item = cursor.value;
          return csrfOf().then(function (token) { return send(item, token); }).then(
            function (response) {
              if (response.type === "opaqueredirect" || response.status === 401) {
                result.login = true;
                return keep(item, { state: "login" });
              }
              return problemOf(response).then(function (answer) {
                if (response.ok) {
                  result.sent += 1;
                  return settle(item, { store: "done", status: response.status, answer: answer }).then(next);
                }
                if (response.status === 403 && (!answer || answer.code === "csrf_failed")) {
                  // A stale CSRF token (a new sign-in rotates it): once more with a fresh one, same key.
                  if (!refreshed && options && options.refreshCsrf) {
                    refreshed = true;
                    return options.refreshCsrf().then(next, function () { return keep(item, { state: "login" }); });
                  }
                  result.login = true;
                  return keep(item, { state: "login" });
                }
                if (response.status >= 400 && response.status < 500 && response.status !== 429) {
                  result.failed += 1;
                  var reason = answer || { detail: "服务器拒绝了这条记录", title: "The server refused this action", code: "http_" + response.status };
                  return settle(item, { store: "failed", status: response.status, answer: reason }).then(next);
                }
                result.retry = true;
                return keep(item, { state: "retry", tries: item.tries + 1 });
              });
            },
            function () {
              result.offline = true;
              return keep(item, { state: "waiting" });
            }
          );
        });
      }
      return next().then(function () {
        changed("flush");
        return result;
      });
    });
  }

  root.BangfuQueue = {
    SYNC_TAG: SYNC_TAG,
    db: db,
    enqueue: enqueue,
    flush: flush,
    state: state,
    dismiss: dismiss,
    getData: getData,
    setData: setData,
    clearAll: clearAll,
    newKey: newKey,
  };
})(self);
