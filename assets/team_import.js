// /admin/teams/import: a chosen file fills the box, so the form stays a plain
// urlencoded POST that carries its CSRF field. Without this script, people paste.
(function () {
  "use strict";
  var field = document.getElementById("csv-file-field");
  var input = document.getElementById("csv-file");
  var error = document.getElementById("csv-file-error");
  var box = document.getElementById("csv");
  if (!field || !input || !error || !box || !window.FileReader) {
    return;
  }
  // The server reads at most 2 MiB per request, and form encoding can triple a CSV file.
  var limit = 512 * 1024;
  field.hidden = false;
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    error.textContent = "";
    if (!file) {
      return;
    }
    if (file.size > limit) {
      error.textContent = "This file is too large to import (at most 500 KB).";
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      var text = String(reader.result);
      if (text.indexOf("\uFFFD") !== -1) {
        error.textContent = "This file is not UTF-8. Save it with the UTF-8 encoding and choose it again.";
        return;
      }
      box.value = text;
    };
    reader.onerror = function () {
      error.textContent = "The file could not be read. Paste its contents instead.";
    };
    reader.readAsText(file, "utf-8");
  });
})();
