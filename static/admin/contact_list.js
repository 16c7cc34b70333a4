// The contacts list (templates/admin/contact_list.html).
// - The "Columns" chooser saves each tick at once (POST /admin/preferences/contact_list_columns):
//   a column ticked off disappears on the spot, so several go in one visit; one ticked on is not on
//   the page yet, so the list is read again. Without this script its button saves the choice.
// - A value cut off with "…" shows whole on hover (its title), only where it is cut.
(function () {
  "use strict";

  var table = document.querySelector("table.contact-list");
  var chooser = document.getElementById("column-chooser");

  function cellsOf(name) {
    return table ? table.querySelectorAll(".col-" + name) : [];
  }

  if (chooser) {
    var form = chooser.querySelector("form");
    form.querySelector("button[type=submit]").hidden = true;
    form.addEventListener("change", function (event) {
      var box = event.target;
      var cells = cellsOf(box.value);
      cells.forEach(function (cell) { cell.hidden = !box.checked; });
      fetch(form.dataset.remember, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          if (box.checked && !cells.length) window.location.reload();
        })
        .catch(function () { form.submit(); });
    });
    // Closed like the toolbar's other menus: a click elsewhere or Escape.
    document.addEventListener("click", function (event) {
      if (chooser.open && !chooser.contains(event.target)) chooser.open = false;
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") chooser.open = false;
    });
  }

  if (table) {
    table.addEventListener("mouseover", function (event) {
      var cell = event.target.closest("td, th");
      if (cell && !cell.title && cell.scrollWidth > cell.clientWidth) cell.title = cell.textContent.trim();
    });
  }
})();
