/* Live opening status ("Ouvert · ferme à 12 h", "Fermé · jour férié · ouvre vendredi à 9 h"),
 * computed in the browser in Europe/Paris time.
 *
 * The data comes from the build (annuaire.data.hours.Openings.for_browser, read by
 * opening-hours-py), no OSM parser here:
 *   {"semaine": [[weekday 0=Monday, start minute, end minute], …],   the usual week
 *    "ferie": [[start, end], …],                                    a public holiday ([]: closed)
 *    "vacances": [[weekday, start, end], …], "periodes": [["2025-10-18", "2025-11-02"], …]}
 *                                                                   school holidays, when the record says
 * French public holidays are computed here for any year (Easter by the Gregorian computus), so
 * the status stays right for as long as the page is read. Same rules and words as
 * Openings.status on the build side (a test compares them). The wall-clock time of the Vienne
 * is read with Intl.DateTimeFormat, so summer/winter time needs no special case. Without
 * JavaScript the element stays hidden and the weekly table remains the reference.
 */
(function () {
  "use strict";
  if (window.annuaireStatut) { return; }  // loaded by the page and by the site
  var DAY = 1440;
  var CHUNK = 50;  // statuses written at a time (`refresh`)
  var DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
  var MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre"];
  var clock = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });

  /* Day number (days since 1970-01-01) and minute of the day in the Vienne at `date`; the last
   * minute asked is kept: the finder asks it for each of a thousand places at once, and reading
   * the clock of a time zone is the slow part on a phone. */
  var lastMinute = null, lastNow = null;
  function parisNow(date) {
    var at = date || new Date(), minute = Math.floor(at.getTime() / 6e4);
    if (minute === lastMinute) { return lastNow; }
    var parts = {};
    clock.formatToParts(at).forEach(function (p) { parts[p.type] = p.value; });
    var hour = parseInt(parts.hour, 10) % 24;
    var day = Date.UTC(+parts.year, +parts.month - 1, +parts.day) / 864e5;
    lastMinute = minute;
    lastNow = { day: day, minute: hour * 60 + parseInt(parts.minute, 10) };
    return lastNow;
  }

  function civil(dayNumber) {
    var d = new Date(dayNumber * 864e5);
    return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), weekday: (d.getUTCDay() + 6) % 7 };
  }

  function iso(c) {
    return c.y + "-" + (c.m < 10 ? "0" : "") + c.m + "-" + (c.d < 10 ? "0" : "") + c.d;
  }

  /* Easter Sunday (Gregorian), as a day number. */
  function easter(year) {
    var a = year % 19, b = Math.floor(year / 100), c = year % 100, d = Math.floor(b / 4), e = b % 4;
    var f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3);
    var h = (19 * a + b - d - g + 15) % 30, i = Math.floor(c / 4), k = c % 4;
    var l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
    var month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
    return Date.UTC(year, month - 1, day) / 864e5;
  }

  var FIXED = ["01-01", "05-01", "05-08", "07-14", "08-15", "11-01", "11-11", "12-25"];

  /* True on a French public holiday (metropolitan France); each day computed once. */
  var holidays = {};
  function publicHoliday(dayNumber) {
    if (!(dayNumber in holidays)) {
      var c = civil(dayNumber), offset = dayNumber - easter(c.y);
      // Easter Monday, Ascension, Whit Monday
      holidays[dayNumber] = FIXED.indexOf(iso(c).slice(5)) >= 0 || offset === 1 || offset === 39 || offset === 50;
    }
    return holidays[dayNumber];
  }

  function read(data) {
    if (Array.isArray(data)) { return { semaine: data, ferie: [] }; }
    return data || null;
  }

  /* [[start, end], …] of one calendar day. */
  function dayIntervals(data, dayNumber) {
    if (publicHoliday(dayNumber)) { return data.ferie || []; }
    var c = civil(dayNumber), week = data.semaine, day = iso(c);
    if (data.vacances && (data.periodes || []).some(function (p) { return p[0] <= day && day <= p[1]; })) {
      week = data.vacances;
    }
    return week.filter(function (i) { return i[0] === c.weekday; })
      .map(function (i) { return [i[1], i[2]]; })
      .sort(function (a, b) { return a[0] - b[0]; });
  }

  function frenchTime(minutes) {
    var h = Math.floor(minutes / 60), m = minutes % 60;
    return m === 0 ? h + " h" : h + " h " + (m < 10 ? "0" : "") + m;
  }

  /* "à 12 h", "à minuit", "mardi à 9 h", "le 2 septembre à 9 h", seen from `now`. */
  function when(now, day, minute) {
    day += Math.floor(minute / DAY);
    minute = minute % DAY;
    var ahead = day - now.day;
    if (minute === 0 && ahead === 1) { return "à minuit"; }
    var at = "à " + frenchTime(minute);
    if (ahead === 0) { return at; }
    var c = civil(day);
    if (ahead < 7) { return DAYS[c.weekday] + " " + at; }
    return "le " + (c.d === 1 ? "1er" : c.d) + " " + MONTHS[c.m - 1] + " " + at;
  }

  /* {open: bool, text: "Ouvert · ferme à 12 h"} or null when the hours are unknown. */
  function status(raw, date) {
    var data = read(raw);
    if (!data || !data.semaine || !data.semaine.length) { return null; }
    var now = parisNow(date);
    var today = dayIntervals(data, now.day);
    for (var i = 0; i < today.length; i++) {
      if (today[i][0] <= now.minute && now.minute < today[i][1]) {
        var endDay = now.day, end = today[i][1], k;
        for (k = 0; k < 8 && end >= DAY; k++) {  // an opening past midnight continues the next day
          var next = dayIntervals(data, endDay + 1);
          if (!next.length || next[0][0] !== 0) { break; }
          endDay += 1;
          end = next[0][1];
        }
        if (k === 8) { return { open: true, text: "Ouvert 24 h sur 24" }; }
        return { open: true, text: "Ouvert · ferme " + when(now, endDay, end) };
      }
    }
    var state = publicHoliday(now.day) ? "Fermé · jour férié" : "Fermé";
    for (var ahead = 0; ahead < 400; ahead++) {
      var list = dayIntervals(data, now.day + ahead);
      for (var j = 0; j < list.length; j++) {
        if (ahead > 0 || list[j][0] > now.minute) {
          return { open: false, text: state + " · ouvre " + when(now, now.day + ahead, list[j][0]) };
        }
      }
    }
    return { open: false, text: state };
  }

  /* "Aujourd’hui : 9 h – 12 h, 14 h – 17 h", "Aujourd’hui : fermé (jour férié)". */
  function today(raw, date) {
    var data = read(raw);
    if (!data || !data.semaine || !data.semaine.length) { return null; }
    var now = parisNow(date), list = dayIntervals(data, now.day);
    if (!list.length) { return "Aujourd’hui : fermé" + (publicHoliday(now.day) ? " (jour férié)" : ""); }
    return "Aujourd’hui : " + list.map(function (i) {
      return (i[0] === 0 && i[1] === DAY) ? "24 h sur 24" : frenchTime(i[0]) + " – " + (i[1] === DAY ? "minuit" : frenchTime(i[1]));
    }).join(", ");
  }

  function refresh() {
    var now = new Date();
    document.querySelectorAll("[data-annuaire-aujourdhui]").forEach(function (el) {
      var text = today(JSON.parse(el.getAttribute("data-annuaire-aujourdhui")), now);
      if (!text) { return; }
      var link = el.querySelector("a");
      el.textContent = text + " ";
      if (link) { el.append("(", link, ")"); }
    });
    var all = document.querySelectorAll("[data-annuaire-horaires]");
    /* Fifty places at a time, the page answering in between: the finder lists them all. */
    function some(start) {
      for (var i = start; i < Math.min(start + CHUNK, all.length); i++) {
        var el = all[i], result = status(JSON.parse(el.getAttribute("data-annuaire-horaires")), now);
        if (!result) { continue; }
        if (el.textContent !== result.text) { el.textContent = result.text; }
        el.classList.toggle("annuaire-statut--ouvert", result.open);
        el.classList.toggle("annuaire-statut--ferme", !result.open);
        el.hidden = false;
      }
      if (start + CHUNK < all.length) { window.setTimeout(function () { some(start + CHUNK); }, 0); }
    }
    some(0);
  }

  window.annuaireStatut = {
    status: status, today: today, parisNow: parisNow, publicHoliday: publicHoliday, dayIntervals: function (raw, date) {
      return dayIntervals(read(raw), parisNow(date).day);
    }, refresh: refresh
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
  window.setInterval(refresh, 60 * 1000);
})();
