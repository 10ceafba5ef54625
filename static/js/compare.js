// Candidate matrix page: optional enhancements (the page works as plain GET links and forms).
// After htmx swaps the page's region (filters, candidates and matrix together), focus goes to
// the matrix heading, so keyboard and screen-reader users land on what changed instead of on
// the top of the document (the element they activated was replaced).
(function () {
  "use strict";
  document.documentElement.classList.replace("nojs", "js");
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (!event.detail.target || event.detail.target.id !== "compare") return;
    const heading = document.getElementById("matrix-heading");
    if (heading) heading.focus({ preventScroll: false });
  });
})();
