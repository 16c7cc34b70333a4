// Contacts list: colour each row from its marker (marked, suspended, status colour).
// The colours were checked as #rrggbb on the server; the title shows why a row is marked.
(function () {
  'use strict';
  document.querySelectorAll('table.model-list .row-marker').forEach(function (marker) {
    var row = marker.closest('tr');
    row.classList.add('row-' + marker.dataset.kind);
    row.querySelectorAll('td').forEach(function (cell) { cell.style.backgroundColor = marker.dataset.colour; });
    if (marker.dataset.title) { row.title = marker.dataset.title; }
  });
})();
