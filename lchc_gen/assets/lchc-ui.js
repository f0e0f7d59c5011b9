/*
 * lchc-ui.js: the sign-in form, "My reports" and the decrypted reports, all on one page.
 * The address's fragment names the report (reports/#<id>): no report has a page of its own,
 * and the server never learns which report is read. Uses window.LchcAccess (lchc-access.js)
 * for all cryptography. Runs on every page view, including Material's instant navigation
 * (document$), and does nothing on pages without the "My reports" box.
 */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="lchc-site-root"]');
  // Resolved once, against the page that loaded this script: stays right after instant navigation.
  var SITE_ROOT = new URL(meta ? meta.content : "./", document.baseURI).href;
  var REPORT_ID = /^[0-9a-f]{16}$/; // the opaque ids the build gives reports

  function $(root, sel) { return root.querySelector(sel); }
  function currentBox() { return document.querySelector("[data-lchc-myreports]"); }

  function wantedReport() {
    var id = location.hash.slice(1);
    return REPORT_ID.test(id) ? id : null;
  }

  function say(box, text, isError) {
    var status = $(box, ".lchc-status");
    status.textContent = text;
    status.classList.toggle("lchc-error", !!isError);
  }

  function showSignedIn(box, session) {
    var form = $(box, ".lchc-signin"), who = $(box, ".lchc-signed-in"), hint = $(box, ".lchc-signin-hint");
    form.hidden = !!session;
    who.hidden = !session;
    if (hint) hint.hidden = !!session;
    if (session) {
      $(who, ".lchc-who").textContent = "Signed in as " + (session.name ? session.name + " (" + session.readerId + ")" : session.readerId) + ".";
    }
  }

  // The reader's reports by cycle, latest first; in each, their own team first, then the teams
  // they read for, then the organisation overview. For a reader who has the overview (an admin),
  // the overview comes first in its cycle, and learner comments and the L&D admin view (which
  // belong to no cycle) come first of all, under "Programs"; for everyone else they come last.
  // [group, heading for one report, heading for several]
  var GROUPS = [["own", "Your team", "Your teams"], ["department", "Your department", "Departments"],
                ["team", "Teams you read for", "Teams you read for"],
                ["overview", "Organisation overview", "Organisation overview"],
                ["feedback", "Learner comments", "Learner comments"], ["admin", "L&D admin view", "L&D admin view"],
                ["reach", "Not reached yet", "Not reached yet"]];
  var ADMIN_GROUPS = [GROUPS[3], GROUPS[0], GROUPS[1], GROUPS[2], GROUPS[4], GROUPS[5], GROUPS[6]];
  var FILTER_FROM = 10; // a reader with this many reports gets the filter box
  var FOLD_FROM = 20; // ... and with this many, only the first two groups start open

  function groupOf(r) {
    if (!r.info) return "team";
    if (r.info.kind === "team") return r.info.own ? "own" : "team";
    return r.info.kind;
  }

  function el(tag, text) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    return e;
  }

  function setOpen(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.closest("section").querySelector(".lchc-cycle-body").hidden = !open;
  }

  function cycleSection(key, cycle, order, open, n) {
    var section = el("section"), heading = el("h2"), button = el("button"), body = el("div");
    var id = "lchc-cycle-" + (key < 0 ? "programs" : key);
    button.type = "button";
    button.setAttribute("aria-controls", id);
    button.appendChild(el("span", cycle.label)).className = "lchc-group-name";
    button.appendChild(el("span", n + (n === 1 ? " report" : " reports"))).className = "lchc-count";
    button.addEventListener("click", function () { setOpen(button, button.getAttribute("aria-expanded") !== "true"); });
    heading.appendChild(button);
    section.appendChild(heading);
    body.id = id;
    body.className = "lchc-cycle-body";
    order.forEach(function (group) {
      var items = cycle.items.filter(function (r) { return groupOf(r) === group[0]; });
      if (!items.length) return;
      var part = el("div");
      part.className = "lchc-report-group";
      part.appendChild(el("h3", items.length > 1 ? group[2] : group[1]));
      var ul = el("ul");
      items.forEach(function (r) {
        var li = el("li"), a = el("a", r.label);
        a.href = new URL(r.url, SITE_ROOT).href;
        li.appendChild(a);
        ul.appendChild(li);
      });
      part.appendChild(ul);
      body.appendChild(part);
    });
    section.appendChild(body);
    setOpen(button, open);
    return section;
  }

  function listReports(box, session) {
    var list = $(box, ".lchc-report-list");
    list.textContent = "";
    var reports = session ? session.reports : [];
    var admin = reports.some(function (r) { return groupOf(r) === "overview"; });
    var cycles = new Map();
    reports.forEach(function (r) {
      var key = r.info ? r.info.cycle_order : -1;
      var programs = r.info && (r.info.kind === "feedback" || r.info.kind === "admin" || r.info.kind === "reach");
      if (!cycles.has(key)) cycles.set(key, { label: (r.info && r.info.cycle_label) || (programs ? "Programs" : "Reports"), items: [] });
      cycles.get(key).items.push(r);
    });
    var keys = Array.from(cycles.keys()).sort(function (a, b) {
      if (admin && (a < 0 || b < 0)) return a < 0 ? -1 : 1; // an admin's programs first
      return b - a;
    });
    var fold = reports.length >= FOLD_FROM;
    keys.forEach(function (key, index) {
      var cycle = cycles.get(key);
      list.appendChild(cycleSection(key, cycle, admin ? ADMIN_GROUPS : GROUPS, !fold || index < 2, cycle.items.length));
    });
    var filter = $(box, ".lchc-report-filter");
    if (filter) {
      filter.hidden = reports.length < FILTER_FROM;
      if (!filter.hidden) applyFilter(box);
    }
    if (session) say(box, reports.length ? "" : "There is no report for you in this build.");
    else say(box, "");
  }

  // Shows the reports whose label (team and cycle) contains every word typed, in any case; a
  // group with none is hidden, a group with some is opened.
  function applyFilter(box) {
    var input = $(box, "#lchc-report-filter"), count = $(box, "#lchc-filter-count");
    if (!input) return;
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0, all = 0;
    box.querySelectorAll(".lchc-report-list section").forEach(function (section) {
      var inSection = 0;
      section.querySelectorAll(".lchc-report-group").forEach(function (part) {
        var inPart = 0;
        part.querySelectorAll("li").forEach(function (li) {
          var label = li.textContent.toLowerCase() + " " + section.querySelector(".lchc-group-name").textContent.toLowerCase();
          var match = words.every(function (w) { return label.indexOf(w) >= 0; });
          li.hidden = !match;
          all += 1;
          if (match) inPart += 1;
        });
        part.hidden = !inPart;
        inSection += inPart;
      });
      section.hidden = !inSection;
      shown += inSection;
      if (words.length && inSection) setOpen(section.querySelector("h2 button"), true);
    });
    count.textContent = words.length ? (shown ? shown + " of " + all + " reports match." : "No report matches.") : "";
  }

  // The tab names what is open; labels come from the keyring, so they never sit in a page.
  // Browsers keep the title a history entry had last: it goes back to the page's own before
  // the reader leaves a report (another report, the list, another page, closing the tab).
  var baseTitle = null, titled = false;
  function setTitle(label) {
    if (baseTitle === null) baseTitle = document.title;
    var site = baseTitle.indexOf(" - ") >= 0 ? baseTitle.slice(baseTitle.indexOf(" - ") + 3) : "";
    document.title = label ? label + (site ? " - " + site : "") : baseTitle;
    titled = !!label;
  }
  window.addEventListener("pagehide", function () { if (titled) setTitle(null); });
  // The back and forward buttons and Material's instant navigation leave without a pagehide:
  // where the browser announces a navigation before it happens (the Navigation API), the title
  // goes back then; a click on a link to another page does it too (before the theme's handler).
  if (window.navigation && typeof window.navigation.addEventListener === "function") {
    window.navigation.addEventListener("navigate", function () { if (titled) setTitle(null); });
  }
  window.addEventListener("click", function (event) {
    var a = titled && event.target.closest ? event.target.closest("a[href]") : null;
    if (a && new URL(a.href, location.href).pathname !== location.pathname) setTitle(null);
  }, true);

  // Every report carries two voices: "you" for the team's own manager, the manager's name for
  // everyone else. Only the reader's one stays in the page.
  function chooseVoice(body, own) {
    body.querySelectorAll("[data-lchc-voice]").forEach(function (node) {
      if ((node.getAttribute("data-lchc-voice") === "you") === own) node.removeAttribute("data-lchc-voice");
      else node.remove();
    });
  }

  // Reports are built once and read later: a paragraph about a session says "take these
  // questions with you" until the session's end (data-lchc-until, UTC) and "it took place" after
  // it, by the reader's clock. The build day's view is what shows without this.
  function markOver(body) {
    var now = Date.now();
    body.querySelectorAll("[data-lchc-until]").forEach(function (node) {
      var end = Date.parse(node.getAttribute("data-lchc-until"));
      if (isNaN(end)) return;
      var over = now >= end;
      node.hidden = node.hasAttribute("data-lchc-over") ? !over : over;
    });
  }

  function showing(box, report) {
    $(box, ".lchc-intro").hidden = report;
    var filter = $(box, ".lchc-report-filter");
    if (filter && report) filter.hidden = true;
    $(box, ".lchc-back").hidden = !report;
    if (report) $(box, ".lchc-report-list").textContent = "";
    else $(box, ".lchc-report-body").textContent = "";
  }

  var routing = 0; // only the latest of overlapping routes may change the page

  async function route(box) {
    var mine = ++routing;
    var session;
    try {
      session = await window.LchcAccess.session();
    } catch (err) {
      if (mine === routing) say(box, err.message || String(err), true);
      return;
    }
    if (mine !== routing) return;
    showSignedIn(box, session);
    var id = wantedReport();
    if (!id) { showing(box, false); listReports(box, session); setTitle(null); return; }
    if (!session) {
      showing(box, false); listReports(box, null); setTitle(null);
      say(box, "This report is encrypted. Sign in to read it.");
      return;
    }
    showing(box, true);
    var body = $(box, ".lchc-report-body");
    try {
      var html = await window.LchcAccess.openPage(id);
      if (mine !== routing) return;
      body.innerHTML = html;
      var entry = session.reports.find(function (r) { return r.id === id; });
      chooseVoice(body, !!(entry && entry.info && entry.info.own));
      markOver(body);
      setTitle(entry ? entry.label : null);
      say(box, "");
      var heading = $(body, "h1");
      if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
    } catch (err) {
      if (mine !== routing) return;
      body.textContent = "";
      setTitle(null);
      say(box, err.message, true);
    }
  }

  // Opened from a folder (file://), the browser gives the page no storage and no network for
  // its encrypted files: say what to do instead of showing a form that cannot work.
  var FROM_DISK =
    "This page was opened from a file on disk, where the browser cannot open reports. Open the site " +
    "through a web address instead: its published address, or serve the built site folder, for example " +
    "with \u201cpython3 -m http.server --directory site\u201d, and open http://localhost:8000/reports/.";

  function fromDisk() {
    var box = currentBox();
    if (!box) return;
    say(box, FROM_DISK, true);
  }

  // Links between reports, and back to the list, stay on this page: the fragment changes and
  // the report is decrypted in place. Handled here, before Material's own link handling.
  function onClick(event) {
    var box = event.currentTarget, a = event.target.closest ? event.target.closest("a[href]") : null;
    if (!a || !box.contains(a)) return;
    var url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname !== location.pathname || url.search !== location.search) return;
    var id = url.hash.slice(1);
    if (id && !REPORT_ID.test(id)) return; // an anchor inside a report
    event.preventDefault();
    event.stopPropagation();
    if (titled) setTitle(null); // before the entry it leaves is left
    history.pushState(null, "", url.href);
    window.scrollTo(0, 0);
    route(box);
  }

  function init() {
    var box = currentBox();
    if (!box || box.dataset.lchcReady) return;
    box.dataset.lchcReady = "1";
    if (location.protocol === "file:") { fromDisk(); return; }
    var support = window.LchcAccess ? window.LchcAccess.support() : { ok: false, message: "The decryption script did not load." };
    if (!support.ok) { say(box, support.message, true); return; }
    box.addEventListener("click", onClick);
    var filterInput = $(box, "#lchc-report-filter");
    if (filterInput) filterInput.addEventListener("input", function () { applyFilter(box); });
    $(box, ".lchc-signin").addEventListener("submit", async function (event) {
      event.preventDefault();
      var form = event.target, button = $(form, "button");
      button.disabled = true;
      say(box, "Checking your passphrase ...");
      try {
        await window.LchcAccess.signIn(form.reader.value, form.passphrase.value);
        form.passphrase.value = "";
        await route(box);
      } catch (err) {
        say(box, err.message, true);
      } finally {
        button.disabled = false;
      }
    });
    $(box, ".lchc-signout").addEventListener("click", async function () {
      await window.LchcAccess.signOut();
      await route(box);
      say(box, "Signed out. Reports are locked again.");
    });
    route(box);
  }

  // Back and forward between reports, and a fragment typed into the address bar.
  function onHistory() {
    var box = currentBox();
    if (box && box.dataset.lchcReady) route(box);
  }
  window.addEventListener("popstate", onHistory);
  window.addEventListener("hashchange", onHistory);
  // A page restored from the back-forward cache may show what a sign-out has since locked.
  window.addEventListener("pageshow", function (event) { if (event.persisted) onHistory(); });

  // A sign-in or sign-out in another tab, or a session that ran out: this tab follows (a
  // decrypted report goes, the list empties, the title is the page's own, the form comes back).
  // The signal carries nothing; route() re-reads the session.
  async function onSessionChange(reason) {
    var box = currentBox();
    if (!box || !box.dataset.lchcReady) { if (titled) setTitle(null); return; }
    var wasIn = !$(box, ".lchc-signed-in").hidden;
    await route(box);
    if (reason === "ended") say(box, window.LchcAccess.message("ended"));
    else if (wasIn && $(box, ".lchc-signed-in").hidden) say(box, "Signed out. Reports are locked again.");
  }
  if (window.LchcAccess && window.LchcAccess.onChange) window.LchcAccess.onChange(onSessionChange);

  // A team's own page (team/#<id>.<key>): the key came in the link the manager handed out, and
  // never leaves this page: no sign-in, nothing stored, the fragment never reaches a server.
  var LINKED = /^([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;
  async function initTeamPage() {
    var box = document.querySelector("[data-lchc-teampage]");
    if (!box || box.dataset.lchcReady) return;
    var run = String(Date.now() + Math.random());
    box.dataset.lchcReady = run;
    var status = box.querySelector(".lchc-status"), body = box.querySelector(".lchc-report-body");
    function tell(text, isError) {
      if (box.dataset.lchcReady !== run) return false; // a newer link is being opened
      status.textContent = text;
      status.classList.toggle("lchc-error", !!isError);
      return true;
    }
    var m = LINKED.exec(location.hash.slice(1));
    if (!m) { tell("Open this page from the link or QR code on your team's printed summary."); return; }
    var support = window.LchcAccess ? window.LchcAccess.support() : { ok: false, message: "The decryption script did not load." };
    if (!support.ok) { tell(support.message, true); return; }
    tell("Opening your team's page ...");
    try {
      var html = await window.LchcAccess.openLinked(m[1], m[2]);
      if (!tell("")) return;
      body.innerHTML = html;
      box.querySelector(".lchc-intro").hidden = true;
      var h1 = body.querySelector("h1");
      if (h1) document.title = h1.textContent;
    } catch (err) {
      tell("This link opens no page of the site as it is now: each publication replaces the team pages, so ask for the link of the latest one, and check that the whole link was copied.", true);
    }
  }
  function start() { init(); initTeamPage(); }
  // Another team page's link pasted into the address bar: open that one.
  window.addEventListener("hashchange", function () {
    var box = document.querySelector("[data-lchc-teampage]");
    if (!box) return;
    delete box.dataset.lchcReady;
    box.querySelector(".lchc-report-body").innerHTML = "";
    box.querySelector(".lchc-intro").hidden = false;
    initTeamPage();
  });

  if (location.protocol === "file:") {
    // The theme's own script may not start from disk either; do not wait for it.
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
