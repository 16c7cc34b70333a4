// The Content-Security-Policy lets no inline code run, and Flask-Admin's templates carry a few
// inline event handlers, renamed data-onclick="..." as the templates load (admin_views/__init__.py),
// and links to javascript:void(0), made links to "#".
// Each one they use is recognised here by its text and done by a listener instead.
// Our own templates ask for a confirmation with data-confirm="question" on a form.
(function () {
  "use strict";

  // The text of a JavaScript string literal in single quotes, its escapes undone.
  function literal(text) {
    return text.replace(/\\(.)/g, "$1");
  }

  var STRING = "'((?:[^'\\\\]|\\\\.)*)'";
  var HANDLERS = [
    [new RegExp("^return (?:faHelpers\\.safeConfirm|confirm)\\(" + STRING + "\\);?$"), function (match, event) {
      if (!window.confirm(literal(match[1]))) {
        event.preventDefault();
      }
    }],
    [/^return modelActions\.execute\('([\w-]+)'\);?$/, function (match, event) {
      event.preventDefault();
      window.modelActions.execute(match[1]);
    }],
    [/^faForm\.addInlineField\(this, '([\w-]+)'\);?$/, function (match, event, element) {
      event.preventDefault();
      window.faForm.addInlineField(element, match[1]);
    }],
    [/^return false;?$/, function (match, event) {
      event.preventDefault();
    }],
  ];

  function adopt(element) {
    var code = (element.getAttribute("data-onclick") || "").trim();
    for (var i = 0; i < HANDLERS.length; i++) {
      var match = code.match(HANDLERS[i][0]);
      if (match) {
        var handle = HANDLERS[i][1];
        element.addEventListener("click", function (event) {
          handle(match, event, element);
        });
        return;
      }
    }
  }

  document.querySelectorAll("[data-onclick]").forEach(adopt);

  // What href="javascript:void(0)" was: a link that only its script acts on goes nowhere.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href="#"]');
    if (link) {
      event.preventDefault();
    }
  });

  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
