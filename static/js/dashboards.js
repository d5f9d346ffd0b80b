// The dashboards' charts (docs/dashboards.md). Each chart's data is a JSON script element
// (Django's json_script) next to its canvas, so the page runs under the strict
// Content-Security-Policy: no inline script, no eval. Chart.js is served from node_modules.
//
// Readable without colour alone: every series of bars has its own fill pattern, every line its
// own dash and point shape, and the values are written on the chart (direct labels) besides
// the legend. Each chart has a table beside it with the same figures and the same links.
(function () {
  "use strict";
  // The board report's print button: shown only where it works, with JavaScript.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
  if (typeof window.Chart === "undefined") return;
  var Chart = window.Chart;

  // NHS identity colours, darkest first, each at least 3:1 against white.
  var COLOURS = ["#005eb8", "#d5281b", "#007f3b", "#330072", "#7c2855", "#425563"];
  var DASHES = [[], [8, 4], [2, 3], [12, 4, 2, 4], [4, 4], [1, 6]];
  var POINTS = ["circle", "triangle", "rect", "rectRot", "crossRot", "star"];

  function pattern(index, colour) {
    var size = 10;
    var tile = document.createElement("canvas");
    tile.width = size;
    tile.height = size;
    var ctx = tile.getContext("2d");
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
    ctx.fillStyle = "rgba(255, 255, 255, 0.9)";
    ctx.lineWidth = 2;
    ctx.beginPath();
    switch (index % 6) {
      case 1: // diagonal stripes
        ctx.moveTo(0, size);
        ctx.lineTo(size, 0);
        ctx.moveTo(-size / 2, size / 2);
        ctx.lineTo(size / 2, -size / 2);
        ctx.moveTo(size / 2, size + size / 2);
        ctx.lineTo(size + size / 2, size / 2);
        ctx.stroke();
        break;
      case 2: // dots
        ctx.arc(size / 2, size / 2, 2, 0, 2 * Math.PI);
        ctx.fill();
        break;
      case 3: // horizontal stripes
        ctx.moveTo(0, size / 2);
        ctx.lineTo(size, size / 2);
        ctx.stroke();
        break;
      case 4: // cross-hatch
        ctx.moveTo(0, 0);
        ctx.lineTo(size, size);
        ctx.moveTo(size, 0);
        ctx.lineTo(0, size);
        ctx.stroke();
        break;
      case 5: // vertical stripes
        ctx.moveTo(size / 2, 0);
        ctx.lineTo(size / 2, size);
        ctx.stroke();
        break;
      default: // solid
        break;
    }
    return ctx.createPattern(tile, "repeat");
  }

  function formatted(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "number") {
      var rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
      return rounded.toLocaleString("en-GB");
    }
    return String(value);
  }

  // Writes each bar's value at its end, and each line's name and last value at its last point.
  var directLabels = {
    id: "appDirectLabels",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var horizontal = chart.options.indexAxis === "y";
      ctx.save();
      ctx.font = "12px arial, sans-serif";
      ctx.fillStyle = "#212b32";
      chart.data.datasets.forEach(function (dataset, datasetIndex) {
        var meta = chart.getDatasetMeta(datasetIndex);
        if (meta.hidden) return;
        if (meta.type === "line") {
          var last = meta.data[meta.data.length - 1];
          if (!last) return;
          ctx.textAlign = "right";
          ctx.textBaseline = "bottom";
          var value = dataset.data[dataset.data.length - 1];
          ctx.fillText(dataset.label + ": " + formatted(value), last.x - 4, last.y - 6);
          return;
        }
        if (chart.data.labels.length > 24) return; // too many bars to label each
        meta.data.forEach(function (bar, index) {
          var value = dataset.data[index];
          if (!value) return;
          if (horizontal) {
            ctx.textAlign = "left";
            ctx.textBaseline = "middle";
            ctx.fillText(formatted(value), bar.x + 4, bar.y);
          } else {
            ctx.textAlign = "center";
            ctx.textBaseline = "bottom";
            ctx.fillText(formatted(value), bar.x, bar.y - 2);
          }
        });
      });
      ctx.restore();
    },
  };

  function datasetsOf(spec) {
    return spec.datasets.map(function (dataset, index) {
      var colour = COLOURS[index % COLOURS.length];
      if (spec.kind === "line") {
        return {
          label: dataset.label,
          data: dataset.data,
          borderColor: colour,
          backgroundColor: colour,
          borderDash: DASHES[index % DASHES.length],
          pointStyle: POINTS[index % POINTS.length],
          pointRadius: dataset.data.length > 60 ? 0 : 3,
          borderWidth: 2,
          tension: 0,
        };
      }
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: pattern(index, colour),
        borderColor: colour,
        borderWidth: 1,
      };
    });
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-chart"));
    var canvas = container.querySelector("canvas");
    if (!source || !canvas) return;
    var spec = JSON.parse(source.textContent);
    var horizontal = spec.kind === "hbar";
    var links = spec.links || [];
    var valueAxis = horizontal ? "x" : "y";
    var scales = {
      x: { stacked: !!spec.stacked, title: { display: !!spec.x_title, text: spec.x_title || "" } },
      y: { stacked: !!spec.stacked, title: { display: !!spec.y_title, text: spec.y_title || "" } },
    };
    scales[valueAxis].beginAtZero = true;
    if (spec.percent) {
      scales[valueAxis].max = 100;
    }
    var chart = new Chart(canvas, {
      type: spec.kind === "line" ? "line" : "bar",
      data: { labels: spec.labels, datasets: datasetsOf(spec) },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        responsive: true,
        maintainAspectRatio: true,
        aspectRatio: horizontal ? 1.4 : 2.2,
        layout: { padding: { right: horizontal ? 48 : 16, top: 20 } },
        interaction: { mode: "nearest", intersect: horizontal || spec.kind !== "line" },
        plugins: {
          legend: { display: spec.datasets.length > 1, labels: { usePointStyle: spec.kind === "line" } },
        },
        scales: scales,
        onClick: function (event, elements) {
          if (!elements.length) return;
          var link = links[elements[0].index];
          if (link) window.location.assign(link);
        },
        onHover: function (event, elements) {
          var link = elements.length && links[elements[0].index];
          event.native.target.classList.toggle("app-chart--link", !!link);
        },
      },
      plugins: [directLabels],
    });
    canvas.setAttribute("data-drawn", "true");
    return chart;
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
})();
