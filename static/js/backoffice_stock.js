// Inline save of a stock row without reloading the page. Without JavaScript the row's form
// posts normally and the server redirects back (or shows the error next to the row).
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-stock-row]");
  if (!form) return;
  event.preventDefault();
  const status = document.getElementById("stock-status");
  let data;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    data = await response.json();
  } catch {
    form.submit();
    return;
  }
  const row = document.getElementById(form.dataset.stockRow);
  row.outerHTML = data.row;
  status.textContent = data.message;
  status.classList.toggle("is-error", !data.ok);
  const invalid = document.querySelector(`#${form.dataset.stockRow} [aria-invalid="true"]`);
  if (invalid) invalid.focus();
});
