// The risk heatmap on the register: issues across, tiers or clusters down, coloured by the
// highest priority in each cell. Data comes from the page (json_script).
(function () {
  "use strict";
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const data = read("heatmap-data");
  const labels = read("heatmap-labels");
  const element = document.getElementById("risk-heatmap");
  const escape = (text) => String(text).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
  element.style.height = Math.max(240, 80 + data.rows.length * 36) + "px";
  const chart = echarts.init(element);
  chart.setOption({
    tooltip: {
      formatter: (p) => escape(data.issues[p.value[0]]) + "<br>" + escape(data.rows[p.value[1]]) +
        "<br>" + escape(labels.priority) + ": " + p.value[2] + "<br>" + escape(labels.count) + ": " + p.value[3],
    },
    grid: { left: 140, right: 20, top: 10, bottom: 110 },
    xAxis: { type: "category", data: data.issues, axisLabel: { rotate: 35, interval: 0 } },
    yAxis: { type: "category", data: data.rows.map((r) => /^\d+$/.test(r) ? labels.tier + " " + r : r), inverse: true },
    visualMap: { min: 0, max: 100, calculable: true, orient: "horizontal", left: "center", bottom: 0, inRange: { color: ["#f7f4ea", "#f0b45a", "#c0392b"] } },
    series: [{ type: "heatmap", data: data.cells, label: { show: true, formatter: (p) => Math.round(p.value[2]) } }],
  });
  element.dataset.rendered = String(data.cells.length);
  window.addEventListener("resize", () => chart.resize());
})();
