// A date picker for the date inputs (data-date-input, admin_views/fields.py DateTextField): a button
// beside each input, or Alt+Down in it, opens a calendar dialog as WAI-ARIA's "Date Picker Dialog"
// pattern describes it. Month and weekday names, the first day of the week and the date format
// come from the server in the user's language (this script's data-settings, date_picker_settings).
// The input stays a plain text input: what the clerk types is read on the server (parse_date).
(function () {
  "use strict";

  var settings = JSON.parse(document.currentScript.getAttribute("data-settings"));
  var labels = settings.labels;
  var dialog, heading, grid, body, input, shown, focused;

  // Days are UTC dates at midnight: adding days never meets a daylight-saving change.
  function day(year, month, date) {
    return new Date(Date.UTC(year, month, date));
  }

  function addDays(value, count) {
    return day(value.getUTCFullYear(), value.getUTCMonth(), value.getUTCDate() + count);
  }

  // The same day `count` months on, or the month's last day (31 January + 1 month: 28 February).
  function addMonths(value, count) {
    var first = day(value.getUTCFullYear(), value.getUTCMonth() + count, 1);
    var last = addDays(day(first.getUTCFullYear(), first.getUTCMonth() + 1, 1), -1).getUTCDate();
    return day(first.getUTCFullYear(), first.getUTCMonth(), Math.min(value.getUTCDate(), last));
  }

  function iso(value) {
    return value.toISOString().slice(0, 10);
  }

  // What the server accepts (domain/validators.py parse_date): 12. 2. 1985, 12.2.1985 or 1985-02-12.
  function parse(text) {
    var match = /^\s*(\d{1,2})\.[ \u00a0\u202f]*(\d{1,2})\.[ \u00a0\u202f]*(\d{4})\s*$/.exec(text);
    var parts = match ? [match[3], match[2], match[1]] : /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(text);
    if (!parts) {
      return null;
    }
    var year = Number(parts[match ? 0 : 1]), month = Number(parts[match ? 1 : 2]), date = Number(parts[match ? 2 : 3]);
    var value = day(year, month - 1, date);
    return value.getUTCFullYear() === year && value.getUTCMonth() === month - 1 ? value : null;
  }

  // As the server shows a stored date (format_typed_date).
  function format(value) {
    if (settings.format === "cs") {
      return value.getUTCDate() + ". " + (value.getUTCMonth() + 1) + ". " + value.getUTCFullYear();
    }
    return iso(value);
  }

  var earliest = parse(settings.earliest), latest = parse(settings.latest);

  function within(value) {
    return value < earliest ? earliest : value > latest ? latest : value;
  }

  // Babel numbers weekdays from Monday (0); Date.getUTCDay from Sunday.
  function weekday(value) {
    return (value.getUTCDay() + 6) % 7;
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function build() {
    dialog = element("div", { class: "date-picker", role: "dialog", "aria-modal": "true", "aria-label": labels.open });
    dialog.hidden = true;
    var header = element("div", { class: "date-picker-header" });
    heading = element("h2", { id: "date-picker-heading", "aria-live": "polite" });
    [
      ["-12", labels.previousYear, "«"],
      ["-1", labels.previousMonth, "‹"],
      null,
      ["1", labels.nextMonth, "›"],
      ["12", labels.nextYear, "»"],
    ].forEach(function (move) {
      if (!move) {
        header.appendChild(heading);
        return;
      }
      var button = element("button", { type: "button", class: "btn btn-sm btn-light", "aria-label": move[1], title: move[1] }, move[2]);
      button.addEventListener("click", function () {
        show(addMonths(focused, Number(move[0])), false);
      });
      header.appendChild(button);
    });
    grid = element("table", { role: "grid", "aria-labelledby": "date-picker-heading" });
    var row = element("tr");
    for (var column = 0; column < 7; column++) {
      var index = (settings.firstDay + column) % 7;
      row.appendChild(element("th", { scope: "col", abbr: settings.dayNames[index] }, settings.days[index]));
    }
    grid.appendChild(element("thead")).appendChild(row);
    body = grid.appendChild(element("tbody"));
    dialog.appendChild(header);
    dialog.appendChild(grid);
    dialog.appendChild(element("p", { class: "date-picker-keys" }, labels.keys));
    document.body.appendChild(dialog);

    grid.addEventListener("click", function (event) {
      var cell = event.target.closest("td[data-date]");
      if (cell) {
        pick(parse(cell.getAttribute("data-date")));
      }
    });
    grid.addEventListener("keydown", onGridKey);
    dialog.addEventListener("keydown", onDialogKey);
    document.addEventListener("mousedown", function (event) {
      if (!dialog.hidden && !dialog.contains(event.target) && event.target !== input) {
        close(false);
      }
    });
  }

  // The month of `value`, with `value` the one cell reached by Tab; `focus` moves focus to it.
  function show(value, focus) {
    focused = within(value);
    var year = focused.getUTCFullYear(), month = focused.getUTCMonth();
    if (!shown || shown.getUTCFullYear() !== year || shown.getUTCMonth() !== month) {
      shown = day(year, month, 1);
      heading.textContent = settings.months[month] + " " + year;
      body.textContent = "";
      var selected = parse(input.value), cursor = addDays(shown, -((weekday(shown) - settings.firstDay + 7) % 7));
      while (cursor.getUTCMonth() === month || cursor < shown) {
        var row = body.appendChild(element("tr"));
        for (var column = 0; column < 7; column++, cursor = addDays(cursor, 1)) {
          if (cursor.getUTCMonth() !== month) {
            row.appendChild(element("td"));
            continue;
          }
          var label = settings.dayNames[weekday(cursor)] + " " + format(cursor);
          var cell = element("td", { "data-date": iso(cursor), tabindex: "-1", "aria-label": label }, String(cursor.getUTCDate()));
          if (selected && iso(selected) === iso(cursor)) {
            cell.setAttribute("aria-selected", "true");
          }
          row.appendChild(cell);
        }
      }
    }
    body.querySelectorAll("td[tabindex='0']").forEach(function (cell) {
      cell.setAttribute("tabindex", "-1");
    });
    var current = body.querySelector("td[data-date='" + iso(focused) + "']");
    current.setAttribute("tabindex", "0");
    if (focus) {
      current.focus();
    }
  }

  function open(target) {
    if (!dialog) {
      build();
    }
    input = target;
    shown = null;
    var rect = input.closest(".date-picker-group").getBoundingClientRect();
    dialog.style.top = rect.bottom + window.scrollY + 2 + "px";
    dialog.style.left = rect.left + window.scrollX + "px";
    dialog.hidden = false;
    var today = new Date();
    show(parse(input.value) || day(today.getFullYear(), today.getMonth(), today.getDate()), true);
  }

  function close(refocus) {
    dialog.hidden = true;
    if (refocus) {
      input.focus();
    }
  }

  function pick(value) {
    input.value = format(value);
    // The form's own scripts (unsaved-changes warning, filters' Apply button) see a typed change.
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    close(true);
  }

  var MOVES = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };

  function onGridKey(event) {
    var target = null;
    if (event.key in MOVES) {
      target = addDays(focused, MOVES[event.key]);
    } else if (event.key === "Home") {
      target = addDays(focused, -((weekday(focused) - settings.firstDay + 7) % 7));
    } else if (event.key === "End") {
      target = addDays(focused, 6 - ((weekday(focused) - settings.firstDay + 7) % 7));
    } else if (event.key === "PageUp" || event.key === "PageDown") {
      target = addMonths(focused, (event.key === "PageUp" ? -1 : 1) * (event.shiftKey ? 12 : 1));
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      pick(focused);
      return;
    }
    if (target) {
      event.preventDefault();
      show(target, true);
    }
  }

  function onDialogKey(event) {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === "Tab") {
      // Focus stays in the dialog while it is open (aria-modal).
      var stops = Array.prototype.slice.call(dialog.querySelectorAll("button, td[tabindex='0']"));
      var at = stops.indexOf(document.activeElement);
      event.preventDefault();
      stops[(at + (event.shiftKey ? stops.length - 1 : 1)) % stops.length].focus();
    }
  }

  function attach(target) {
    var group = element("div", { class: "input-group date-picker-group" });
    target.parentNode.insertBefore(group, target);
    group.appendChild(target);
    var button = element("button", {
      type: "button",
      class: "btn btn-outline-secondary",
      "aria-label": labels.open,
      "aria-haspopup": "dialog",
      title: labels.open,
    });
    button.appendChild(element("i", { class: "fa fa-calendar", "aria-hidden": "true" }));
    button.addEventListener("click", function () {
      open(target);
    });
    group.appendChild(element("div", { class: "input-group-append" })).appendChild(button);
    target.addEventListener("keydown", function (event) {
      if (event.altKey && event.key === "ArrowDown") {
        event.preventDefault();
        open(target);
      }
    });
  }

  document.querySelectorAll("input[data-date-input]").forEach(attach);

  // A list's date range filter (typed-date-range, admin_views/contacts/filters.py) is typed as the
  // clerk writes dates; its input gets an example. Flask-Admin's filter script (loaded after this
  // one, before the page is ready) styles each filter input it adds through faForm's converters.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.faForm) {
      window.faForm.addFieldConverter(function ($field, type) {
        if (type !== "typed-date-range") {
          return false;
        }
        $field.attr({ placeholder: labels.rangeExample, autocomplete: "off" });
        return true;
      });
    }
  });
})();
