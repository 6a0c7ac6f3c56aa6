/* The insights page: one request to /api/rep/insights, every panel drawn from it with the same code.
 *
 * The response describes each panel generically (assistant/api/schemas/rep_insights.py): a chart kind,
 * series of {x, y} points, a table that is exactly those series, figures and links.  So a panel added
 * on the server shows up here without a change.  Every chart has its numbers as a real <table> behind
 * "Show data", and a CSV download of that same table (served by /api/rep/insights/{panel}.csv).
 * Colours pass WCAG contrast against white and are never the only cue: bars carry patterns, lines
 * carry dash styles and point shapes, and every series is named in the legend and the table.
 */
"use strict";

(() => {
  const { api, el, say } = window.Console;
  const Chart = window.Chart;

  // Each at least 4.9:1 against white (WCAG 1.4.11 asks 3:1 of graphics).
  const COLOURS = ["#1f5fa8", "#b3541e", "#1b7f5a", "#8e3b8e", "#5f6b7a", "#a0331f", "#5a4fcf", "#7a6000", "#2e6f8e"];
  const PATTERNS = ["solid", "diagonal", "dots", "cross", "horizontal", "vertical", "back-diagonal", "grid", "zigzag"];
  const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3], [12, 6], [4, 2, 4, 6]];
  const POINTS = ["circle", "triangle", "rect", "rectRot", "star", "crossRot"];
  const HEAT = [31, 95, 168]; // #1f5fa8: darker cells are more messages
  const UNIT_SUFFIX = { percent: "%", minutes: " min", count: "" };
  const UNIT_TITLE = { percent: "Percent", minutes: "Minutes", count: "Count" };
  const CHANNEL_NAMES = { all: "all channels", web: "web chat", sms: "SMS", voice: "voice" };

  const state = { range: "30", from: null, to: null, channel: "all", today: null, request: 0 };
  const charts = [];

  if (Chart) {
    Chart.defaults.color = "#1b2430";
    Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", sans-serif';
    Chart.defaults.animation = false; // no motion to wait for, and nothing for reduced-motion users to stop
  }

  /* A small repeating tile: the colour with white marks, so stacked bars differ without colour. */
  function pattern(colour, index) {
    const kind = PATTERNS[index % PATTERNS.length];
    if (kind === "solid") return colour;
    const size = 10;
    const tile = document.createElement("canvas");
    tile.width = tile.height = size;
    const ctx = tile.getContext("2d");
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = "rgba(255,255,255,0.85)";
    ctx.fillStyle = "rgba(255,255,255,0.85)";
    ctx.lineWidth = 2;
    const line = (x1, y1, x2, y2) => { ctx.beginPath(); ctx.moveTo(x1, y1); ctx.lineTo(x2, y2); ctx.stroke(); };
    if (kind === "diagonal") { line(0, size, size, 0); line(-2, 2, 2, -2); line(size - 2, size + 2, size + 2, size - 2); }
    if (kind === "back-diagonal") { line(0, 0, size, size); line(-2, size - 2, 2, size + 2); line(size - 2, -2, size + 2, 2); }
    if (kind === "dots") { ctx.beginPath(); ctx.arc(size / 2, size / 2, 2, 0, 2 * Math.PI); ctx.fill(); }
    if (kind === "cross") { line(0, 0, size, size); line(0, size, size, 0); }
    if (kind === "horizontal") line(0, size / 2, size, size / 2);
    if (kind === "vertical") line(size / 2, 0, size / 2, size);
    if (kind === "grid") { line(0, size / 2, size, size / 2); line(size / 2, 0, size / 2, size); }
    if (kind === "zigzag") { ctx.beginPath(); ctx.moveTo(0, 7); ctx.lineTo(size / 2, 3); ctx.lineTo(size, 7); ctx.stroke(); }
    return ctx.createPattern(tile, "repeat");
  }

  function formatValue(value, unit) {
    if (value === null || value === undefined) return "no data";
    if (unit === "count") return Math.round(value).toLocaleString("en-US");
    const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
    return `${rounded.toLocaleString("en-US")}${UNIT_SUFFIX[unit] || ""}`;
  }

  function cell(value) {
    if (value === null || value === undefined) return "no data";
    return typeof value === "number" ? value.toLocaleString("en-US", { maximumFractionDigits: 1 }) : String(value);
  }

  function query() {
    const params = new URLSearchParams();
    if (state.from && state.to) {
      params.set("from", state.from);
      params.set("to", state.to);
    }
    params.set("channel", state.channel);
    return params.toString();
  }

  function isoDay(date) {
    return date.toISOString().slice(0, 10);
  }

  function daysBefore(day, days) {
    const date = new Date(`${day}T12:00:00Z`); // noon: no daylight-saving edge moves the date
    date.setUTCDate(date.getUTCDate() - days);
    return isoDay(date);
  }

  /* The presets count back from the practice's today (the server's default period ends on it). */
  function presetRange(days) {
    if (!state.today) return [null, null];
    return [daysBefore(state.today, days - 1), state.today];
  }

  function chartConfig(panel) {
    const labels = panel.series.length ? panel.series[0].points.map((point) => point.x) : [];
    const yTitle = { display: true, text: UNIT_TITLE[panel.unit] || "" };
    const legend = { position: "bottom", labels: { boxWidth: 14, usePointStyle: panel.chart === "line" } };
    const tooltip = { callbacks: { label: (item) => `${item.dataset.label}: ${formatValue(item.raw, panel.unit)}` } };
    // "2026-11-02" reads as "11-02" on the axis (the table keeps the full date).
    const xTicks = {
      maxRotation: 0, autoSkip: true, autoSkipPadding: 12,
      callback(value) {
        const label = this.getLabelForValue(value);
        return /^\d{4}-\d{2}-\d{2}$/.test(label) ? label.slice(5) : label;
      },
    };
    if (panel.chart === "heatmap") return heatmapConfig(panel);
    const stacked = panel.chart === "stacked_bar";
    const datasets = panel.series.map((series, index) => {
      const colour = COLOURS[index % COLOURS.length];
      const data = series.points.map((point) => point.y);
      if (panel.chart === "line") {
        return {
          label: series.name, data, borderColor: colour, backgroundColor: colour, borderWidth: 2,
          borderDash: DASHES[index % DASHES.length], pointStyle: POINTS[index % POINTS.length],
          pointRadius: labels.length > 40 ? 2 : 4, spanGaps: false,
        };
      }
      return { label: series.name, data, backgroundColor: pattern(colour, index), borderColor: colour, borderWidth: 1 };
    });
    const y = { beginAtZero: true, stacked, title: yTitle, ticks: panel.unit === "count" ? { precision: 0 } : {} };
    if (panel.unit === "percent") y.suggestedMax = 100;
    return {
      type: panel.chart === "line" ? "line" : "bar",
      data: { labels, datasets },
      options: {
        responsive: true, maintainAspectRatio: false,
        scales: { x: { stacked, ticks: xTicks, title: { display: true, text: panel.x_label } }, y },
        plugins: { legend, tooltip },
      },
    };
  }

  /* Weekday x hour: one series per weekday, one point per local hour "00".."23". */
  function heatmapConfig(panel) {
    const days = panel.series.map((series) => series.name);
    const hours = panel.series.length ? panel.series[0].points.map((point) => point.x) : [];
    const data = [];
    for (const series of panel.series) {
      for (const point of series.points) data.push({ x: point.x, y: series.name, v: point.y || 0 });
    }
    const most = Math.max(1, ...data.map((item) => item.v));
    return {
      type: "matrix",
      data: {
        datasets: [{
          label: panel.title, data,
          backgroundColor: (context) => {
            const item = context.dataset.data[context.dataIndex];
            const share = item ? item.v / most : 0;
            return `rgba(${HEAT.join(",")},${item && item.v > 0 ? 0.12 + 0.88 * share : 0.03})`;
          },
          borderColor: "#d7dde4", borderWidth: 1,
          width: ({ chart }) => ((chart.chartArea || {}).width || 0) / Math.max(1, hours.length) - 1,
          height: ({ chart }) => ((chart.chartArea || {}).height || 0) / Math.max(1, days.length) - 1,
        }],
      },
      options: {
        responsive: true, maintainAspectRatio: false,
        scales: {
          x: { type: "category", labels: hours, offset: true, grid: { display: false },
            ticks: { maxRotation: 0, autoSkip: true }, title: { display: true, text: panel.x_label } },
          y: { type: "category", labels: days, offset: true, reverse: true, grid: { display: false } }, // Mon on top
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { title: () => "", label: (item) => `${item.raw.y} ${item.raw.x}:00: ${formatValue(item.raw.v, "count")}` } },
        },
      },
    };
  }

  function table(panel, id) {
    const head = el("tr", {}, ...panel.table.columns.map((name) => el("th", { scope: "col", text: name })));
    const rows = panel.table.rows.map((row) =>
      el("tr", {}, el("th", { scope: "row", text: cell(row[0]) }), ...row.slice(1).map((value) => el("td", { text: cell(value) }))));
    return el("div", { class: "table-wrap", id, hidden: true },
      el("table", {}, el("caption", { text: panel.table.caption }), el("thead", {}, head), el("tbody", {}, ...rows)));
  }

  function figures(panel) {
    if (!panel.figures.length) return null;
    return el("dl", { class: "figures" }, ...panel.figures.map((figure) =>
      el("div", {}, el("dt", { text: figure.label }), el("dd", { text: formatValue(figure.value, figure.unit) }))));
  }

  function renderPanel(panel) {
    const id = `panel-${panel.key}`;
    const tableId = `${id}-table`;
    const toggle = el("button", { type: "button", class: "show-data", "aria-expanded": "false", "aria-controls": tableId },
      "Show data", el("span", { class: "visually-hidden", text: ` for ${panel.title}` }));
    const csv = el("a", { class: "csv", href: `/api/rep/insights/${encodeURIComponent(panel.key)}.csv?${query()}`, download: "" },
      "Download CSV", el("span", { class: "visually-hidden", text: ` of ${panel.title}` }));
    const links = panel.links
      .filter((link) => link.href.startsWith("/console")) // drill-downs stay in the console's audited views
      .map((link) => el("a", { href: link.href, text: link.label }));
    const used = panel.status !== "not_yet_used";
    const canvas = used ? el("canvas", {
      role: "img", "data-panel": panel.key,
      "aria-label": `${panel.title} chart. Its numbers are in the table under "Show data".`,
    }) : null;
    const tableBox = table(panel, tableId);
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      toggle.firstChild.textContent = open ? "Hide data" : "Show data";
      tableBox.hidden = !open;
    });
    const section = el("section", { class: `panel ${panel.chart}`, id, "aria-labelledby": `${id}-title`, "data-status": panel.status },
      el("h2", { id: `${id}-title`, text: panel.title }),
      el("p", { class: "headline" },
        el("span", { class: "headline-value", text: formatValue(panel.headline.value, panel.headline.unit) }),
        el("span", { class: "headline-label", text: panel.headline.label })),
      el("p", { class: "definition", text: panel.definition }),
      used ? el("div", { class: "chart-box" }, canvas)
        : el("p", { class: "not-yet-used", text: `Not yet used: nothing on ${CHANNEL_NAMES[state.channel] || "this channel"} in this period.` }),
      panel.chart === "heatmap" && used ? el("p", { class: "heat-key", text: "Darker squares: more messages. Exact counts are in the table." }) : null,
      figures(panel),
      el("p", { class: "panel-actions" }, toggle, csv, ...links),
      tableBox);
    return { section, canvas };
  }

  function render(data) {
    while (charts.length) charts.pop().destroy();
    const holder = document.getElementById("panels");
    const drawn = data.panels.map(renderPanel);
    holder.replaceChildren(...drawn.map((item) => item.section));
    data.panels.forEach((panel, index) => {
      const canvas = drawn[index].canvas;
      if (canvas && Chart) charts.push(new Chart(canvas, chartConfig(panel)));
    });
    holder.setAttribute("aria-busy", "false");
    const range = data.range;
    document.getElementById("range-summary").textContent =
      `${data.practice_name}: ${range.date_from} to ${range.date_to} (${range.days} days, by ${range.bucket}), ` +
      `${CHANNEL_NAMES[range.channel] || range.channel}; days and hours in ${range.timezone}.`;
    document.getElementById("insights").dataset.from = range.date_from;
    document.getElementById("insights").dataset.to = range.date_to;
  }

  async function load() {
    const request = ++state.request;
    document.getElementById("panels").setAttribute("aria-busy", "true");
    say("Loading…");
    try {
      const data = await api("GET", `/api/rep/insights?${query()}`);
      if (request !== state.request) return; // a newer choice is on its way
      state.today = todayIn(data.range.timezone) || data.range.date_to;
      render(data);
      remember(data.range);
      say("");
    } catch (error) {
      if (request === state.request) say(`Could not load insights: ${error.message}`, true);
    }
  }

  /* Today's date at the practice ("YYYY-MM-DD"), whatever the browser's own zone. */
  function todayIn(zone) {
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
        .format(new Date());
    } catch (error) {
      return null;
    }
  }

  /* The choice is kept in the address, so a view can be bookmarked or forwarded as it is. */
  function remember(range) {
    const params = new URLSearchParams({ range: state.range, from: range.date_from, to: range.date_to, channel: state.channel });
    window.history.replaceState(null, "", `${window.location.pathname}?${params}`);
  }

  function restore() {
    const params = new URLSearchParams(window.location.search);
    const day = /^\d{4}-\d{2}-\d{2}$/;
    const range = params.get("range");
    if (["7", "30", "90", "custom"].includes(range)) state.range = range;
    state.today = todayIn(document.getElementById("insights").dataset.timezone);
    if (state.range === "custom" && day.test(params.get("from") || "") && day.test(params.get("to") || "")) {
      state.from = params.get("from");
      state.to = params.get("to");
    } else if (state.range === "custom") {
      state.range = "30";
    }
    if (state.range !== "custom") [state.from, state.to] = presetRange(Number(state.range)); // counted from today
    const channel = params.get("channel");
    if (["all", "web", "sms", "voice"].includes(channel)) state.channel = channel;
    const radio = document.querySelector(`input[name="range"][value="${state.range}"]`);
    if (radio) radio.checked = true;
    document.getElementById("channel").value = state.channel;
    if (state.range === "custom") {
      document.getElementById("custom-range").hidden = false;
      document.getElementById("range-from").value = state.from || "";
      document.getElementById("range-to").value = state.to || "";
    }
  }

  function chooseRange(value) {
    state.range = value;
    const custom = document.getElementById("custom-range");
    custom.hidden = value !== "custom";
    if (value === "custom") {
      const [from, to] = state.from ? [state.from, state.to] : presetRange(30);
      document.getElementById("range-from").value = from || "";
      document.getElementById("range-to").value = to || "";
      return; // applied with "Show"
    }
    [state.from, state.to] = presetRange(Number(value));
    load();
  }

  function applyCustom(event) {
    event.preventDefault();
    if (state.range !== "custom") return;
    const from = document.getElementById("range-from").value;
    const to = document.getElementById("range-to").value;
    if (!from || !to) return say("Choose both a first and a last day.", true);
    if (from > to) return say("The first day must not be after the last day.", true);
    state.from = from;
    state.to = to;
    load();
  }

  document.querySelectorAll('input[name="range"]').forEach((radio) =>
    radio.addEventListener("change", () => { if (radio.checked) chooseRange(radio.value); }));
  document.getElementById("insights-filters").addEventListener("submit", applyCustom);
  document.getElementById("channel").addEventListener("change", (event) => {
    state.channel = event.target.value;
    load();
  });
  restore();
  load();
})();
