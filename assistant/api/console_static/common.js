/* Shared by the console pages: the API helper and safe DOM building (text only, never HTML). */
"use strict";

window.Console = (() => {
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : "";

  class ApiError extends Error {
    /* `fields`: field name -> what is wrong with it, when the server said which field. */
    constructor(status, detail, fields) {
      super(detail);
      this.status = status;
      this.fields = fields || {};
    }
  }

  // FastAPI's validation errors are a list of {loc, msg}: keep them per field so a form can
  // show each one next to its field, and make a readable sentence of them for the status line.
  function describe(detail) {
    if (!Array.isArray(detail)) return { message: detail ? String(detail) : "", fields: {} };
    const fields = {};
    for (const item of detail) {
      const name = String((item.loc || []).slice(-1)[0] || "");
      const text = String(item.msg || "is not valid").replace(/^Value error, /, "");
      if (name && !fields[name]) fields[name] = text;
    }
    const message = Object.entries(fields).map(([name, text]) => name.replace(/_/g, " ") + ": " + text).join("; ");
    return { message: message || "The form has errors.", fields };
  }

  async function api(method, path, body) {
    const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") options.headers["X-CSRF-Token"] = csrf;
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    if (response.status === 401) {
      window.location.assign("/console/sign-in");
      throw new ApiError(401, "signed out");
    }
    const type = response.headers.get("content-type") || "";
    const data = type.includes("application/json") ? await response.json() : null;
    if (!response.ok) {
      const { message, fields } = describe(data && data.detail);
      throw new ApiError(response.status, message || response.statusText, fields);
    }
    return data;
  }

  /* el("li", {class: "x", text: "..."}, child, "text") — strings always become text nodes. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function say(message, isError) {
    const status = document.getElementById("status");
    if (!status) return;
    status.textContent = message;
    status.classList.toggle("error", Boolean(isError));
    // A bar fixed to the bottom keeps exactly its height free under the page, however many lines
    // the message takes (a phone wraps it), so it never covers the last of the content; a status
    // line in the page's flow (the queue's, "in-flow") covers nothing and needs no room kept.
    if (status.classList.contains("in-flow")) return;
    document.body.style.paddingBottom = message ? status.offsetHeight + "px" : "";
  }

  /* Field-level errors: `errors` maps an input's id to what is wrong with it. Each message sits
     right after its field, is tied to it by aria-describedby, and the field is marked invalid;
     errors from an earlier try are cleared first. Returns whether any error was shown. */
  function fieldErrors(form, errors) {
    form.querySelectorAll(".field-error[data-for]").forEach((node) => {
      const input = document.getElementById(node.dataset.for);
      if (input) { input.removeAttribute("aria-invalid"); input.removeAttribute("aria-describedby"); }
      node.remove();
    });
    let first = null;
    for (const [id, message] of Object.entries(errors || {})) {
      const input = document.getElementById(id);
      if (!input || !form.contains(input)) continue;
      const note = el("p", { class: "error field-error", id: id + "-error", "data-for": id, text: message });
      input.after(note);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", note.id);
      first = first || input;
    }
    if (first) first.focus();
    return first !== null;
  }

  // Dates and times in the practice's time zone (set once the page knows it), never the
  // browser's: a rep working from another zone reads the same clock as the practice.
  let practiceZone;
  function setZone(zone) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      practiceZone = zone;
    } catch (error) {
      practiceZone = undefined;  // an unknown zone: the browser's, rather than nothing
    }
  }

  /* "Tue Dec 1, 7:10 AM" (the year too when it is not this year). */
  function time(iso) {
    if (!iso) return "";
    const moment = new Date(iso);
    const options = { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZone: practiceZone };
    if (moment.getFullYear() !== new Date().getFullYear()) options.year = "numeric";
    const part = {};
    for (const { type, value } of new Intl.DateTimeFormat("en-US", options).formatToParts(moment)) part[type] = value;
    const day = part.weekday + " " + part.month + " " + part.day + (part.year ? ", " + part.year : "");
    return day + ", " + part.hour + ":" + part.minute + " " + part.dayPeriod;
  }

  /* "just now", "12 min ago", "3 h ago"; beyond a day the full date says more. */
  function ago(iso, nowMs) {
    if (!iso) return "";
    const minutes = Math.floor(((nowMs || Date.now()) - Date.parse(iso)) / 60000);
    if (minutes < 1) return "just now";
    if (minutes < 60) return minutes + " min ago";
    if (minutes < 24 * 60) return Math.floor(minutes / 60) + " h ago";
    return time(iso);
  }

  /* A full date, with how long ago when that helps: "Tue Dec 1, 7:10 AM · 12 min ago". */
  function when(iso, nowMs) {
    const relative = ago(iso, nowMs);
    const full = time(iso);
    return relative && relative !== full ? full + " · " + relative : full;
  }

  return { api, el, say, time, ago, when, setZone, fieldErrors, ApiError, csrf };
})();
