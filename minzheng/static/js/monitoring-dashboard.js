/* The dashboard's chart by street (救助工作台): reads the figures from the
   json_script block; no inline script (docs/adr/0012-design-system.md). */
(function () {
  "use strict";
  var el = document.getElementById("chart");
  var data = document.getElementById("chart-data");
  if (!window.echarts || !el || !data) { return; }
  var d = JSON.parse(data.textContent);
  var chart = window.echarts.init(el);
  chart.setOption({
    tooltip: {trigger: "axis"}, legend: {data: ["线索", "已申请", "应退尽退"]},
    grid: {left: 40, right: 10, bottom: 80, containLabel: true},
    xAxis: {type: "category", data: d.streets, axisLabel: {interval: 0, rotate: 45}}, yAxis: {type: "value"},
    series: [{name: "线索", type: "bar", data: d.leads}, {name: "已申请", type: "bar", data: d.converted},
             {name: "应退尽退", type: "bar", data: d.exits}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();

/* The run button's confirmation names the month chosen in the form (it is
   recomputed, irreversibly): data-confirm-template with {month}. */
(function () {
  "use strict";
  var select = document.getElementById("run-month");
  var button = document.querySelector("#run-form [data-confirm-template]");
  if (!select || !button) { return; }
  select.addEventListener("change", function () {
    var label = select.options[select.selectedIndex].text;
    button.dataset.confirm = button.dataset.confirmTemplate.split("{month}").join(label);
  });
})();
