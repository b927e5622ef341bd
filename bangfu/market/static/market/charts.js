/* Enterprise page charts (self-hosted ECharts): sales by channel and by month of the shown year.
   The same figures are in the tables beside them, so the page still reads without scripts. */
(function () {
  var node = document.getElementById("market-charts");
  if (!node || !window.echarts) return;
  var data = JSON.parse(node.textContent);
  function draw(id, spec, horizontal) {
    var el = document.getElementById(id);
    if (!el || !spec.names.length) return;
    var c = echarts.init(el, null, { renderer: "svg" });
    var cat = { type: "category", data: spec.names };
    var val = { type: "value" };
    c.setOption({
      grid: { left: horizontal ? 90 : 60, right: 10, top: 10, bottom: 30 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + " 元"; } },
      xAxis: horizontal ? val : cat,
      yAxis: horizontal ? cat : val,
      series: [{ type: "bar", data: spec.values }]
    });
    window.addEventListener("resize", function () { c.resize(); });
  }
  draw("chart-channel", data.channel, true);
  draw("chart-month", data.month, false);
})();
