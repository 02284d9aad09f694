// Cumulative spend over time, drawn with uPlot from the ledger's JSON twin (entries into the
// "spent" account add, entries out of it subtract). Amounts stay integers of atomic units; the
// axis writes them in USDC (6 decimals) by moving the decimal point in the digit string.
"use strict";
(function () {
  var box = document.getElementById("spend-chart");
  if (!box || !window.PurserLedger || !window.uPlot) return;

  function usdc(atomic) {
    var n = Math.round(atomic), sign = n < 0 ? "-" : "";
    var digits = String(Math.abs(n)).padStart(7, "0");
    var whole = digits.slice(0, -6), frac = digits.slice(-6).replace(/0{1,4}$/, "");
    return sign + whole + "." + frac;
  }

  function series(entries) {
    // The chart starts at zero when the envelope opened.
    var xs = entries.length ? [Date.parse(entries[0].at) / 1000] : [], ys = entries.length ? [0] : [];
    var total = 0;
    entries.forEach(function (e) {
      var delta = e.credit === "spent" ? Number(e.amount) : e.debit === "spent" ? -Number(e.amount) : 0;
      if (delta === 0) return;
      total += delta;
      xs.push(Date.parse(e.at) / 1000);
      ys.push(total);
    });
    return [xs, ys];
  }

  window.PurserLedger.entries.then(function (entries) {
    var data = series(entries);
    box.setAttribute("data-points", String(data[0].length));
    if (data[0].length < 2) {
      box.textContent = "Nothing spent yet.";
      return;
    }
    function width() { return Math.max(240, box.clientWidth - 18); }
    var chart = new uPlot({
      width: width(), height: 220,
      series: [{}, { label: "Spent (USDC)", stroke: "#0b5cad", fill: "rgba(11,92,173,0.12)",
        value: function (u, v) { return v == null ? "—" : usdc(v); }, points: { show: true, size: 7 } }],
      axes: [{}, { values: function (u, ticks) { return ticks.map(usdc); }, size: 70 }]
    }, data, box);
    window.addEventListener("resize", function () { chart.setSize({ width: width(), height: 220 }); });
  }).catch(function () { box.textContent = "The ledger could not be read for the chart."; });
})();
