// Auto-refresh of the incoming list: re-fetch this same URL (filters included) every N seconds and swap
// the table body. The new HTML comes from our own server, already escaped; scripts inserted this way
// never run. Rows that were not there before flash briefly.
(function () {
  "use strict";
  const table = document.getElementById("incoming");
  const toggle = document.getElementById("autorefresh");
  if (!table || !toggle) return;
  const seconds = Number(table.dataset.refresh || "30");
  const seen = () => new Set(Array.from(table.querySelectorAll("tbody tr[data-id]"), (r) => r.dataset.id));
  async function refresh() {
    if (!toggle.checked || document.hidden) return;
    try {
      const response = await fetch(window.location.href, { headers: { "Accept": "text/html" }, cache: "no-store" });
      if (!response.ok) return;
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = doc.querySelector("#incoming tbody");
      const count = doc.getElementById("count");
      if (!fresh) return;
      const before = seen();
      table.querySelector("tbody").replaceWith(document.importNode(fresh, true));
      table.querySelectorAll("tbody tr[data-id]").forEach((row) => {
        if (!before.has(row.dataset.id)) row.classList.add("fresh");
      });
      if (count) document.getElementById("count").textContent = count.textContent;
      // The "older" link continues below the last row shown: it must move with the rows, or the rows
      // that new copy pushed off this page would be skipped.
      const pager = doc.getElementById("pager");
      const shownPager = document.getElementById("pager");
      if (pager && shownPager) shownPager.replaceWith(document.importNode(pager, true));
    } catch (error) {
      // the desk server restarting is not worth an alert; the next tick tries again
    }
  }
  window.setInterval(refresh, seconds * 1000);
})();
