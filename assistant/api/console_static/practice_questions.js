/* Practice questions: edit the practice's answers with a live preview. Text only, never HTML. */
"use strict";

(() => {
  const { api, el, say, time } = window.Console;
  const $ = (id) => document.getElementById(id);
  const PREVIEW_DELAY_MS = 400;

  function previewBlock(preview) {
    const shown = (label, value) => el("div", { class: "preview" },
      el("strong", { text: label + ": " }),
      el("pre", { text: value === null ? "(not sent: a person answers instead)" : value }));
    return el("div", {},
      shown("Web chat", preview.web),
      shown("Text message", preview.sms),
      preview.problems.length ? el("ul", { class: "error" }, ...preview.problems.map((p) => el("li", { text: p }))) : null);
  }

  function readOnly(item) {
    return el("article", { class: "faq" },
      el("h3", { text: item.label }),
      el("p", { class: "hint", text: "From: " + item.source }),
      previewBlock(item.preview));
  }

  function editor(item) {
    const id = "faq-" + item.question;
    const answer = el("textarea", { id: id + "-answer", rows: "4", maxlength: "1000" });
    answer.value = item.answer || "";
    const link = el("input", { id: id + "-link", type: "url", maxlength: "500", placeholder: "https://" });
    link.value = item.link_url || "";
    const preview = el("div", { "aria-live": "polite" }, item.answer ? previewBlock(item.preview) : el("p", {
      class: "hint", text: "Not answered: a client asking this is passed to your team.",
    }));
    const body = () => ({ answer: answer.value, link_url: link.value.trim() || null });
    let timer = null;
    const refresh = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(async () => {
        if (!answer.value.trim()) return;
        try {
          preview.replaceChildren(previewBlock(await api("POST", "/api/rep/practice-questions/" + item.question + "/preview", body())));
        } catch (error) {
          preview.replaceChildren(el("p", { class: "error", text: error.message }));
        }
      }, PREVIEW_DELAY_MS);
    };
    answer.addEventListener("input", refresh);
    link.addEventListener("input", refresh);
    const save = el("button", { type: "submit", text: "Save" });
    const clear = el("button", {
      type: "button", text: "Clear (a person answers)",
      onclick: async () => {
        try {
          await api("DELETE", "/api/rep/practice-questions/" + item.question);
          say(item.label + ": cleared; your team will answer it.");
          await load();
        } catch (error) {
          say("Could not clear " + item.label + ": " + error.message, true);
        }
      },
    });
    const form = el("form", {
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          await api("PUT", "/api/rep/practice-questions/" + item.question, body());
          say(item.label + ": saved.");
          await load();
        } catch (error) {
          say("Could not save " + item.label + ": " + error.message, true);
        }
      },
    },
    el("label", { for: id + "-answer", text: "Answer" }), answer,
    el("label", { for: id + "-link", text: "Link (optional, https only)" }), link,
    save, " ", clear);
    return el("article", { class: "faq" },
      el("h3", { text: item.label }),
      item.updated_at ? el("p", { class: "hint", text: "Last changed " + time(item.updated_at) }) : null,
      form, preview);
  }

  async function load() {
    const data = await api("GET", "/api/rep/practice-questions");
    $("written").replaceChildren(...data.questions.filter((q) => q.editable).map(editor));
    $("from-settings").replaceChildren(...data.questions.filter((q) => !q.editable).map(readOnly));
  }

  document.addEventListener("DOMContentLoaded", () => {
    load().catch((error) => say("Could not load the practice questions: " + error.message, true));
  });
})();
