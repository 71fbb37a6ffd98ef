/* Service worker: the directory keeps working without a connection after a first visit.

   - Pages (HTML): from the network first, so they are always fresh; a copy is kept, and served
     when the network fails. Every place page a person opened stays available.
   - The site's own files (styles, scripts, data): served from the copy, refreshed behind. A
     page asks for its styles and scripts with their version (`?v=…`, changed by the build when
     one of them changes): a page of a newer publication asks for a version not kept yet, which
     comes from the network at once, never an older style under a newer page. One version of
     each file is kept; offline, an older one is better than none.
   - Nothing from another site is ever stored (map tiles stay online only), nor the search
     index (pagefind/: its entry file is asked with a new query each time; search needs a
     connection, and says so).
   Without a connection and without a copy, the « Hors connexion » page lists what is kept. */
"use strict";

var VERSION = "annuaire-v1";
var PAGES = VERSION + "-pages";
var FILES = VERSION + "-fichiers";
var ROOT = self.registration.scope;  // the site's root, wherever it is published
// The finder carries its communes in its page: a first visit downloads no data file (a whole
// country's communes would be megabytes on a phone).
var FIRST = ["", "trouver/", "territoires/", "hors-ligne/"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(PAGES).then(function (cache) {
    return cache.addAll(FIRST.map(function (path) { return ROOT + path; })).then(function () {
      return Promise.all(FIRST.map(function (path) { return keepFilesOf(cache, ROOT + path); }));
    });
  }).then(function () { return self.skipWaiting(); }));
});

/* The styles and scripts a kept page asks for (by their version, `?v=`), kept too: the finder
   searches communes offline even if it was never opened. A file that cannot be fetched is
   left for later; it never stops the install. */
function keepFilesOf(cache, pageUrl) {
  return cache.match(pageUrl).then(function (page) { return page ? page.text() : ""; }).then(function (html) {
    var found = html.match(/(?:src|href)="[^"]+\?v=[0-9a-f]{12}"/g) || [];
    return Promise.all(found.map(function (attribute) {
      var url = new URL(attribute.slice(attribute.indexOf('"') + 1, -1), pageUrl).href;
      if (!ours(url)) { return null; }
      return fetchAndKeep(url).then(function (script) {
        // A module's own imports (`from "./fuse/…"`): one level, relative addresses only.
        var imports = script && /\.m?js\?/.test(url) ? script.match(/from\s*"\.{1,2}\/[^"]+"/g) || [] : [];
        return Promise.all(imports.map(function (line) {
          return fetchAndKeep(new URL(line.slice(line.indexOf('"') + 1, -1), url).href);
        }));
      });
    }));
  }).catch(function () {});
}

/* `url` kept if it is not yet; its text when it was fetched now (to find a module's imports). */
function fetchAndKeep(url) {
  return caches.match(url).then(function (kept) {
    if (kept || !ours(url)) { return ""; }
    return fetch(url).then(function (response) {
      if (!response.ok) { return ""; }
      return keep(url, response.clone()).then(function () { return response.text(); });
    });
  }).catch(function () { return ""; });
}

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf(VERSION) !== 0; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function ours(url) { return url.indexOf(ROOT) === 0 && url.indexOf(ROOT + "pagefind/") !== 0; }

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !ours(request.url)) { return; }  // never another site
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(PAGES).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request, { ignoreSearch: true }).then(function (kept) {
        // The page's links are relative: go to the offline page itself, not its copy here.
        return kept || Response.redirect(ROOT + "hors-ligne/", 302);
      });
    }));
    return;
  }
  event.respondWith(caches.match(request).then(function (kept) {
    var fresh = fetch(request).then(function (response) {
      if (response.ok) { keep(request, response.clone()); }
      return response;
    }).catch(function () { return kept || caches.match(request, { ignoreSearch: true }); });
    return kept || fresh;
  }));
});

/* `response` kept for `request`, in place of the other versions of the same file. */
function keep(request, response) {
  var url = typeof request === "string" ? request : request.url;
  return caches.open(FILES).then(function (cache) {
    return cache.delete(url.split("?")[0], { ignoreSearch: true }).then(function () {
      return cache.put(request, response);
    });
  });
}

/* The page that registered us sends itself and the files it loaded before we were there. */
self.addEventListener("message", function (event) {
  var data = event.data || {};
  var urls = (data.annuaireFichiers || []).filter(ours);
  var page = data.annuairePage && ours(data.annuairePage) ? data.annuairePage : null;
  event.waitUntil(Promise.all([
    caches.open(FILES).then(function (cache) {
      return Promise.all(urls.map(function (url) {
        return cache.match(url).then(function (kept) {
          return kept || fetch(url).then(function (response) {
            return response.ok ? keep(url, response) : null;
          }).catch(function () {});
        });
      }));
    }),
    page ? caches.open(PAGES).then(function (cache) { return cache.add(page).catch(function () {}); }) : null
  ]));
});
