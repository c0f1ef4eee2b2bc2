/* The search page, progressively enhanced (without this file the sort has its own button):
 * - select[data-autosubmit]: changing it submits its form. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) select.form.submit();
    });
  });
})();
