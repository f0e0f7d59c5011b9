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

  function fmt(ms, zone, withZone) {
    var opts = { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (zone) opts.timeZone = zone;
    if (withZone) opts.timeZoneName = "short";
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
    span.textContent = "Your time: " + fmt(start, mine, true);
    var when = el.querySelector(".lchc-when") || el;
    when.appendChild(span);
  }

  function init() {
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-lchc-start]"));
    if (!items.length) return;
    var now = Date.now();
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

    var list = document.querySelector("[data-lchc-hide-past]");
    var asOf = document.querySelector("[data-lchc-asof]");
    if (asOf && list) {
      var left = list.querySelectorAll(":scope > li:not(.lchc-past)").length;
      asOf.textContent = left
        ? "Every session and follow-up of every program from now on, by your device's clock, in time order. Times are local to each program's time zone."
        : "No sessions or follow-ups are planned from now on, by your device's clock.";
    }

    var note = document.querySelector("[data-lchc-pastnote]");
    if (note) note.textContent = "Sessions that are over, by your device's clock, are marked as over.";

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
    link.textContent = (titled ? titled + ", " : "") + fmt(next.start, zone, false) + (zone ? " " + zoneWords(zone) : "");
    slot.appendChild(link);
    if (mine && zone && mine !== zone) {
      slot.appendChild(document.createTextNode(" (your time: " + fmt(next.start, mine, true) + ")"));
    }
    slot.hidden = false;
  }

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
