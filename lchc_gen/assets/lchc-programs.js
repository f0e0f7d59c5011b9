/* lchc_gen: program pages and the upcoming page, kept true by the reader's own clock.
 *
 * The pages are built once; this script marks sessions that are over, shows the next one, and
 * the reader's local time beside the program's. Start and end times come from the pages'
 * data-lchc-start / data-lchc-end attributes (UTC). Without the script, the pages show the
 * view of the day they were built. No inline script, no network, text only (no innerHTML).
 */
(function () {
  "use strict";

  var LOCALE = "en-GB";

  // Date and time only: the zone is always written by zoneLabel ("Manila time (UTC+8)"), never
  // by the browser's own short names ("GMT+8"), so the reader's time and the program's match.
  function fmt(ms, zone) {
    var opts = { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (zone) opts.timeZone = zone;
    try {
      return new Intl.DateTimeFormat(LOCALE, opts).format(new Date(ms));
    } catch (e) {
      return new Date(ms).toString();
    }
  }

  function readerZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      return "";
    }
  }

  function zoneWords(zone) {
    var city = zone.split("/").pop().replace(/_/g, " ");
    return city === "UTC" ? "UTC" : city + " time";
  }

  // "UTC+8", "UTC-3:30", "UTC+0": the offset as the pages write it (programs/timefmt.py).
  function utcOffset(ms, zone) {
    var minutes = null;
    try {
      var parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(new Date(ms));
      var name = parts.filter(function (p) { return p.type === "timeZoneName"; })[0].value; // "GMT+08:00" or "GMT"
      var m = /GMT(?:([+-])(\d{1,2}):?(\d{2})?)?/.exec(name);
      if (m) minutes = m[1] ? (m[1] === "-" ? -1 : 1) * (parseInt(m[2], 10) * 60 + parseInt(m[3] || "0", 10)) : 0;
    } catch (e) {
      minutes = null;
    }
    if (minutes === null) return "";
    var h = Math.floor(Math.abs(minutes) / 60), mm = Math.abs(minutes) % 60;
    return "UTC" + (minutes < 0 ? "-" : "+") + h + (mm ? ":" + (mm < 10 ? "0" : "") + mm : "");
  }

  // "Manila time (UTC+8)": one labelling scheme for the reader's time and the program's.
  function zoneLabel(ms, zone) {
    var words = zoneWords(zone);
    if (words === "UTC") return "UTC";
    var offset = utcOffset(ms, zone);
    return offset ? words + " (" + offset + ")" : words;
  }

  function fmtIn(ms, zone) {
    return fmt(ms, zone) + " " + zoneLabel(ms, zone);
  }

  function zoneOf(el) {
    var holder = el.closest("[data-lchc-zone]");
    return holder ? holder.getAttribute("data-lchc-zone") : "";
  }

  function setOver(el, over) {
    el.classList.toggle("lchc-past", over);
    var mark = el.querySelector(":scope > .lchc-over");
    if (over && !mark) {
      mark = document.createElement("span");
      mark.className = "lchc-over";
      mark.textContent = "(over)";
      el.appendChild(document.createTextNode(" "));
      el.appendChild(mark);
    } else if (!over && mark) {
      mark.remove();
    }
  }

  function addReaderTime(el, start, zone, mine) {
    if (!mine || !zone || mine === zone || el.hasAttribute("data-lchc-allday")) return;
    if (el.closest("ul.lchc-dates")) return; // compact date lists stay compact; "next session" says it
    if (el.querySelector(".lchc-reader-time")) return;
    var span = document.createElement("span");
    span.className = "lchc-reader-time";
    span.textContent = "Your time: " + fmtIn(start, mine);
    var when = el.querySelector(".lchc-when") || el;
    when.appendChild(span);
  }

  // Things that are over at a moment (a cohort's calendar, a week or a cohort's end on the
  // operations page) carry only data-lchc-until; marked as the sessions are.
  function markUntil(now) {
    document.querySelectorAll("[data-lchc-until]").forEach(function (el) {
      var until = Date.parse(el.getAttribute("data-lchc-until"));
      if (!isNaN(until)) setOver(el, until <= now);
    });
    // The note says whose clock marks what is over: now the reader's.
    var note = document.querySelector("[data-lchc-pastnote]");
    if (note) note.textContent = note.getAttribute("data-lchc-pastnote") || "Sessions that are over, by your device's clock, are marked as over.";
  }

  // Cohort calendars: the reader's cohort first when the address names it (?cohort=...), else
  // the first one not over by the reader's clock; the first one open is the primary button.
  function orderCalendars() {
    var box = document.querySelector("[data-lchc-calendars] ul");
    if (!box) return;
    var items = Array.prototype.slice.call(box.children);
    var wanted = "";
    try {
      wanted = new URLSearchParams(window.location.search).get("cohort") || "";
    } catch (e) {
      wanted = "";
    }
    items.sort(function (a, b) {
      var rank = function (el) {
        return el.getAttribute("data-lchc-cohort") === wanted ? 0 : el.classList.contains("lchc-past") ? 2 : 1;
      };
      return rank(a) - rank(b);
    });
    items.forEach(function (el, i) {
      box.appendChild(el);
      var button = el.querySelector(".md-button");
      if (button) button.classList.toggle("md-button--primary", i === 0 && (!el.classList.contains("lchc-past") || el.getAttribute("data-lchc-cohort") === wanted));
    });
  }

  function init() {
    var now = Date.now();
    markUntil(now);
    orderCalendars();
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-lchc-start]"));
    if (!items.length) return;
    var mine = readerZone();
    var next = null;
    items.forEach(function (el) {
      var start = Date.parse(el.getAttribute("data-lchc-start"));
      var end = Date.parse(el.getAttribute("data-lchc-end") || el.getAttribute("data-lchc-start"));
      if (isNaN(start) || isNaN(end)) return;
      setOver(el, end <= now);
      addReaderTime(el, start, zoneOf(el), mine);
      el.classList.remove("lchc-next-date");
      var isSession = !el.closest(".lchc-follow-up") && !el.classList.contains("lchc-kind-follow-up");
      if (isSession && !el.classList.contains("lchc-cancelled") && end > now && (!next || start < next.start)) {
        next = { start: start, el: el };
      }
    });

    // The upcoming page: a series whose dates are all over goes, as a date that is over does.
    var list = document.querySelector("[data-lchc-hide-past]");
    var asOf = document.querySelector("[data-lchc-asof]");
    if (list) {
      list.querySelectorAll("[data-lchc-group]").forEach(function (group) {
        var first = group.querySelector("[data-lchc-start]:not(.lchc-past)");
        group.classList.toggle("lchc-past", !first);
        // A series' dates stay compact: its next date in the reader's time, once, under its times.
        var when = group.querySelector(":scope > .lchc-when");
        var zone = group.getAttribute("data-lchc-zone");
        var old = group.querySelector(":scope > .lchc-reader-time");
        if (old) old.remove();
        if (!first || !when || !mine || !zone || mine === zone || first.hasAttribute("data-lchc-allday")) return;
        var line = document.createElement("p");
        line.className = "lchc-reader-time";
        line.textContent = "Your time, next date: " + fmtIn(Date.parse(first.getAttribute("data-lchc-start")), mine);
        when.parentNode.insertBefore(line, when.nextSibling);
      });
    }
    if (asOf && list) {
      var left = list.querySelectorAll("[data-lchc-start]:not(.lchc-past)").length;
      asOf.textContent = left
        ? "Every session and follow-up of every program from now on, by your device's clock, by program and series, soonest first."
        : "No sessions or follow-ups are planned from now on, by your device's clock.";
    }


    var slot = document.querySelector("[data-lchc-next]");
    if (!slot) return;
    slot.textContent = "";
    if (!next) {
      slot.textContent = "All sessions are over, by your device's clock.";
      slot.hidden = false;
      return;
    }
    next.el.classList.add("lchc-next-date");
    var zone = zoneOf(next.el);
    slot.appendChild(document.createTextNode(next.start <= now ? "On now: " : "Next session: "));
    var link = document.createElement("a");
    link.href = "#" + next.el.id;
    var titled = next.el.getAttribute("data-lchc-title");
    link.textContent = (titled ? titled + ", " : "") + (zone ? fmtIn(next.start, zone) : fmt(next.start, ""));
    slot.appendChild(link);
    if (mine && zone && mine !== zone) {
      slot.appendChild(document.createTextNode(" (your time: " + fmtIn(next.start, mine) + ")"));
    }
    slot.hidden = false;
  }

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
