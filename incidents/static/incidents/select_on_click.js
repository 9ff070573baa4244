"use strict";
// A field shown to be copied (a new token's secret) is selected whole by one click.
document.querySelectorAll("[data-select-on-click]").forEach(function (field) {
  field.addEventListener("click", function () { field.select(); });
});
