// Search page enhancements: everything here is optional, the form works as a plain GET without it.
// - filter changes ask htmx to refresh #results (the form's hx-trigger is "filters-changed")
// - Tom Select on the free-entry multi-selects, date presets, typeahead picks
// - the Leaflet location picker (vector country outlines, optional raster tiles); the results'
//   markers on the same map are static/js/results-map.js's (it finds the map as panel.leafletMap)
(function () {
  "use strict";

  document.documentElement.classList.replace("nojs", "js");
  const form = document.getElementById("search-form");
  if (!form) return;
  const $ = (id) => document.getElementById(id);

  function changed(el) {
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Only real filters of this form refresh the results (not the typeahead boxes, whose inputs
  // belong to the candidate/city forms, and not Tom Select's own text box, which has no name).
  form.addEventListener("change", (event) => {
    const el = event.target;
    if (!el.name || el.form !== form) return;
    if (window.htmx) window.htmx.trigger(form, "filters-changed");
  });

  // Errors shown inline come back out of band with the results; clear the old ones first.
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.target && event.detail.target.id === "results") {
      form.querySelectorAll(".field-errors").forEach((el) => { el.textContent = ""; });
      $("results").setAttribute("aria-busy", "true");
    }
  });
  document.body.addEventListener("htmx:afterRequest", () => $("results").removeAttribute("aria-busy"));
  // --- a failed results request must never leave the previous results looking current -----
  // htmx swaps nothing on a 4xx/5xx (a proxy's 502/504, a crash) or a dropped connection, which
  // left the old cards, count and export under a form that already shows the new filters. The
  // error panel replaces them, and the URL follows the form, so Retry or a reload runs the
  // search the page says failed. An aborted request (hx-sync replaced it) is no failure.
  const FAILURE_MESSAGES = {
    network: "The dashboard could not be reached. Check your connection and try again.",
    timeout: "The dashboard took too long to answer. Try again in a moment.",
    status: "The dashboard could not run this search (error {status}). Try again in a moment.",
  };
  function sameSearchPage(url) {
    const target = new URL(url, window.location.href);
    const page = new URL(form.action, window.location.href);
    return target.origin === page.origin && target.pathname === page.pathname;
  }
  function resultsFailed(event, kind) {
    const detail = event.detail;
    if (!detail.target || detail.target.id !== "results") return;
    const url = (detail.pathInfo && detail.pathInfo.finalRequestPath) || window.location.href;
    const heading = document.createElement("h3");
    heading.textContent = "The search could not run";
    const text = document.createElement("p");
    text.textContent = FAILURE_MESSAGES[kind].replace("{status}", String(detail.xhr ? detail.xhr.status : ""));
    const retry = document.createElement("a");
    retry.className = "button";
    retry.textContent = "Retry";
    retry.href = url;
    retry.setAttribute("hx-get", url);
    retry.setAttribute("hx-target", "#results");
    retry.setAttribute("hx-indicator", "#loading");
    const panel = document.createElement("div");
    panel.className = "panel error-panel";
    panel.setAttribute("role", "alert");
    panel.append(heading, text, retry);
    const results = $("results");
    results.replaceChildren(panel);
    results.removeAttribute("aria-busy");
    $("result-count").textContent = "Search failed.";
    if ($("export-slot")) $("export-slot").replaceChildren();
    document.querySelectorAll(".ext-slot").forEach((slot) => slot.replaceChildren());
    const shown = window.location.pathname + window.location.search;
    if (sameSearchPage(url) && url !== shown) window.history.pushState({ htmx: true }, "", url);
    if (window.htmx) window.htmx.process(panel);
  }
  document.body.addEventListener("htmx:responseError", (event) => resultsFailed(event, "status"));
  document.body.addEventListener("htmx:sendError", (event) => resultsFailed(event, "network"));
  document.body.addEventListener("htmx:timeout", (event) => resultsFailed(event, "timeout"));

  // --- card details: loaded when a card is first opened (half the bytes of a results page) ---
  document.addEventListener("toggle", (event) => {
    const details = event.target;
    if (!(details instanceof HTMLDetailsElement) || !details.open || details.dataset.loaded) return;
    const body = details.querySelector(".details-body");
    const link = body && body.querySelector("a[href]");
    if (!link || !window.htmx) return;
    details.dataset.loaded = "1";
    body.setAttribute("aria-busy", "true");
    window.htmx.ajax("GET", link.getAttribute("href"), { target: body, swap: "innerHTML" })
      .finally(() => body.removeAttribute("aria-busy"));
  }, true);

  // --- Tom Select ---------------------------------------------------------------------------
  if (window.TomSelect) {
    // Skills and languages suggest from the vocabulary (scoring/vocabulary.py): the
    // candidate's own first, then what results showed, then the shipped list; the server
    // matches and orders, Tom Select keeps that order.
    const GROUPS = [
      { value: "candidate", label: "The candidate's" },
      { value: "seen", label: "Seen in results" },
      { value: "shipped", label: "Known" },
    ];
    const words = (text) => String(text).toLocaleLowerCase().match(/[\p{L}\p{N}_]+/gu) || [];
    function suggestConfig(kind) {
      return {
        valueField: "value",
        labelField: "text",
        searchField: [],
        optgroupField: "group",
        optgroups: GROUPS,
        lockOptgroupOrder: true,
        // Only what matches the text typed now (the same rule as the server's), in the server's order.
        score(search) {
          const wanted = words(search);
          return (item) => (wanted.every((w) => words(item.text).some((word) => word.startsWith(w))) ? 1 : 0);
        },
        load(query, callback) {
          const url = new URL(form.dataset.vocabularyUrl, window.location.href);
          url.searchParams.set("kind", kind);
          url.searchParams.set("q", query);
          ["source_key", "profile_key"].forEach((name) => {
            if (form.elements[name] && form.elements[name].value) url.searchParams.set(name, form.elements[name].value);
          });
          fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
            .then((response) => (response.ok ? response.json() : { options: [] }))
            .then((data) => {
              this.clearOptions();
              // An answer that finds the box empty (Escape dropped the half-typed chip, a blur
              // made it a chip) is for text that is gone. Tom Select opens the list when options
              // arrive in a focused box, and with nothing typed it shows every option (Sifter
              // skips `score` for an empty query): the late answer would re-open the list the
              // Escape closed. So it adds nothing (issue 10). Text typed since the Escape is
              // served by `score` above and its own request.
              callback(this.isFocused && this.inputValue() ? data.options : undefined);
            })
            .catch(() => { this.clearOptions(); callback(); }); // not the earlier text's options
        },
      };
    }
    form.querySelectorAll("select.tags-input").forEach((el) => {
      el.disabled = false; // disabled in the HTML: without JavaScript the comma-separated text input is sent
      new window.TomSelect(el, Object.assign({
        create: true,
        createOnBlur: true,
        persist: false,
        maxItems: 30,
        plugins: ["remove_button"],
        render: { no_results: null },
      }, el.dataset.suggest ? suggestConfig(el.dataset.suggest) : {}));
      // The original select stays only for form submission; its label now points at Tom
      // Select's text box, so hide the select from assistive technology.
      el.setAttribute("aria-hidden", "true");
    });
      // Tag pickers: a tag name, then its values seen in results (with counts); each pick adds
    // the `name:value` chip to "Tags to include" / "Tags to exclude" (values of one name OR,
    // names AND: scoring/hrflow/tags.py), so nobody has to type the syntax.
    form.querySelectorAll(".tag-picker").forEach((picker) => {
      const nameSelect = picker.querySelector(".tag-name");
      const target = form.elements[picker.dataset.target];
      if (!target || !target.tomselect || !nameSelect.value) return;
      let dismissed = false; // the last key in the box was Escape: no list until focus or a key
      const values = new window.TomSelect(picker.querySelector(".tag-value"), {
        valueField: "value",
        labelField: "text",
        searchField: [],
        // All values on every focus, unless they are what is loaded: not `preload: "focus"`,
        // which asks once per page, so a dropped answer (below), a pick or a new tag name (which
        // clear the options) left the box empty on focus until something was typed.
        onFocus() { dismissed = false; this.load(""); },
        shouldLoad: () => true,
        score: () => () => 1, // the server filters: the list is its answer as sent
        // "No results" only for typed text: in the empty box it would open the list for nothing,
        // e.g. when an answer dropped after an Escape (below) gives Tom Select no values.
        render: { no_results: (data) => (data.input ? '<div class="no-results">No results found</div>' : null) },
        load(query, callback) {
          const url = new URL(form.dataset.vocabularyUrl, window.location.href);
          url.searchParams.set("kind", "tags");
          url.searchParams.set("name", nameSelect.value);
          url.searchParams.set("q", query);
          fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
            .then((response) => (response.ok ? response.json() : { options: [] }))
            .then((data) => {
              // Late answers (issue 10): Tom Select opens the list when options arrive in a
              // focused box and shows them all (score above). After an Escape that would open
              // the list it closed; for text typed over (the values asked for on focus arriving
              // after the typed text's) it would replace the right values with all of them.
              if (dismissed) this.clearOptions(); // nothing to open; the next focus asks again
              if (dismissed || query !== this.inputValue()) {
                delete this.loadedSearches[query]; // not shown, so not loaded
                callback();
                return;
              }
              this.clearOptions();
              callback(data.options);
            })
            .catch(() => { this.clearOptions(); callback(); }); // not the earlier text's options
        },
        onItemAdd(token) {
          const option = this.options[token];
          if (!target.tomselect.options[token]) target.tomselect.addOption({ value: token, text: option ? option.label : token });
          target.tomselect.addItem(token);
          this.clear(true);
          this.clearOptions();
          this.setTextboxValue("");
          this.close();
        },
      });
      values.control_input.addEventListener("keydown", (event) => { dismissed = event.key === "Escape"; });
      values.control_input.addEventListener("input", () => { dismissed = false; }); // a paste, too
      nameSelect.addEventListener("change", () => { values.clearOptions(); values.loadedSearches = {}; });
      // As for the chip fields above: the label now names Tom Select's text box.
      picker.querySelector("select.tag-value").setAttribute("aria-hidden", "true");
    });
  }

  // --- the form is the one source of truth ----------------------------------------------
  // A chip's ×, "Clear all" and the relax links of an empty result are plain links (they work
  // without JavaScript: a full page). Here they set the form's controls to the link's search
  // (only the parameters that differ from the canonical query of the results shown, which the
  // server writes on #active-filters with every swap) and submit the form, so the form, the
  // pushed URL and the results can never disagree. Back reloads the page from the URL.
  function setControl(name, values) {
    const els = Array.from(form.elements).filter((el) => el.name === name);
    if (!els.length) {
      const scaled = form.querySelector(`[data-url-param="${name}"]`);
      if (scaled) scaled.value = values.length ? String(Math.round(parseFloat(values[0]) * 1000) / 10) : "";
      return;
    }
    els.forEach((el) => {
      if (el.tomselect) {
        const ts = el.tomselect;
        ts.clear(true);
        values.forEach((v) => {
          if (!ts.options[v]) ts.addOption({ value: v, text: v });
          ts.addItem(v, true);
        });
      } else if (el.type === "checkbox") {
        el.checked = values.includes(el.value);
      } else if (el.type === "radio") {
        el.checked = values.length ? values.includes(el.value) : el.value === "" || el.value === "1";
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.from(el.options).forEach((o) => { o.selected = values.includes(o.value); });
      } else if (el.tagName === "SELECT") {
        if (values.length) el.value = values[0];
      } else {
        el.value = values.length ? values[0] : "";
      }
    });
  }
  function applySearch(url) {
    const target = new URL(url, window.location.href).searchParams;
    const bar = $("active-filters");
    const shown = new URLSearchParams(bar && bar.dataset.query ? bar.dataset.query : window.location.search);
    const names = new Set([...target.keys(), ...shown.keys()]);
    names.forEach((name) => {
      const want = target.getAll(name);
      if (want.join("\u0000") !== shown.getAll(name).join("\u0000")) setControl(name, want);
    });
    form.dispatchEvent(new CustomEvent("form-synced"));
  }
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a.filter-link");
    if (!link || !window.htmx || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    applySearch(link.href);
    form.requestSubmit();
    $("results-heading").focus({ preventScroll: true });
  });

  // --- date presets: a preset and custom dates exclude each other ---------------------------
  const presetInputs = form.querySelectorAll("input[name=date_preset]");
  const dateInputs = [form.elements.date_range_min, form.elements.date_range_max].filter(Boolean);
  presetInputs.forEach((radio) => radio.addEventListener("change", () => {
    if (radio.checked && radio.value) dateInputs.forEach((input) => { input.value = ""; });
  }));
  dateInputs.forEach((input) => input.addEventListener("change", () => {
    if (!input.value) return;
    presetInputs.forEach((radio) => { radio.checked = radio.value === ""; });
  }));

  // --- salary: the legend names the chosen currency ("Salary (EUR)") --------------------
  const salaryRange = form.elements.salary_range;
  const salaryLegend = $("salary-legend");
  if (salaryRange && salaryLegend) salaryRange.addEventListener("change", () => {
    const option = salaryRange.options[salaryRange.selectedIndex];
    if (option) salaryLegend.textContent = `Salary (${option.textContent})`;
  });

  // --- candidate picker ---------------------------------------------------------------------
  const profileInput = form.elements.profile_key;
  const sourceSelect = form.elements.source_key;
  const nameInput = $("candidate-name");
  $("candidate-options").addEventListener("click", (event) => {
    const option = event.target.closest("a.candidate-option");
    if (!option) return;
    event.preventDefault();
    if (sourceSelect && option.dataset.sourceKey) sourceSelect.value = option.dataset.sourceKey;
    profileInput.value = option.dataset.profileKey;
    const chosen = $("candidate-chosen");
    const strong = document.createElement("strong");
    strong.className = "candidate-name";
    strong.textContent = option.dataset.name;
    const title = document.createElement("span");
    title.className = "candidate-title";
    title.textContent = option.dataset.title || "";
    chosen.replaceChildren(strong, title);
    $("candidate-options").replaceChildren();
    nameInput.value = "";
    changed(profileInput);
    // Hook: keyboard.js moves focus to the results heading (the picked option is gone).
    form.dispatchEvent(new CustomEvent("candidate-picked"));
  });
  if (sourceSelect) sourceSelect.addEventListener("change", () => {
    profileInput.value = "";
    $("candidate-chosen").textContent = "Pick a candidate from this source.";
  });

  // --- location picker ----------------------------------------------------------------------
  const lat = form.elements.lat;
  const lng = form.elements.lng;
  const distance = form.elements.location_distance;
  const slider = $("radius-slider");
  const output = $("radius-output");
  const panel = $("map-panel");

  function num(input) {
    const v = parseFloat(input.value);
    return Number.isFinite(v) ? v : null;
  }
  function radiusKm() {
    return num(distance) || parseFloat(slider.value);
  }
  function showRadius(km) {
    output.textContent = `${Math.round(km)} km`;
  }

  let map = null;
  let marker = null;
  let circle = null;

  function drawPoint(pan) {
    if (!map) return;
    const la = num(lat);
    const ln = num(lng);
    if (la === null || ln === null) {
      if (marker) { map.removeLayer(marker); map.removeLayer(circle); marker = circle = null; }
      return;
    }
    const at = [la, ln];
    const km = radiusKm();
    if (!marker) {
      marker = window.L.marker(at, {
        draggable: true,
        keyboard: true,
        title: "Search centre (drag to move)",
        alt: "Search centre",
        icon: window.L.divIcon({ className: "pin", iconSize: [18, 18], iconAnchor: [9, 9] }),
      }).addTo(map);
      marker.on("dragend", () => setPoint(marker.getLatLng(), false));
      circle = window.L.circle(at, { radius: km * 1000, color: "#1f5fbf", weight: 2, fillOpacity: 0.08, interactive: false }).addTo(map);
    } else {
      marker.setLatLng(at);
      circle.setLatLng(at);
      circle.setRadius(km * 1000);
    }
    if (pan) map.fitBounds(circle.getBounds(), { maxZoom: 8 });
  }

  function setPoint(latlng, pan) {
    const wrapped = latlng.wrap();
    lat.value = wrapped.lat.toFixed(4);
    lng.value = wrapped.lng.toFixed(4);
    if (!num(distance)) distance.value = slider.value;
    drawPoint(pan);
    changed(lat);
  }

  function initMap() {
    if (!window.L || !panel) return;
    panel.hidden = false;
    map = window.L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.5 });
    panel.leafletMap = map; // the one hook of static/js/results-map.js, which draws the results on it
    map.attributionControl.setPrefix(false);
    const [vLat, vLng, vZoom] = (panel.dataset.view || "30,-20,1").split(",").map(Number);
    map.setView([vLat, vLng], vZoom);
    const tileUrl = panel.dataset.tileUrl;
    if (tileUrl) {
      let failures = 0;
      const tiles = window.L.tileLayer(tileUrl, { maxZoom: 12, attribution: "Map tiles" });
      tiles.on("tileerror", () => {
        failures += 1;
        if (failures === 3) {
          map.removeLayer(tiles);
          $("tile-notice").hidden = false;
        }
      });
      tiles.addTo(map);
    }
    fetch(panel.dataset.countriesUrl)
      .then((response) => response.json())
      .then((topo) => {
        const countries = window.topojson.feature(topo, topo.objects.countries);
        window.L.geoJSON(countries, {
          interactive: false,
          style: { color: "#9aa3b2", weight: 0.8, fillColor: "#e6e9ef", fillOpacity: 1 },
        }).addTo(map).bringToBack();
        panel.classList.add("outlines-ready");
      })
      .catch(() => { $("tile-notice").hidden = false; });
    map.attributionControl.addAttribution("Outlines: Natural Earth");
    map.on("click", (event) => setPoint(event.latlng, false));
    const km = radiusKm();
    slider.value = String(Math.min(500, Math.max(5, km)));
    showRadius(km);
    drawPoint(true);
  }

  slider.addEventListener("input", () => {
    showRadius(parseFloat(slider.value));
    if (circle) circle.setRadius(parseFloat(slider.value) * 1000);
  });
  slider.addEventListener("change", () => {
    distance.value = slider.value;
    drawPoint(false);
    if (num(lat) !== null) changed(distance);
  });
  [lat, lng, distance].forEach((input) => input.addEventListener("change", () => {
    if (input === distance && num(distance)) {
      slider.value = String(Math.min(500, Math.max(5, num(distance))));
      showRadius(num(distance));
    }
    drawPoint(input !== distance);
  }));
  form.addEventListener("form-synced", () => drawPoint(true));
  // Phones: the map sits in the filters drawer (static/js/drawer.js), hidden (no size) until it opens.
  form.addEventListener("filters-drawer-opened", () => {
    if (!map) return;
    map.invalidateSize();
    drawPoint(true);
  });
  $("map-clear").addEventListener("click", () => {
    lat.value = "";
    lng.value = "";
    distance.value = "";
    drawPoint(false);
    changed(lat);
  });
  $("city-options").addEventListener("click", (event) => {
    const option = event.target.closest("a.city-option");
    if (!option) return;
    event.preventDefault();
    $("city-options").replaceChildren();
    $("city-search").value = option.textContent.trim();
    setPoint(window.L ? window.L.latLng(+option.dataset.lat, +option.dataset.lng) : { wrap: () => ({ lat: +option.dataset.lat, lng: +option.dataset.lng }) }, true);
  });

  initMap();
})();
