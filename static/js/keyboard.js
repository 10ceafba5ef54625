// Keyboard use of the search page (issue 10). Optional like search.js: without JavaScript the
// pickers are plain GET forms with a "Find" button, and nothing here is needed.
// - the candidate and city pickers follow the WAI-ARIA combobox pattern (a listbox popup with
//   aria-activedescendant: focus stays in the text box); Enter never leaves the page
// - Escape in a chip box drops the half-typed chip (Tom Select would turn it into a chip on Tab)
// - after a results swap, aria-invalid follows the field errors swapped in out of band
// - shortcuts (SHORTCUTS), never while typing in a field or with Ctrl, Alt or Meta; "?" lists them
// Hook used: the "candidate-picked" event search.js sends on #search-form after a pick.
(function () {
  "use strict";

  const form = document.getElementById("search-form");
  if (!form) return;
  const $ = (id) => document.getElementById(id);

  // --- comboboxes -----------------------------------------------------------------------------
  // The server sends the options as links in list items (a.candidate-option, a.city-option), so
  // that they work as links without JavaScript; here they become the options of a listbox.
  function combobox(input, list, optionSelector, noun) {
    if (!input || !list) return;
    const status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    list.after(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    let options = [];
    let active = -1;

    const isOpen = () => !list.hidden && options.length > 0;
    function setActive(index) {
      active = index;
      options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }
    function show(open) {
      list.hidden = !open;
      input.setAttribute("aria-expanded", String(open && options.length > 0));
      if (!open) setActive(-1);
    }
    // New options (an htmx swap while typing, or search.js emptying the list after a pick).
    function refresh() {
      options = Array.from(list.querySelectorAll(optionSelector));
      setActive(-1);
      if (options.length) {
        list.setAttribute("role", "listbox");
        list.querySelectorAll(":scope > li").forEach((li) => li.setAttribute("role", "none"));
        options.forEach((option, i) => {
          option.id = `${list.id}-${i}`;
          option.setAttribute("role", "option");
          option.tabIndex = -1; // options are reached with the arrows, not Tab
        });
      } else {
        list.removeAttribute("role"); // a message ("No candidate called …") or nothing: a plain list
      }
      show(true);
      const n = options.length;
      status.textContent = n ? `${n} ${noun}${n === 1 ? "" : "s"}, arrow down to choose.` : list.textContent.trim();
    }
    new MutationObserver(refresh).observe(list, { childList: true });

    input.addEventListener("input", () => setActive(-1));
    input.addEventListener("keydown", (event) => {
      if (event.key === "Tab") show(false); // leaving the box picks nothing
      if (event.ctrlKey || event.metaKey || event.shiftKey) return;
      const last = options.length - 1;
      switch (event.key) {
        case "ArrowDown":
          if (!options.length) return;
          event.preventDefault();
          if (!isOpen()) {
            show(true);
            if (!event.altKey) setActive(0);
          } else if (!event.altKey) setActive(active < last ? active + 1 : 0);
          break;
        case "ArrowUp":
          if (!options.length) return;
          event.preventDefault();
          if (!isOpen()) show(true);
          setActive(active > 0 ? active - 1 : last);
          break;
        case "Home":
        case "End":
          if (!isOpen() || active < 0) return; // no option chosen yet: the caret moves in the text
          event.preventDefault();
          setActive(event.key === "Home" ? 0 : last);
          break;
        case "Enter":
          // Without a chosen option the browser's "search" event refreshes the list (htmx) and
          // the form's submit is stopped below.
          if (!isOpen() || active < 0) return;
          event.preventDefault();
          options[active].click(); // search.js's pick handler (a plain link without it)
          break;
        case "Escape":
          if (list.hidden || !list.children.length) return; // nothing shown: the browser clears the box
          event.preventDefault(); // closes the list and keeps the typed text
          show(false);
          break;
        default:
      }
    });
  }
  combobox($("candidate-name"), $("candidate-options"), "a.candidate-option", "candidate");
  combobox($("city-search"), $("city-options"), "a.city-option", "city");
  // With JavaScript the lists fill as you type: submitting these forms would only leave the page.
  ["candidate-form", "city-form"].forEach((id) => {
    if ($(id)) $(id).addEventListener("submit", (event) => event.preventDefault());
  });
  // A pick removes the option that had focus (by mouse) or the list (by keyboard): go on from
  // the results, whose heading says where you are and whose count is announced when it changes.
  form.addEventListener("candidate-picked", () => {
    if ($("results-heading")) $("results-heading").focus();
  });

  // --- chip boxes (Tom Select) ------------------------------------------------------------------
  // Capture phase: Tom Select stops Escape from bubbling when its dropdown is open.
  form.addEventListener("keydown", (event) => {
    const box = event.target;
    if (event.key !== "Escape" || !box.closest || !box.closest(".ts-control") || !box.value) return;
    const select = $(box.id.replace(/-ts-control$/, ""));
    const ts = select && select.tomselect;
    if (!ts) return;
    ts.setTextboxValue("");
    // The suggestions for the dropped text go too: Tom Select refreshes the list up to 300 ms
    // after the last key (refreshThrottle), and in the empty box that refresh would show them
    // all and re-open the list this Escape closes. Chosen chips keep their options.
    ts.clearOptions();
    ts.close();
    event.preventDefault(); // this Escape is used: the filters drawer (drawer.js) stays open
  }, true);
  // The select is hidden from assistive technology; its description goes to the text box.
  form.querySelectorAll("select.tags-input").forEach((select) => {
    const described = select.getAttribute("aria-describedby");
    if (select.tomselect && described) select.tomselect.control_input.setAttribute("aria-describedby", described);
  });

  // --- field errors after a swap ----------------------------------------------------------------
  // A control's aria-describedby names its error container (scoring/forms.py); results swaps
  // refill the containers out of band, so aria-invalid has to follow them here.
  document.body.addEventListener("htmx:afterSettle", () => {
    form.querySelectorAll("input[aria-describedby], select[aria-describedby]").forEach((control) => {
      const errors = control.getAttribute("aria-describedby").split(/\s+/).map($)
        .find((el) => el && el.classList.contains("field-errors"));
      if (!errors) return;
      if (errors.textContent.trim()) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    });
  });

  // --- shortcuts ------------------------------------------------------------------------------
  function cardArticles() {
    return Array.from(document.querySelectorAll("#results .job-card > article"));
  }
  function focusedCard() {
    const el = document.activeElement;
    return el && el.closest ? el.closest(".job-card") : null;
  }
  function moveCard(step) {
    const articles = cardArticles();
    if (!articles.length) return;
    const card = focusedCard();
    const index = card ? articles.indexOf(card.querySelector(":scope > article")) : -1;
    const next = articles[index < 0 ? 0 : Math.min(articles.length - 1, Math.max(0, index + step))];
    next.tabIndex = -1; // focusable by script only: Tab still goes through the card's controls
    next.focus({ preventScroll: true });
    next.scrollIntoView({ block: "center" }); // "nearest" could leave it under the sticky results bar
  }
  function openDetails() {
    const card = focusedCard();
    const details = card && card.querySelector("details.job-details");
    if (!details) return;
    details.open = true; // search.js loads the text on the toggle
    details.querySelector("summary").focus();
  }
  function focusCandidateBox() {
    const box = $("candidate-name");
    if (!box) return;
    // On a narrow screen the chosen candidate's panel is folded (drawer.js): unfold it first,
    // as "Change candidate" does, or the focus would land on a hidden box.
    const change = $("candidate-change");
    if (box.offsetParent === null && change && change.offsetParent !== null) change.click();
    box.focus();
    box.select();
  }
  const SHORTCUTS = [
    { key: "j", text: "Next job card", run: () => moveCard(1) },
    { key: "k", text: "Previous job card", run: () => moveCard(-1) },
    { key: "o", text: "Open the details of the focused card", run: openDetails },
    { key: "/", text: "Find a candidate by name", run: focusCandidateBox },
    { key: "?", text: "Show these shortcuts", run: showShortcuts },
  ];
  // Listed in the overlay too: the keys of the pickers and chip boxes above.
  const FIELD_KEYS = [
    { key: "↓ ↑", text: "Candidate or city box: move through the list (Home, End: first, last)" },
    { key: "Enter", text: "Candidate or city box: pick the highlighted one" },
    { key: "Esc", text: "Candidate or city box: close the list, keep the text; chip box: drop the text typed" },
  ];
  const NOT_TYPING = new Set(["checkbox", "radio", "button", "submit", "reset", "range", "color", "file", "image"]);
  function typingIn(el) {
    if (!(el instanceof Element)) return false;
    if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    return el.tagName === "INPUT" && !NOT_TYPING.has(el.type);
  }
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (typingIn(event.target) || document.querySelector("dialog[open]")) return;
    const shortcut = SHORTCUTS.find((s) => s.key === event.key);
    if (!shortcut) return;
    event.preventDefault();
    shortcut.run();
  });
  if ($("candidate-name")) $("candidate-name").setAttribute("aria-keyshortcuts", "/");

  // --- the "?" overlay: a modal dialog (Escape closes it; focus goes back where it was) --------
  let dialog = null;
  let opener = null;
  function keyList(rows) {
    const dl = document.createElement("dl");
    dl.className = "shortcut-list";
    rows.forEach(({ key, text }) => {
      const dt = document.createElement("dt");
      const kbd = document.createElement("kbd");
      kbd.textContent = key;
      dt.append(kbd);
      const dd = document.createElement("dd");
      dd.textContent = text;
      dl.append(dt, dd);
    });
    return dl;
  }
  function buildDialog() {
    dialog = document.createElement("dialog");
    dialog.id = "shortcuts-dialog";
    dialog.className = "shortcuts-dialog";
    dialog.setAttribute("aria-labelledby", "shortcuts-title");
    const title = document.createElement("h2");
    title.id = "shortcuts-title";
    title.textContent = "Keyboard shortcuts";
    const note = document.createElement("p");
    note.textContent = "The letters work when you are not typing in a field.";
    const inFields = document.createElement("h3");
    inFields.textContent = "In the filters";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", () => dialog.close());
    dialog.append(title, note, keyList(SHORTCUTS), inFields, keyList(FIELD_KEYS), close);
    dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); }); // the backdrop
    dialog.addEventListener("close", () => {
      if (opener && opener.isConnected) opener.focus();
      opener = null;
    });
    document.body.append(dialog);
  }
  function showShortcuts() {
    if (!dialog) buildDialog();
    opener = document.activeElement;
    dialog.showModal();
  }
  // Beside "Reset all filters": in the results bar it took a line of its own, one card less.
  const actions = form.querySelector(".form-actions");
  if (actions) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link shortcuts-button";
    button.textContent = "Keyboard shortcuts (?)";
    button.setAttribute("aria-haspopup", "dialog");
    button.setAttribute("aria-keyshortcuts", "?");
    button.addEventListener("click", showShortcuts);
    actions.append(button);
  }
})();
