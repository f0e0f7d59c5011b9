/*
 * lchc-access.js: sign in and decrypt protected reports in the browser.
 * WebCrypto only, no dependencies, no network beyond this site's own files.
 *
 * SETTINGS (read once, when this script loads, so Material's instant navigation
 * cannot make a relative path point elsewhere later; put the tags before the script):
 *   <meta name="lchc-build-id" content="BUILD_ID">      the per-build id of this site
 *   <meta name="lchc-access-root" content="../_access/"> the access folder, relative
 *                                                       to the page that loads this script
 *   LchcAccess.configure({buildId, root}) overrides either (root may be relative: it is
 *   resolved against the current page at the time of the call).
 *
 * API: window.LchcAccess (all methods but support/configure return Promises)
 *   support()                 -> {ok: boolean, message: string}  (ok=false outside a
 *                                secure context: plain http, or no crypto.subtle; or with
 *                                no DecompressionStream: an old browser)
 *   signIn(readerId, passphrase) -> {readerId, reports}  derives the key (about a second),
 *                                opens the reader's keyring, keeps only non-extractable
 *                                CryptoKeys for this browser session
 *   session()                 -> {readerId, reports} or null when signed out
 *   openPage(pageId)          -> the report's HTML (string)
 *   signOut()                 -> wipes every stored key in this browser
 *   reports: [{id, url, label}] sorted by label; url is site-relative (join it to the
 *   site root yourself), label was encrypted in the keyring. A report's url
 *   is "My reports" with the page id as its fragment (reports/#<id>).
 *   Errors are LchcAccess.AccessError with .code and a plain .message:
 *     "insecure-context", "old-browser" (no DecompressionStream),
 *     "bad-credentials" (wrong id OR passphrase, never which),
 *     "signed-out", "not-authorised", "tampered", "network", "config".
 *
 * SESSION: a random token in sessionStorage names a record in IndexedDB that holds the
 * CryptoKeys; a new browser session has no token and so starts signed out. A new tab
 * asks open tabs for their token over a BroadcastChannel, so one sign-in serves every
 * tab. Records expire after MAX_AGE_MS and when the site is rebuilt (new build id).
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
  var MAX_AGE_MS = 12 * 60 * 60 * 1000;
  var TOKEN_KEY = "lchc-access-session";
  var DB_NAME = "lchc-access";
  var STORE = "sessions";
  var HANDOFF_WAIT_MS = 150;

  var MESSAGES = {
    "insecure-context":
      "Reports can only be decrypted over HTTPS (or on localhost): this page was opened " +
      "over plain HTTP or from a file, where the browser withholds its cryptography. " +
      "Open the site through its https:// address.",
    "old-browser": "This browser cannot open reports: use a current Chrome, Edge, Firefox or Safari.",
    "bad-credentials": "Wrong reader id or passphrase.",
    "signed-out": "Sign in to read this report.",
    "not-authorised": "You are not one of the readers of this report.",
    tampered: "This report could not be decrypted: its data is damaged or was altered.",
    network: "The encrypted data could not be fetched from the site.",
    config: "This page lacks its access settings (build id or access folder)."
  };

  class AccessError extends Error {
    constructor(code, detail) {
      super(MESSAGES[code]);
      this.name = "AccessError";
      this.code = code;
      this.detail = detail || "";
    }
  }

  var settings = { buildId: meta("lchc-build-id"), root: resolve(meta("lchc-access-root")) };

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
    var pages = [];
    try {
      for (var p of inner.pages) {
        var raw = unb64u(p.key);
        // Non-extractable: script on the page can use the key but never read it out.
        var key = await crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["decrypt"]);
        raw.fill(0);
        pages.push({ id: String(p.id), url: String(p.url), label: String(p.label), key: key });
      }
    } catch (err) {
      throw new AccessError("tampered", String(err));
    } finally {
      plain.fill(0);
    }
    return pages;
  }

  // ---- session storage: token in sessionStorage, CryptoKeys in IndexedDB ----

  function openDb() {
    return new Promise(function (ok, fail) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore(STORE, { keyPath: "token" });
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

  function isCurrent(record) {
    return record && record.buildId === settings.buildId && Date.now() - record.created < MAX_AGE_MS;
  }

  async function pruneStale() {
    var records = await withStore("readonly", function (s) { return s.getAll(); });
    var stale = records.filter(function (r) { return !isCurrent(r); });
    if (stale.length) {
      await withStore("readwrite", function (s) {
        stale.forEach(function (r) { s.delete(r.token); });
      });
    }
  }

  function newToken() {
    return hex(crypto.getRandomValues(new Uint8Array(16)));
  }

  var channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("lchc-access") : null;
  if (channel) {
    // Answer a new tab of this browser session with our token.
    channel.onmessage = function (event) {
      var token = sessionStorage.getItem(TOKEN_KEY);
      if (event.data === "token?" && token) channel.postMessage({ token: token });
    };
  }

  function askOtherTabs() {
    if (!channel) return Promise.resolve(null);
    return new Promise(function (done) {
      var asker = new BroadcastChannel("lchc-access");
      var timer = setTimeout(function () { asker.close(); done(null); }, HANDOFF_WAIT_MS);
      asker.onmessage = function (event) {
        if (event.data && typeof event.data.token === "string") {
          clearTimeout(timer);
          asker.close();
          done(event.data.token);
        }
      };
      asker.postMessage("token?");
    });
  }

  async function currentRecord() {
    requireReady();
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) {
      token = await askOtherTabs();
      if (!token) return null;
      sessionStorage.setItem(TOKEN_KEY, token);
    }
    var record = await withStore("readonly", function (s) { return s.get(token); });
    if (isCurrent(record)) return record;
    sessionStorage.removeItem(TOKEN_KEY);
    await pruneStale();
    return null;
  }

  function summary(record) {
    return {
      readerId: record.readerId,
      reports: record.pages.map(function (p) { return { id: p.id, url: p.url, label: p.label }; })
    };
  }

  // ---- public API ----

  async function signIn(readerId, passphrase) {
    requireReady();
    var id = String(readerId || "").trim();
    if (!id || !passphrase) throw new AccessError("bad-credentials");
    var pages = await openKeyring(settings.buildId, id, String(passphrase));
    await pruneStale();
    var record = { token: newToken(), buildId: settings.buildId, readerId: id, created: Date.now(), pages: pages };
    await withStore("readwrite", function (s) { s.put(record); });
    sessionStorage.setItem(TOKEN_KEY, record.token);
    return summary(record);
  }

  async function session() {
    var record = await currentRecord();
    return record ? summary(record) : null;
  }

  async function openPage(pageId) {
    var record = await currentRecord();
    if (!record) throw new AccessError("signed-out");
    var page = record.pages.find(function (p) { return p.id === pageId; });
    if (!page) throw new AccessError("not-authorised");
    var doc = await fetchJson(settings.root + "p/" + encodeURIComponent(pageId) + ".json", "tampered");
    try {
      if (doc.v !== PAGE_VERSION) throw new Error("version");
      var plain = await crypto.subtle.decrypt(
        gcm(unb64u(doc.nonce), bind(["lchc-page", String(PAGE_VERSION), record.buildId, page.url])),
        page.key, unb64u(doc.ct));
      return new TextDecoder("utf-8", { fatal: true }).decode(await inflate(unpad(new Uint8Array(plain))));
    } catch (err) {
      throw new AccessError("tampered", String(err));
    }
  }

  async function signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    await withStore("readwrite", function (s) { s.clear(); });
  }

  window.LchcAccess = Object.freeze({
    AccessError: AccessError,
    configure: configure,
    support: support,
    signIn: signIn,
    session: session,
    openPage: openPage,
    signOut: signOut
  });
})();
