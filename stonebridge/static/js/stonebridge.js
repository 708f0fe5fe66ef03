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

  // Long texts keep a draft on this device until they are sent, so a page that expired (after
  // logging in elsewhere) or a lost connection costs nobody their words. Only for a person
  // logged in, keyed by their account (<meta name="drafts">): workers' public pages are often
  // opened on shared phones and keep nothing.
  const drafts = document.querySelector("meta[name=drafts]");
  const PREFIX = "sb-draft:";
  const MAX_AGE = 7 * 24 * 3600 * 1000; // StoneBridge default: a week
  const store = (() => {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage switched off: forms work as before, without drafts
    }
  })();
  const keyOf = (field) => `${PREFIX}${drafts.content}:${location.pathname}:${field.name}`;
  const read = (key) => {
    try {
      return JSON.parse(store.getItem(key));
    } catch (error) {
      return null;
    }
  };
  const draftKeys = () => Object.keys(store).filter((key) => key.startsWith(PREFIX));
  const isLongText = (field) => field.matches("form textarea[name]:not([readonly])");

  if (store) {
    // A form was sent on the last page. If this page says it failed (the expired-form page,
    // the login page), its drafts stay to be filled in again; otherwise it went through.
    const failed = document.querySelector("[data-keep-drafts]");
    for (const key of draftKeys()) {
      const draft = read(key);
      if (!draft || Date.now() - draft.at > MAX_AGE || (draft.sent && !failed)) {
        store.removeItem(key);
      } else if (draft.sent) {
        store.setItem(key, JSON.stringify({ text: draft.text, at: draft.at }));
      }
    }
  }

  if (store && drafts) {
    for (const field of document.querySelectorAll("form textarea[name]")) {
      const draft = read(keyOf(field));
      if (!isLongText(field) || !draft || draft.sent || field.value.trim()) continue;
      field.value = draft.text;
      const note = document.createElement("p");
      note.className = "muted draft-note";
      note.textContent = drafts.dataset.restored;
      field.after(note);
    }
    document.addEventListener("input", (event) => {
      const field = event.target;
      if (!isLongText(field)) return;
      if (field.value.trim()) {
        store.setItem(keyOf(field), JSON.stringify({ text: field.value, at: Date.now() }));
      } else {
        store.removeItem(keyOf(field));
      }
    });
    document.addEventListener("submit", (event) => {
      if (event.defaultPrevented) return; // not sent after all (a question was declined)
      const form = event.target;
      if (new URL(form.action, location.href).pathname === drafts.dataset.logout) {
        for (const key of draftKeys()) store.removeItem(key);
        return;
      }
      for (const field of form.querySelectorAll("textarea[name]")) {
        const draft = read(keyOf(field));
        if (draft) store.setItem(keyOf(field), JSON.stringify({ ...draft, sent: true }));
      }
    });
  }
})();
