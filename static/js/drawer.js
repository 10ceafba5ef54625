// Narrow screens (phones, and a laptop at 200 % zoom: 720 CSS px): the results come right after
// the candidate, and every other filter moves into a drawer opened by "Filters (N)" in the sticky
// results bar (N, the active-filter chips, comes out of band with every swap). Wide screens and
// pages without JavaScript keep the filter column beside the results; nothing here runs there.
//
// The drawer is a modal dialog (WAI-ARIA APG "Dialog (Modal)"): role=dialog and aria-modal only
// while it is open (closed, it is the plain filter column and must not read as a dialog), focus
// moves to its title, Escape closes it (unless a control inside used the key first: Tom Select
// stops the Escape that closes its dropdown, others call preventDefault), focus then returns to
// the button, and the rest of the page is `inert` meanwhile, so neither Tab nor a screen reader
// reaches behind it.
// The results count is inert then too, so the drawer's footer repeats it in a status of its own.
(function () {
  "use strict";

  const form = document.getElementById("search-form");
  const drawer = document.getElementById("filters-drawer");
  const toggle = document.getElementById("filters-toggle");
  if (!form || !drawer || !toggle) return;
  const narrow = window.matchMedia("(max-width: 900px)"); // the breakpoint of .search-layout
  const title = document.getElementById("filters-drawer-title");
  const footerCount = document.getElementById("drawer-count");
  const resultCount = document.getElementById("result-count");
  let inerted = [];

  const isOpen = () => drawer.classList.contains("open");

  // Everything outside the drawer: its siblings, its ancestors' siblings, up to <body>.
  function backgroundInert(on) {
    if (!on) {
      inerted.forEach((el) => { el.inert = false; });
      inerted = [];
      return;
    }
    for (let el = drawer; el !== document.body && el.parentElement; el = el.parentElement) {
      Array.from(el.parentElement.children).forEach((sibling) => {
        if (sibling === el || sibling.inert || sibling.tagName === "SCRIPT") return;
        sibling.inert = true;
        inerted.push(sibling);
      });
    }
  }

  function showCount() {
    if (isOpen() && footerCount && resultCount) footerCount.textContent = resultCount.textContent;
  }

  function open() {
    if (!narrow.matches || isOpen()) return;
    drawer.classList.add("open");
    drawer.setAttribute("role", "dialog");
    drawer.setAttribute("aria-modal", "true");
    drawer.setAttribute("aria-labelledby", title.id);
    toggle.setAttribute("aria-expanded", "true");
    document.documentElement.classList.add("drawer-open");
    backgroundInert(true);
    showCount();
    // The map was laid out while hidden (no size): search.js redraws it now.
    form.dispatchEvent(new CustomEvent("filters-drawer-opened"));
    title.focus();
  }

  function close(restoreFocus) {
    if (!isOpen()) return;
    drawer.classList.remove("open");
    ["role", "aria-modal", "aria-labelledby"].forEach((name) => drawer.removeAttribute(name));
    toggle.setAttribute("aria-expanded", "false");
    document.documentElement.classList.remove("drawer-open");
    backgroundInert(false);
    if (restoreFocus) toggle.focus();
  }

  toggle.addEventListener("click", open);
  drawer.querySelector(".drawer-close").addEventListener("click", () => close(true));
  drawer.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented && isOpen()) {
      event.preventDefault();
      close(true);
    }
  });
  // A click on the dimmed page beside the drawer (inert: the click lands on an ancestor). The
  // event's path, not `contains`: a Tom Select option clicked is gone from the DOM by now.
  document.addEventListener("click", (event) => {
    const path = event.composedPath();
    if (isOpen() && !path.includes(drawer) && !path.includes(toggle)) close(true);
  });
  // "Show jobs" runs the search (the form's own submit) and shows the results it brings.
  form.addEventListener("submit", () => close(true));
  document.body.addEventListener("htmx:afterSettle", showCount);
  // Turning the phone or zooming out past the breakpoint: back to the filter column.
  narrow.addEventListener("change", () => { if (!narrow.matches) close(false); });

  // --- the candidate panel, folded to one line once a candidate is chosen (narrow screens) ---
  // The search fields come back with "Change candidate"; CSS folds only below the breakpoint.
  const panel = document.getElementById("candidate-panel");
  const change = document.getElementById("candidate-change");
  const profile = form.elements.profile_key;
  if (!panel || !change || !profile) return;
  function fold() {
    panel.classList.toggle("has-candidate", Boolean(profile.value));
    panel.classList.remove("changing");
    change.setAttribute("aria-expanded", "false");
  }
  form.addEventListener("change", (event) => {
    if (event.target === profile || event.target.name === "source_key") fold();
  });
  change.addEventListener("click", () => {
    const opening = !panel.classList.contains("changing");
    panel.classList.toggle("changing", opening);
    change.setAttribute("aria-expanded", String(opening));
    if (opening) document.getElementById("candidate-name").focus();
  });
})();
