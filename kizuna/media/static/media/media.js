// Video studio: refuse a too-large file before it is sent, show upload progress, confirm deletes.
(function () {
  "use strict";

  function checkSize(input) {
    var form = input.form;
    var max = parseInt(form.dataset.maxBytes || "0", 10);
    var file = input.files && input.files[0];
    input.setCustomValidity(file && max && file.size > max ? form.dataset.tooLarge : "");
    input.reportValidity();
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("#video-upload input[type=file]")) {
      checkSize(input);
    }
  });

  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest && event.target.closest("#video-upload");
    if (!form || !event.detail.lengthComputable) {
      return;
    }
    var bar = form.querySelector(".upload-progress");
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
