/*
 * lchc-ui.js: the sign-in form, decrypted report and "My reports" list on protected pages.
 * Uses window.LchcAccess (lchc-access.js) for all cryptography. Runs on every page view,
 * including Material's instant navigation (document$), and does nothing on public pages.
 */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="lchc-site-root"]');
  // Resolved once, against the page that loaded this script: stays right after instant navigation.
  var SITE_ROOT = new URL(meta ? meta.content : "./", document.baseURI).href;

  function $(root, sel) { return root.querySelector(sel); }

  function say(box, text, isError) {
    var status = $(box, ".lchc-status");
    status.textContent = text;
    status.classList.toggle("lchc-error", !!isError);
  }

  function showSignedIn(box, session) {
    var form = $(box, ".lchc-signin"), who = $(box, ".lchc-signed-in");
    form.hidden = !!session;
    who.hidden = !session;
    if (session) $(who, ".lchc-who").textContent = "Signed in as " + session.readerId + ".";
  }

  function listReports(box, session) {
    var list = $(box, ".lchc-report-list");
    list.textContent = "";
    (session ? session.reports : []).forEach(function (r) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = new URL(r.url, SITE_ROOT).href;
      a.textContent = r.label;
      li.appendChild(a);
      list.appendChild(li);
    });
    if (session) say(box, session.reports.length ? "Your reports:" : "There is no report for you in this build.");
    else say(box, "");
  }

  async function openReport(box, session) {
    var body = $(box, ".lchc-report-body");
    try {
      body.innerHTML = await window.LchcAccess.openPage(box.dataset.lchcPage);
      $(box, "h1").hidden = true;
      say(box, "");
    } catch (err) {
      body.textContent = "";
      say(box, err.message, true);
    }
  }

  async function refresh(box) {
    var session = await window.LchcAccess.session();
    showSignedIn(box, session);
    if (box.dataset.lchcPage !== undefined) {
      if (session) await openReport(box, session);
      else { $(box, ".lchc-report-body").textContent = ""; $(box, "h1").hidden = false; say(box, "This report is encrypted. Sign in to read it."); }
    } else {
      listReports(box, session);
    }
  }

  function init() {
    var box = document.querySelector("[data-lchc-page], [data-lchc-myreports]");
    if (!box || box.dataset.lchcReady) return;
    box.dataset.lchcReady = "1";
    var support = window.LchcAccess ? window.LchcAccess.support() : { ok: false, message: "The decryption script did not load." };
    if (!support.ok) { say(box, support.message, true); return; }
    $(box, ".lchc-signin").addEventListener("submit", async function (event) {
      event.preventDefault();
      var form = event.target, button = $(form, "button");
      button.disabled = true;
      say(box, "Checking your passphrase ...");
      try {
        await window.LchcAccess.signIn(form.reader.value, form.passphrase.value);
        form.passphrase.value = "";
        await refresh(box);
      } catch (err) {
        say(box, err.message, true);
      } finally {
        button.disabled = false;
      }
    });
    $(box, ".lchc-signout").addEventListener("click", async function () {
      await window.LchcAccess.signOut();
      await refresh(box);
      say(box, "Signed out. Reports are locked again.");
    });
    refresh(box);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
