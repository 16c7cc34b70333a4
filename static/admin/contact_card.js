// The client card's tabs (templates/admin/contact_card.html), as the WAI-ARIA tabs pattern asks:
// Left/Right move to the previous/next tab, Home/End to the first/last, and the chosen tab opens.
// Only the open tab is in the Tab order; the card's URL remembers it (?tab=) for a reload.
(function () {
  "use strict";

  var list = document.getElementById("card-tabs");
  if (!list) {
    return;
  }
  var tabs = Array.prototype.slice.call(list.querySelectorAll("[role=tab]"));

  function open(tab) {
    window.jQuery(tab).tab("show");
    tab.focus();
  }

  list.addEventListener("keydown", function (event) {
    var index = tabs.indexOf(document.activeElement);
    if (index < 0) {
      return;
    }
    var next = {
      ArrowLeft: index - 1,
      ArrowRight: index + 1,
      Home: 0,
      End: tabs.length - 1,
    }[event.key];
    if (next === undefined) {
      return;
    }
    event.preventDefault();
    open(tabs[(next + tabs.length) % tabs.length]);
  });

  window.jQuery(list).on("shown.bs.tab", function (event) {
    tabs.forEach(function (tab) {
      tab.setAttribute("tabindex", tab === event.target ? "0" : "-1");
    });
    var url = new URL(window.location.href);
    url.searchParams.set("tab", event.target.getAttribute("data-tab"));
    url.hash = "";
    window.history.replaceState(null, "", url.toString());
  });

  // After a refused note or person, the field to correct has the focus.
  var invalid = document.querySelector("#client-card .is-invalid");
  if (invalid) {
    invalid.focus();
  }
})();
