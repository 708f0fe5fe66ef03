// The risk heatmap on the register: issues down, tiers or clusters across, coloured by the
// highest priority in each cell. Data comes from the page (json_script).
(function () {
  "use strict";
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const data = read("heatmap-data");
  const labels = read("heatmap-labels");
  const element = document.getElementById("risk-heatmap");
  const escape = (text) => String(text).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
  const columns = data.rows.map((r) => (/^\d+$/.test(r) ? labels.tier + " " + r : r));
  // Cells come as [issue, row, priority, facilities]; issues are drawn down the side.
  const cells = data.cells.map((c) => [c[1], c[0], c[2], c[3]]);
  element.style.height = 90 + data.issues.length * 40 + "px";
  const chart = echarts.init(element);
  chart.setOption({
    tooltip: {
      formatter: (p) => escape(data.issues[p.value[1]]) + "<br>" + escape(columns[p.value[0]]) +
        "<br>" + escape(labels.priority) + ": " + p.value[2] + "<br>" + escape(labels.count) + ": " + p.value[3],
    },
    grid: { left: 10, right: 90, top: 10, bottom: 40, containLabel: true },
    xAxis: { type: "category", data: columns, axisLabel: { interval: 0 } },
    yAxis: {
      type: "category",
      data: data.issues,
      inverse: true,
      axisLabel: { width: 260, overflow: "truncate" },
    },
    visualMap: {
      min: 0, max: 100, dimension: 2, calculable: true, orient: "vertical", right: 0, top: "middle",
      inRange: { color: ["#f7f4ea", "#f0b45a", "#c0392b"] },
    },
    series: [{ type: "heatmap", data: cells, label: { show: true, formatter: (p) => Math.round(p.value[2]) } }],
  });
  element.dataset.rendered = String(data.cells.length);
  window.addEventListener("resize", () => chart.resize());
})();
