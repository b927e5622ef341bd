/* Enterprise page charts (self-hosted ECharts): sales by channel and by month of the shown year.
   The same figures are in the tables beside them, so the page still reads without scripts.
   containLabel keeps the axis labels (channel names, "600,000") inside the chart instead of clipped;
   the unit comes with the data, in the reader's language. */
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
      grid: { left: 8, right: 24, top: 10, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + " " + data.unit; } },
      xAxis: horizontal ? val : cat,
      yAxis: horizontal ? cat : val,
      series: [{ type: "bar", data: spec.values }]
    });
    window.addEventListener("resize", function () { c.resize(); });
  }
  draw("chart-channel", data.channel, true);
  draw("chart-month", data.month, false);
})();
