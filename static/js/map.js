// Map of the directory: department outlines (no third-party tiles unless the instance sets a
// tile URL), town names from the shipped gazetteer, and the places of the visible box only,
// fetched as GeoJSON by bounding box and zoom (clusters from a server-side grid at low
// zooms, places at high zooms). The list beside the map is the no-JS equivalent.
// Reads: [data-map] with data-points-url, data-labels-url, data-filter-query, data-extent,
// data-outlines-url, data-tile-url, data-tile-attribution, data-place-base-url.
const element = document.querySelector("[data-map]");
const L = window.L;
const PREFECTURES_FROM_ZOOM = 7;
const TOWNS_FROM_ZOOM = 9;

function escapeText(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

function plural(count) {
  return count > 1 ? `${count.toLocaleString("fr-FR")} lieux` : "1 lieu";
}

async function drawOutlines(map) {
  try {
    const response = await fetch(element.dataset.outlinesUrl);
    L.geoJSON(await response.json(), {
      style: { color: "#5a5a5a", weight: 1, fillColor: "#f3f1ea", fillOpacity: 1 },
      interactive: false,
    }).addTo(map);
  } catch (error) {
    element.dataset.outlinesFailed = "true";
  }
}

// Town names: fetched the first time the map is close enough to show any.
function townLabels(map) {
  const prefectures = L.layerGroup();
  const towns = L.layerGroup();
  let loaded = null;
  function label(town) {
    const className = town.p ? "map-label map-label-prefecture" : "map-label";
    return L.marker([town.la, town.lo], {
      icon: L.divIcon({ className, html: escapeText(town.n), iconSize: null }),
      interactive: false,
      keyboard: false,
    });
  }
  async function load() {
    const response = await fetch(element.dataset.labelsUrl);
    const data = await response.json();
    data.towns.forEach((town) => label(town).addTo(town.p ? prefectures : towns));
  }
  async function update() {
    const zoom = map.getZoom();
    if (zoom < PREFECTURES_FROM_ZOOM) {
      prefectures.remove();
      towns.remove();
      return;
    }
    loaded = loaded || load().catch(() => {});
    await loaded;
    prefectures.addTo(map);
    if (zoom >= TOWNS_FROM_ZOOM) towns.addTo(map);
    else towns.remove();
  }
  map.on("zoomend", update);
  update();
}

function placesLayer(map) {
  const layer = L.layerGroup().addTo(map);
  const base = element.dataset.placeBaseUrl;
  let controller = null;
  function cluster(feature, latlng) {
    const count = feature.properties.count;
    const size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 44 : 52;
    const marker = L.marker(latlng, {
      icon: L.divIcon({
        className: "map-cluster",
        html: count.toLocaleString("fr-FR"),
        iconSize: [size, size],
      }),
      title: `${plural(count)} : zoomer`,
      alt: plural(count),
    });
    marker.on("click", () => map.setView(latlng, Math.min(map.getZoom() + 2, 18)));
    return marker;
  }
  function place(feature, latlng) {
    const p = feature.properties;
    return L.circleMarker(latlng, {
      radius: 7,
      color: "#1d4f91",
      weight: 2,
      fillOpacity: 0.8,
    }).bindPopup(`<a href="${base}${encodeURIComponent(p.u)}/">${escapeText(p.n)}</a>`);
  }
  async function refresh() {
    if (controller) controller.abort();
    controller = new AbortController();
    const b = map.getBounds().pad(0.2);
    const params = new URLSearchParams(element.dataset.filterQuery || "");
    params.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(3)).join(","));
    params.set("zoom", String(map.getZoom()));
    try {
      const response = await fetch(`${element.dataset.pointsUrl}?${params}`, { signal: controller.signal });
      const data = await response.json();
      layer.clearLayers();
      L.geoJSON(data, { pointToLayer: data.clustered ? cluster : place }).addTo(layer);
      element.dataset.features = String(data.features.length);
    } catch (error) {
      if (error.name !== "AbortError") element.dataset.pointsFailed = "true";
    }
  }
  map.on("moveend", refresh);
  refresh();
}

async function start() {
  if (!element || !L) return;
  element.hidden = false;
  document.querySelectorAll("[data-map-note]").forEach((note) => {
    note.hidden = false;
  });
  const map = L.map(element, { preferCanvas: true, maxZoom: 18 });
  const extent = (element.dataset.extent || "").split(",").map(Number);
  if (extent.length === 4 && extent.every(Number.isFinite)) {
    map.fitBounds([[extent[1], extent[0]], [extent[3], extent[2]]], { maxZoom: 12, padding: [20, 20] });
  } else {
    map.setView([46.6, 2.4], 5);
  }
  const tileUrl = element.dataset.tileUrl;
  if (tileUrl) {
    L.tileLayer(tileUrl, { attribution: element.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  } else {
    await drawOutlines(map);
    townLabels(map);
  }
  placesLayer(map);
}

start();
