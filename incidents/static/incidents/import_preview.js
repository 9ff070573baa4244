"use strict";
// Clicking a record's quote marks its words in the article; an unticked row is dimmed.
document.querySelectorAll(".quote-link").forEach(function (link) {
  link.addEventListener("click", function () {
    var anchor = link.dataset.anchor;
    document.querySelectorAll("#article-text mark").forEach(function (mark) {
      mark.classList.toggle("highlighted", (" " + mark.dataset.records + " ").indexOf(" " + anchor + " ") >= 0);
    });
  });
});
document.querySelectorAll(".draft-row input[name$='-keep']").forEach(function (box) {
  var sync = function () { box.closest("tr").classList.toggle("left-out", !box.checked); };
  box.addEventListener("change", sync); sync();
});
