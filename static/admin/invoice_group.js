// Invoice group form: preview of the next invoice number while the clerk types.
(function ($) {
  'use strict';
  function update() {
    var prefix = $('#series_prefix').val() || '';
    // At most 10 digits, as the server allows: a typed 2147483648 would pad the preview forever.
    var digits = Math.min(parseInt($('#number_digits').val(), 10) || 1, 10);
    var number = String(parseInt($('#next_number').val(), 10) || 1);
    while (number.length < digits) { number = '0' + number; }
    $('#series-preview').text(prefix + number);
  }
  $(function () {
    if ($('#series-preview').length) { update(); }
    $(document).on('input', '#series_prefix, #number_digits, #next_number', update);
  });
})(jQuery);
