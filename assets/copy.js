// Adds a "Copy" button after each field marked data-copy (a feed address shown once).
// Without scripts the field is still there to select and copy by hand.
"use strict";
document.querySelectorAll("input[data-copy]").forEach((field) => {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "secondary";
  button.textContent = "Copy";
  const said = document.createElement("span");
  said.setAttribute("role", "status");
  said.className = "muted";
  button.addEventListener("click", async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      said.textContent = " Copied.";
    } catch {
      said.textContent = " Selected: copy it with your device's copy command.";
    }
  });
  field.addEventListener("focus", () => field.select());
  field.after(button, said);
});
