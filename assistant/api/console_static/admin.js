/* Admin page: reps, canned responses, practice settings, audit log. Text only, never HTML. */
"use strict";

(() => {
  const { api, el, say, fieldErrors, setZone } = window.Console;
  const $ = (id) => document.getElementById(id);
  const DAYS = [["mon", "Monday"], ["tue", "Tuesday"], ["wed", "Wednesday"], ["thu", "Thursday"],
    ["fri", "Friday"], ["sat", "Saturday"], ["sun", "Sunday"]];
  let nextAuditId = null;

  async function run(label, action) {
    try {
      await action();
    } catch (error) {
      say(label + ": " + error.message, true);
    }
  }

  /* The browser's own modal dialog (<dialog>.showModal): focus stays inside, Escape cancels, and
     focus goes back to the button that opened it. Resolves true only for "yes". */
  function confirmAction(title, text, yesLabel) {
    const dialog = $("confirm-dialog");
    $("confirm-dialog-title").textContent = title;
    $("confirm-dialog-text").textContent = text;
    $("confirm-yes").textContent = yesLabel;
    const opener = document.activeElement;
    dialog.returnValue = "";
    dialog.showModal();
    $("confirm-no").focus();  // the safe choice is the default
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => {
        if (opener && opener.isConnected) opener.focus();
        resolve(dialog.returnValue === "yes");
      }, { once: true });
    });
  }

  // Errors the server names by field, mapped to the inputs that hold them.
  function errorsFor(error, idsByField) {
    const errors = {};
    for (const [field, message] of Object.entries(error.fields || {})) {
      if (idsByField[field]) errors[idsByField[field]] = message;
    }
    return errors;
  }

  let passwordFor = null;  // the rep whose password the dialog sets
  function askPassword(rep) {
    passwordFor = rep;
    $("password-dialog-title").textContent = "Set a password for " + rep.display_name;
    $("password-form").reset();
    fieldErrors($("password-form"), {});
    $("password-dialog").showModal();
    $("new-password").focus();
  }

  async function savePassword(event) {
    event.preventDefault();
    const form = $("password-form");
    const password = $("new-password").value;
    const problems = {};
    if (password.length < 12) problems["new-password"] = "Use at least 12 characters.";
    else if ($("new-password-again").value !== password) problems["new-password-again"] = "The two passwords differ.";
    if (fieldErrors(form, problems)) return;
    const rep = passwordFor;
    try {
      await api("PATCH", "/api/rep/reps/" + rep.id, { password });
    } catch (error) {
      if (!fieldErrors(form, errorsFor(error, { password: "new-password" }))) {
        fieldErrors(form, { "new-password": error.message });
      }
      return;
    }
    $("password-dialog").close();
    say("Password changed; " + rep.display_name + " was signed out everywhere.");
  }

  // --- reps -----------------------------------------------------------------------------------
  async function loadReps() {
    const data = await api("GET", "/api/rep/reps");
    $("reps").replaceChildren(...data.reps.map((rep) => {
      const toggle = el("button", {
        type: "button", text: rep.active ? "Deactivate" : "Reactivate",
        onclick: () => run("Could not change " + rep.display_name, async () => {
          if (rep.active && !await confirmAction("Deactivate " + rep.display_name + "?",
            rep.display_name + " is signed out and can no longer sign in. You can reactivate them later.", "Deactivate")) return;
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
        onclick: () => askPassword(rep),
      });
      return el("tr", {},
        el("td", { "data-label": "Name", text: rep.display_name + (rep.is_demo ? " (demo)" : "") }),
        el("td", { "data-label": "Email", class: "email", text: rep.email }),
        el("td", { "data-label": "Role", text: rep.role }),
        el("td", { "data-label": "Active", text: rep.active ? "yes" : "no" }),
        el("td", { class: "row-actions" }, role, " ", toggle, " ", reset));
    }));
  }

  async function addRep(event) {
    event.preventDefault();
    const form = event.target;
    await run("Could not add the rep", async () => {
      fieldErrors(form, {});
      try {
        await api("POST", "/api/rep/reps", {
          display_name: $("rep-name").value, email: $("rep-email").value,
          password: $("rep-password").value, role: $("rep-role").value,
        });
      } catch (error) {
        const ids = { display_name: "rep-name", email: "rep-email", password: "rep-password", role: "rep-role" };
        const named = errorsFor(error, ids);
        // The service's own refusals are sentences: an email already in use belongs to the email field.
        if (!Object.keys(named).length && /email/i.test(error.message)) named["rep-email"] = error.message;
        if (fieldErrors(form, named)) { say("Could not add the rep: see the form.", true); return; }
        throw error;
      }
      form.reset();
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
      el("button", { type: "button", text: "Edit", "aria-label": "Edit “" + item.title + "”", onclick: () => editCanned(item) }), " ",
      el("button", {
        type: "button", text: "Delete",
        "aria-label": "Delete “" + item.title + "”",
        onclick: () => run("Could not delete", async () => {
          if (!await confirmAction("Delete “" + item.title + "”?", "Reps will no longer be able to pick it. This cannot be undone.", "Delete")) return;
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
    setZone(settings.timezone);
    $("response-window").value = settings.response_window_minutes;
    $("cancel-window").value = settings.cancellation_window_hours;
    $("cancel-fee").value = (settings.late_cancel_fee_cents / 100).toFixed(2);
    $("dialogue-retention").value = settings.dialogue_retention_days;
    $("closure-sms").checked = settings.closure_sms_enabled;
    $("oncall").value = settings.oncall_e164 || "";
    $("front-desk-numbers").value = settings.front_desk_numbers.join(", ");
    $("voice-name").value = settings.voice_name || "";
    $("voice-greeting").value = settings.voice_greeting || "";
  }

  async function saveSettings(event) {
    event.preventDefault();
    const form = event.target;
    await run("Could not save the settings", async () => {
      fieldErrors(form, {});
      const hours = {};
      const wrong = {};
      for (const [key] of DAYS) {
        try {
          const ranges = parseHours($("hours-" + key).value);
          if (ranges.length) hours[key] = ranges;
        } catch (error) {
          wrong["hours-" + key] = error.message;
        }
      }
      if (fieldErrors(form, wrong)) throw new Error(Object.values(wrong)[0]);
      const settingsIds = {
        timezone: "timezone", response_window_minutes: "response-window", cancellation_window_hours: "cancel-window",
        late_cancel_fee_cents: "cancel-fee", dialogue_retention_days: "dialogue-retention", closure_sms_enabled: "closure-sms", oncall_e164: "oncall", front_desk_numbers: "front-desk-numbers",
        voice_name: "voice-name", voice_greeting: "voice-greeting",
      };
      try {
        await api("PATCH", "/api/rep/settings", {
          business_hours: hours, timezone: $("timezone").value.trim(),
          response_window_minutes: Number($("response-window").value),
          cancellation_window_hours: Number($("cancel-window").value),
          late_cancel_fee_cents: Math.round(Number($("cancel-fee").value) * 100),
          dialogue_retention_days: Number($("dialogue-retention").value),
          closure_sms_enabled: $("closure-sms").checked,
          oncall_e164: $("oncall").value.trim() || null,
          front_desk_numbers: $("front-desk-numbers").value.split(",").map((part) => part.trim()).filter(Boolean),
          voice_name: $("voice-name").value.trim() || null,
          voice_greeting: $("voice-greeting").value.trim() || null,
        });
      } catch (error) {
        const named = errorsFor(error, settingsIds);
        // The service's refusals are sentences that start with what they are about ("timezone ...").
        const about = Object.keys(settingsIds).find((field) => error.message.toLowerCase().startsWith(field.replace(/_/g, " ")));
        if (!Object.keys(named).length && about) named[settingsIds[about]] = error.message;
        fieldErrors(form, named);
        throw error;
      }
      // Re-read first: the confirmation appears once the form shows what was stored.
      await loadSettings();
      say("Settings saved.");
    });
  }

  // --- audit ----------------------------------------------------------------------------------
  // The server writes times in the practice's zone (at_text) and the labels (action_label): one
  // place for both, so this page, the CSV and any other reader agree.
  function auditQuery(beforeId) {
    const params = new URLSearchParams();
    const pairs = [["rep_id", $("audit-rep").value], ["action", $("audit-action").value],
      ["since", $("audit-since").value], ["until", $("audit-until").value]];
    for (const [key, value] of pairs) if (value) params.set(key, value);
    if (beforeId) params.set("before_id", String(beforeId));
    return params;
  }

  function auditRow(event) {
    const who = event.actor_email
      ? el("span", {}, el("span", { text: event.actor_name }), el("br"), el("span", { class: "hint email", text: event.actor_email }))
      : el("span", { text: event.actor_name });
    const client = event.client_name && event.conversation_id
      ? el("a", { href: "/console#conversation=" + encodeURIComponent(event.conversation_id), text: event.client_name })
      : event.client_name || "";
    const details = Object.keys(event.details).length ? JSON.stringify(event.details) : "";
    return el("tr", {},
      el("td", { "data-label": "When" }, el("time", { datetime: event.at, text: event.at_text })),
      el("td", { "data-label": "Who" }, who),
      el("td", { "data-label": "What", text: event.action_label }),
      el("td", { "data-label": "Client" }, client),
      el("td", { "data-label": "Details", text: details }));
  }

  function fillAuditChoices(data, reps) {
    if ($("audit-action").options.length > 1) return;
    $("audit-action").append(...data.actions.map((item) => el("option", { value: item.action, text: item.label })));
    $("audit-rep").append(...reps.map((rep) => el("option", { value: String(rep.id), text: rep.display_name + " (" + rep.email + ")" })));
  }

  async function loadAudit(more) {
    const since = $("audit-since").value;
    const until = $("audit-until").value;
    const problem = since && until && since > until ? "The “From” date must be on or before the “To” date." : "";
    $("audit-filters-error").textContent = problem;
    $("audit-filters-error").hidden = !problem;
    $("audit-until").setAttribute("aria-invalid", problem ? "true" : "false");
    if (problem) { $("audit-until").setAttribute("aria-describedby", "audit-filters-error"); return; }
    $("audit-until").removeAttribute("aria-describedby");
    const query = auditQuery(more ? nextAuditId : null);
    const data = await api("GET", "/api/rep/audit?" + query.toString());
    if (!more) fillAuditChoices(data, (await api("GET", "/api/rep/reps")).reps);
    const rows = data.events.map(auditRow);
    if (more) $("audit").append(...rows);
    else $("audit").replaceChildren(...rows);
    nextAuditId = data.next_before_id;
    $("audit-more").disabled = !nextAuditId;
    $("audit-empty").hidden = $("audit").children.length > 0;
    const exportQuery = auditQuery(null).toString();
    $("audit-export").href = "/api/rep/audit.csv" + (exportQuery ? "?" + exportQuery : "");
  }

  $("rep-form").addEventListener("submit", addRep);
  $("canned-form").addEventListener("submit", saveCanned);
  $("canned-cancel").addEventListener("click", () => editCanned(null));
  $("settings-form").addEventListener("submit", saveSettings);
  $("password-form").addEventListener("submit", savePassword);
  $("password-cancel").addEventListener("click", () => $("password-dialog").close());
  $("audit-more").addEventListener("click", () => run("Could not load", () => loadAudit(true)));
  $("audit-filters").addEventListener("submit", (event) => {
    event.preventDefault();
    run("Could not load the audit log", () => loadAudit(false));
  });
  $("audit-clear").addEventListener("click", () => {
    $("audit-filters").reset();
    run("Could not load the audit log", () => loadAudit(false));
  });
  if ($("enable-alerts")) $("enable-alerts").hidden = true;  // alerts live on the queue page (header.html)
  Promise.all([loadReps(), loadCanned(), loadSettings(), loadAudit(false)])
    .catch((error) => say(error.message, true));
})();
