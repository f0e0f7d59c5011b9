/*
 * lchc-access.js: sign in and decrypt protected reports in the browser.
 * WebCrypto only, no dependencies, no network beyond this site's own files.
 *
 * SETTINGS (read once, when this script loads, so Material's instant navigation
 * cannot make a relative path point elsewhere later; put the tags before the script):
 *   <meta name="lchc-build-id" content="BUILD_ID">      the per-build id of this site
 *   <meta name="lchc-access-root" content="../_access/"> the access folder, relative
 *                                                       to the page that loads this script
 *   <meta name="lchc-site-root" content="../">         the site's root (the session cookie's
 *                                                       Path); default: the access folder's parent
 *   LchcAccess.configure({buildId, root, siteRoot}) overrides any (paths may be relative: they
 *   are resolved against the current page at the time of the call).
 *
 * API: window.LchcAccess (all methods but support/configure return Promises)
 *   support()                 -> {ok: boolean, message: string}  (ok=false outside a
 *                                secure context: plain http, or no crypto.subtle; or with
 *                                no DecompressionStream: an old browser)
 *   signIn(readerId, passphrase) -> {readerId, name, reports}  derives the key (about a second),
 *                                opens the reader's keyring, starts a session (see SESSION)
 *   session()                 -> {readerId, name, reports} or null when signed out; name is the
 *                                reader's display name from the keyring ("" when it has none)
 *   openPage(pageId)          -> the report's HTML (string)
 *   openLinked(pageId, key)   -> the HTML of a page whose key came in its link (a team's own
 *                                page: team/#<id>.<key>, the key base64url, 32 bytes); needs no
 *                                sign-in and stores nothing; the key is imported non-extractable
 *   signOut()                 -> ends the session in every tab and wipes what it stored
 *   message(code)             -> the plain message for an error code or "ended" (not a Promise)
 *   onChange(callback)        -> callback(reason) whenever a tab signs in or out (not a Promise);
 *                                reason is "ended" when a session ran out (see SESSION), else
 *                                "changed"
 *   reports: [{id, url, label, info}] sorted by label; url is site-relative (join it to the
 *   site root yourself), label and info were encrypted in the keyring. info (or null) says
 *   what the report is to this reader: {cycle_order, cycle_label, kind, own}. A report's url
 *   is "My reports" with the page id as its fragment (reports/#<id>).
 *   Errors are LchcAccess.AccessError with .code and a plain .message:
 *     "insecure-context", "old-browser" (no DecompressionStream),
 *     "bad-credentials" (wrong id OR passphrase, never which), "weak-key" (a keyring whose
 *     KDF has fewer than 600,000 iterations: refused before any work),
 *     "signed-out", "not-authorised", "tampered", "network", "config"; message("ended")
 *     says why a session ended on its own.
 *
 * SESSION: at sign-in, a random 256-bit secret goes into a session cookie (no expiry, so
 * browsers drop it when they close, unless they restore it: see LIFETIME; Path = the site
 * root; SameSite=Strict; Secure on https).
 * IndexedDB holds only ciphertext under a key derived from it (HKDF): the reader id and
 * report labels (AES-GCM, padded) and each report key (AES-GCM, unwrapped straight into a
 * non-extractable CryptoKey when needed). Every tab of the site reads the same cookie, so one
 * sign-in serves them all; nothing secret ever goes over the BroadcastChannel, which carries
 * only content-free signals (each tab then re-checks its cookie). A page load without the
 * cookie wipes the stored record.
 *
 * LIFETIME: a session lives while the browser that signed in stays open, and no longer than
 * MAX_AGE_MS after sign-in or IDLE_MS after the last use (both kept inside the encrypted
 * record, checked on every use and every minute). Browsers that restore their last session
 * bring back session cookies and each tab's sessionStorage, so neither proves that this is the
 * same browser run; only a live page's memory does. A newly loaded page therefore joins a
 * session only (a) as the same tab's reload or next page, within HANDOFF_MS of the last page
 * of the session leaving it (a restored tab loads as "back_forward" and never counts), or (b)
 * when a live tab of the session answers its question on the channel with an HMAC of a random
 * challenge under a key derived from the cookie's secret (the secret never travels). Else the
 * session ends: the cookie and the record are wiped, and the reader signs in again. Records
 * also end when the site is rebuilt (new build id).
 *
 * FORMATS: see lchc_gen/access/blobs.py; this file must stay in step with it.
 */
(function () {
  "use strict";
  // Loaded twice (e.g. a theme re-running scripts on navigation)? Keep the first
  // instance: its settings were resolved against the page that really loaded it.
  if (window.LchcAccess) return;

  var VERSION = 1; // keyrings
  var PAGE_VERSION = 2; // page blobs: raw DEFLATE, then padding, then AES-GCM
  var KDF_NAME = "PBKDF2-HMAC-SHA256";
  var MAX_ITERATIONS = 10000000; // refuse absurd work factors from a damaged keyring
  var MIN_ITERATIONS = 600000; // OWASP's floor for PBKDF2-HMAC-SHA256, as in crypto.py
  var MAX_AGE_MS = 8 * 60 * 60 * 1000; // a working day from sign-in, whatever happens
  var IDLE_MS = 30 * 60 * 1000; // ends after this long without a page of the site in use
  var TOUCH_MS = 60 * 1000; // use is written down at most this often
  var HANDOFF_MS = 30 * 1000; // a reload or the next page of the same tab, from the last one
  var ASK_MS = 400; // how long a new page waits for a live tab's answer
  var HANDOFF = "lchc-handoff"; // sessionStorage (per tab); the site's path follows
  var SESSION_VERSION = 2; // 2: the record has an expiry and a use clock
  var COOKIE = "lchc-session";
  var DB_NAME = "lchc-access";
  var DB_VERSION = 2;
  var STORE = "session";
  var CHANNEL = "lchc-access";
  var CHANGED = "lchc-session-changed";
  var ENDED = "lchc-session-ended";
  var KEY_SLOTS = 32; // wrapped keys are stored in groups of this many
  var META_BLOCK = 4096; // the encrypted list is padded to a multiple of this many bytes

  var MESSAGES = {
    "insecure-context":
      "Reports can only be decrypted over HTTPS (or on localhost): this page was opened " +
      "over plain HTTP or from a file, where the browser withholds its cryptography. " +
      "Open the site through its https:// address.",
    "old-browser": "This browser cannot open reports: use a current Chrome, Edge, Firefox or Safari.",
    "bad-credentials": "Wrong reader id or passphrase.",
    "weak-key":
      "Your key is refused: it was issued with a weaker key derivation than this site allows " +
      "(fewer than 600,000 rounds). Ask your L&D admin to re-issue your passphrase.",
    "signed-out": "Sign in to read this report.",
    "not-authorised": "You are not one of the readers of this report.",
    tampered: "This report could not be decrypted: its data is damaged or was altered.",
    network: "The encrypted data could not be fetched from the site.",
    config: "This page lacks its access settings (build id or access folder).",
    ended:
      "Your sign-in has ended: it lasts while this browser stays open, for at most 8 hours, " +
      "and ends after 30 minutes without use. Sign in again to read your reports."
  };

  class AccessError extends Error {
    constructor(code, detail) {
      super(MESSAGES[code]);
      this.name = "AccessError";
      this.code = code;
      this.detail = detail || "";
    }
  }

  var settings = { buildId: meta("lchc-build-id"), root: resolve(meta("lchc-access-root")),
                   siteRoot: resolve(meta("lchc-site-root")) };
  if (!settings.siteRoot && settings.root) settings.siteRoot = resolve(settings.root + "../");

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") : null;
  }

  function resolve(path) {
    if (!path) return null;
    var url = new URL(path, document.baseURI).href;
    return url.endsWith("/") ? url : url + "/";
  }

  function configure(opts) {
    if (opts.buildId !== undefined) settings.buildId = opts.buildId;
    if (opts.root !== undefined) settings.root = resolve(opts.root);
    if (opts.siteRoot !== undefined) settings.siteRoot = resolve(opts.siteRoot);
  }

  function support() {
    if (!(window.isSecureContext && window.crypto && window.crypto.subtle)) {
      return { ok: false, message: MESSAGES["insecure-context"] };
    }
    if (typeof DecompressionStream !== "function") return { ok: false, message: MESSAGES["old-browser"] };
    return { ok: true, message: "" };
  }

  async function inflate(bytes) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  function requireReady() {
    if (!support().ok) throw new AccessError("insecure-context");
    // The meta tags may come after this script in the page; read them late then.
    if (!settings.buildId) settings.buildId = meta("lchc-build-id");
    if (!settings.root) settings.root = resolve(meta("lchc-access-root"));
    if (!settings.siteRoot) settings.siteRoot = resolve(meta("lchc-site-root")) || (settings.root && resolve(settings.root + "../"));
    if (!settings.buildId || !settings.root) throw new AccessError("config");
  }

  // ---- encoding, mirroring crypto.py ----

  var utf8 = new TextEncoder();

  function unb64u(text) {
    if (typeof text !== "string" || !/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("bad base64url");
    var bin = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function bind(parts) {
    return utf8.encode(parts.join("\0"));
  }

  function normalizePassphrase(passphrase) {
    return passphrase.normalize("NFC").trim().split(/\s+/).join(" ").toLowerCase();
  }

  function unpad(bytes) {
    var end = bytes.length - 1;
    while (end >= 0 && bytes[end] === 0) end--;
    if (end < 0 || bytes[end] !== 0x80) throw new Error("bad padding");
    return bytes.subarray(0, end);
  }

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  async function locator(buildId, readerId) {
    var digest = await crypto.subtle.digest("SHA-256", bind(["lchc-keyring-locator", buildId, readerId]));
    return hex(digest).slice(0, 32);
  }

  async function fetchJson(url, missingCode) {
    var response;
    try {
      response = await fetch(url, { cache: "no-cache", credentials: "same-origin" });
    } catch (err) {
      throw new AccessError("network", String(err));
    }
    // Static hosts answer a missing file with 404, or 403 (S3 without list rights).
    if (response.status === 404 || response.status === 403) throw new AccessError(missingCode);
    if (!response.ok) throw new AccessError("network", "HTTP " + response.status);
    try {
      return JSON.parse(await response.text());
    } catch (err) {
      throw new AccessError(missingCode, "not JSON");
    }
  }

  function gcm(nonce, aad) {
    return { name: "AES-GCM", iv: nonce, additionalData: aad, tagLength: 128 };
  }

  // ---- keyring ----

  async function openKeyring(buildId, readerId, passphrase) {
    var url = settings.root + "k/" + (await locator(buildId, readerId)) + ".json";
    // An unreadable keyring cannot be told from a missing one: both read as bad credentials.
    var doc = await fetchJson(url, "bad-credentials");
    var salt, nonce, ct;
    try {
      if (doc.v !== VERSION || doc.kdf !== KDF_NAME) throw new Error("version");
      if (!Number.isInteger(doc.iterations) || doc.iterations < 1 || doc.iterations > MAX_ITERATIONS) {
        throw new Error("iterations");
      }
      salt = unb64u(doc.salt);
      nonce = unb64u(doc.nonce);
      ct = unb64u(doc.ct);
    } catch (err) {
      throw new AccessError("bad-credentials", String(err));
    }
    // Refused before any work: the keystore's KDF floor is the browser's too.
    if (doc.iterations < MIN_ITERATIONS) throw new AccessError("weak-key", "iterations " + doc.iterations);
    var secret = await crypto.subtle.importKey(
      "raw", utf8.encode(normalizePassphrase(passphrase)), "PBKDF2", false, ["deriveKey"]);
    var kek = await crypto.subtle.deriveKey(
      { name: "PBKDF2", hash: "SHA-256", salt: salt, iterations: doc.iterations },
      secret, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
    var plain;
    try {
      plain = new Uint8Array(await crypto.subtle.decrypt(
        gcm(nonce, bind(["lchc-keyring", String(VERSION), buildId, readerId,
                         KDF_NAME, doc.salt, String(doc.iterations)])), kek, ct));
    } catch (err) {
      // GCM cannot tell a wrong passphrase from an altered keyring.
      throw new AccessError("bad-credentials", "authentication failed");
    }
    var inner;
    try {
      inner = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(unpad(plain)));
      if (inner.v !== VERSION || !Array.isArray(inner.pages)) throw new Error("version");
    } catch (err) {
      throw new AccessError("tampered", String(err));
    }
    var pages = [], cycles = Array.isArray(inner.cycles) ? inner.cycles.map(String) : [];
    try {
      for (var p of inner.pages) {
        var raw = unb64u(p.key);
        if (raw.length !== 32) throw new Error("key length");
        // Raw only until store() has wrapped it under the session key (then zeroed).
        pages.push({ id: String(p.id), url: String(p.url), label: String(p.label), info: pageInfo(p.info, cycles), key: raw });
      }
    } catch (err) {
      throw new AccessError("tampered", String(err));
    } finally {
      plain.fill(0);
    }
    return { name: typeof inner.name === "string" ? inner.name : "", pages: pages };
  }

  // What a report is to its reader, as the keyring says ({cycle: index into cycles, kind, own}):
  // only known fields, of known types.
  var KINDS = ["team", "department", "overview", "feedback", "admin", "reach"]; // feedback: learner comments; reach: not reached yet
  function pageInfo(info, cycles) {
    if (!info || typeof info !== "object") return null;
    var order = Number.isInteger(info.cycle) ? info.cycle : -1;
    return { cycle_order: order, cycle_label: cycles[order] || "",
             kind: KINDS.indexOf(info.kind) >= 0 ? info.kind : "team", own: info.own === true };
  }

  // ---- the session: a secret in a session cookie, everything else encrypted under it ----
  //
  // At sign-in a random 256-bit secret goes into a session cookie (no expiry, so the browser
  // drops it when its session ends; Path = this site's root, SameSite=Strict). IndexedDB keeps
  // only what is useless without it: the reader id and report labels encrypted, and each
  // report key wrapped, under a key derived from the secret. A page load imports the keys it
  // needs as non-extractable CryptoKeys in memory. A visit without the cookie wipes the rest.

  function sitePath() {
    return new URL(settings.siteRoot).pathname;
  }

  function readCookie() {
    // With several of that name (a site on a parent path), the longest path comes first.
    var found = document.cookie.split(/;\s*/).find(function (c) { return c.indexOf(COOKIE + "=") === 0; });
    var value = found ? found.slice(COOKIE.length + 1) : "";
    return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
  }

  function writeCookie(value) {
    var attrs = "; Path=" + sitePath() + "; SameSite=Strict" + (location.protocol === "https:" ? "; Secure" : "");
    document.cookie = COOKIE + "=" + (value || "") + attrs + (value ? "" : "; Max-Age=0");
  }

  function b64u(bytes) {
    var bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  async function sessionKey(secret) {
    var base = await crypto.subtle.importKey("raw", unb64u(secret), "HKDF", false, ["deriveKey"]);
    return crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8.encode("lchc-session-" + SESSION_VERSION) },
      base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt", "unwrapKey"]);
  }

  function metaAad(buildId) {
    return bind(["lchc-session", String(SESSION_VERSION), sitePath(), buildId]);
  }

  function keyAad(buildId, pageId) {
    return bind(["lchc-session-key", String(SESSION_VERSION), sitePath(), buildId, pageId]);
  }

  function padTo(bytes, block) {
    var out = new Uint8Array(Math.ceil((bytes.length + 1) / block) * block);
    out.set(bytes);
    out[bytes.length] = 0x80;
    return out;
  }

  function openDb() {
    return new Promise(function (ok, fail) {
      var req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = function () {
        // Version 1 kept usable keys at rest: drop it with everything in it.
        var db = req.result;
        Array.from(db.objectStoreNames).forEach(function (name) { db.deleteObjectStore(name); });
        db.createObjectStore(STORE, { keyPath: "site" });
      };
      req.onsuccess = function () { ok(req.result); };
      req.onerror = function () { fail(req.error); };
    });
  }

  async function withStore(mode, action) {
    var db = await openDb();
    try {
      return await new Promise(function (ok, fail) {
        var tx = db.transaction(STORE, mode);
        var result = action(tx.objectStore(STORE));
        tx.oncomplete = function () { ok(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { fail(tx.error); };
        tx.onabort = function () { fail(tx.error); };
      });
    } finally {
      db.close();
    }
  }

  function wipe() {
    return withStore("readwrite", function (s) { s.delete(sitePath()); });
  }

  var current = null; // this tab's session: {secret, key, buildId, readerId, expires, seen, pages, record, keys}

  var channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;
  var listeners = [];
  var asking = new Map(); // challenge -> resolve, while this page asks whether a live tab is there
  if (channel) {
    // Content-free: any page of the origin may send or hear these; each tab re-checks its cookie.
    channel.onmessage = function (event) {
      var data = event.data;
      if (data === CHANGED || data === ENDED) notify(data === ENDED ? "ended" : "changed");
      else if (data && data.t === "alive?" && typeof data.n === "string") answer(data.n);
      else if (data && data.t === "alive" && asking.has(data.n) && typeof data.m === "string") asking.get(data.n)(data.m);
    };
  }

  function notify(reason) {
    listeners.forEach(function (fn) { fn(reason); });
  }

  function announce(signal) {
    if (channel) channel.postMessage(signal || CHANGED);
  }

  function onChange(callback) {
    listeners.push(callback);
  }

  // ---- is this the browser run that signed in? ----

  async function aliveKey(secret) {
    var base = await crypto.subtle.importKey("raw", unb64u(secret), "HKDF", false, ["deriveKey"]);
    return crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8.encode("lchc-session-alive-" + SESSION_VERSION) },
      base, { name: "HMAC", hash: "SHA-256", length: 256 }, false, ["sign", "verify"]);
  }

  function challengeBytes(nonce) {
    return bind(["lchc-alive", sitePath(), nonce]);
  }

  // A live tab of the session proves it (an HMAC of the challenge), revealing nothing else.
  async function answer(nonce) {
    try {
      if (!current || current.secret !== readCookie() || !(await withinTime(current))) return;
      var mac = await crypto.subtle.sign("HMAC", await aliveKey(current.secret), challengeBytes(nonce));
      channel.postMessage({ t: "alive", n: nonce, m: b64u(new Uint8Array(mac)) });
    } catch (err) { /* not ours to answer */ }
  }

  async function liveTabAnswers(secret) {
    if (!channel) return false;
    var key = await aliveKey(secret), nonce = b64u(crypto.getRandomValues(new Uint8Array(16)));
    return new Promise(function (done) {
      var timer = setTimeout(function () { asking.delete(nonce); done(false); }, ASK_MS);
      asking.set(nonce, async function (mac) {
        try {
          if (!(await crypto.subtle.verify("HMAC", key, unb64u(mac), challengeBytes(nonce)))) return;
        } catch (err) { return; }
        clearTimeout(timer);
        asking.delete(nonce);
        done(true);
      });
      channel.postMessage({ t: "alive?", n: nonce });
    });
  }

  // The same tab's next page: the last page of the session left it moments ago, and this load
  // is a reload or a new address in it, not a restored tab or a trip through its history.
  function sameTabHandoff() {
    var key = HANDOFF + ":" + sitePath(), left = null;
    try {
      left = JSON.parse(sessionStorage.getItem(key) || "null");
      sessionStorage.removeItem(key);
    } catch (err) { return false; }
    var nav = (performance.getEntriesByType && performance.getEntriesByType("navigation")[0]) || {};
    var age = left && typeof left.at === "number" ? Date.now() - left.at : Infinity;
    return (nav.type === "navigate" || nav.type === "reload") && age >= 0 && age < HANDOFF_MS;
  }

  window.addEventListener("pagehide", function () {
    if (!current) return;
    try {
      sessionStorage.setItem(HANDOFF + ":" + sitePath(), JSON.stringify({ at: Date.now() }));
    } catch (err) { /* no sessionStorage: the next page asks the other tabs */ }
  });

  // ---- how long it lasts ----

  function clockAad(buildId) {
    return bind(["lchc-session-clock", String(SESSION_VERSION), sitePath(), buildId]);
  }

  async function sealClock(key, buildId, seen) {
    var nonce = crypto.getRandomValues(new Uint8Array(12));
    var plain = utf8.encode(JSON.stringify({ seen: seen }));
    return { nonce: nonce, ct: new Uint8Array(await crypto.subtle.encrypt(gcm(nonce, clockAad(buildId)), key, plain)) };
  }

  async function openClock(key, record) {
    try {
      var plain = await crypto.subtle.decrypt(gcm(record.clock.nonce, clockAad(record.buildId)), key, record.clock.ct);
      var seen = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plain)).seen;
      return typeof seen === "number" ? seen : -Infinity;
    } catch (err) {
      return -Infinity;
    }
  }

  // Within both limits, by the clock of this session's record (another tab's use counts too).
  async function withinTime(s) {
    var now = Date.now();
    if (!(now < s.expires)) return false;
    if (now - s.seen < IDLE_MS) return true;
    var record = await withStore("readonly", function (st) { return st.get(sitePath()); });
    if (!record || !record.clock || record.meta.nonce.toString() !== s.record.meta.nonce.toString()) return false;
    s.seen = Math.max(s.seen, await openClock(s.key, record));
    return now - s.seen < IDLE_MS;
  }

  // Write down that the session is in use (at most every TOUCH_MS), in its own record only.
  async function touch(s) {
    var now = Date.now();
    if (now - s.seen < TOUCH_MS && now >= s.seen) return;
    s.seen = now;
    var clock = await sealClock(s.key, s.buildId, now);
    await withStore("readwrite", function (st) {
      var get = st.get(sitePath());
      get.onsuccess = function () {
        var record = get.result; // signed out, or another sign-in since: leave it alone
        if (!record || record.meta.nonce.toString() !== s.record.meta.nonce.toString()) return;
        record.clock = clock;
        st.put(record);
      };
    });
  }

  async function end() {
    await forget();
    announce(ENDED);
    notify("ended");
    return null;
  }

  // Checked every minute and when a tab comes back into view: a session that ran out goes,
  // in every tab, with the report on screen.
  async function watch() {
    if (!current) return;
    try {
      if (current.secret !== readCookie()) { current = null; notify("changed"); return; }
      if (!(await withinTime(current))) await end();
    } catch (err) { /* the next check or use will tell */ }
  }
  setInterval(watch, 60 * 1000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) watch(); });
  ["pointerdown", "keydown", "wheel", "touchstart"].forEach(function (type) {
    document.addEventListener(type, function () { if (current) touch(current).catch(function () {}); }, { passive: true, capture: true });
  });

  async function currentSession() {
    requireReady();
    var secret = readCookie();
    if (!secret) {
      current = null;
      await wipe();
      return null;
    }
    if (current && current.secret === secret) {
      if (!(await withinTime(current))) return end();
      await touch(current);
      return current;
    }
    current = null;
    var record = await withStore("readonly", function (s) { return s.get(sitePath()); });
    // Missing: another tab is signing in right now (its cookie is set first). It announces itself.
    if (!record) return null;
    if (record.buildId !== settings.buildId) return forget();
    var key = await sessionKey(secret), meta;
    try {
      var plain = await crypto.subtle.decrypt(gcm(record.meta.nonce, metaAad(record.buildId)), key, record.meta.ct);
      meta = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(unpad(new Uint8Array(plain))));
    } catch (err) {
      return null; // stored under another secret: a sign-in in another tab is under way
    }
    var s = { secret: secret, key: key, buildId: record.buildId, readerId: meta.readerId, name: meta.name || "",
              expires: Math.min(meta.expires, meta.created + MAX_AGE_MS), seen: await openClock(key, record),
              pages: meta.pages, record: record, keys: new Map() };
    if (!(Date.now() >= meta.created && (await withinTime(s)))) return end();
    // A page that was not there when the session was last in use: this browser run's, or none.
    if (!sameTabHandoff() && !(await liveTabAnswers(secret))) return end();
    if (readCookie() !== secret) return null; // signed out (or in again) meanwhile
    current = s;
    await touch(s);
    return current;
  }

  async function forget() {
    current = null;
    writeCookie(null);
    await wipe();
    return null;
  }

  async function store(buildId, readerId, name, pages) {
    var secret = b64u(crypto.getRandomValues(new Uint8Array(32)));
    var key = await sessionKey(secret);
    var keys = [];
    for (var p of pages) {
      var nonce = crypto.getRandomValues(new Uint8Array(12));
      keys.push({ nonce: nonce, ct: new Uint8Array(await crypto.subtle.encrypt(gcm(nonce, keyAad(buildId, p.id)), key, p.key)) });
      p.key.fill(0);
    }
    // Random filler, like wrapped keys, so the store shows the number of reports only roughly.
    while (keys.length === 0 || keys.length % KEY_SLOTS) {
      keys.push({ nonce: crypto.getRandomValues(new Uint8Array(12)), ct: crypto.getRandomValues(new Uint8Array(48)) });
    }
    var created = Date.now(), expires = created + MAX_AGE_MS;
    var list = pages.map(function (p) { return { id: p.id, url: p.url, label: p.label, info: p.info }; });
    var meta = padTo(utf8.encode(JSON.stringify({ readerId: readerId, name: name, created: created, expires: expires, pages: list })), META_BLOCK);
    var nonce = crypto.getRandomValues(new Uint8Array(12));
    var record = {
      site: sitePath(),
      buildId: buildId,
      meta: { nonce: nonce, ct: new Uint8Array(await crypto.subtle.encrypt(gcm(nonce, metaAad(buildId)), key, meta)) },
      clock: await sealClock(key, buildId, created),
      keys: keys
    };
    writeCookie(secret);
    await withStore("readwrite", function (s) { s.put(record); });
    current = { secret: secret, key: key, buildId: buildId, readerId: readerId, name: name, expires: expires,
                seen: created, pages: list, record: record, keys: new Map() };
    return current;
  }

  async function pageKey(session, index) {
    var id = session.pages[index].id;
    if (!session.keys.has(id)) {
      var wrapped = session.record.keys[index];
      // Straight from wrapped bytes to a non-extractable key: the raw key never reaches script.
      session.keys.set(id, await crypto.subtle.unwrapKey(
        "raw", wrapped.ct, session.key, gcm(wrapped.nonce, keyAad(session.buildId, id)),
        { name: "AES-GCM" }, false, ["decrypt"]));
    }
    return session.keys.get(id);
  }

  function summary(s) {
    return {
      readerId: s.readerId,
      name: s.name || "",
      reports: s.pages.map(function (p) { return { id: p.id, url: p.url, label: p.label, info: p.info || null }; })
    };
  }

  // ---- public API ----

  async function signIn(readerId, passphrase) {
    requireReady();
    // Ids are bound in lower case (blobs.reader_key): "P00007" is the same reader as "p00007".
    var id = String(readerId || "").trim().toLowerCase();
    if (!id || !passphrase) throw new AccessError("bad-credentials");
    var ring = await openKeyring(settings.buildId, id, String(passphrase));
    var s = await store(settings.buildId, id, ring.name, ring.pages);
    announce();
    return summary(s);
  }

  async function session() {
    var s = await currentSession();
    return s ? summary(s) : null;
  }

  async function openPage(pageId) {
    var s = await currentSession();
    if (!s) throw new AccessError("signed-out");
    var index = s.pages.findIndex(function (p) { return p.id === pageId; });
    if (index < 0) throw new AccessError("not-authorised");
    var page = s.pages[index];
    var doc = await fetchJson(settings.root + "p/" + encodeURIComponent(pageId) + ".json", "tampered");
    try {
      if (doc.v !== PAGE_VERSION) throw new Error("version");
      var plain = await crypto.subtle.decrypt(
        gcm(unb64u(doc.nonce), bind(["lchc-page", String(PAGE_VERSION), s.buildId, page.url])),
        await pageKey(s, index), unb64u(doc.ct));
      return new TextDecoder("utf-8", { fatal: true }).decode(await inflate(unpad(new Uint8Array(plain))));
    } catch (err) {
      throw new AccessError("tampered", String(err));
    }
  }

  async function openLinked(pageId, keyText) {
    requireReady();
    var raw;
    try { raw = unb64u(String(keyText || "")); } catch (err) { throw new AccessError("tampered", "key"); }
    if (!/^[0-9a-f]{16}$/.test(String(pageId)) || raw.length !== 32) throw new AccessError("tampered", "link");
    var key = await crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["decrypt"]);
    raw.fill(0);
    var doc = await fetchJson(settings.root + "t/" + encodeURIComponent(pageId) + ".json", "tampered");
    try {
      if (doc.v !== PAGE_VERSION) throw new Error("version");
      var plain = await crypto.subtle.decrypt(
        gcm(unb64u(doc.nonce), bind(["lchc-page", String(PAGE_VERSION), settings.buildId, "team/#" + pageId])),
        key, unb64u(doc.ct));
      return new TextDecoder("utf-8", { fatal: true }).decode(await inflate(unpad(new Uint8Array(plain))));
    } catch (err) {
      throw new AccessError("tampered", String(err));
    }
  }

  async function signOut() {
    requireReady();
    await forget();
    announce();
  }

  // A visit without a live session leaves nothing behind: what an earlier browser session
  // stored is wiped (it could not be decrypted anyway, its secret went with the cookie).
  try {
    if (support().ok && settings.buildId && settings.root && !readCookie()) wipe().catch(function () {});
  } catch (err) { /* a page without access settings: nothing to wipe */ }

  window.LchcAccess = Object.freeze({
    AccessError: AccessError,
    configure: configure,
    support: support,
    signIn: signIn,
    session: session,
    openPage: openPage,
    openLinked: openLinked,
    signOut: signOut,
    onChange: onChange,
    message: function (code) { return MESSAGES[code] || ""; }
  });
})();
