/* Live opening status ("Ouvert · ferme à 12 h"), computed in the browser in Europe/Paris time.
 *
 * The weekly intervals come from the build (annuaire.hours.intervals_for_browser, read by
 * opening-hours-py): [[weekday 0=Monday, start minute, end minute], …]. No OSM parser here.
 * The wall-clock time of the Vienne is read with Intl.DateTimeFormat, so summer/winter time
 * changes need no special case. Without JavaScript the element stays hidden and the weekly
 * table remains the reference.
 */
(function () {
  "use strict";
  if (window.annuaireStatut) { return; }  // loaded by the page and by the site
  var DAY = 1440;
  var WEEK = 7 * DAY;
  var DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
  var SHORT = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
  var clock = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Paris", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });

  /* Weekday (0 = Monday) and minute of the day in the Vienne at `date`. */
  function parisNow(date) {
    var parts = {};
    clock.formatToParts(date || new Date()).forEach(function (p) { parts[p.type] = p.value; });
    var hour = parseInt(parts.hour, 10) % 24;
    return { day: SHORT[parts.weekday], minute: hour * 60 + parseInt(parts.minute, 10) };
  }

  /* Week minutes over two weeks, merged when they touch (an opening across midnight or
   * across Sunday → Monday becomes one stretch). */
  function stretches(intervals) {
    var list = [];
    intervals.forEach(function (i) {
      var start = i[0] * DAY + i[1], end = i[0] * DAY + i[2];
      list.push([start, end], [start + WEEK, end + WEEK]);
    });
    list.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    list.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) { last[1] = Math.max(last[1], s[1]); } else { merged.push([s[0], s[1]]); }
    });
    return merged;
  }

  function frenchTime(minutes) {
    var h = Math.floor(minutes / 60), m = minutes % 60;
    return m === 0 ? h + " h" : h + " h " + (m < 10 ? "0" : "") + m;
  }

  /* "à 12 h", "à minuit", "mardi à 9 h", "lundi prochain à 9 h", seen from `now`. */
  function when(now, weekMinute) {
    var ahead = Math.floor(weekMinute / DAY) - now.day;
    var minute = weekMinute % DAY;
    if (minute === 0 && ahead === 1) { return "à minuit"; }
    var at = "à " + frenchTime(minute);
    if (ahead === 0) { return at; }
    var name = DAYS[Math.floor(weekMinute / DAY) % 7];
    return (ahead >= 7 ? name + " prochain " : name + " ") + at;
  }

  /* {open: bool, text: "Ouvert · ferme à 12 h"} or null when the hours are unknown. */
  function status(intervals, date) {
    if (!intervals || !intervals.length) { return null; }
    var now = parisNow(date);
    var m = now.day * DAY + now.minute;
    var all = stretches(intervals);
    for (var i = 0; i < all.length; i++) {
      if (all[i][0] <= m && m < all[i][1]) {
        if (all[i][1] - all[i][0] >= WEEK) { return { open: true, text: "Ouvert 24 h sur 24" }; }
        return { open: true, text: "Ouvert · ferme " + when(now, all[i][1]) };
      }
    }
    for (var j = 0; j < all.length; j++) {
      if (all[j][0] > m) { return { open: false, text: "Fermé · ouvre " + when(now, all[j][0]) }; }
    }
    return { open: false, text: "Fermé" };
  }

  function refresh() {
    var now = new Date();
    document.querySelectorAll("[data-annuaire-horaires]").forEach(function (el) {
      var result = status(JSON.parse(el.getAttribute("data-annuaire-horaires")), now);
      if (!result) { return; }
      el.textContent = result.text;
      el.classList.toggle("annuaire-statut--ouvert", result.open);
      el.classList.toggle("annuaire-statut--ferme", !result.open);
      el.hidden = false;
    });
  }

  window.annuaireStatut = { status: status, parisNow: parisNow, refresh: refresh };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
  window.setInterval(refresh, 60 * 1000);
})();
