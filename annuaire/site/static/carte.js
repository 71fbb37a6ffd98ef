/* The map page: nothing is asked from the tile server until "Afficher la carte" is pressed.
 * Markers come from donnees/lieux.geojson (same site); each one opens the name, the commune
 * and a link to the place page. Leaflet markers and clusters are reachable with Tab and
 * open with Enter; the list page stays the accessible alternative.
 */
(function () {
  "use strict";
  var button = document.getElementById("carte-afficher");
  var zone = document.getElementById("carte");
  var state = document.getElementById("carte-etat");
  if (!button || !zone || !window.L) { return; }
  var TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  button.hidden = false;

  function popup(props, base) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = props.nom;
    var commune = document.createElement("p");
    commune.textContent = props.commune;
    var link = document.createElement("a");
    link.href = base + props.chemin;
    link.textContent = "Voir la fiche du lieu";
    box.appendChild(name);
    box.appendChild(commune);
    if (props.position === "approximative") {
      var note = document.createElement("p");
      note.textContent = "Position approximative : centre de la commune (adresse exacte sur la fiche).";
      box.appendChild(note);
    }
    box.appendChild(link);
    return box;
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    state.textContent = "Chargement de la carte…";
    zone.hidden = false;
    var map = L.map(zone, { scrollWheelZoom: false, keyboard: true }).setView([46.58, 0.34], 9);
    L.tileLayer(TILES, {
      maxZoom: 19,
      attribution: "&copy; les contributeurs d’<a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a>"
    }).addTo(map);
    fetch(zone.getAttribute("data-geojson")).then(function (r) { return r.json(); }).then(function (data) {
      var base = zone.getAttribute("data-base");
      var group = L.markerClusterGroup({ showCoverageOnHover: false });
      data.features.forEach(function (f) {
        var c = f.geometry.coordinates;
        var marker = L.marker([c[1], c[0]], { title: f.properties.nom, alt: f.properties.nom + ", " + f.properties.commune, keyboard: true });
        marker.bindPopup(popup(f.properties, base));
        group.addLayer(marker);
      });
      map.addLayer(group);
      if (data.features.length) { map.fitBounds(group.getBounds(), { padding: [20, 20] }); }
      state.textContent = "Carte affichée : " + data.features.length + " lieux. Touches Tab et Entrée pour ouvrir un lieu.";
      button.hidden = true;
    }).catch(function () {
      state.textContent = "La carte n’a pas pu se charger. Utilisez la liste des lieux.";
    });
  });
})();
