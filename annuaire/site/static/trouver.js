/* "Trouver un lieu": instant filters over the server-rendered list.
 *
 * The list is complete without JavaScript; this script shows the form, hides the places
 * that do not match, announces how many remain (aria-live), keeps the choices in the URL
 * (shareable, back button) and sorts by commune or by distance ("Autour de moi", only after
 * the button is pressed). The commune search runs offline over the 265 communes: a postcode
 * lists every commune it serves, and a misspelt name still finds its commune (fuse.js, copied
 * into the site from npm).
 *
 * A directory too large for one list (`templating.LIST_MAX` places) has no list: the form then
 * finds the reader's commune and opens its page, which shows the nearest places (`byCommune`).
 */
import Fuse from "./fuse/fuse.basic.min.mjs";

(function () {
  "use strict";
  var form = document.getElementById("trouver-filtres");
  var list = document.getElementById("trouver-liste");
  if (!form || !(list || form.hasAttribute("data-annuaire-communes"))) { return; }
  var items = list ? Array.prototype.slice.call(list.querySelectorAll("li[data-lieu]")) : [];
  items.forEach(function (li, index) { li.order = index; });
  var communes = JSON.parse(document.getElementById("trouver-communes-data").textContent);
  var countEl = document.getElementById("trouver-nombre");
  var emptyEl = document.getElementById("trouver-vide");
  var communeInput = document.getElementById("trouver-commune");
  var foundEl = document.getElementById("trouver-commune-trouvee");
  var aroundEl = document.getElementById("trouver-autour-etat");
  var FIELDS = ["commune", "besoin", "maintenant", "samedi", "venir", "public", "aide", "gratuit", "epci"];
  var position = null;

  form.hidden = false;
  document.getElementById("trouver-sansjs").hidden = true;

  /* Same folding as annuaire.text.search_key: accents, case, punctuation, st → saint. */
  function key(text) {
    var words = text.replace(/œ/g, "oe").replace(/Œ/g, "OE").replace(/æ/g, "ae").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim().split(" ");
    return words.map(function (w) { return w === "st" ? "saint" : (w === "ste" ? "sainte" : w); }).join(" ").trim();
  }

  var fuzzy = new Fuse(communes, { keys: ["cle"], threshold: 0.3, ignoreLocation: true, includeScore: true });

  /* The communes that match what was typed, best first: every commune of a postcode, an exact
   * name, a name start, a word start, a part of a name; else the names one or two letters away. */
  function findCommunes(text) {
    var q = key(text);
    if (!q) { return []; }
    var ranked = [];
    communes.forEach(function (c) {
      var rank = null;
      if (/^\d+$/.test(q)) {
        if (c.code === q || c.cp.indexOf(q) >= 0) { rank = 0; }
        else if (q.length >= 2 && c.cp.some(function (cp) { return cp.indexOf(q) === 0; })) { rank = 3; }
      } else if (c.cle === q) { rank = 0; }
      else if (c.cle.indexOf(q) === 0) { rank = 1; }
      else if ((" " + c.cle).indexOf(" " + q) >= 0) { rank = 2; }
      else if (q.length >= 3 && c.cle.indexOf(q) >= 0) { rank = 4; }
      if (rank !== null) { ranked.push([rank, -c.pop, c]); }
    });
    if (!ranked.length && q.length >= 3 && !/^\d+$/.test(q)) {
      fuzzy.search(q).forEach(function (r) { ranked.push([5 + r.score, -r.item.pop, r.item]); });
    }
    ranked.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    if (ranked.length && /^\d+$/.test(q) && ranked[0][0] === 0) {
      return ranked.filter(function (r) { return r[0] === 0; }).map(function (r) { return r[2]; });
    }
    return ranked.slice(0, 1).map(function (r) { return r[2]; });
  }

  function findCommune(text) {
    var found = findCommunes(text);
    return found.length ? found[0] : null;
  }

  /* "86320 : 6 communes", each a button that chooses it (`choose(commune)`). */
  function showChoices(text, found, choose) {
    foundEl.textContent = "Le code postal " + key(text) + " couvre " + found.length + " communes. Choisissez la vôtre : ";
    found.forEach(function (c, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "annuaire-bouton annuaire-bouton--discret annuaire-filtres__choix";
      button.textContent = c.nom;
      button.addEventListener("click", function () { choose(c); });
      if (index) { foundEl.append(" "); }
      foundEl.append(button);
    });
    foundEl.hidden = false;
  }

  function distanceKm(lat1, lon1, lat2, lon2) {
    var r = Math.PI / 180, dLat = (lat2 - lat1) * r, dLon = (lon2 - lon1) * r;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 6371 * 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
  }

  /* "Autour de moi": the position is asked only once the button is pressed, and `use(coords)`
   * keeps it on the device. */
  var UNKNOWN_POSITION = "Position non disponible : tapez plutôt votre commune.";
  function aroundMe(use) {
    document.getElementById("trouver-autour").addEventListener("click", function () {
      aroundEl.hidden = false;
      if (!navigator.geolocation) {
        aroundEl.textContent = "Votre appareil ne donne pas sa position : tapez plutôt votre commune.";
        return;
      }
      aroundEl.textContent = "Recherche de votre position…";
      navigator.geolocation.getCurrentPosition(function (pos) { use(pos.coords); }, function () {
        aroundEl.textContent = UNKNOWN_POSITION;
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
    });
  }

  // The datalist offers commune names as soon as something is typed.
  var datalist = document.getElementById("trouver-communes");
  communes.forEach(function (c) {
    var option = document.createElement("option");
    option.value = c.nom;
    datalist.appendChild(option);
  });
  window.annuaireTrouver = { findCommune: findCommune, findCommunes: findCommunes, key: key };
  if (!list) { byCommune(); return; }

  /* No list: the commune typed (or given by the home page's search, `?commune=`) opens its
   * page; a postcode of several communes offers each; "Autour de moi" opens the nearest. */
  function byCommune() {
    var pages = form.getAttribute("data-annuaire-communes");
    function open(c, instead) {
      var url = pages + c.slug + "/";
      countEl.textContent = "Ouverture de la page de " + c.nom + "…";
      // Instead of this page when it was only a step (the home page's search): Back returns there.
      if (instead) { window.location.replace(url); } else { window.location.assign(url); }
    }
    function look(text, instead) {
      var found = findCommunes(text);
      foundEl.hidden = true;
      foundEl.textContent = "";
      if (!found.length) {
        countEl.textContent = "Commune introuvable\u00a0: vérifiez l’orthographe ou tapez le code postal.";
      } else if (found.length > 1) {
        showChoices(text, found, function (c) { open(c, false); });
        countEl.textContent = "Plusieurs communes ont ce code postal\u00a0: choisissez la vôtre.";
      } else { open(found[0], instead); }
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (communeInput.value.trim()) { look(communeInput.value, false); }
    });
    aroundMe(function (coords) {
      var nearest = null, best = Infinity;
      communes.forEach(function (c) {
        if (c.lat === null) { return; }
        var d = distanceKm(coords.latitude, coords.longitude, c.lat, c.lon);
        if (d < best) { best = d; nearest = c; }
      });
      if (!nearest) { aroundEl.textContent = UNKNOWN_POSITION; return; }
      aroundEl.textContent = "Votre commune\u00a0: " + nearest.nom + ". Votre position reste sur votre appareil.";
      open(nearest, false);
    });
    var asked = new URLSearchParams(window.location.search).get("commune");
    if (asked) { communeInput.value = asked; look(asked, true); }
  }

  function values() {
    var v = {};
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      if (!field) { return; }
      if (field.type === "checkbox") { v[name] = field.checked ? "1" : ""; }
      else { v[name] = (field.value || "").trim(); }
    });
    return v;
  }

  var ADVANCED = ["maintenant", "samedi", "venir", "public", "aide", "gratuit", "epci"];

  function setValues(params) {
    if (ADVANCED.some(function (name) { return params.get(name); })) {
      document.getElementById("trouver-plus").open = true;  // a shared address shows its choices
    }
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      if (!field) { return; }
      var value = params.get(name) || "";
      if (field.type === "checkbox") { field.checked = value === "1"; }
      else if (field.length && field[0] && field[0].type === "radio") {
        Array.prototype.forEach.call(field, function (r) { r.checked = r.value === value; });
      } else { field.value = value; }
    });
  }

  function query(v) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) { if (v[name]) { params.set(name, v[name]); } });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  /* What the filters read of a place, read from its card the first time a filter is used. */
  function facts(li) {
    if (!li.facts) { li.facts = JSON.parse(li.getAttribute("data-lieu")); }
    return li.facts;
  }

  function matches(li, v, now) {
    var f = facts(li);
    if (v.besoin && f.services.indexOf(v.besoin) < 0) { return false; }
    if (v.public && f.publics.indexOf(v.public) < 0) { return false; }
    if (v.aide && f.aide.indexOf(v.aide) < 0) { return false; }
    if (v.gratuit && !f.gratuit) { return false; }
    if (v.venir === "sans-rdv" && !f.sans_rdv) { return false; }
    if (v.venir === "rdv" && !f.sur_rdv) { return false; }
    if (v.samedi && !f.samedi) { return false; }
    if (v.epci && li.getAttribute("data-epci") !== v.epci) { return false; }
    if (v.maintenant) {
      var s = window.annuaireStatut && window.annuaireStatut.status(f.horaires, now);
      if (!s || !s.open) { return false; }
    }
    return true;
  }

  function plural(n) { return n === 0 ? "Aucun lieu" : (n === 1 ? "1 lieu" : n + " lieux"); }

  function apply() {
    var v = values();
    var now = new Date();
    var found = v.commune ? findCommunes(v.commune) : [];
    var commune = found.length ? found[0] : null;
    if (v.commune && !commune) {
      foundEl.textContent = "Commune introuvable dans la Vienne : vérifiez l’orthographe ou tapez le code postal.";
      foundEl.hidden = false;
    } else if (found.length > 1) {
      showChoices(v.commune, found, function (c) { communeInput.value = c.nom; update(); communeInput.focus(); });
    } else if (commune) {
      foundEl.textContent = "Commune : " + commune.nom + " (" + commune.cp.join(", ") + ").";
      foundEl.hidden = false;
    } else { foundEl.hidden = true; }

    var shown = items.filter(function (li) { return matches(li, v, now); });
    var origin = position || (commune && commune.lat !== null ? { lat: commune.lat, lon: commune.lon } : null);
    var km = function (li) {
      if (!origin || !li.hasAttribute("data-lat")) { return null; }
      return distanceKm(origin.lat, origin.lon, +li.getAttribute("data-lat"), +li.getAttribute("data-lon"));
    };
    var inCommune = function (li) { return !!commune && !position && li.getAttribute("data-commune") === commune.code; };
    /* The places of the commune first, then the others from the nearest (distance from the
     * point inside the commune, or from the resident with "Autour de moi"). */
    var rank = function (li) {
      var d = km(li);
      return (inCommune(li) ? 0 : 1e6) + (d === null ? 1e5 : d);
    };
    var sorted = items.slice().sort(function (a, b) { return rank(a) - rank(b) || a.order - b.order; });
    /* The page is changed only where it must: with a thousand places, moving or rewriting
     * every card keeps a phone busy for the better part of a second. */
    var visible = new Set(shown);
    var moved = sorted.some(function (li, index) { return list.children[index] !== li; });
    sorted.forEach(function (li) {
      if (moved) { list.appendChild(li); }
      var hide = !visible.has(li);
      if (li.hidden !== hide) { li.hidden = hide; }
      var dist = li.querySelector(".annuaire-trouver__distance");
      var d = km(li), text = null;
      if (inCommune(li)) {
        text = "Dans votre commune";
      } else if (d !== null) {
        text = "À " + d.toFixed(1).replace(".", ",") + " km " + (position ? "de vous" : "de " + commune.nom);
      }
      if (dist.hidden !== (text === null)) { dist.hidden = text === null; }
      if (text !== null && dist.textContent !== text) { dist.textContent = text; }
    });
    var order = position ? ", du plus proche au plus loin de vous" :
      (commune ? (shown.some(inCommune) ? ", d’abord à " + commune.nom + ", puis" : ",") + " du plus proche au plus loin de " + commune.nom : "");
    countEl.textContent = plural(shown.length) + (shown.length > 1 ? " correspondent" : (shown.length ? " correspond" : " ne correspond")) +
      " à vos choix" + (shown.length ? order : "") + ".";
    emptyEl.hidden = shown.length > 0;
    return v;
  }

  function update() {
    var v = apply();
    var target = window.location.pathname + query(v);
    if (target !== window.location.pathname + window.location.search) {
      window.history.pushState(null, "", target);
    }
  }

  form.addEventListener("change", update);
  communeInput.addEventListener("input", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { position = null; aroundEl.hidden = true; update(); }, 0);
  });
  window.addEventListener("popstate", function () {
    setValues(new URLSearchParams(window.location.search));
    apply();
  });

  aroundMe(function (coords) {
    position = { lat: coords.latitude, lon: coords.longitude };
    aroundEl.textContent = "Lieux classés du plus proche au plus loin de vous. Votre position reste sur votre appareil.";
    apply();
  });

  /* The list as the server sent it is the list with nothing chosen: a page opened without a
   * choice in its address is left as it is (with a thousand places, a phone's first second). */
  var chosen = new URLSearchParams(window.location.search);
  setValues(chosen);
  if (FIELDS.some(function (name) { return chosen.get(name); })) { apply(); }
})();
