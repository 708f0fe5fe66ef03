// One line chart per outcome indicator: the readings over time against the baseline (before)
// and the target. Readings a supplier reported but the buyer has not confirmed are hollow.
(function () {
  "use strict";
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const charts = read("outcome-data");
  const labels = read("outcome-labels");
  document.querySelectorAll(".outcome-chart").forEach((element) => {
    const data = charts[Number(element.dataset.index)];
    const lines = [];
    if (data.baseline !== null) lines.push({ name: labels.baseline, yAxis: data.baseline, lineStyle: { color: "#5d6b73" } });
    if (data.target !== null) lines.push({ name: labels.target, yAxis: data.target, lineStyle: { color: "#2d6a3e" } });
    // The axis spans the readings, the baseline and the target, so both lines are in view.
    const span = data.values.concat(lines.map((line) => line.yAxis));
    const pad = (Math.max(...span) - Math.min(...span)) * 0.1 || 1;
    const chart = echarts.init(element);
    chart.setOption({
      title: { text: data.title + (data.unit ? " (" + data.unit + ")" : ""), textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis" },
      grid: { left: 10, right: 100, top: 40, bottom: 20, containLabel: true },
      xAxis: { type: "category", data: data.dates },
      yAxis: {
        type: "value",
        min: Math.floor(Math.min(...span) - pad),
        max: Math.ceil(Math.max(...span) + pad),
      },
      series: [{
        type: "line",
        data: data.values.map((value, i) => ({
          value: value,
          symbol: data.confirmed[i] ? "circle" : "emptyCircle",
          symbolSize: 8,
        })),
        markLine: { symbol: "none", label: { formatter: "{b}: {c}" }, data: lines },
      }],
    });
    window.addEventListener("resize", () => chart.resize());
  });
})();
