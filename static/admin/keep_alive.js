// A clerk's typing is not lost to the idle timeout.
// - Typing is activity: while the clerk types, the server hears of it at most once a minute.
// - Before a form is saved, the page asks whether the session still holds. If it does, the form
//   goes with the session's current security token; if not, the login opens in another window
//   and the form stays as typed, to be saved again after the login.
// The URLs and the message come from the script tag's data attributes.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script.getAttribute("data-url");
  var INTERVAL_MS = 60 * 1000;
  var last = 0;

  function ask() {
    return fetch(url, { credentials: "same-origin", cache: "no-store" });
  }

  document.addEventListener("input", function () {
    var now = Date.now();
    if (now - last > INTERVAL_MS) {
      last = now;
      ask();
    }
  }, true);

  var confirmed = new WeakSet();
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.admin-form")) {
      return;
    }
    if (confirmed.has(form)) {
      confirmed.delete(form);
      return;
    }
    event.preventDefault();
    var submitter = event.submitter || null;
    function send() {
      confirmed.add(form);
      form.requestSubmit(submitter);
    }
    ask().then(function (response) {
      if (response.status === 204) {
        var token = response.headers.get("X-CSRF-Token");
        var input = form.querySelector("input[name=csrf_token]");
        if (token && input) {
          input.value = token;
        }
        send();
      } else {
        window.alert(script.getAttribute("data-message"));
        window.open(script.getAttribute("data-login-url"), "_blank");
      }
    }, send);
  }, true);
})();
