// Broadsheet search: reads the site's own index (search/meta.json, terms/*.json and docs/*.json, written by
// generator/search.py, which describes the files) and lists the matching articles and stories.
// Loaded only by search/index.html. The form's data-index is the index folder and data-root the site's front
// page, both relative to the page, so search works at a domain's root and under a sub-path.
// Every word of a query must appear in a result (a very common word only ranks them), the last one as the
// start of a word while it is being typed.
const LIMIT = 30;
const WORD = /[\p{L}\p{N}]+/gu; // Python's [^\W_]+
const MARKS = /\p{M}/gu;
// Where Python's str.casefold differs from toLowerCase (Cherokee aside), so that both make the same terms.
const FOLDS = { "ß": "ss", "ς": "σ", "ᲀ": "в", "ᲁ": "д", "ᲂ": "о", "ᲃ": "с", "ᲄ": "т", "ᲅ": "т", "ᲆ": "ъ", "ᲇ": "ѣ", "ᲈ": "ꙋ" };
const FOLDED = /[ßςᲀ-ᲈ]/gu;
const MAX_TERM_LENGTH = 32; // search.py's, in characters (code points)
// Chinese and Japanese characters (model.CJK), and a run's parts in them and between them (search.CJK_PARTS)
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
const CJK_PARTS = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/gu;

// The terms of one folded run, as search.run_terms makes them: itself, cut, or its pairs of Chinese or
// Japanese characters.
function runTerms(run) {
  const chars = Array.from(run);
  if (chars.length < 2) return [];
  if (!CJK.test(run)) return [chars.slice(0, MAX_TERM_LENGTH).join("")];
  return (run.match(CJK_PARTS) || []).flatMap((part) => {
    const letters = Array.from(part);
    if (CJK.test(part)) return letters.slice(1).map((letter, i) => letters[i] + letter);
    return letters.length > 1 ? [letters.slice(0, MAX_TERM_LENGTH).join("")] : [];
  });
}

// The terms of one run of letters and digits, as search.word_terms makes them.
export function wordTerms(run) {
  const folded = run.normalize("NFKD").replace(MARKS, "").toLowerCase().replace(FOLDED, (char) => FOLDS[char]);
  const runs = folded.normalize("NFKD").replace(MARKS, "").match(WORD) || [];
  return runs.flatMap(runTerms);
}

// The distinct terms of a query, in order, as search.query_terms makes them.
export function queryTerms(text) {
  return [...new Set((text.normalize("NFC").match(WORD) || []).flatMap(wordTerms))];
}

// The query's terms, and whether the last is still being typed (the query ends inside a word).
function parseQuery(text) {
  const runs = text.normalize("NFC").match(WORD) || [];
  const terms = queryTerms(text);
  const typing = /[\p{L}\p{N}]$/u.test(text.normalize("NFC")) && wordTerms(runs[runs.length - 1]).length > 0;
  return { terms, typing };
}

function shardName(term) {
  const head = Array.from(term).slice(0, CJK.test(term[0]) ? 1 : 2);
  const text = head.join("");
  return /^[a-z0-9]{2}$/.test(text) ? text : "u" + head.map((char) => char.codePointAt(0).toString(16)).join("-");
}

const form = document.getElementById("search-form");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const files = new Map();
let latest = 0;
let timer = 0;

// Fetch one JSON file of the index once; a failed fetch is tried again next time.
function load(path) {
  if (!files.has(path)) {
    const url = new URL(form.dataset.index + path, document.baseURI);
    const request = fetch(url).then((response) => {
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      return response.json();
    });
    request.catch(() => files.delete(path));
    files.set(path, request);
  }
  return files.get(path);
}

// A shard, fetched once: its sorted terms with, for each, the documents that have it, where its postings
// start and how many there are, and the postings as bytes.
async function loadShard(meta, name) {
  if (!meta.shards.includes(name)) return null;
  const shard = await load(`terms/${name}.json`);
  if (!shard.bytes) {
    const text = atob(shard.postings);
    shard.bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) shard.bytes[i] = text.charCodeAt(i);
    shard.starts = [];
    let start = 0;
    for (const count of shard.counts) {
      shard.starts.push(start);
      start += count;
    }
  }
  return shard;
}

// Add the postings of the shard's term number `n` to `into`, a map from document number to weight. A posting
// is `weight << doc_bits | document` in meta.bytes bytes, kept by planes: the low bytes of all postings first.
function addPostings(meta, shard, n, into) {
  const total = shard.bytes.length / meta.bytes;
  const documents = 2 ** meta.doc_bits;
  for (let i = shard.starts[n]; i < shard.starts[n] + shard.counts[n]; i++) {
    let value = 0;
    for (let plane = meta.bytes - 1; plane >= 0; plane--) value = value * 256 + shard.bytes[plane * total + i];
    const doc = value % documents;
    into.set(doc, Math.max(into.get(doc) || 0, Math.floor(value / documents)));
  }
}

// Whether `a` sorts before `b` by code point, as Python sorts the terms: JavaScript's < compares UTF-16
// units, which puts characters beyond U+FFFF (surrogate pairs) before U+E000–U+FFFF.
function before(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const rank = (unit) => (unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit);
      return rank(x) < rank(y);
    }
  }
  return a.length < b.length;
}

// The first index in the sorted `terms` whose term does not sort before `term`.
function firstFrom(terms, term) {
  let low = 0;
  let high = terms.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (before(terms[middle], term)) low = middle + 1; else high = middle;
  }
  return low;
}

// The documents holding a term (or, for the word being typed, any term it starts), with weights, and
// whether the index kept only the best of them (such a common term ranks results but narrows nothing).
async function lookUp(meta, term, isPrefix) {
  const shard = await loadShard(meta, shardName(term));
  const found = { documents: new Map(), partial: false, least: 0 };
  if (!shard) return found;
  // the terms a prefix starts follow each other in sorted order
  for (let n = firstFrom(shard.terms, term); n < shard.terms.length; n++) {
    const name = shard.terms[n];
    if (isPrefix ? !name.startsWith(term) : name !== term) break;
    addPostings(meta, shard, n, found.documents);
    if (shard.documents[n] > shard.counts[n]) found.partial = true;
    found.least = Math.max(found.least, shard.documents[n]);
  }
  found.least = Math.max(found.least, found.documents.size);
  return found;
}

async function search(terms, typing) {
  const meta = await load("meta.json");
  const lists = await Promise.all(terms.map((term, i) => lookUp(meta, term, typing && i === terms.length - 1)));
  let narrowing = lists.filter((found) => !found.partial);
  // Only common words: the index has the best documents for each, so the count is known for one word only.
  let total = null;
  if (narrowing.length === 0) {
    narrowing = lists;
    total = lists.length === 1 ? lists[0].least : Infinity;
  }
  narrowing.sort((a, b) => a.documents.size - b.documents.size);
  const matches = [];
  for (const doc of narrowing[0].documents.keys()) {
    if (narrowing.every((found) => found.documents.has(doc))) {
      matches.push([doc, lists.reduce((sum, found) => sum + (found.documents.get(doc) || 0), 0)]);
    }
  }
  matches.sort((a, b) => b[1] - a[1] || b[0] - a[0]); // the higher score, then the newer document
  const shown = matches.slice(0, LIMIT).map(([doc]) => doc);
  const chunks = await Promise.all([...new Set(shown.map((doc) => Math.floor(doc / meta.chunk)))]
    .map(async (chunk) => [chunk, await load(`docs/${chunk}.json`)]));
  const byChunk = new Map(chunks);
  return { total: total ?? matches.length,
    documents: shown.map((doc) => byChunk.get(Math.floor(doc / meta.chunk))[doc % meta.chunk]) };
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

// Text nodes, with the words the query asks for in <mark>; index data never becomes HTML.
function marked(text, terms, typing) {
  const wanted = (term) => terms.some((want, i) => (typing && i === terms.length - 1 ? term.startsWith(want) : term === want));
  const nodes = [];
  let at = 0;
  for (const match of text.matchAll(WORD)) {
    if (!wordTerms(match[0]).some(wanted)) continue;
    if (match.index > at) nodes.push(document.createTextNode(text.slice(at, match.index)));
    nodes.push(element("mark", "", match[0]));
    at = match.index + match[0].length;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}

function resultItem(doc, terms, typing) {
  const item = element("li", "result");
  const label = [doc.kind, doc.source, doc.date].filter(Boolean).join(" · ");
  if (label) item.append(element("p", "result-kind", label));
  const heading = element("h2", "result-title");
  const link = element("a");
  link.href = form.dataset.root + doc.url;
  link.append(...marked(doc.title || doc.url, terms, typing));
  heading.append(link);
  item.append(heading);
  if (doc.excerpt) {
    const excerpt = element("p", "excerpt");
    excerpt.append(...marked(doc.excerpt, terms, typing));
    item.append(excerpt);
  }
  return item;
}

async function run(text) {
  const ticket = ++latest;
  const query = text.trim();
  const url = new URL(location.href);
  if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
  history.replaceState(null, "", url);
  const { terms, typing } = parseQuery(text);
  if (!query || terms.length === 0) {
    status.textContent = query ? "Type a word of at least two letters or digits." : "";
    list.replaceChildren();
    return;
  }
  status.textContent = "Searching…";
  let found;
  try {
    found = await search(terms, typing);
  } catch (error) {
    if (ticket === latest) status.textContent = "Search is not available: its index could not be loaded.";
    return;
  }
  if (ticket !== latest) return; // a newer query has started
  list.replaceChildren(...found.documents.map((doc) => resultItem(doc, terms, typing)));
  const shown = found.total > LIMIT ? `; the first ${LIMIT} are shown` : "";
  const count = found.total === Infinity ? "Many" : found.total.toLocaleString("en");
  status.textContent = found.total === 0 ? `Nothing found for “${query}”.`
    : `${count} ${found.total === 1 ? "result" : "results"} for “${query}”${shown}.`;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  run(input.value);
});
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => run(input.value), 250);
});

const initial = new URLSearchParams(location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial);
}
