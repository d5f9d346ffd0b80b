// The review form shows a field only for the choice it belongs to (data-show-for="<radio
// group's name>:<values>"). Without this script every field shows with a hint naming its
// choice, and the service refuses a field filled in for another choice, so hiding one never
// drops what was typed: a field with an error always stays in view.
(function () {
  "use strict";

  function update(form) {
    form.querySelectorAll("[data-show-for]").forEach(function (wrapper) {
      var spec = wrapper.getAttribute("data-show-for").split(":");
      var checked = form.querySelector('input[name="' + spec[0] + '"]:checked');
      var wanted = checked !== null && spec[1].split(" ").indexOf(checked.value) !== -1;
      var hasError = wrapper.querySelector(".nhsuk-form-group--error") !== null;
      wrapper.hidden = !(wanted || hasError);
    });
  }

  document.querySelectorAll("form[data-review-form]").forEach(function (form) {
    form.addEventListener("change", function () {
      update(form);
    });
    update(form);
  });
})();
