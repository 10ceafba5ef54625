// Candidate matrix page: optional enhancements (the page works as plain GET links and forms).
// - After htmx swaps the page's region (filters, candidates and matrix together), focus goes to
//   the matrix heading, so keyboard and screen-reader users land on what changed instead of on
//   the top of the document (the element they activated was replaced).
// - On a narrow screen the filters start folded (the chips above the matrix list the active
//   ones), so the matrix is not pages below them; an opened or folded state survives swaps.
(function () {
  "use strict";
  document.documentElement.classList.replace("nojs", "js");
  const narrow = window.matchMedia("(max-width: 900px)");
  let filtersOpen = !narrow.matches;
  function applyFilters() {
    const details = document.getElementById("matrix-filters");
    if (details) details.open = filtersOpen;
  }
  applyFilters();
  document.body.addEventListener("toggle", (event) => {
    if (event.target.id === "matrix-filters") filtersOpen = event.target.open;
  }, true);
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (!event.detail.target || event.detail.target.id !== "compare") return;
    applyFilters();
    const heading = document.getElementById("matrix-heading");
    if (heading) heading.focus({ preventScroll: false });
  });
})();
