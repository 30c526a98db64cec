// Map of the directory: department outlines (no third-party tiles unless the instance sets a
// tile URL), places clustered. The list beside the map is the no-JS equivalent.
// Reads: [data-map] element with data-outlines-url, data-tile-url, data-tile-attribution;
// the place points from the JSON data block #map-points ([{n, la, lo, u}]).
const element = document.querySelector("[data-map]");
const L = window.L;

function escapeText(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

async function start() {
  if (!element || !L) return;
  const points = JSON.parse(document.getElementById("map-points").textContent);
  element.hidden = false;
  const map = L.map(element, { preferCanvas: true, maxZoom: 18 }).setView([46.6, 2.4], 5);
  const tileUrl = element.dataset.tileUrl;
  if (tileUrl) {
    L.tileLayer(tileUrl, { attribution: element.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  } else {
    try {
      const response = await fetch(element.dataset.outlinesUrl);
      const outlines = await response.json();
      L.geoJSON(outlines, {
        style: { color: "#5a5a5a", weight: 1, fillColor: "#f3f1ea", fillOpacity: 1 },
        interactive: false,
      }).addTo(map);
    } catch (error) {
      element.dataset.outlinesFailed = "true";
    }
  }
  const cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
  const base = element.dataset.placeBaseUrl;
  const markers = points.map((p) =>
    L.circleMarker([p.la, p.lo], { radius: 7, color: "#1d4f91", weight: 2, fillOpacity: 0.8 })
      .bindPopup(`<a href="${base}${encodeURIComponent(p.u)}/">${escapeText(p.n)}</a>`),
  );
  cluster.addLayers(markers);
  map.addLayer(cluster);
  // Bounds from the points themselves: with chunked loading the cluster may still be empty.
  const bounds = L.latLngBounds(points.map((p) => [p.la, p.lo]));
  if (markers.length && bounds.isValid()) {
    map.fitBounds(bounds, { maxZoom: 12, padding: [20, 20] });
  }
}

start();
