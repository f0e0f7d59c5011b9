/*
 * lchc-kit.js: the team conversation kit inside a team report. "Open the team summary" shows
 * the one-page summary in place of the report, the box adds the manager's self-assessment to
 * it (otherwise it stays out of the page and of the print), "Print" prints it. Listens on the
 * document, so it works for reports decrypted into "My reports" and after instant navigation.
 * Stores nothing: no cookie, no storage, no address change; the box starts unticked each time.
 */
(function () {
  "use strict";
  if (window.LchcKit) return;
  window.LchcKit = true;

  function reportOf(node) { return node.closest("[data-lchc-team-report]"); }

  function showSelf(report, on) {
    report.querySelectorAll("[data-lchc-kit-self-part]").forEach(function (el) { el.hidden = !on; });
  }

  function open(report) {
    var kit = report.querySelector(".lchc-kit"), box = report.querySelector("[data-lchc-kit-self]");
    showSelf(report, !!(box && box.checked));
    report.classList.add("lchc-kit-open");
    kit.hidden = false;
    window.scrollTo(0, 0);
    var heading = kit.querySelector("h2");
    if (heading) heading.focus({ preventScroll: true });
  }

  function close(report) {
    report.classList.remove("lchc-kit-open");
    report.querySelector(".lchc-kit").hidden = true;
    var button = report.querySelector("[data-lchc-kit-open]");
    if (button) button.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-lchc-kit-open], [data-lchc-kit-close], [data-lchc-kit-print]") : null;
    var report = button && reportOf(button);
    if (!report) return;
    if (button.hasAttribute("data-lchc-kit-open")) open(report);
    else if (button.hasAttribute("data-lchc-kit-close")) close(report);
    else window.print();
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-lchc-kit-self]")) return;
    var report = reportOf(box);
    if (report) showSelf(report, box.checked);
  });
})();
