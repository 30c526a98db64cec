// Autodiagnostic: a question whose condition is on the same page stays hidden until the
// condition holds ([data-condition-question] names the parent's inputs,
// [data-condition-options] the option ids that show it). Without JavaScript every question
// is shown with its « Répondez seulement si… » line, and the server ignores an answer whose
// condition does not hold.
const form = document.querySelector(".diag-form");
const dependents = form ? [...form.querySelectorAll("[data-condition-question]")] : [];

function update() {
  // In page order: a parent is decided before the questions that depend on it.
  for (const fieldset of dependents) {
    const name = fieldset.dataset.conditionQuestion;
    const wanted = fieldset.dataset.conditionOptions.split(" ");
    const inputs = [...form.querySelectorAll(`input[name="${name}"]`)];
    const parent = inputs.length ? inputs[0].closest("fieldset") : null;
    const parentShown = !parent || !parent.hidden;
    fieldset.hidden = !(parentShown && inputs.some((i) => i.checked && wanted.includes(i.value)));
  }
}

if (dependents.length) {
  form.addEventListener("change", update);
  update();
}
