// An import job's page: jobs.js moves the bar; once the job has ended, load the page again to show
// its report (the server renders it).
(function () {
  "use strict";
  var state = document.getElementById("job-state");
  if (!state) {
    return;
  }
  var ENDED = /job-state-(done|failed|cancelled)/;
  new MutationObserver(function () {
    if (ENDED.test(state.className)) {
      window.location.reload();
    }
  }).observe(state, { attributes: true });
})();
