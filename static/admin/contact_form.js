// The contact form: blocks shown by a checkbox, the live duplicate warning, foldable sections and
// the summary's links to the fields (the CATV socket picker is static/admin/socket_picker.js).
// Loaded through extra_js, i.e. before Flask-Admin's form.js.

// The words this script shows, in the page's language (rule_macros.contact_form_texts).
function contactFormText(name) {
  'use strict';
  var element = document.getElementById('contact-form-texts');
  return (element ? JSON.parse(element.textContent) : {})[name] || '';
}

(function ($) {
  'use strict';

  function toggle(box) {
    $('.js-shown-when[data-checkbox="' + box.id + '"]').toggleClass('d-none', !box.checked);
  }

  $(function () {
    $('.js-shown-when').each(function () {
      var box = document.getElementById($(this).data('checkbox'));
      if (box) { toggle(box); }
    });
  });
  $(document).on('change', 'input[type=checkbox]', function () { toggle(this); });

  // Live duplicate check: ask the server 400 ms after the clerk stops typing.
  var checkedFields = ['id_number', 'company_id', 'email', 'mobile'];
  var timers = {};

  function hintFor(input) {
    var $hint = $('#' + input.id + '-duplicates');
    if (!$hint.length) {
      $hint = $('<div class="small duplicate-hint js-duplicate-hint" role="status"></div>')
        .attr('id', input.id + '-duplicates');
      $(input).after($hint);
    }
    return $hint;
  }

  function showMatches(input, matches) {
    var $hint = hintFor(input).empty();
    if (!matches.length) { return; }
    $hint.append(document.createTextNode(contactFormText('also_used_by') + ' '));
    matches.forEach(function (match, index) {
      if (index) { $hint.append(document.createTextNode(', ')); }
      $('<a target="_blank" rel="noopener"></a>').attr('href', match.url)
        .text(match.client_number + ' ' + match.name).appendTo($hint);
    });
  }

  function check(input) {
    var base = window.location.pathname.replace(/(new|edit)\/?$/, '');
    var params = {field: input.id, value: input.value, country: $('#country').val() || 'CZ'};
    var id = new URLSearchParams(window.location.search).get('id');
    if (id) { params.id = id; }
    if (!input.value.trim()) { showMatches(input, []); return; }
    $.getJSON(base + 'duplicates/', params).done(function (matches) {
      if (input.value.trim() === params.value.trim()) { showMatches(input, matches); }
    });
  }

  $(document).on('input', checkedFields.map(function (f) { return '#' + f; }).join(','), function () {
    var input = this;
    clearTimeout(timers[input.id]);
    timers[input.id] = setTimeout(function () { check(input); }, 400);
  });
})(jQuery);

// Code-list selects: the status colour beside its select, and "+" to create an entry on the spot
// (administrators only: the server adds data-quick-create for them). The new entry is created
// by a small JSON POST, so nothing typed in the form is lost.
(function ($) {
  'use strict';

  function csrfToken() { return $('input[name=csrf_token]').first().val(); }

  function showStatusColour() {
    var $select = $('#client_status');
    var colours = $select.data('colours') || {};
    var $swatch = $('#client_status-swatch');
    if (!$swatch.length) {
      $swatch = $('<span class="colour-swatch ml-2" id="client_status-swatch"></span>');
      $select.closest('.form-group').find('label').first().append($swatch);
    }
    var colour = colours[$select.val()];
    $swatch.css('background-color', colour || 'transparent').toggle(Boolean(colour));
  }

  function addQuickCreate(select) {
    var $select = $(select);
    var $button = $('<button type="button" class="btn btn-sm btn-outline-secondary ml-2 js-quick-create">+</button>')
      .attr({id: select.id + '-quick-create', title: contactFormText('new_entry')});
    $select.closest('.form-group').find('label').first().append($button);
    $button.on('click', function () {
      var list = $.trim($select.closest('.form-group').find('label').first().text().replace('+', ''));
      var name = window.prompt(contactFormText('new_entry_for').replace('{list}', list));
      if (!name) { return; }
      $.ajax({url: $select.data('quick-create'), method: 'POST', data: {name: name},
              headers: {'X-CSRFToken': csrfToken()}})
        .done(function (entry) {
          $select.append(new Option(entry.text, entry.id, true, true)).trigger('change');
        })
        .fail(function (xhr) {
          window.alert((xhr.responseJSON && xhr.responseJSON.error) || contactFormText('not_created'));
        });
    });
  }

  $(function () {
    $('select[data-quick-create]').each(function () { addQuickCreate(this); });
    if ($('#client_status').length) {
      showStatusColour();
      $(document).on('change', '#client_status', showStatusColour);
    }
  });
})(jQuery);

// Sections: a click on a heading folds or opens its section, and the folded ones are remembered
// for this clerk (the server renders them folded next time). A summary link opens the field's
// section and focuses the field, or the Select2 box standing in for it.
(function ($) {
  'use strict';

  function setOpen(toggle, open) {
    toggle.setAttribute('aria-expanded', String(open));
    document.getElementById(toggle.getAttribute('aria-controls')).hidden = !open;
  }

  function rememberFolded() {
    var url = $('#contact-form-texts').data('folded-url');
    var folded = $('.form-section-toggle[aria-expanded="false"]').map(function () {
      return $(this).closest('[data-section]').data('section');
    }).get();
    $.ajax({url: url, method: 'POST',
            data: $.param({csrf_token: $('input[name=csrf_token]').first().val(), item: folded}, true)});
  }

  $(document).on('click', '.form-section-toggle', function () {
    setOpen(this, this.getAttribute('aria-expanded') !== 'true');
    rememberFolded();
  });

  $(document).on('click', '#form-summary a[data-field]', function (event) {
    var field = document.getElementById($(this).data('field'));
    if (!field) { return; }
    event.preventDefault();
    var body = field.closest('.form-section-body');
    if (body && body.hidden) { setOpen($('[aria-controls="' + body.id + '"]')[0], true); }
    var target = field;
    if (!$(field).is(':visible')) {
      target = $('#s2id_' + field.id).find('.select2-focusser, .select2-input').first()[0] || field;
    }
    target.focus({preventScroll: true});
    (target.closest('.form-group') || target).scrollIntoView({block: 'center'});
  });

  $(function () { $('#form-summary').trigger('focus'); });
})(jQuery);
