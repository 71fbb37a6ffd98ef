/* Offline use: register the service worker (sw.js, at the site's root), hand it the files this
   page loaded, and on the « Hors connexion » page list the pages kept on this device. Nothing
   here is needed to read the site: without JavaScript, it simply needs a connection. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.caches) { return; }
  var script = document.currentScript && document.currentScript.src;
  if (!script) { return; }
  var root = script.replace(/assets\/annuaire\/hors-ligne\.js.*$/, "");

  navigator.serviceWorker.register(root + "sw.js").then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    var files = performance.getEntriesByType("resource").map(function (entry) { return entry.name; })
      .filter(function (url) { return url.indexOf(root) === 0; });
    var page = location.href.split("#")[0];
    if (registration.active) { registration.active.postMessage({ annuaireFichiers: files, annuairePage: page }); }
  }).catch(function () { /* no offline copy: the site works online as before */ });

  var list = document.getElementById("hors-ligne-pages");
  if (!list) { return; }
  caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return /-pages$/.test(n); }).map(function (name) {
      return caches.open(name).then(function (cache) { return cache.keys(); });
    }));
  }).then(function (groups) {
    var places = [];
    groups.forEach(function (requests) {
      requests.forEach(function (request) {
        var path = request.url.slice(root.length);
        if (/^lieux\/[^/]+\/[^/]+\/$/.test(path)) { places.push(request); }
      });
    });
    return Promise.all(places.map(function (request) {
      return caches.match(request).then(function (response) { return response.text(); }).then(function (html) {
        var title = (html.match(/<title>([^<]*)<\/title>/) || [])[1] || request.url;
        return { url: request.url, title: title.replace(/ - [^-]*$/, "") };
      });
    }));
  }).then(function (pages) {
    pages.sort(function (a, b) { return a.title.localeCompare(b.title, "fr"); });
    pages.forEach(function (page) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = page.url;
      var holder = document.createElement("textarea");
      holder.innerHTML = page.title;  // the title as the browser would show it (entities decoded)
      link.textContent = holder.value;
      item.appendChild(link);
      list.appendChild(item);
    });
    var none = document.getElementById("hors-ligne-aucun");
    if (none) { none.hidden = pages.length > 0; }
  });
})();
