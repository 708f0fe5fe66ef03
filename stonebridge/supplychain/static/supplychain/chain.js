// The supply-chain graph and the offline map on the chain overview. Data comes from the page
// (json_script); the map outline is a bundled file, so no tile server or internet is needed.
// A large chain comes as groups per tier and kind; one direct supplier's own chain is fetched
// from the API page by page when the reader opens it.
(function () {
  "use strict";
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const whole = read("graph-data");
  const places = read("places-data");
  const labels = read("chart-labels");
  const script = document.currentScript;
  const colours = {
    buyer: "#2f5d62", exporter: "#4c78a8", trader: "#72b7b2", processor: "#f58518",
    workshop: "#e45756", quarry: "#54a24b", block_importer: "#b279a2", gap: "#a3231f", country: "#9d755d",
  };
  let chart = null;

  function edgeLabel(edge) {
    const parts = [];
    if (edge.count != null) { parts.push(edge.count + " " + labels.links); }
    if (edge.volume != null) { parts.push(Math.round(edge.volume) + " m³"); }
    return parts.join(" · ");
  }

  function drawGraph(graph) {
    const element = document.getElementById("chain-graph");
    const byTier = {};
    graph.nodes.forEach((node) => { (byTier[node.tier] = byTier[node.tier] || []).push(node); });
    const nodes = graph.nodes.map((node) => {
      const column = byTier[node.tier];
      const isGap = node.kind === "gap";
      const size = node.count ? 16 + 4 * Math.log10(1 + node.count) : 16;
      return {
        id: node.id,
        name: node.kind === "buyer" ? labels.buyer : (isGap ? labels.gap + (node.country ? " (" + node.country + ")" : "") + (node.count ? " · " + node.count : "") : node.name),
        x: node.tier * 240,
        y: column.indexOf(node) * 60 + (node.tier % 2) * 30,
        symbolSize: node.kind === "buyer" ? 28 : size,
        symbol: isGap ? "triangle" : (node.kind === "country" ? "roundRect" : "circle"),
        itemStyle: { color: colours[node.kind] || "#888" },
        value: node.tier,
        kind: node.kind,
        full: node.full_name || node.name,
      };
    });
    const edges = graph.edges.map((edge) => {
      const label = edgeLabel(edge);
      const weight = edge.volume || edge.count;
      return {
        source: edge.source,
        target: edge.target,
        label: { show: label !== "", formatter: label },
        lineStyle: edge.gap ? { type: "dashed", color: colours.gap, width: 2 } : { width: weight ? 1 + Math.log10(1 + weight) : 1 },
      };
    });
    chart = chart || echarts.init(element);
    chart.setOption({
      // Tooltips are HTML: names come from anyone who edits the shared registry, so escape them.
      tooltip: { formatter: (p) => p.dataType === "node" ? echarts.format.encodeHTML(p.data.full) + (p.data.kind === "buyer" ? "" : " · " + labels.tier + " " + p.data.value) : "" },
      series: [{
        type: "graph", layout: "none", roam: true, draggable: true, data: nodes, links: edges,
        edgeSymbol: ["none", "arrow"], edgeSymbolSize: 7, label: { show: true, position: "right", fontSize: 11 },
        emphasis: { focus: "adjacency" },
      }],
    }, true);
    element.dataset.rendered = String(nodes.length);
  }

  function watchClicks() {
    chart.on("click", (p) => {
      const id = p.dataType === "node" && p.data.id;
      if (id && /^f\d+$/.test(id)) { window.location.href = "../facilities/" + id.slice(1) + "/"; }
    });
  }

  // One supplier's own chain, added to page by page.
  const part = { root: null, page: 0, pages: 0, nodes: [], edges: [] };
  const more = document.getElementById("chain-more");
  const back = document.getElementById("chain-whole");
  const rootTable = document.getElementById("root-numbers");

  function nameOf(node) {
    if (!node) { return ""; }
    if (node.kind === "gap") { return labels.gap + (node.country ? " (" + node.country + ")" : ""); }
    return node.full_name || node.name;
  }

  function fillTable() {
    const byId = {};
    part.nodes.forEach((node) => { byId[node.id] = node; });
    const body = rootTable.querySelector("tbody");
    body.replaceChildren();
    part.edges.filter((edge) => edge.kind !== "origin").forEach((edge) => {
      const row = body.insertRow();
      [nameOf(byId[edge.source]), nameOf(byId[edge.target]), edge.kind_name || edge.kind, edge.volume != null ? String(Math.round(edge.volume)) : "—"]
        .forEach((text) => { row.insertCell().textContent = text; });
    });
    rootTable.hidden = false;
  }

  function openPart(root, page) {
    const url = new URL(script.dataset.chainUrl, window.location.href);
    url.searchParams.set("root", root);
    url.searchParams.set("page", page);
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then((found) => {
        if (page === 1) { part.nodes = []; part.edges = []; }
        const known = new Set(part.nodes.map((node) => node.id));
        found.nodes.forEach((node) => { if (!known.has(node.id)) { known.add(node.id); part.nodes.push(node); } });
        part.edges = part.edges.concat(found.edges);
        Object.assign(part, { root: root, page: found.page, pages: found.pages });
        drawGraph(part);
        fillTable();
        more.hidden = part.page >= part.pages;
        back.hidden = false;
      });
  }

  function watchParts() {
    document.querySelectorAll("[data-root]").forEach((button) => {
      button.addEventListener("click", () => {
        openPart(button.dataset.root, 1);
        document.getElementById("chain-graph").scrollIntoView({ block: "center" });
      });
    });
    more.addEventListener("click", () => openPart(part.root, part.page + 1));
    back.addEventListener("click", () => {
      drawGraph(whole);
      more.hidden = true;
      back.hidden = true;
      rootTable.hidden = true;
    });
  }

  function drawMap() {
    const element = document.getElementById("chain-map");
    fetch(script.dataset.worldUrl).then((r) => r.json()).then((world) => {
      echarts.registerMap("world", world);
      const map = echarts.init(element);
      map.setOption({
        tooltip: { formatter: (p) => echarts.format.encodeHTML(p.name) },
        geo: { map: "world", roam: true, center: [112, 30], zoom: 4, itemStyle: { areaColor: "#eef1f1", borderColor: "#9aa8ad" } },
        series: [{
          type: "scatter", coordinateSystem: "geo",
          // A place of a large chain stands for its facilities: the more, the larger.
          symbolSize: (value, p) => p.data.facilities ? 9 + 4 * Math.log10(p.data.facilities) : 9,
          data: places.map((p) => ({ name: p.name, facilities: p.facilities, value: [Number(p.longitude), Number(p.latitude), p.tier], itemStyle: { color: colours[p.kind] || colours.country } })),
        }],
      });
      element.dataset.rendered = String(places.length);
    });
  }

  drawGraph(whole);
  watchClicks();
  if (script.dataset.chainUrl) { watchParts(); }
  drawMap();
})();
