/* « Rechercher » (recherche/): Pagefind's index, loaded only when the person searches.

   The index lives in the site (`pagefind/`, made after the build by annuaire/site/search.py),
   split into small files: a search reads a few tens of kilobytes whatever the size of the
   directory, and nothing is asked of another site. Results are announced in the status line;
   the list is plain links. Without JavaScript the page shows the lists of communes and places. */
const root = new URL("../../", import.meta.url);  // assets/annuaire/recherche.js → the site's root
const form = document.querySelector(".annuaire-recherche__formulaire");
const input = document.getElementById("recherche-mots");
const status = document.getElementById("recherche-etat");
const list = document.getElementById("recherche-resultats");
const more = document.getElementById("recherche-plus");
const PAGE = 10;  // results shown at a time

let engine = null;  // Pagefind, once loaded
let shown = [];     // results of the current search, not yet displayed

function load() {
  if (!engine) {
    engine = import(new URL("pagefind/pagefind.js", root).href).then(async (pagefind) => {
      await pagefind.options({ baseUrl: root.pathname, excerptLength: 24 });
      await pagefind.init();
      return pagefind;
    });
    engine.catch(() => { engine = null; });  // offline: try again at the next search
  }
  return engine;
}

function plural(n) {
  return n === 1 ? "1 résultat" : n.toLocaleString("fr-FR") + " résultats";
}

/* Pagefind's excerpt is text with <mark> around the words found: keep exactly that. */
function excerpt(html) {
  const p = document.createElement("p");
  const template = document.createElement("template");
  template.innerHTML = html;
  template.content.childNodes.forEach((node) => {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      p.append(mark);
    } else {
      p.append(node.textContent);
    }
  });
  return p;
}

/* The next results, as list items (their text is fetched only now, ten at a time). */
async function nextItems() {
  const next = shown.splice(0, PAGE);
  const items = await Promise.all(next.map((result) => result.data()));
  return items.map((data) => {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = data.url;
    a.textContent = (data.meta && data.meta.title) || data.url;
    li.append(a, excerpt(data.excerpt || ""));
    return li;
  });
}

let generation = 0;  // each search has its number: an older one finishing late changes nothing

async function search(words, delayed) {
  const mine = ++generation;
  const query = words.trim();
  if (query.length < 2) {
    shown = []; list.replaceChildren(); more.hidden = true; status.textContent = "";
    return;
  }
  status.textContent = "Recherche en cours…";
  let found;
  try {
    const pagefind = await load();
    found = delayed ? await pagefind.debouncedSearch(query, {}, 300) : await pagefind.search(query);
  } catch (error) {
    if (mine === generation) {
      status.textContent = "La recherche ne répond pas : vérifiez la connexion, ou cherchez votre commune dans la liste.";
    }
    return;
  }
  if (found === null || mine !== generation) { return; }
  shown = found.results.slice();
  const count = shown.length;
  const items = await nextItems();
  if (mine !== generation) { return; }
  list.replaceChildren(...items);  // the list and the count change together
  more.hidden = shown.length === 0;
  status.textContent = count
    ? plural(count) + " pour « " + query + " »."
    : "Aucun résultat pour « " + query + " ». Essayez un autre mot, ou cherchez votre commune dans la liste ci-dessous.";
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = input.value.trim();
  const address = new URL(location.href);
  address.searchParams.set("q", query);
  history.replaceState(null, "", address);  // the address can be shared or kept
  search(query, false);
});
input.addEventListener("input", () => search(input.value, true));
more.addEventListener("click", () => {
  const mine = generation;
  const first = list.children.length;
  nextItems().then((items) => {
    if (mine !== generation) { return; }
    list.append(...items);
    more.hidden = shown.length === 0;
    const link = list.children[first] && list.children[first].querySelector("a");
    if (link) { link.focus(); }  // keyboard and screen reader users land on the first new result
  });
});

const asked = new URLSearchParams(location.search).get("q");
if (asked) {
  input.value = asked;
  search(asked, false);
}
