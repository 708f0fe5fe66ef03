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
  // A submit that failed comes back with its errors: the focus goes to the first of them (a
  // form's own errors, the first field to correct, or a refusal in the messages), opening the
  // section it is in, so that it is read out and the keyboard carries on from there.
  const error = document.querySelector(
    "main .messages .error, main .errors, main [aria-invalid='true']"
  );
  if (error) {
    for (let section = error.closest("details"); section; section = section.parentElement.closest("details")) {
      section.open = true;
    }
    if (!error.matches("input, select, textarea")) error.tabIndex = -1;
    error.focus();
  }
})();
