// The supply-chain graph and the offline map on the chain overview. Data comes from the page
// (json_script); the map outline is a bundled file, so no tile server or internet is needed.
(function () {
  "use strict";
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const graph = read("graph-data");
  const places = read("places-data");
  const labels = read("chart-labels");
  const script = document.currentScript;
  const colours = {
    buyer: "#2f5d62", exporter: "#4c78a8", trader: "#72b7b2", processor: "#f58518",
    workshop: "#e45756", quarry: "#54a24b", block_importer: "#b279a2", gap: "#a3231f", country: "#9d755d",
  };

  function drawGraph() {
    const element = document.getElementById("chain-graph");
    const byTier = {};
    graph.nodes.forEach((node) => { (byTier[node.tier] = byTier[node.tier] || []).push(node); });
    const nodes = graph.nodes.map((node) => {
      const column = byTier[node.tier];
      const isGap = node.kind === "gap";
      return {
        id: node.id,
        name: node.kind === "buyer" ? labels.buyer : (isGap ? labels.gap + (node.country ? " (" + node.country + ")" : "") : node.name),
        x: node.tier * 240,
        y: column.indexOf(node) * 60 + (node.tier % 2) * 30,
        symbolSize: node.kind === "buyer" ? 28 : 16,
        symbol: isGap ? "triangle" : (node.kind === "country" ? "roundRect" : "circle"),
        itemStyle: { color: colours[node.kind] || "#888" },
        value: node.tier,
        kind: node.kind,
        full: node.full_name || node.name,
      };
    });
    const edges = graph.edges.map((edge) => ({
      source: edge.source,
      target: edge.target,
      label: { show: edge.volume != null, formatter: edge.volume != null ? Math.round(edge.volume) + " m³" : "" },
      lineStyle: edge.gap ? { type: "dashed", color: colours.gap, width: 2 } : { width: edge.volume ? 1 + Math.log10(1 + edge.volume) : 1 },
    }));
    const chart = echarts.init(element);
    chart.setOption({
      // Tooltips are HTML: names come from anyone who edits the shared registry, so escape them.
      tooltip: { formatter: (p) => p.dataType === "node" ? echarts.format.encodeHTML(p.data.full) + (p.data.kind === "buyer" ? "" : " · " + labels.tier + " " + p.data.value) : "" },
      series: [{
        type: "graph", layout: "none", roam: true, draggable: true, data: nodes, links: edges,
        edgeSymbol: ["none", "arrow"], edgeSymbolSize: 7, label: { show: true, position: "right", fontSize: 11 },
        emphasis: { focus: "adjacency" },
      }],
    });
    chart.on("click", (p) => {
      const id = p.dataType === "node" && p.data.id;
      if (id && id.startsWith("f")) { window.location.href = "../facilities/" + id.slice(1) + "/"; }
    });
    element.dataset.rendered = String(nodes.length);
  }

  function drawMap() {
    const element = document.getElementById("chain-map");
    fetch(script.dataset.worldUrl).then((r) => r.json()).then((world) => {
      echarts.registerMap("world", world);
      const chart = echarts.init(element);
      chart.setOption({
        tooltip: { formatter: (p) => echarts.format.encodeHTML(p.name) },
        geo: { map: "world", roam: true, center: [112, 30], zoom: 4, itemStyle: { areaColor: "#eef1f1", borderColor: "#9aa8ad" } },
        series: [{
          type: "scatter", coordinateSystem: "geo", symbolSize: 9,
          data: places.map((p) => ({ name: p.name, value: [Number(p.longitude), Number(p.latitude), p.tier], itemStyle: { color: colours[p.kind] } })),
        }],
      });
      element.dataset.rendered = String(places.length);
    });
  }

  drawGraph();
  drawMap();
})();
