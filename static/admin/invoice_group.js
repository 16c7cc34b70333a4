// Invoice group form: preview of the next invoice number while the clerk types.
(function ($) {
  'use strict';
  function update() {
    var prefix = $('#series_prefix').val() || '';
    var digits = parseInt($('#number_digits').val(), 10) || 1;
    var number = String(parseInt($('#next_number').val(), 10) || 1);
    while (number.length < digits) { number = '0' + number; }
    $('#series-preview').text(prefix + number);
  }
  $(function () {
    if ($('#series-preview').length) { update(); }
    $(document).on('input', '#series_prefix, #number_digits, #next_number', update);
  });
})(jQuery);
