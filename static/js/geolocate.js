// "Utiliser ma position": fills the hidden lat/lon fields of [data-geolocate] from the
// browser's geolocation, then submits. The form works without it (commune or postal code).
const form = document.querySelector("[data-geolocate]");
const button = form && form.querySelector("[data-geolocate-button]");
const status = form && form.querySelector("[data-geolocate-status]");

if (form && button && "geolocation" in navigator) {
  button.hidden = false;
  button.addEventListener("click", () => {
    status.textContent = "Recherche de votre position…";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        form.elements.lat.value = position.coords.latitude.toFixed(5);
        form.elements.lon.value = position.coords.longitude.toFixed(5);
        form.elements.q.value = "";
        form.submit();
      },
      () => {
        status.textContent = "Position indisponible : indiquez une commune ou un code postal.";
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 },
    );
  });
}
