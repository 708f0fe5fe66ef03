// A questionnaire's conditions, evaluated as the supplier answers: a question shows as soon as
// an earlier answer calls for it, and hides when it no longer does. The page carries each
// question's condition as a small tree (`questionnaire_pages.condition_tree`), read exactly as
// the server reads it (`conditions.py`); saving the form evaluates them again on the server, so
// without this script the next questions appear after "Save".
(function () {
  "use strict";
  const form = document.querySelector("form[data-conditions]");
  if (!form) return;
  const plan = JSON.parse(form.dataset.conditions);
  const saved = JSON.parse(form.dataset.answers || "{}");

  const number = (value) => {
    if (value === "" || value === null || value === undefined || Array.isArray(value)) return null;
    const n = Number(String(value).trim());
    return Number.isFinite(n) ? n : null;
  };
  const text = (value) => {
    if (value === null || value === undefined) return "";
    return Array.isArray(value) ? value.join(" ") : String(value);
  };

  function compare(left, operator, right, numeric) {
    if (operator === "=" || operator === "!=") {
      let equal;
      if (numeric) {
        const a = number(left), b = number(right);
        equal = a !== null && b !== null && a === b;
      } else {
        equal = text(left) === text(right);
      }
      return operator === "=" ? equal : !equal;
    }
    let a = number(left), b = number(right);
    if (a === null || b === null) {
      if (numeric) return false;
      a = text(left);
      b = text(right);
      if (!a || !b) return false;
    }
    return { "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b }[operator];
  }

  function holds(tree, answers) {
    if (!tree) return true;
    if (tree.all) return tree.all.every((part) => holds(part, answers));
    if (tree.any) return tree.any.some((part) => holds(part, answers));
    if (tree.selected) {
      const value = answers[tree.selected[0]];
      return Array.isArray(value) ? value.includes(tree.selected[1]) : text(value).split(/\s+/).includes(tree.selected[1]);
    }
    const side = (operand) => ("q" in operand ? answers[operand.q] : operand.v);
    const numeric = tree.left.n || tree.right.n;
    return compare(side(tree.left), tree.op, side(tree.right), numeric);
  }

  function current() {
    const answers = Object.assign({}, saved);
    for (const name of plan.here) delete answers[name];
    for (const field of form.elements) {
      if (!field.name || !plan.here.includes(field.name) || field.type === "file") continue;
      if (field.type === "checkbox") {
        answers[field.name] = answers[field.name] || [];
        if (field.checked) answers[field.name].push(field.value);
      } else if (field.type === "radio") {
        if (field.checked) answers[field.name] = field.value;
      } else if (field.value.trim()) {
        answers[field.name] = field.value;
      }
    }
    return answers;
  }

  function update() {
    const answers = current();
    const seen = {};
    for (const [name, tree] of plan.questions) {
      const shown = holds(tree, seen);
      if (shown && name in answers) seen[name] = answers[name];
      const block = form.querySelector(`[data-question="${name}"]`);
      if (block) block.hidden = !shown;
    }
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
