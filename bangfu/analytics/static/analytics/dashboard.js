/* Dashboard charts (ECharts, served by the product). Every bar and slice leads to the list or the
   area behind it, like the numbers do. */
(function () {
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  function chart(id) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    var c = echarts.init(el, null, { renderer: "svg" });
    window.addEventListener("resize", function () { c.resize(); });
    return c;
  }
  var trend = chart("chart-trend");
  if (trend) trend.setOption({
    grid: { left: 40, right: 10, top: 10, bottom: 30 }, tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.trend.periods },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "line", data: data.trend.values, areaStyle: {} }]
  });
  var types = chart("chart-types");
  if (types) {
    types.setOption({ tooltip: { trigger: "item" }, series: [{ type: "pie", radius: ["35%", "65%"], data: data.types }] });
    types.on("click", function (p) { if (p.data && p.data.url) location.href = p.data.url; });
  }
  var channels = chart("chart-channels");
  if (channels) {
    channels.setOption({ tooltip: { trigger: "item" }, series: [{ type: "pie", radius: ["35%", "65%"], data: data.channels }] });
    channels.on("click", function (p) { if (p.data && p.data.url) location.href = p.data.url; });
  }
  var kids = chart("chart-children");
  if (kids) {
    kids.setOption({
      grid: { left: 90, right: 10, top: 30, bottom: 20 }, tooltip: { trigger: "axis" },
      legend: { data: [data.children.labels.households, data.children.labels.monitored] },
      yAxis: { type: "category", data: data.children.names, inverse: true },
      xAxis: { type: "value", minInterval: 1 },
      series: [{ name: data.children.labels.households, type: "bar", data: data.children.households },
               { name: data.children.labels.monitored, type: "bar", data: data.children.monitored }]
    });
    kids.on("click", function (p) { location.href = data.children.urls[p.dataIndex]; });
  }
})();
