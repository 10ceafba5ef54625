// Results on the map (issue 13 part 2): the current page's jobs as markers on the search page's
// map (search.js's location picker, found as #map-panel's `leafletMap`), clustered where dense.
//
// - The markers come with every results swap: `#map-results[data-markers]` (out of band, from
//   scoring/result_map.py) holds `[[job key, lat, lng, tone], …]`; the tone is the card's score
//   band (`tone-excellent` …) or, with scoring off, its posting-date rank (`tone-date-1` …).
//   A marker's tooltip is read from its card, so upstream text comes only from the cards' HTML.
// - Hovering (or focusing) a card highlights its marker, or the cluster holding it; hovering a
//   marker highlights its card. A click on a marker selects its job: its card is scrolled to
//   and focused. It never moves the search point (markers do not pass clicks on to the map).
// - The "Map" toggle above the results moves the map panel there, larger, and back (on a phone
//   the filters and their map sit in a drawer, so this is where the map is seen).
// - Markers are for the pointer only: they sit in a pane hidden from assistive technology and
//   are never in the tab order. Everything they show is in the list (title, score, location,
//   distance), and "N jobs not on the map" is said under the map.
(function () {
  "use strict";

  const panel = document.getElementById("map-panel");
  const L = window.L;
  if (!panel || !L || !L.markerClusterGroup || !panel.leafletMap) return;
  const map = panel.leafletMap;
  const $ = (id) => document.getElementById(id);
  const form = $("search-form");
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  const PANE = "results";
  map.createPane(PANE);
  const pane = map.getPane(PANE);
  pane.style.zIndex = "590"; // above the outlines and the radius circle, below the search-centre pin
  pane.setAttribute("aria-hidden", "true");

  // A cluster is keyboard-inert too (L.Marker makes icons focusable buttons by default).
  L.MarkerCluster.mergeOptions({ keyboard: false });
  const layer = L.markerClusterGroup({
    clusterPane: PANE,
    maxClusterRadius: 40,
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: true,
    // A spider leg is a path: interactive, it would pass a click on to the map (a new point).
    spiderLegPolylineOptions: { weight: 1.5, color: "#1d2330", opacity: 0.6, interactive: false },
    iconCreateFunction(cluster) {
      const count = cluster.getChildCount();
      const size = count < 10 ? 30 : 36;
      return L.divIcon({
        html: `<span>${count}</span>`, // a number: nothing upstream
        className: "result-cluster",
        iconSize: [size, size],
      });
    },
  }).addTo(map);
  panel.resultLayer = layer; // read by the browser tests (markers in the layer = cards with coordinates)

  // One icon per marker, which carries its job key and its state, however often clustering
  // removes and re-creates the element.
  const ResultIcon = L.DivIcon.extend({
    createIcon(old) {
      const el = L.DivIcon.prototype.createIcon.call(this, old);
      el.dataset.jobKey = this.options.jobKey;
      return el;
    },
  });

  const markers = new Map(); // job key -> marker
  let shown = null; // the data-markers string drawn now
  let selectedKey = null;

  function cardOf(key) {
    return document.querySelector(`#results .job-card[data-job-key="${CSS.escape(key)}"]`);
  }

  function tooltip(card) {
    if (!card) return "";
    const title = card.querySelector(".job-title");
    const pct = card.querySelector(".score-pct");
    const band = card.querySelector(".score-band");
    const parts = [title ? title.textContent.trim() : ""];
    if (pct && band) parts.unshift(`${pct.textContent.trim()} ${band.textContent.trim()}`);
    return parts.filter(Boolean).join(" · ");
  }

  // --- highlighting: the marker's visible stand-in is itself or the cluster holding it ------
  function visibleOf(marker) {
    return marker ? layer.getVisibleParent(marker) : null;
  }
  function paint(key, cls, on) {
    const card = cardOf(key);
    if (card) card.classList.toggle(cls, on);
    const stand = visibleOf(markers.get(key));
    const el = stand && stand.getElement();
    if (el) el.classList.toggle(cls, on);
  }
  function clearClass(cls) {
    document.querySelectorAll(`#results .job-card.${cls}, #map .${cls}`).forEach((el) => el.classList.remove(cls));
  }
  function highlight(key, on) {
    if (!on) { clearClass("is-hovered"); return; }
    paint(key, "is-hovered", true);
  }
  function repaintSelection() {
    clearClass("is-selected");
    if (selectedKey) paint(selectedKey, "is-selected", true);
  }
  layer.on("animationend", repaintSelection);
  map.on("zoomend moveend", repaintSelection);

  function select(key) {
    selectedKey = key;
    repaintSelection();
    const card = cardOf(key);
    if (!card) return;
    if (!card.hasAttribute("tabindex")) card.tabIndex = -1; // focusable by script only
    card.scrollIntoView({ block: "center", behavior: reduceMotion ? "auto" : "smooth" });
    card.focus({ preventScroll: true });
  }

  // --- markers from the swap ------------------------------------------------------------------
  function rows(text) {
    try {
      const data = JSON.parse(text);
      return Array.isArray(data) ? data : [];
    } catch (error) {
      return [];
    }
  }

  function searchCircle() {
    const lat = parseFloat(form.elements.lat.value);
    const lng = parseFloat(form.elements.lng.value);
    const km = parseFloat(form.elements.location_distance.value);
    if (![lat, lng, km].every(Number.isFinite)) return null;
    return L.latLng(lat, lng).toBounds(km * 2000);
  }

  // Fit the map to the markers (and the search circle) when some are out of view, or always.
  function fit(always) {
    if (!markers.size || !map.getSize().x) return; // nothing to show, or the map is out of sight (a closed drawer)
    const bounds = layer.getBounds();
    const circle = searchCircle();
    if (circle) bounds.extend(circle);
    if (!always && map.getBounds().contains(bounds)) return;
    map.fitBounds(bounds, { maxZoom: 10, padding: [20, 20], animate: false });
  }

  function draw() {
    const holder = $("map-results");
    const data = (holder && holder.dataset.markers) || "[]";
    if (data === shown) return;
    shown = data;
    layer.clearLayers();
    markers.clear();
    selectedKey = null;
    const list = rows(data).map(([key, lat, lng, tone]) => {
      const marker = L.marker([lat, lng], {
        pane: PANE,
        keyboard: false,
        title: tooltip(cardOf(key)),
        riseOnHover: true,
        icon: new ResultIcon({ className: `result-marker tone-${tone}`, iconSize: [16, 16], jobKey: key }),
      });
      marker.jobKey = key;
      marker.on("click", () => select(key));
      marker.on("mouseover", () => highlight(key, true));
      marker.on("mouseout", () => highlight(key, false));
      markers.set(key, marker);
      return marker;
    });
    layer.addLayers(list);
    fit(false);
  }

  layer.on("clustermouseover", (event) => {
    event.layer.getAllChildMarkers().forEach((m) => { const card = cardOf(m.jobKey); if (card) card.classList.add("is-hovered"); });
    const el = event.layer.getElement();
    if (el) el.classList.add("is-hovered");
  });
  layer.on("clustermouseout", () => clearClass("is-hovered"));

  // --- the cards' side ------------------------------------------------------------------------
  const results = $("results");
  function cardEvent(event, on) {
    const card = event.target.closest && event.target.closest(".job-card");
    if (!card) return;
    const into = event.relatedTarget && event.relatedTarget.closest && event.relatedTarget.closest(".job-card");
    if (into === card) return; // moving within the same card
    highlight(card.dataset.jobKey, on);
  }
  results.addEventListener("mouseover", (event) => cardEvent(event, true));
  results.addEventListener("mouseout", (event) => cardEvent(event, false));
  results.addEventListener("focusin", (event) => cardEvent(event, true));
  results.addEventListener("focusout", (event) => cardEvent(event, false));

  document.body.addEventListener("htmx:afterSettle", draw);
  // A failed results request leaves no results (search.js shows the error panel): no markers.
  ["htmx:responseError", "htmx:sendError", "htmx:timeout"].forEach((name) => document.body.addEventListener(name, (event) => {
    if (!event.detail.target || event.detail.target.id !== "results") return;
    const holder = $("map-results");
    if (holder) { holder.dataset.markers = "[]"; holder.replaceChildren(); }
    draw();
  }));

  // --- the "Map" toggle: the map, larger, above the results ----------------------------------
  const toggle = $("map-toggle");
  const large = $("results-map");
  const moved = $("map-moved");
  if (toggle && large) {
    const home = document.createComment("the map panel's place in the filters");
    panel.before(home);
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-pressed") !== "true";
      toggle.setAttribute("aria-pressed", String(open));
      if (open) large.append(panel);
      else home.after(panel);
      large.hidden = !open;
      if (moved) moved.hidden = !open;
      document.body.classList.toggle("map-large", open);
      map.invalidateSize({ animate: false });
      if (open) fit(true);
    });
  }

  draw();
})();
