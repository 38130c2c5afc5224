// The order desk's small enhancements. Without JavaScript the deadlines show as times and
// the print button is hidden (the browser's own print works).
(() => {
  const labels = document.querySelector("[data-countdown-labels]");
  const left = labels?.dataset.left || "{time}";
  const late = labels?.dataset.late || "-{time}";
  const lessThanMinute = labels?.dataset.soon || "< 1 min";

  function duration(ms) {
    const minutes = Math.floor(Math.abs(ms) / 60000);
    if (minutes < 1) return lessThanMinute;
    const hours = Math.floor(minutes / 60);
    const rest = String(minutes % 60).padStart(hours ? 2 : 1, "0");
    return hours ? `${hours} h ${rest} min` : `${rest} min`;
  }

  function tick() {
    const now = Date.now();
    for (const element of document.querySelectorAll("[data-countdown]")) {
      const deadline = Date.parse(element.dataset.countdown);
      if (Number.isNaN(deadline)) continue;
      const remaining = deadline - now;
      const output = element.querySelector(".countdown") || element;
      output.textContent = (remaining >= 0 ? left : late).replace("{time}", duration(remaining));
      output.classList.toggle("is-late", remaining < 0);
      const row = element.closest("[data-overdue-row]");
      if (row) row.classList.toggle("is-overdue", remaining < 0);
    }
  }

  if (document.querySelector("[data-countdown]")) {
    tick();
    setInterval(tick, 15000);
  }

  // The queue reloads itself so that new orders show up on a counter's screen; not while the
  // staff is typing a search.
  const refresh = document.querySelector("[data-auto-refresh]");
  if (refresh) {
    const seconds = Number(refresh.dataset.autoRefresh) || 60;
    setInterval(() => {
      const typing = document.activeElement && document.activeElement.matches("input, textarea, select");
      if (document.visibilityState === "visible" && !typing) window.location.reload();
    }, seconds * 1000);
  }

  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
})();
