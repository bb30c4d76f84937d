// Broadsheet search: reads the Pagefind index in the browser and lists the matching articles and stories.
// Loaded only by search/index.html. The form's data-bundle is the index folder and data-root the site's
// front page, both relative to the page, so search works at a domain's root and under a sub-path.
const form = document.getElementById("search-form");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const root = new URL(form.dataset.root, document.baseURI).pathname;
const LIMIT = 30;
let engine = null;
let latest = 0;
let timer = 0;

async function loadEngine() {
  if (!engine) {
    engine = import(new URL(form.dataset.bundle + "pagefind.js", document.baseURI).href).then(async (pagefind) => {
      await pagefind.options({ baseUrl: root, excerptLength: 28 });
      return pagefind;
    });
  }
  return engine;
}

// Pagefind's excerpt is HTML with <mark> around the matches; copy only its text and marks.
function excerptNodes(html) {
  const parsed = new DOMParser().parseFromString(html, "text/html").body;
  return Array.from(parsed.childNodes, (node) => {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      return mark;
    }
    return document.createTextNode(node.textContent);
  });
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function resultItem(data) {
  const item = element("li", "result");
  const meta = data.meta || {};
  const label = [meta.kind, meta.source, meta.date].filter(Boolean).join(" · ");
  if (label) item.append(element("p", "result-kind", label));
  const heading = element("h2", "result-title");
  const link = element("a", "", meta.title || data.url);
  link.href = data.url;
  heading.append(link);
  const excerpt = element("p", "excerpt");
  excerpt.append(...excerptNodes(data.excerpt || ""));
  item.append(heading, excerpt);
  return item;
}

async function run(query) {
  const ticket = ++latest;
  const url = new URL(location.href);
  if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
  history.replaceState(null, "", url);
  if (!query) {
    status.textContent = "";
    list.replaceChildren();
    return;
  }
  status.textContent = "Searching…";
  let found;
  try {
    const pagefind = await loadEngine();
    const search = await pagefind.search(query);
    found = { total: search.results.length, items: await Promise.all(search.results.slice(0, LIMIT).map((r) => r.data())) };
  } catch (error) {
    if (ticket === latest) status.textContent = "Search is not available: its index could not be loaded.";
    return;
  }
  if (ticket !== latest) return; // a newer query has started
  list.replaceChildren(...found.items.map(resultItem));
  const shown = found.total > LIMIT ? `; the first ${LIMIT} are shown` : "";
  status.textContent = found.total === 0 ? `Nothing found for “${query}”.`
    : `${found.total} ${found.total === 1 ? "result" : "results"} for “${query}”${shown}.`;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  run(input.value.trim());
});
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => run(input.value.trim()), 250);
});

const initial = new URLSearchParams(location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial.trim());
}
loadEngine().catch(() => {});
