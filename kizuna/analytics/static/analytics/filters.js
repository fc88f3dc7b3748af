// Dashboard filters: show the chosen team or order as soon as it is picked (the button stays for no-JS).
document.querySelectorAll("form.auto-submit select").forEach((select) => {
  select.addEventListener("change", () => {
    if (select.form.requestSubmit) select.form.requestSubmit();
    else select.form.submit();
  });
});
