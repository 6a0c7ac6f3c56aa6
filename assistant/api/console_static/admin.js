/* Admin page: reps, canned responses, practice settings, audit log. Text only, never HTML. */
"use strict";

(() => {
  const { api, el, say, time } = window.Console;
  const $ = (id) => document.getElementById(id);
  const DAYS = [["mon", "Monday"], ["tue", "Tuesday"], ["wed", "Wednesday"], ["thu", "Thursday"],
    ["fri", "Friday"], ["sat", "Saturday"], ["sun", "Sunday"]];
  let oldestAuditId = null;

  async function run(label, action) {
    try {
      await action();
    } catch (error) {
      say(label + ": " + error.message, true);
    }
  }

  // --- reps -----------------------------------------------------------------------------------
  async function loadReps() {
    const data = await api("GET", "/api/rep/reps");
    $("reps").replaceChildren(...data.reps.map((rep) => {
      const toggle = el("button", {
        type: "button", text: rep.active ? "Deactivate" : "Reactivate",
        onclick: () => run("Could not change " + rep.display_name, async () => {
          await api("PATCH", "/api/rep/reps/" + rep.id, { active: !rep.active });
          await loadReps();
          say(rep.display_name + (rep.active ? " deactivated." : " reactivated."));
        }),
      });
      const role = el("button", {
        type: "button", text: rep.role === "admin" ? "Make rep" : "Make admin",
        onclick: () => run("Could not change " + rep.display_name, async () => {
          await api("PATCH", "/api/rep/reps/" + rep.id, { role: rep.role === "admin" ? "rep" : "admin" });
          await loadReps();
          say(rep.display_name + " is now " + (rep.role === "admin" ? "a rep." : "an admin."));
        }),
      });
      const reset = el("button", {
        type: "button", text: "Set password",
        onclick: () => run("Could not set the password", async () => {
          const password = window.prompt("New password for " + rep.display_name + " (at least 12 characters)");
          if (!password) return;
          await api("PATCH", "/api/rep/reps/" + rep.id, { password });
          say("Password changed; " + rep.display_name + " was signed out everywhere.");
        }),
      });
      return el("tr", {},
        el("td", { text: rep.display_name + (rep.is_demo ? " (demo)" : "") }),
        el("td", { text: rep.email }),
        el("td", { text: rep.role }),
        el("td", { text: rep.active ? "yes" : "no" }),
        el("td", {}, role, " ", toggle, " ", reset));
    }));
  }

  async function addRep(event) {
    event.preventDefault();
    await run("Could not add the rep", async () => {
      await api("POST", "/api/rep/reps", {
        display_name: $("rep-name").value, email: $("rep-email").value,
        password: $("rep-password").value, role: $("rep-role").value,
      });
      event.target.reset();
      await loadReps();
      say("Rep added.");
    });
  }

  // --- canned responses -------------------------------------------------------------------------
  function editCanned(item) {
    $("canned-id").value = item ? String(item.id) : "";
    $("canned-title-input").value = item ? item.title : "";
    $("canned-body").value = item ? item.body : "";
    $("canned-form-title").textContent = item ? "Edit “" + item.title + "”" : "Add a canned response";
    if (item) $("canned-title-input").focus();
  }

  async function loadCanned() {
    const data = await api("GET", "/api/rep/canned-responses");
    $("canned-list").replaceChildren(...data.canned_responses.map((item) => el("li", {},
      el("strong", { text: item.title }), ": ", el("span", { text: item.body }), " ",
      el("button", { type: "button", text: "Edit", onclick: () => editCanned(item) }), " ",
      el("button", {
        type: "button", text: "Delete",
        onclick: () => run("Could not delete", async () => {
          await api("DELETE", "/api/rep/canned-responses/" + item.id);
          await loadCanned();
          say("Deleted “" + item.title + "”.");
        }),
      }))));
  }

  async function saveCanned(event) {
    event.preventDefault();
    await run("Could not save", async () => {
      const id = $("canned-id").value;
      const body = { title: $("canned-title-input").value, body: $("canned-body").value };
      await api(id ? "PATCH" : "POST", "/api/rep/canned-responses" + (id ? "/" + id : ""), body);
      editCanned(null);
      await loadCanned();
      say("Canned response saved.");
    });
  }

  // --- settings -------------------------------------------------------------------------------
  function hoursText(ranges) {
    return (ranges || []).map((pair) => pair[0] + "-" + pair[1]).join(", ");
  }

  function parseHours(text) {
    return text.split(",").map((part) => part.trim()).filter(Boolean).map((part) => {
      const match = part.match(/^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/);
      if (!match) throw new Error("“" + part + "” is not a range like 09:00-17:00");
      const pad = (value) => (value.length === 4 ? "0" + value : value);
      return [pad(match[1]), pad(match[2])];
    });
  }

  async function loadSettings() {
    const settings = await api("GET", "/api/rep/settings");
    $("hours-fields").replaceChildren(...DAYS.map(([key, name]) => el("p", {},
      el("label", { for: "hours-" + key, text: name }),
      el("input", { id: "hours-" + key, value: hoursText(settings.business_hours[key]), placeholder: "closed" }))));
    $("timezone").value = settings.timezone;
    $("response-window").value = settings.response_window_minutes;
    $("cancel-window").value = settings.cancellation_window_hours;
    $("cancel-fee").value = (settings.late_cancel_fee_cents / 100).toFixed(2);
    $("oncall").value = settings.oncall_e164 || "";
    $("front-desk-numbers").value = settings.front_desk_numbers.join(", ");
    $("voice-name").value = settings.voice_name || "";
    $("voice-greeting").value = settings.voice_greeting || "";
  }

  async function saveSettings(event) {
    event.preventDefault();
    await run("Could not save the settings", async () => {
      const hours = {};
      for (const [key] of DAYS) {
        const ranges = parseHours($("hours-" + key).value);
        if (ranges.length) hours[key] = ranges;
      }
      await api("PATCH", "/api/rep/settings", {
        business_hours: hours, timezone: $("timezone").value.trim(),
        response_window_minutes: Number($("response-window").value),
        cancellation_window_hours: Number($("cancel-window").value),
        late_cancel_fee_cents: Math.round(Number($("cancel-fee").value) * 100),
        oncall_e164: $("oncall").value.trim() || null,
        front_desk_numbers: $("front-desk-numbers").value.split(",").map((part) => part.trim()).filter(Boolean),
        voice_name: $("voice-name").value.trim() || null,
        voice_greeting: $("voice-greeting").value.trim() || null,
      });
      // Re-read first: the confirmation appears once the form shows what was stored.
      await loadSettings();
      say("Settings saved.");
    });
  }

  // --- audit ----------------------------------------------------------------------------------
  async function loadAudit(more) {
    const query = more && oldestAuditId ? "?before_id=" + oldestAuditId : "";
    const data = await api("GET", "/api/rep/audit" + query);
    const rows = data.events.map((event) => el("tr", {},
      el("td", { text: time(event.at) }), el("td", { text: event.actor }), el("td", { text: event.action }),
      el("td", { text: event.subject_type + " " + event.subject_id }),
      el("td", { text: Object.keys(event.details).length ? JSON.stringify(event.details) : "" })));
    if (more) $("audit").append(...rows);
    else $("audit").replaceChildren(...rows);
    if (data.events.length) oldestAuditId = data.events[data.events.length - 1].id;
    $("audit-more").disabled = data.events.length === 0;
  }

  $("rep-form").addEventListener("submit", addRep);
  $("canned-form").addEventListener("submit", saveCanned);
  $("canned-cancel").addEventListener("click", () => editCanned(null));
  $("settings-form").addEventListener("submit", saveSettings);
  $("audit-more").addEventListener("click", () => run("Could not load", () => loadAudit(true)));
  $("enable-alerts").hidden = true;
  Promise.all([loadReps(), loadCanned(), loadSettings(), loadAudit(false)])
    .catch((error) => say(error.message, true));
})();
