// A job's page: every second, ask the progress endpoint how the job stands and move the bar,
// the figures, the state and the error; stop asking once the job has ended (the Cancel form goes).
(function () {
  "use strict";
  var page = document.getElementById("job-page");
  if (!page) {
    return;
  }
  var url = page.getAttribute("data-progress-url");
  var INTERVAL_MS = 1000;

  function field(name) {
    return page.querySelector('[data-field="' + name + '"]');
  }

  function show(progress) {
    var bar = field("bar");
    var percent = progress.percent || 0;
    bar.style.width = percent + "%";
    bar.setAttribute("aria-valuenow", String(percent));
    bar.className = "progress-bar job-bar-" + progress.state;
    ["counts", "rate", "time_left", "started_at", "finished_at"].forEach(function (name) {
      field(name).textContent = progress[name];
    });
    var error = field("error");
    error.textContent = progress.error;
    error.hidden = !progress.error;
    var state = document.getElementById("job-state");
    state.textContent = progress.label;
    state.className = "badge job-state-" + progress.state;
    field("cancel").hidden = progress.finished || progress.cancel_requested;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (progress) {
        if (progress) {
          show(progress);
        }
        if (!progress || !progress.finished) {
          window.setTimeout(poll, INTERVAL_MS);
        }
      })
      .catch(function () {
        window.setTimeout(poll, INTERVAL_MS);
      });
  }

  if (!page.hasAttribute("data-finished")) {
    window.setTimeout(poll, INTERVAL_MS);
  }
})();
