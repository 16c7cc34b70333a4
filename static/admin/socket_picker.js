// The contact form's cascading CATV socket picker: city › street › building › switchboard › socket
// (the fields marked data-socket-picker, admin_views/catv_lookups.py). Loaded through extra_js,
// i.e. before Flask-Admin's form.js, whose field converter hook lets this script start the fields.
(function ($) {
  'use strict';

  var FIELDS = ['catv_city', 'catv_street', 'catv_building', 'catv_switchboard', 'socket'];

  // Each lookup sends its parent's id (&parent=<id>); the socket's also the edited contact's id
  // (&contact=<id>), whose own socket is free to it. Select2 reads the URL once, when it starts,
  // so the URL is set before every start.
  function followParent($child) {
    var base = $child.data('base-url') || $child.attr('data-url');
    var parent = $('#' + $child.data('parent')).val() || '';
    var contact = new URLSearchParams(window.location.search).get('id');
    $child.data('base-url', base);
    $child.attr('data-url', base + '&parent=' + encodeURIComponent(parent) +
      (contact && $child.attr('id') === 'socket' ? '&contact=' + encodeURIComponent(contact) : ''));
    // Nothing to choose before the parent is chosen; readonly inputs are still submitted.
    $child.prop('readonly', !parent);
  }

  // A row of the lookup: [id, text], or [id, text, true] for a socket another client holds,
  // which is listed (after the free ones) but cannot be chosen.
  function choice(row) {
    return {id: row[0], text: row[1], disabled: row[2] === true};
  }

  // Select2 as form.js starts it, but with taken sockets marked and not selectable.
  function start($input) {
    if ($input.data('parent')) { followParent($input); }
    $input.select2({
      width: 'resolve',
      minimumInputLength: $input.attr('data-minimum-input-length'),
      placeholder: 'data-placeholder',
      allowClear: Boolean($input.attr('data-allow-blank')),
      ajax: {
        url: $input.attr('data-url'),
        data: function (term, page) { return {query: term, offset: (page - 1) * 10, limit: 10}; },
        results: function (rows) { return {results: rows.map(choice), more: rows.length === 10}; }
      },
      initSelection: function (element, callback) {
        var value = JSON.parse($(element).attr('data-json') || 'null');
        callback(value ? choice(value) : null);
      },
      formatResultCssClass: function (row) { return row.disabled ? 'socket-taken' : ''; }
    });
    showPath();
  }

  // The chosen line as one path under the picker: "Praha › Hlavní › 12 › R1 › R1-1".
  function showPath() {
    var $socket = $('#socket');
    var $path = $('#socket-path');
    if (!$path.length) {
      $path = $('<p class="small mb-3" id="socket-path" aria-live="polite"></p>');
      $path.insertAfter($socket.closest('.form-row, .row').length ? $socket.closest('.form-row, .row')
        : $socket.closest('.form-group'));
    }
    var names = [];
    FIELDS.forEach(function (name) {
      var $field = $('#' + name);
      var data = $field.data('select2') ? $field.select2('data') : null;
      if (data && data.text) { names.push(data.text); }
    });
    $path.text(names.length ? $socket.attr('data-path-label') + ': ' + names.join(' › ') : '');
  }

  $(document).on('adminFormReady', function () {
    window.faForm.addFieldConverter(function ($el, name) {
      if (name !== 'select2-ajax' || !$el.is('[data-socket-picker]')) { return false; }
      start($el);
      return true;
    });
  });

  // Changing a parent clears its children (and theirs, through their own change).
  $(document).on('change', 'input[data-socket-picker]', function () {
    $('input[data-parent="' + this.id + '"]').each(function () {
      var $child = $(this);
      $child.select2('destroy').val('').removeAttr('data-json');
      start($child);
      $child.trigger('change');
    });
    showPath();
  });
})(jQuery);
