/* Outreach in the console: the conversation sidebar's history, controls and no-show action
   (window.ConsoleOutreach.render, called by console.js), and the outreach page's dropped-off
   worklist and rules editor. Text only, never HTML. */
"use strict";

window.ConsoleOutreach = (() => {
  const { api, el, say, time } = window.Console;
  const $ = (id) => document.getElementById(id);
  const KINDS = {
    reminder: "Reminder", booking_confirmation: "Booking confirmation", no_show: "No-show follow-up",
    cancelled_not_rebooked: "Cancellation follow-up", no_next_session: "Next-session nudge",
    dropped_off_checkin: "Check-in", manual_checkin: "Check-in (by a person)",
  };
  const REASONS = {
    no_sms_consent: "no SMS consent", opted_out: "opted out", do_not_contact: "do not contact",
    paused: "outreach paused", discharged: "discharged", daily_limit: "already texted today",
    weekly_limit: "3 texts this week already", stale: "too late to send", rescheduled: "session moved",
    rebooked: "rebooked", rule_off: "rule turned off", no_mobile: "no mobile on file",
  };

  function detailText(error) {
    // A 422 from field validation carries a list, which Error turns into "[object Object]".
    const detail = error && error.message;
    return !detail || detail.includes("[object Object]") ? "check the values" : detail;
  }

  /* --- sidebar ------------------------------------------------------------------------------ */
  let clientId = null;

  function entryText(entry) {
    const parts = [KINDS[entry.kind] || entry.kind, time(entry.decided_at || entry.due_at)];
    if (entry.state === "sent") {
      parts.push(entry.delivered ? "delivered" : "sent" + (entry.delivery_status && entry.delivery_status !== "sent"
        ? " (" + entry.delivery_status + ")" : ""));
      if (entry.replied_at) parts.push("replied");
      if (entry.confirmed_at) parts.push("confirmed");
    } else if (entry.state === "skipped" || entry.state === "cancelled") {
      parts.push(entry.state + ": " + (REASONS[entry.reason] || entry.reason || "no reason given"));
    } else {
      parts.push(entry.state === "sending" ? "sending" : "planned");
    }
    return parts.join(" · ");
  }

  function renderSidebar(data) {
    const controls = data.controls;
    $("outreach-paused").checked = controls.paused;
    $("outreach-dnc").checked = controls.do_not_contact;
    $("outreach-discharged").checked = controls.discharged;
    $("outreach-cadence").value = controls.cadence;
    $("outreach-timezone").value = controls.timezone || "";
    $("outreach-history").replaceChildren(...(data.history.length
      ? data.history.map((entry) => el("li", { class: "outreach-" + entry.state, text: entryText(entry) }))
      : [el("li", { text: "No outreach texts yet." })]));
    $("outreach-appointments").replaceChildren(...data.appointments.map((appointment) => el("li", {},
      time(appointment.starts_at) + " · " + appointment.status.replace(/_/g, " ")
        + (appointment.confirmed_at ? " · confirmed" : "") + " ",
      appointment.can_mark_no_show ? el("button", {
        type: "button", text: "Mark no-show",
        "aria-label": "Mark the session of " + time(appointment.starts_at) + " a no-show",
        onclick: () => markNoShow(appointment.id),
      }) : null)));
  }

  async function loadSidebar() {
    if (clientId === null) return;
    const id = clientId;
    try {
      const data = await api("GET", "/api/rep/clients/" + id + "/outreach");
      if (id === clientId) renderSidebar(data);
    } catch (error) {
      say("Could not load outreach: " + detailText(error), true);
    }
  }

  async function markNoShow(appointmentId) {
    try {
      await api("POST", "/api/rep/appointments/" + appointmentId + "/no-show");
      say("Marked a no-show; the follow-up is planned.");
    } catch (error) {
      say("Could not mark the no-show: " + detailText(error), true);
    }
    await loadSidebar();
  }

  async function saveControls(event) {
    event.preventDefault();
    const zone = $("outreach-timezone").value.trim();
    try {
      await api("PATCH", "/api/rep/clients/" + clientId + "/outreach", {
        paused: $("outreach-paused").checked, do_not_contact: $("outreach-dnc").checked,
        discharged: $("outreach-discharged").checked, cadence: $("outreach-cadence").value, timezone: zone || null,
      });
      say("Outreach settings saved.");
    } catch (error) {
      say("Could not save outreach settings: " + (error.status === 422 ? "check the time zone (e.g. America/Chicago)" : detailText(error)), true);
    }
    await loadSidebar();
  }

  function render(detail) {
    const panel = $("outreach-panel");
    if (!panel) return;
    const id = detail.client && detail.client.verified ? detail.client.id : null;
    panel.hidden = id === null || id === undefined;
    if (panel.hidden) { clientId = null; return; }
    if (id !== clientId) {
      clientId = id;
      return loadSidebar();  // console.js waits on it: the page is not still until the sidebar is in
    }
    return undefined;
  }

  /* --- the outreach page: worklist ---------------------------------------------------------- */
  function showForm(form, other, title, entry) {
    $(other).hidden = true;
    $(form).hidden = false;
    $(title).textContent = (form === "contact-form" ? "Reached out to " : "Text a check-in to ") + entry.name;
  }

  async function loadWorklist() {
    const data = await api("GET", "/api/rep/outreach/dropped-off");
    $("worklist-hint").textContent = "Clients with no session for " + data.dropped_off_after_days
      + " days and nothing booked. Reach out, then note what happened.";
    $("worklist-empty").hidden = data.clients.length > 0;
    $("worklist").replaceChildren(...data.clients.map((entry) => el("tr", {},
      el("td", { text: entry.name }),
      el("td", { text: new Date(entry.last_session).toLocaleDateString() }),
      el("td", { text: entry.last_contact ? time(entry.last_contact) + " · " + (entry.last_contact_kind || "").replace(/_/g, " ")
        + (entry.last_note ? ": " + entry.last_note : "") : "Not contacted" }),
      el("td", {},
        el("button", { type: "button", text: "Reached out", "aria-label": "Reached out to " + entry.name,
          onclick: () => { showForm("contact-form", "checkin-form", "contact-title", entry);
            $("contact-client").value = entry.client_id; $("contact-note").value = ""; $("contact-note").focus(); } }),
        " ",
        entry.can_text ? el("button", { type: "button", text: "Text a check-in", "aria-label": "Text a check-in to " + entry.name,
          onclick: () => openCheckin(entry) }) : el("span", { class: "hint", text: "Cannot be texted" })))));
  }

  const NOT_BY_TEXT = { no_sms_consent: "No consent to texts", opted_out: "Opted out (STOP)", no_mobile: "No mobile on file" };

  async function loadPhoneReminders() {
    const data = await api("GET", "/api/rep/outreach/phone-reminders");
    $("phone-empty").hidden = data.reminders.length > 0;
    $("phone-reminders").replaceChildren(...data.reminders.map((entry) => el("tr", {},
      el("td", { text: entry.name }),
      el("td", {}, entry.phone ? el("a", { href: "tel:" + entry.phone, text: entry.phone }) : "None on file"),
      el("td", { text: entry.session_time }),
      el("td", { text: NOT_BY_TEXT[entry.reason] || entry.reason }))));
  }

  async function saveContact(event) {
    event.preventDefault();
    const note = $("contact-note").value.trim();
    try {
      await api("POST", "/api/rep/clients/" + $("contact-client").value + "/outreach/reached-out", note ? { note } : {});
      $("contact-form").hidden = true;
      say("Saved: reached out.");
      await loadWorklist();
    } catch (error) {
      say("Could not save: " + detailText(error), true);
    }
  }

  let previewTimer = null;
  async function previewInto(template, clientIdValue, textNode, segmentsNode, problemsNode) {
    const body = { template: template || " " };
    if (clientIdValue) body.client_id = Number(clientIdValue);
    if (!template.trim()) {
      textNode.textContent = ""; segmentsNode.textContent = ""; problemsNode.replaceChildren();
      return;
    }
    try {
      const shown = await api("POST", "/api/rep/outreach/preview", body);
      textNode.textContent = shown.text;
      segmentsNode.textContent = "(" + shown.segments + (shown.segments === 1 ? " segment" : " segments") + ", "
        + shown.characters + " characters)";
      problemsNode.replaceChildren(...shown.problems.map((problem) => el("li", { text: problem })));
    } catch (error) {
      segmentsNode.textContent = "";
      problemsNode.replaceChildren(el("li", { text: detailText(error) }));
    }
  }

  function schedulePreview(run) {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(run, 250);
  }

  async function openCheckin(entry) {
    showForm("checkin-form", "contact-form", "checkin-title", entry);
    $("checkin-client").value = entry.client_id;
    const draft = await api("GET", "/api/rep/clients/" + entry.client_id + "/outreach/checkin");
    $("checkin-template").value = draft.template;
    await checkinPreview();
    $("checkin-template").focus();
  }

  function checkinPreview() {
    return previewInto($("checkin-template").value, $("checkin-client").value, $("checkin-preview"),
      $("checkin-segments"), $("checkin-problems"));
  }

  async function sendCheckin(event) {
    event.preventDefault();
    try {
      await api("POST", "/api/rep/clients/" + $("checkin-client").value + "/outreach/checkin",
        { template: $("checkin-template").value });
      $("checkin-form").hidden = true;
      say("Check-in texted.");
      await loadWorklist();
    } catch (error) {
      say("Not sent: " + detailText(error), true);
    }
  }

  /* --- the outreach page: rules editor (admins) --------------------------------------------- */
  const NUMBERS = { "no-show-after": "no_show_after_minutes", "cancelled-after": "cancelled_after_days",
    "no-next-session-after": "no_next_session_after_days", "dropped-off-after": "dropped_off_after_days" };
  const SWITCHES = { "reminders-enabled": "reminders_enabled", "booking-confirmation-enabled": "booking_confirmation_enabled",
    "no-show-enabled": "no_show_enabled", "cancelled-enabled": "cancelled_enabled",
    "no-next-session-enabled": "no_next_session_enabled", "dropped-off-auto": "dropped_off_auto_checkin" };
  let templateKinds = [];

  function templateField(item) {
    const id = "template-" + item.kind;
    const preview = el("span", { id: id + "-preview" });
    const segments = el("span", { id: id + "-segments" });
    const problems = el("ul", { id: id + "-problems", class: "problems" });
    const area = el("textarea", { id, rows: 3, maxlength: 1000, required: true });
    area.value = item.text;
    const update = () => previewInto(area.value, "", preview, segments, problems);
    area.addEventListener("input", () => schedulePreview(update));
    const reset = el("button", { type: "button", text: "Use the standard text", "aria-label": "Use the standard text for: " + item.label,
      onclick: () => { area.value = item.default_text; update(); } });
    update();
    return el("div", { class: "template" }, el("label", { for: id, text: item.label }), area,
      el("p", { class: "hint" }, "Preview: ", preview, " ", segments), problems, reset);
  }

  async function loadRules() {
    const data = await api("GET", "/api/rep/outreach/settings");
    const rules = data.settings;
    for (const [id, name] of Object.entries(SWITCHES)) $(id).checked = rules[name];
    for (const [id, name] of Object.entries(NUMBERS)) $(id).value = rules[name];
    $("reminder-hours").value = rules.reminder_hours.join(", ");
    templateKinds = data.templates;
    $("templates").replaceChildren(...data.templates.map(templateField));
  }

  async function saveRules(event) {
    event.preventDefault();
    const body = { templates: {} };
    for (const [id, name] of Object.entries(SWITCHES)) body[name] = $(id).checked;
    for (const [id, name] of Object.entries(NUMBERS)) body[name] = Number($(id).value);
    body.reminder_hours = $("reminder-hours").value.split(",").map((part) => part.trim()).filter(Boolean).map(Number);
    for (const item of templateKinds) body.templates[item.kind] = $("template-" + item.kind).value;
    try {
      await api("PUT", "/api/rep/outreach/settings", body);
      say("Rules saved.");
      await loadRules();
    } catch (error) {
      say("Not saved: " + detailText(error), true);
    }
  }

  function start() {
    if ($("enable-alerts") && !$("queue")) $("enable-alerts").hidden = true;  // alerts live on the queue page
    const controls = $("outreach-form");
    if (controls) controls.addEventListener("submit", saveControls);
    if ($("worklist")) {
      $("contact-form").addEventListener("submit", saveContact);
      $("contact-cancel").addEventListener("click", () => { $("contact-form").hidden = true; });
      $("checkin-form").addEventListener("submit", sendCheckin);
      $("checkin-cancel").addEventListener("click", () => { $("checkin-form").hidden = true; });
      $("checkin-template").addEventListener("input", () => schedulePreview(checkinPreview));
      loadWorklist().catch((error) => say("Could not load the worklist: " + detailText(error), true));
      loadPhoneReminders().catch((error) => say("Could not load the phone reminders: " + detailText(error), true));
    }
    if ($("rules-form")) {
      $("rules-form").addEventListener("submit", saveRules);
      loadRules().catch((error) => say("Could not load the rules: " + detailText(error), true));
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  return { render };
})();
