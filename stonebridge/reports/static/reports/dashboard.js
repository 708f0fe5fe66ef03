// The dashboard on the buyer's home page: one bar chart per section, each bar opening the list
// it is counted from. Data comes from the page (json_script); the numbers are also in the page
// as links, for readers without JavaScript.
(function () {
  "use strict";
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const charts = read("dashboard-data");
  const labels = read("dashboard-labels");
  const escape = (text) => String(text).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
  const drawn = [];
  charts.forEach((chart) => {
    const element = document.getElementById(chart.id);
    if (!element) return;
    const compared = chart.bars.some((bar) => bar.previous !== null);
    element.style.height = 60 + chart.bars.length * (compared ? 44 : 30) + "px";
    const series = [{
      name: labels.now, type: "bar", itemStyle: { color: "#2f6f8f" },
      data: chart.bars.map((bar) => ({ value: bar.value, url: bar.url })),
      label: { show: true, position: "right" },
    }];
    if (compared) {
      series.push({
        name: labels.before, type: "bar", itemStyle: { color: "#b9c7cf" },
        data: chart.bars.map((bar) => ({ value: bar.previous, url: bar.url })),
        label: { show: true, position: "right" },
      });
    }
    const drawing = echarts.init(element);
    drawing.setOption({
      tooltip: { formatter: (p) => escape(p.name) + ": " + escape(p.value) },
      legend: compared ? { bottom: 0 } : undefined,
      grid: { left: 10, right: 40, top: 10, bottom: compared ? 30 : 10, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category", inverse: true, data: chart.bars.map((bar) => bar.name),
        axisLabel: { width: 180, overflow: "truncate" },
      },
      series: series,
    });
    // A bar opens its list; only the addresses the server wrote, on this site.
    drawing.on("click", (p) => {
      if (p.data && typeof p.data.url === "string" && p.data.url.startsWith("/")) {
        window.location.assign(p.data.url);
      }
    });
    element.dataset.rendered = String(chart.bars.length);
    drawn.push(drawing);
  });
  window.addEventListener("resize", () => drawn.forEach((d) => d.resize()));
})();
