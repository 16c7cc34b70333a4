// Typing is activity: while the clerk types, the server hears of it at most once a minute, so
// a long note written without a page load does not outlast the idle timeout and get lost on
// saving. The URL comes from the script tag's data-url.
(function () {
  "use strict";
  var url = document.currentScript.getAttribute("data-url");
  var INTERVAL_MS = 60 * 1000;
  var last = 0;

  function activity() {
    var now = Date.now();
    if (now - last > INTERVAL_MS) {
      last = now;
      fetch(url, { credentials: "same-origin", cache: "no-store" });
    }
  }

  document.addEventListener("input", activity, true);
})();
