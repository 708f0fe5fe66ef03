// Behaviour the templates ask for with data attributes, so no page needs inline script
// (the Content-Security-Policy allows scripts from our own static files only).
(function () {
  "use strict";
  // <form data-confirm="Question?">: ask before submitting.
  document.addEventListener("submit", (event) => {
    const question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
  // <select data-autosubmit>: submit the form as soon as a choice is made.
  document.addEventListener("change", (event) => {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.requestSubmit();
  });
})();
