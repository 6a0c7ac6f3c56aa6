/* Phone calls in the rep console: the call panel (status, length, transfer, voicemail and its
   recording), the caller's words heard with low confidence, and the "Call back" action.
   Text only, never HTML; the recording plays from the gateway (same origin, cookie auth). */
"use strict";

window.ConsoleCalls = (() => {
  const { api, el, time } = window.Console;
  const $ = (id) => document.getElementById(id);

  const CHANNELS = { sms: "SMS", web: "Web chat", voice: "Call" };
  const STATUSES = { in_progress: "In progress", completed: "Completed", missed: "Missed", voicemail: "Voicemail" };
  const TARGETS = { front_desk: "the front desk", on_call: "the on-call clinician" };
  const DIAL_RESULTS = {
    answered: "answered", completed: "answered", "no-answer": "no answer", busy: "line busy",
    failed: "could not connect", canceled: "the caller hung up first",
  };
  const TRANSCRIPTION = { "in-progress": "Transcription on its way…", failed: "Twilio could not transcribe it." };
  const LOW_CONFIDENCE = 0.5;
  let numberShownFor = null;  // the conversation whose call-back number was revealed

  function channelLabel(channel) {
    return CHANNELS[channel] || channel;
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "";
    const minutes = Math.floor(seconds / 60);
    return minutes ? minutes + " min " + (seconds % 60) + " s" : seconds + " s";
  }

  /* "Call · Voicemail · 1 min 5 s" for the queue: how it went, never what was said. */
  function queueLabel(item) {
    if (!item.call) return channelLabel(item.channel);
    const length = duration(item.call.duration_seconds);
    return ["Call", STATUSES[item.call.status] || item.call.status, length].filter(Boolean).join(" · ");
  }

  function transferText(call) {
    if (!call.dial_target) return "";
    const result = DIAL_RESULTS[call.dial_status] || call.dial_status || "in progress";
    return "Put through to " + (TARGETS[call.dial_target] || call.dial_target) + ": " + result;
  }

  function confidenceNote(message) {
    const confidence = message.speech_confidence;
    if (confidence === null || confidence === undefined || confidence >= LOW_CONFIDENCE) return null;
    return el("p", { class: "hint", text: "Heard with low confidence (" + Math.round(confidence * 100) + "%)" });
  }

  function definition(list, term, value) {
    if (!value) return;
    list.append(el("dt", { text: term }), el("dd", { text: value }));
  }

  function unavailable(box, detail) {
    box.replaceChildren(el("p", { class: "hint", text: detail ? "Recording not available: " + detail : "Recording not available" }));
  }

  async function explain(box, path) {
    // The player only says it failed; the route says why (demo mode, Twilio down...).
    try {
      const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
      const data = (response.headers.get("content-type") || "").includes("application/json") ? await response.json() : null;
      unavailable(box, response.ok ? "" : (data && data.detail || "").replace(/^Recording not available: /, ""));
    } catch (error) {
      unavailable(box, "");
    }
  }

  function renderRecording(call) {
    const box = $("call-recording");
    if (!call.recording_path) {
      box.replaceChildren(el("p", { class: "hint", text: call.status === "voicemail" ? "Recording not available" : "No message was left." }));
      return;
    }
    const path = call.recording_path;
    const player = el("audio", { controls: true, preload: "none", src: path, "aria-label": "Voicemail recording" });
    player.addEventListener("error", () => explain(box, path));
    const length = call.recording_seconds ? " (" + duration(call.recording_seconds) + ")" : "";
    box.replaceChildren(el("p", { class: "recording-label", text: "Voicemail" + length }), player);
  }

  function renderTranscript(call) {
    const text = call.transcript || TRANSCRIPTION[call.transcription_status] || "";
    $("call-transcript-box").hidden = !text;
    $("call-transcript").textContent = text;
  }

  function renderNumber(detail) {
    const call = detail.call;
    const box = $("call-back-number");
    if (numberShownFor === detail.conversation.id && call.call_back_number) {
      box.replaceChildren(el("a", { id: "call-back-link", href: "tel:" + call.call_back_number, text: "Call " + call.call_back_number }));
    } else {
      box.replaceChildren();
    }
  }

  /* Buttons and hints that follow the rep's permissions (also after a claim or a refresh). */
  function renderPermissions(detail) {
    const call = detail.call;
    $("call-reply-hint").hidden = !call;
    $("reply-form").hidden = Boolean(call);  // nothing written reaches a caller
    if (!call) return;
    const button = $("call-back");
    button.disabled = !(detail.permissions.can_call_back && call.call_back_number);
    let hint = "";
    if (!call.call_back_number) hint = "The caller withheld their number and is not a known client.";
    else if (!detail.permissions.can_call_back) hint = "Claim the conversation to call back.";
    $("call-back-hint").textContent = hint;
  }

  function render(detail) {
    const call = detail.call;
    $("call-panel").hidden = !call;
    if (!call) {
      renderPermissions(detail);
      return;
    }
    const details = $("call-details");
    details.replaceChildren();
    definition(details, "Status", STATUSES[call.status] || call.status);
    definition(details, "Caller", call.from_number || "Number withheld");
    definition(details, "Started", time(call.started_at));
    definition(details, "Length", duration(call.duration_seconds));
    definition(details, "Transfer", transferText(call));
    if (call.called_back_at) {
      definition(details, "Called back", (call.called_back_by ? call.called_back_by.display_name + ", " : "") + time(call.called_back_at));
    }
    renderRecording(call);
    renderTranscript(call);
    renderNumber(detail);
    renderPermissions(detail);
  }

  /* Record the call back, then show the number as a tel: link to dial. */
  async function callBack(detail) {
    const result = await api("POST", "/api/rep/conversations/" + encodeURIComponent(detail.conversation.id) + "/call-back");
    detail.call = result.call;
    numberShownFor = detail.conversation.id;
    render(detail);
    const link = $("call-back-link");
    if (link) link.focus();
    return result;
  }

  return { channelLabel, queueLabel, confidenceNote, render, renderPermissions, callBack };
})();
