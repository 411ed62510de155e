// The investigator's page: log in with a token, search, open a network, inspect nodes,
// see exposure and network reports, run read-only Cypher. Data is only ever inserted as
// text (never as HTML): message texts are hostile input.
"use strict";

const state = { token: sessionStorage.getItem("cg-token"), role: null, selection: null, graph: null };
const $ = (id) => document.getElementById(id);

const COLOURS = {
  Officer: "#1f5fbf", Person: "#4f8fe0", Account: "#9bb7e0", Group: "#2e8b57", Message: "#c0392b",
  Category: "#8e44ad", Finding: "#d35400", Investigation: "#7f6000", Recommendation: "#b7950b",
  Organisation: "#555", Unit: "#777", Document: "#999", Source: "#bbb",
};

class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || { code: "http_error", message: `HTTP ${status}` };
    super(err.message);
    this.status = status;
    this.code = err.code;
  }
}

async function api(path, options = {}) {
  const headers = { Authorization: `Bearer ${state.token}` };
  if (options.body) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { ...options, headers });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

function say(text) { $("status").textContent = text || ""; }

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function fillTable(table, columns, rows) {
  table.replaceChildren();
  const head = el("tr");
  columns.forEach((c) => head.appendChild(el("th", c)));
  table.appendChild(head);
  rows.forEach((row) => {
    const tr = el("tr");
    columns.forEach((c) => {
      const v = row[c];
      tr.appendChild(el("td", v !== null && typeof v === "object" ? JSON.stringify(v) : v ?? ""));
    });
    table.appendChild(tr);
  });
}

function filters() {
  return { category: $("category").value, from: $("date-from").value, to: $("date-to").value };
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}

// -- login --------------------------------------------------------------------------------
async function detectRole() {
  try { await api("/stats"); } catch (e) { if (e.status === 403) return "consumer"; throw e; }
  try {
    await api("/cypher", { method: "POST", body: JSON.stringify({ query: "RETURN 1 AS ok" }) });
    return "investigator";
  } catch (e) { if (e.status === 403) return "analyst"; throw e; }
}

async function login(token) {
  state.token = token;
  try {
    state.role = await detectRole();
  } catch (e) {
    state.token = null;
    sessionStorage.removeItem("cg-token");
    say(`Log in failed: ${e.message}`);
    return;
  }
  sessionStorage.setItem("cg-token", token);
  $("login-form").hidden = true;
  $("session").hidden = false;
  $("role").textContent = `role: ${state.role}`;
  $("workspace").hidden = false;
  $("cypher-tab").hidden = state.role !== "investigator";
  say("");
}

function logout() {
  sessionStorage.removeItem("cg-token");
  location.reload();
}

// -- search -------------------------------------------------------------------------------
async function search(text) {
  $("people-results").replaceChildren();
  $("group-results").replaceChildren();
  if (state.role === "consumer") return searchPseudonymised(text.toLowerCase());
  try {
    const [people, groups] = await Promise.all([api(`/people${query({ q: text, limit: 50 })}`),
                                                api("/groups?limit=200")]);
    people.items.forEach((p) => addResult("people-results", p.name || p.id, p.id, "person"));
    const needle = text.toLowerCase();
    groups.items.filter((g) => !needle || `${g.name} ${g.id}`.toLowerCase().includes(needle))
      .forEach((g) => addResult("group-results", g.name, `${g.id} · ${g.messages} messages`, "group", g.id));
    say(`${people.items.length} people, ${$("group-results").children.length} groups`);
  } catch (e) { say(e.message); }
}

// The consumer has no people search: the exposure report lists everyone, by pseudonym.
async function searchPseudonymised(needle) {
  try {
    const r = await api("/exposure");
    r.people.filter((p) => !needle || p.id.toLowerCase().includes(needle))
      .forEach((p) => addResult("people-results", p.id, p.rank || "", "person", p.id));
    r.groups.filter((g) => !needle || `${g.name} ${g.id}`.toLowerCase().includes(needle))
      .forEach((g) => addResult("group-results", g.name, g.id, "group", g.id));
  } catch (e) { say(e.message); }
}

function addResult(listId, title, subtitle, kind, id) {
  const li = el("li", title);
  li.appendChild(el("br"));
  li.appendChild(el("small", subtitle));
  li.dataset.kind = kind;
  li.dataset.id = id || subtitle;
  li.addEventListener("click", () => openSelection(kind, li.dataset.id, title));
  $(listId).appendChild(li);
}

// -- network ------------------------------------------------------------------------------
async function openSelection(kind, id, title) {
  state.selection = { kind, id, title };
  $("selection-title").textContent = `${kind}: ${title}`;
  await Promise.all([loadGraph(), loadExposure()]);
}

async function loadGraph() {
  const sel = state.selection;
  if (!sel) return;
  const base = sel.kind === "person" ? "/people" : "/groups";
  try {
    const data = await api(`${base}/${encodeURIComponent(sel.id)}/subgraph` +
                           query({ depth: $("depth").value, limit: $("limit").value }));
    state.graph = data;
    $("truncated").hidden = !data.truncated;
    drawGraph(data);
    say(`${data.nodes.length} nodes, ${data.edges.length} edges${data.truncated ? " (cut)" : ""}`);
  } catch (e) { say(e.message); }
}

function nodeLabel(n) {
  const p = n.properties;
  if (n.labels.includes("Message")) return (p.sent_at || "").slice(0, 10);
  const text = p.name || p.title || (p.number !== undefined ? `Rec ${p.number}` : null) || p.handle || n.id;
  return String(text).slice(0, 28);
}

function messageCategories(data) {
  const cats = {};
  const categoryIds = new Set(data.nodes.filter((n) => n.labels.includes("Category")).map((n) => n.id));
  data.edges.filter((e) => e.type === "FLAGGED_AS" && categoryIds.has(e.target))
    .forEach((e) => { (cats[e.source] = cats[e.source] || new Set()).add(e.target); });
  return cats;
}

function visible(node, cats, f) {
  if (!node.labels.includes("Message")) return true;
  const at = (node.properties.sent_at || "").slice(0, 10);
  if (f.from && at < f.from) return false;
  if (f.to && at >= f.to) return false;
  if (f.category) {
    const own = cats[node.id];
    const text = String(node.properties.text || "");
    return (own && own.has(f.category)) || text.includes(f.category);
  }
  return true;
}

function drawGraph(data) {
  const f = filters();
  const cats = messageCategories(data);
  const shown = new Set(data.nodes.filter((n) => visible(n, cats, f)).map((n) => n.id));
  const elements = [
    ...data.nodes.filter((n) => shown.has(n.id)).map((n) => ({
      data: { id: n.id, label: nodeLabel(n), kind: n.labels.includes("Officer") ? "Officer" : n.labels[0] },
    })),
    ...data.edges.filter((e) => shown.has(e.source) && shown.has(e.target)).map((e) => ({
      data: { id: e.id, source: e.source, target: e.target, label: e.type },
    })),
  ];
  if (state.cy) state.cy.destroy();
  state.cy = cytoscape({
    container: $("cy"),
    elements,
    style: [
      { selector: "node", style: {
        label: "data(label)", "font-size": 9, "text-valign": "bottom", "text-margin-y": 2,
        width: 18, height: 18, "background-color": (ele) => COLOURS[ele.data("kind")] || "#888" } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#111" } },
      { selector: "edge", style: {
        width: 1, "line-color": "#c3c8d0", "target-arrow-shape": "triangle", "target-arrow-color": "#c3c8d0",
        "curve-style": "bezier", label: "data(label)", "font-size": 6, color: "#8a919c" } },
    ],
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 9000 },
  });
  state.cy.on("tap", "node", (evt) => showNode(evt.target.id()));
}

// -- details ------------------------------------------------------------------------------
async function showNode(id) {
  const node = state.graph.nodes.find((n) => n.id === id);
  if (!node) return;
  $("detail-title").textContent = `${node.labels.join(", ")}: ${nodeLabel(node)}`;
  fillTable($("detail-props"), ["property", "value"],
            Object.entries(node.properties).map(([k, v]) => ({ property: k, value: v })));
  const list = $("detail-messages");
  list.replaceChildren();
  $("detail-messages-title").hidden = true;
  if (state.role === "consumer") return;
  try {
    let messages = [];
    if (node.labels.includes("Person")) {
      const person = await api(`/people/${encodeURIComponent(id)}`);
      messages = person.messages.items;
    } else if (node.labels.includes("Group")) {
      const f = filters();
      messages = (await api(`/groups/${encodeURIComponent(id)}/messages` +
                            query({ category: f.category, from: f.from, to: f.to, limit: 100 }))).items;
    } else { return; }
    $("detail-messages-title").hidden = false;
    $("detail-messages-title").textContent = `Messages (${messages.length})`;
    messages.forEach((m) => {
      const li = el("li");
      li.appendChild(el("span", `${m.sent_at} · ${m.sender_name || m.sender || m.group || ""}`, { class: "meta" }));
      li.appendChild(el("span", m.text));
      if (m.categories && m.categories.length) li.appendChild(el("span", ` [${m.categories.join(", ")}]`, { class: "cats" }));
      list.appendChild(li);
    });
  } catch (e) { say(e.message); }
}

// -- reports ------------------------------------------------------------------------------
function setCategories(categories) {
  const select = $("category");
  const current = select.value;
  select.replaceChildren(el("option", "any", { value: "" }));
  categories.forEach((c) => select.appendChild(el("option", c.name || c.id, { value: c.id })));
  select.value = current;
}

async function loadExposure() {
  const sel = state.selection;
  const f = filters();
  try {
    if (sel && sel.kind === "person") {
      const r = await api(`/people/${encodeURIComponent(sel.id)}/exposure` +
                          query({ category: f.category, from: f.from, to: f.to }));
      setCategories(r.categories);
      fillTable($("exposure-table"), ["id", "group", "sent_at", "sender", "categories", "audience_size"], r.messages);
    } else {
      const r = await api("/exposure" + query({ group: sel ? sel.id : "", category: f.category, from: f.from, to: f.to }));
      setCategories(r.categories);
      const rows = r.people.filter((p) => p.flagged_seen_total || Object.values(p.flagged_sent).some((n) => n))
        .map((p) => ({ ...p, flagged_sent_total: Object.values(p.flagged_sent).reduce((a, b) => a + b, 0) }));
      fillTable($("exposure-table"), ["name", "rank", "messages_seen", "flagged_seen_total", "flagged_sent_total",
                                      "first_exposure", "last_exposure", "groups"], rows);
    }
  } catch (e) { say(e.message); }
}

async function loadNetwork() {
  const sel = state.selection;
  const f = filters();
  const measure = $("measure").value;
  try {
    const r = await api("/analytics/network" + query({
      projection: $("projection").value, measure, group: sel && sel.kind === "group" ? sel.id : "",
      from: f.from, to: f.to }));
    $("network-summary").textContent =
      `${r.summary.nodes} people, ${r.summary.edges} ties, density ${r.summary.density}, ${r.summary.communities} communities`;
    fillTable($("network-table"), ["rank", "name", measure, "degree", "community", "broker"], r.people);
  } catch (e) { say(e.message); }
}

async function runCypher() {
  $("cypher-status").textContent = "running…";
  try {
    const r = await api("/cypher", { method: "POST", body: JSON.stringify({ query: $("cypher-query").value }) });
    $("cypher-status").textContent = `${r.rows.length} rows in ${r.elapsed_ms} ms${r.truncated ? " (cut at the row limit)" : ""}`;
    fillTable($("cypher-table"), r.columns, r.rows);
  } catch (e) {
    $("cypher-status").textContent = `${e.code}: ${e.message}`;
    $("cypher-table").replaceChildren();
  }
}

function showTab(name) {
  document.querySelectorAll("#tabs button").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
  ["exposure", "network", "cypher"].forEach((t) => { $(`tab-${t}`).hidden = t !== name; });
  if (name === "network") loadNetwork();
}

// -- wiring -------------------------------------------------------------------------------
$("login-form").addEventListener("submit", (e) => { e.preventDefault(); login($("token").value.trim()); });
$("logout").addEventListener("click", logout);
$("search-form").addEventListener("submit", (e) => { e.preventDefault(); search($("q").value.trim()); });
$("apply").addEventListener("click", () => { loadGraph(); loadExposure(); });
$("network-run").addEventListener("click", loadNetwork);
$("cypher-run").addEventListener("click", runCypher);
document.querySelectorAll("#tabs button").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab)));
window.cgCy = () => state.cy;  // the network, for the console and the browser test
if (state.token) login(state.token);
