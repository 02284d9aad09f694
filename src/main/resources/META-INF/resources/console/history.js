// A provider's latency and success over time, drawn with uPlot from its history twin
// (GET /api/market/providers/{id}/history, newest first): each attempt's time in ms, and the
// success rate over the last WINDOW attempts up to that one, in percent on a second axis.
"use strict";
(function () {
  var WINDOW = 10;
  var box = document.getElementById("history-chart");
  if (!box || !window.uPlot) return;

  function series(attempts) {
    var xs = [], ms = [], rate = [], recent = [];
    attempts.slice().reverse().forEach(function (a) {
      recent.push(a.outcome === "completed" ? 1 : 0);
      if (recent.length > WINDOW) recent.shift();
      xs.push(Date.parse(a.at) / 1000);
      ms.push(a.ms);
      rate.push(Math.round(100 * recent.reduce(function (s, v) { return s + v; }, 0) / recent.length));
    });
    return [xs, ms, rate];
  }

  fetch(box.getAttribute("data-history"), { headers: { Accept: "application/json" } })
    .then(function (r) {
      if (!r.ok) throw new Error("the history answered HTTP " + r.status);
      return r.json();
    })
    .then(function (h) {
      var data = series(h.attempts);
      box.setAttribute("data-points", String(data[0].length));
      if (data[0].length < 1) {
        box.textContent = "No attempt yet.";
        return;
      }
      function width() { return Math.max(240, box.clientWidth - 18); }
      var chart = new uPlot({
        width: width(), height: 220,
        scales: { pct: { range: [0, 100] } },
        series: [{},
          { label: "Latency (ms)", stroke: "#0b5cad", points: { show: true, size: 7 }, scale: "ms" },
          { label: "Success, last " + WINDOW + " (%)", stroke: "#116329", dash: [6, 4], scale: "pct" }],
        axes: [{}, { scale: "ms", size: 60 },
          { scale: "pct", side: 1, grid: { show: false }, values: function (u, t) { return t.map(function (v) { return v + "%"; }); } }]
      }, data, box);
      window.addEventListener("resize", function () { chart.setSize({ width: width(), height: 220 }); });
    })
    .catch(function (err) { box.textContent = "The history could not be read: " + err.message; });
})();
