// Injected by `findings serve` only (never into `findings build` output):
// reloads the page after a successful rebuild, and shows the problems of a
// failed one in an overlay until they are fixed.
(function () {
  "use strict";
  var overlay = null;
  function showProblems(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alertdialog");
      overlay.setAttribute("aria-label", "The study has errors");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,22,0.94);color:#f4f4f4;padding:2rem;font:14px/1.5 monospace;";
      var heading = document.createElement("p");
      heading.style.cssText = "font:bold 18px system-ui,sans-serif;margin:0 0 1rem;color:#ffb45c;";
      heading.textContent = "The last edit has errors: this page shows the last good build. Fix the study and it reloads.";
      var body = document.createElement("pre");
      body.style.cssText = "white-space:pre-wrap;margin:0;";
      overlay.appendChild(heading);
      overlay.appendChild(body);
      document.body.appendChild(overlay);
    }
    overlay.lastChild.textContent = text;
  }
  var events = new EventSource("/__findings/events");
  events.addEventListener("reload", function () { window.location.reload(); });
  events.addEventListener("problems", function (event) { showProblems(event.data); });
})();
