/*! Cairn website tracker. MIT licence. */
/*
 * Add to every page (the first line queues calls made before the script is loaded):
 *
 *   <script>window.cairn=window.cairn||function(){(cairn.q=cairn.q||[]).push(arguments)};cairn("init",{writeKey:"WRITE_KEY",url:"https://cairn.example"});</script>
 *   <script async src="https://cairn.example/tracker.js"></script>
 *
 * Then: cairn.track(type, properties), cairn.identify(userId, traits), cairn.page(),
 * cairn.consent.grant() / .deny() / .status(), cairn.show(widgetId, config),
 * cairn.reset(), cairn.info(). Before the script is loaded, use the call form:
 * cairn("track", "signup", {plan: "pro"}).
 *
 * init options (defaults): writeKey (required); url (the origin tracker.js came from);
 * pageViews (true): send "page-view" on load; consent ("granted"): "pending" keeps
 * events in the queue, unsent, until cairn.consent.grant() (cairn.consent.deny() drops
 * them and stops tracking; consent-granted/-revoked events, the customer's decisions,
 * are sent in every state); respectDoNotTrack (false):
 * true makes the tracker do nothing when the browser sends Do Not Track or Global
 * Privacy Control; flushDelay (250 ms) batches events sent close together; maxBatch
 * (50) events per request; maxQueue (200) events kept while Cairn cannot be reached
 * (oldest dropped); sessionMinutes (30) of inactivity end a visit; widgets (true)
 * mounts the widgets flows ask for; storagePrefix ("cairn").
 *
 * Delivery: events are kept in localStorage until Cairn confirms them (each carries a
 * messageId, so a repeat is stored once). Failures are retried with exponential
 * backoff (1 s doubling to 60 s, with jitter); a refusal (4xx) drops the batch. When
 * the page is hidden or unloaded, what is left goes with navigator.sendBeacon —
 * unless the last attempt failed, in which case it waits in storage for the next page.
 * Ids (anonymous id, session, profile) live in localStorage, or in first-party
 * cookies when localStorage is unavailable; the queue then lives in memory only.
 */
(function (window, document) {
  "use strict";

  var VERSION = "1.0.0";
  var previous = window.cairn;
  if (previous && previous.version) { return; }

  var DEFAULTS = {
    writeKey: null, url: null, pageViews: true, consent: "granted", respectDoNotTrack: false,
    flushDelay: 250, maxBatch: 50, maxQueue: 200, sessionMinutes: 30, widgets: true, storagePrefix: "cairn"
  };
  var BEACON_LIMIT = 60000;
  var CONSENT_EVENTS = ["consent-granted", "consent-revoked"];
  var scriptOrigin = originOf(document.currentScript && document.currentScript.src);

  /* ---- helpers --------------------------------------------------------------------- */

  function originOf(url) {
    try { return url ? new URL(url, window.location.href).origin : null; } catch (error) { return null; }
  }

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" +
      hex.slice(20);
  }

  function byteLength(text) {
    return typeof TextEncoder === "function" ? new TextEncoder().encode(text).length : text.length * 3;
  }

  function warn(message, detail) {
    if (window.console && console.warn) { console.warn("[cairn] " + message, detail === undefined ? "" : detail); }
  }

  function safely(method) {
    return function () {
      try { return method.apply(null, arguments); } catch (error) { warn("tracker error", error); }
      return undefined;
    };
  }

  /* ---- storage: localStorage, else cookies (ids only) and memory -------------------- */

  function Storage(prefix) {
    this.prefix = prefix + ".";
    this.memory = {};
    this.local = null;
    try {
      var probe = this.prefix + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      this.local = window.localStorage;
    } catch (error) { this.local = null; }
  }

  Storage.prototype.get = function (name) {
    var key = this.prefix + name;
    var raw = null;
    if (this.local) {
      try { raw = this.local.getItem(key); } catch (error) { raw = null; }
    } else if (Object.prototype.hasOwnProperty.call(this.memory, key)) {
      raw = this.memory[key];
    } else {
      raw = this.cookie(key);
    }
    if (raw === null || raw === undefined) { return null; }
    try { return JSON.parse(raw); } catch (error) { return null; }
  };

  /* durable: ids worth a cookie when localStorage is missing (not the queue). */
  Storage.prototype.set = function (name, value, durable) {
    var key = this.prefix + name;
    var raw = JSON.stringify(value);
    if (this.local) {
      try { this.local.setItem(key, raw); return; } catch (error) { /* full or blocked: memory below */ }
    }
    this.memory[key] = raw;
    if (durable) { this.setCookie(key, raw, 365 * 24 * 3600); }
  };

  Storage.prototype.remove = function (name) {
    var key = this.prefix + name;
    if (this.local) { try { this.local.removeItem(key); } catch (error) { /* ignore */ } }
    delete this.memory[key];
    if (this.cookie(key) !== null) { this.setCookie(key, "", 0); }
  };

  Storage.prototype.cookie = function (key) {
    try {
      var name = encodeURIComponent(key) + "=";
      var parts = document.cookie ? document.cookie.split("; ") : [];
      for (var i = 0; i < parts.length; i++) {
        if (parts[i].indexOf(name) === 0) { return decodeURIComponent(parts[i].slice(name.length)); }
      }
    } catch (error) { /* cookies blocked */ }
    return null;
  };

  Storage.prototype.setCookie = function (key, raw, maxAge) {
    try {
      var secure = window.location.protocol === "https:" ? "; Secure" : "";
      document.cookie = encodeURIComponent(key) + "=" + encodeURIComponent(raw) + "; Path=/; Max-Age=" + maxAge +
        "; SameSite=Lax" + secure;
    } catch (error) { /* cookies blocked */ }
  };

  /* ---- the tracker ------------------------------------------------------------------ */

  function Tracker(options) {
    this.options = options;
    this.endpoint = options.url + "/track";
    this.store = new Storage(options.storagePrefix);
    this.dnt = options.respectDoNotTrack && doNotTrack();
    this.queue = this.dnt ? [] : (this.store.get("queue") || []);
    this.inflight = {};
    this.delivered = {};
    this.sending = false;
    this.timer = null;
    this.failures = 0;
    this.retryAt = 0;
    this.consentState = this.store.get("consent") || (options.consent === "pending" ? "pending" : "granted");
  }

  function doNotTrack() {
    var flag = window.navigator.doNotTrack || window.doNotTrack || window.navigator.msDoNotTrack;
    return flag === "1" || flag === "yes" || window.navigator.globalPrivacyControl === true;
  }

  Tracker.prototype.anonymousId = function () {
    var id = this.store.get("anonymousId");
    if (!id) {
      id = newId();
      this.store.set("anonymousId", id, true);
    }
    return id;
  };

  Tracker.prototype.sessionId = function () {
    var now = Date.now();
    var session = this.store.get("session");
    if (!session || !session.id || now - session.lastActivity > this.options.sessionMinutes * 60000) {
      session = { id: newId(), startedAt: now };
    }
    session.lastActivity = now;
    this.store.set("session", session, true);
    return session.id;
  };

  Tracker.prototype.pageContext = function () {
    var location = window.location;
    return {
      url: location.href, path: location.pathname, search: location.search, title: document.title,
      referrer: document.referrer
    };
  };

  /* Consent decisions always go (recording them is an obligation); other events need consent. */
  Tracker.prototype.sendable = function (event) {
    return !this.dnt && (this.consentState === "granted" || CONSENT_EVENTS.indexOf(event.type) >= 0);
  };

  Tracker.prototype.enqueue = function (event) {
    if (this.dnt || (this.consentState === "denied" && !this.sendable(event))) { return false; }
    event.messageId = newId();
    event.timestamp = new Date().toISOString();
    event.anonymousId = this.anonymousId();
    event.session = this.sessionId();
    var userId = this.store.get("userId");
    if (userId && !event.userId) { event.userId = userId; }
    event.context = { page: this.pageContext() };
    this.queue.push(event);
    this.save();
    this.schedule(this.options.flushDelay);
    return true;
  };

  /* Other tabs share the stored queue: keep their events, drop the ones this tab delivered. */
  Tracker.prototype.save = function () {
    var self = this;
    var known = {};
    this.queue.forEach(function (event) { known[event.messageId] = true; });
    var stored = this.store.get("queue");
    (Array.isArray(stored) ? stored : []).forEach(function (event) {
      if (event && event.messageId && !known[event.messageId] && !self.delivered[event.messageId]) {
        known[event.messageId] = true;
        self.queue.push(event);
      }
    });
    if (this.queue.length > this.options.maxQueue) { this.queue.splice(0, this.queue.length - this.options.maxQueue); }
    this.store.set("queue", this.queue, false);
  };

  Tracker.prototype.schedule = function (delay) {
    var self = this;
    if (this.timer !== null || this.dnt) { return; }
    this.timer = setTimeout(function () { self.timer = null; self.flush(); }, delay);
  };

  /* The sendable events not being sent, of one session (a request carries one session id). */
  Tracker.prototype.nextBatch = function (limit) {
    var batch = [];
    for (var i = 0; i < this.queue.length && batch.length < limit; i++) {
      var event = this.queue[i];
      if (this.inflight[event.messageId] || !this.sendable(event)) { continue; }
      if (batch.length && event.session !== batch[0].session) { break; }
      batch.push(event);
    }
    return batch;
  };

  Tracker.prototype.body = function (batch) {
    var profileId = this.store.get("profileId");
    var body = {
      source: { id: this.options.writeKey },
      session: { id: batch[0].session },
      context: {
        library: { name: "cairn-tracker", version: VERSION },
        locale: window.navigator.language,
        screen: { width: window.screen.width, height: window.screen.height }
      },
      sentAt: new Date().toISOString(),
      events: batch.map(function (event) {
        var copy = {};
        Object.keys(event).forEach(function (key) { if (key !== "session") { copy[key] = event[key]; } });
        return copy;
      })
    };
    try { body.context.timezone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (error) { /* old */ }
    if (profileId) { body.profile = { id: profileId }; }
    return JSON.stringify(body);
  };

  Tracker.prototype.flush = function () {
    var self = this;
    if (this.sending) { return; }
    var wait = this.retryAt - Date.now();
    if (wait > 0) { this.schedule(wait); return; }
    var batch = this.nextBatch(this.options.maxBatch);
    if (!batch.length) { return; }
    var body = this.body(batch);
    this.sending = true;
    batch.forEach(function (event) { self.inflight[event.messageId] = true; });
    fetch(this.endpoint, {
      method: "POST", body: body, mode: "cors", credentials: "omit", keepalive: byteLength(body) < BEACON_LIMIT,
      /* text/plain keeps it a "simple" request: no preflight round trip. */
      headers: { "Content-Type": "text/plain;charset=UTF-8" }
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (reply) {
        return { status: response.status, reply: reply };
      });
    }).then(function (result) {
      self.finished(batch, result.status, result.reply);
    }, function (error) {
      self.finished(batch, 0, null, error);
    });
  };

  Tracker.prototype.finished = function (batch, status, reply, error) {
    var self = this;
    this.sending = false;
    batch.forEach(function (event) { delete self.inflight[event.messageId]; });
    var retry = status === 0 || status === 408 || status === 429 || status >= 500;
    if (retry) {
      this.failures += 1;
      var delay = Math.min(60000, 1000 * Math.pow(2, this.failures - 1)) * (0.5 + Math.random() / 2);
      this.retryAt = Date.now() + delay;
      warn("Cairn could not be reached; retrying in " + Math.round(delay / 1000) + " s", error || status);
      this.schedule(delay);
      return;
    }
    this.failures = 0;
    this.retryAt = 0;
    this.forget(batch);
    if (status >= 400) {
      warn("Cairn refused " + batch.length + " event(s)", reply && reply.error);
    } else if (reply) {
      if (reply.profile && reply.profile.id) { this.store.set("profileId", reply.profile.id, true); }
      if (reply.errors && reply.errors.length) { warn("Cairn refused some events", reply.errors); }
      if (this.options.widgets && reply.ux) { this.handleUx(reply.ux); }
    }
    if (this.nextBatch(1).length) { this.schedule(0); }
  };

  Tracker.prototype.forget = function (batch) {
    var delivered = this.delivered;
    batch.forEach(function (event) { delivered[event.messageId] = true; });
    this.queue = this.queue.filter(function (event) { return !delivered[event.messageId]; });
    this.save();
  };

  /* The page is going away: hand what is left to the browser, unless Cairn was unreachable. */
  Tracker.prototype.beacon = function () {
    if (this.failures > 0 || !window.navigator.sendBeacon) { return; }
    while (true) {
      var batch = this.nextBatch(this.options.maxBatch);
      if (!batch.length) { return; }
      var body = this.body(batch);
      while (byteLength(body) > BEACON_LIMIT && batch.length > 1) {
        batch = batch.slice(0, Math.ceil(batch.length / 2));
        body = this.body(batch);
      }
      var blob = new Blob([body], { type: "text/plain;charset=UTF-8" });
      if (!window.navigator.sendBeacon(this.endpoint, blob)) { return; }
      this.forget(batch);
    }
  };

  /* ---- widgets ---------------------------------------------------------------------- */

  Tracker.prototype.handleUx = function (items) {
    var self = this;
    items.forEach(function (item) {
      if (!item || item.type !== "widget") { return; }
      if (item.error) { warn("widget " + item.widget + " not shown: " + item.error); return; }
      var ready = typeof item.html === "string" ? Promise.resolve(item) : self.render(item.widget, item.config);
      ready.then(function (instruction) { return self.mount(instruction); })
        .catch(function (error) { warn("widget " + item.widget + " not shown", error); });
    });
  };

  Tracker.prototype.render = function (widgetId, config) {
    var url = this.options.url + "/widgets/" + encodeURIComponent(widgetId) + "/render";
    return fetch(url, {
      method: "POST", mode: "cors", credentials: "omit", body: JSON.stringify({ config: config || {} }),
      headers: { "Content-Type": "text/plain;charset=UTF-8" }
    }).then(function (response) {
      return response.json().then(function (reply) {
        if (!response.ok) { throw new Error((reply && reply.error && reply.error.message) || response.status); }
        return reply;
      });
    });
  };

  Tracker.prototype.mount = function (instruction) {
    if (!window.CairnWidgets) { return Promise.reject(new Error("the widget runtime is missing")); }
    return window.CairnWidgets.show(instruction, {
      baseUrl: this.options.url, track: api.track, consent: api.consent
    });
  };

  /* ---- the public API ----------------------------------------------------------------- */

  var tracker = null;

  function requireTracker() {
    if (!tracker) { throw new Error('call cairn("init", {writeKey: ..., url: ...}) first'); }
    return tracker;
  }

  function plainObject(value) {
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  }

  var api = function (method) {
    var args = Array.prototype.slice.call(arguments, 1);
    if (typeof api[method] !== "function") { warn("unknown call " + method); return undefined; }
    return api[method].apply(null, args);
  };

  api.version = VERSION;

  api.init = safely(function (options) {
    if (tracker) { return; }
    var settings = {};
    Object.keys(DEFAULTS).forEach(function (key) { settings[key] = DEFAULTS[key]; });
    Object.keys(plainObject(options)).forEach(function (key) { settings[key] = options[key]; });
    settings.url = String(settings.url || scriptOrigin || "").replace(/\/+$/, "");
    if (!settings.writeKey || !settings.url) { warn("init needs writeKey and url"); return; }
    tracker = new Tracker(settings);
    var leave = function () { tracker.beacon(); };
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { leave(); }
    });
    window.addEventListener("pagehide", leave);
    window.addEventListener("online", function () { tracker.retryAt = 0; tracker.schedule(0); });
    if (settings.pageViews) { api.page(); }
    tracker.schedule(0);
  });

  api.track = safely(function (type, properties) {
    if (typeof type !== "string" || !type) { warn("track needs an event type"); return false; }
    return requireTracker().enqueue({ type: type, properties: plainObject(properties) });
  });

  api.page = safely(function (properties) {
    var context = requireTracker().pageContext();
    var merged = {};
    Object.keys(context).forEach(function (key) { merged[key] = context[key]; });
    Object.keys(plainObject(properties)).forEach(function (key) { merged[key] = properties[key]; });
    return tracker.enqueue({ type: "page-view", properties: merged });
  });

  api.identify = safely(function (userId, traits) {
    var current = requireTracker();
    if (userId !== undefined && userId !== null && userId !== "") { current.store.set("userId", String(userId), true); }
    return current.enqueue({ type: "identify", userId: current.store.get("userId") || undefined,
      traits: plainObject(traits), properties: {} });
  });

  api.reset = safely(function () {
    var current = requireTracker();
    ["userId", "profileId", "anonymousId", "session"].forEach(function (name) { current.store.remove(name); });
  });

  api.flush = safely(function () { requireTracker().schedule(0); });

  api.show = function (widgetId, config) {
    try {
      var current = requireTracker();
      return current.render(widgetId, config).then(function (instruction) { return current.mount(instruction); });
    } catch (error) {
      return Promise.reject(error);
    }
  };

  api.info = safely(function () {
    var current = requireTracker();
    return {
      anonymousId: current.store.get("anonymousId"), profileId: current.store.get("profileId"),
      sessionId: (current.store.get("session") || {}).id || null, userId: current.store.get("userId"),
      queued: current.queue.length, consent: current.dnt ? "do-not-track" : current.consentState,
      failures: current.failures
    };
  });

  api.consent = {
    grant: safely(function () {
      var current = requireTracker();
      current.consentState = "granted";
      current.store.set("consent", "granted", true);
      current.schedule(0);
    }),
    deny: safely(function () {
      var current = requireTracker();
      current.consentState = "denied";
      current.store.set("consent", "denied", true);
      current.queue.forEach(function (event) {
        if (!current.sendable(event)) { current.delivered[event.messageId] = true; }
      });
      current.queue = current.queue.filter(function (event) { return current.sendable(event); });
      current.store.set("queue", current.queue, false);
      current.schedule(0);
    }),
    status: safely(function () {
      var current = requireTracker();
      return current.dnt ? "do-not-track" : current.consentState;
    })
  };

  window.cairn = api;
  /* Replay the calls made before the script was loaded, init first. */
  var queued = previous && previous.q ? Array.prototype.slice.call(previous.q) : [];
  queued.sort(function (a, b) { return (b[0] === "init") - (a[0] === "init"); });
  queued.forEach(function (args) { api.apply(null, Array.prototype.slice.call(args)); });
})(window, document);
