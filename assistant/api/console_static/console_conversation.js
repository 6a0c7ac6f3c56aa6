/* One conversation as the console shows it: the transcript's messages, the client and what the bot
   knew, private notes, canned responses, and which of Claim / Resolve / Return to bot / reply the
   rep may use now. Rendering only: console.js loads the conversation and acts on it.
   Everything a client or rep wrote is put into the page with textContent only. */
"use strict";

window.ConsoleConversation = (() => {
  const { el, when } = window.Console;
  const calls = window.ConsoleCalls;
  const cards = window.ConsoleQueue;
  const $ = (id) => document.getElementById(id);

  // A rep's message is signed with the rep's name when the server knows it (message.rep_name).
  const AUTHORS = { client: "Client", bot: "Assistant", rep: "Front desk", system: "System" };
  const STATES = { bot: "with the bot", handoff_pending: "waiting for a person", with_rep: "with a rep", resolved: "resolved" };

  let now = () => Date.now();   // the server's clock, once console.js knows the skew
  let tickTimers = () => {};

  function messageItem(message) {
    const buttons = (message.buttons || []).map((b) => b.title).join(" | ");
    return el("li", { class: "msg from-" + message.author + " " + message.direction, "data-message-id": message.id },
      el("p", { class: "msg-head" },
        el("strong", { text: message.rep_name || AUTHORS[message.author] || message.author }),
        el("time", { datetime: message.created_at, "data-at": message.created_at, text: when(message.created_at, now()) }),
        message.direction === "outbound" && message.status !== "sent" ? " · " + message.status : ""),
      el("p", { class: "msg-text", text: message.text }),
      calls.confidenceNote(message),
      buttons ? el("p", { class: "msg-buttons", text: "Options: " + buttons }) : null,
      (message.redactions || []).length ? el("p", { class: "hint", text: "Removed before storage: " + message.redactions.join(", ") }) : null,
      message.media_count ? el("p", { class: "hint", text: message.media_count + " attachment(s) kept" }) : null);
  }

  function noteItem(note) {
    return el("li", {}, el("p", { class: "msg-head" }, el("strong", { text: note.rep || "Front desk" }),
      el("time", { datetime: note.created_at, "data-at": note.created_at, text: when(note.created_at, now()) })),
      el("p", { class: "msg-text", text: note.text }));
  }

  /* An email address may wrap after its "@" and its dots (<wbr>), never inside a word. */
  function emailParts(address) {
    return address.split(/(?<=[@.])/).flatMap((piece, index) => (index ? [el("wbr"), piece] : [piece]));
  }

  function definition(list, term, value, className) {
    if (value === undefined || value === null || value === "") return;
    const text = typeof value === "string" ? value : JSON.stringify(value);
    list.append(el("dt", { text: term }),
      el("dd", { class: className }, ...(className === "email" ? emailParts(text) : [text])));
  }

  function replyHint(detail) {
    const { permissions, ticket } = detail;
    if (permissions.can_reply) return "";
    if (ticket && ticket.claimed_by && !permissions.claimed_by_me && detail.conversation.state === "with_rep") {
      return ticket.claimed_by.display_name + " is handling this conversation.";
    }
    return permissions.can_claim ? "Claim the conversation to reply." : "This conversation is not waiting for a person.";
  }

  function renderPermissions(detail) {
    const permissions = detail.permissions;
    const ticket = detail.ticket;
    $("claim").disabled = !permissions.can_claim;
    // Once done (resolved, or back with the bot) there is nothing left to resolve: the buttons are
    // off rather than failing with "nothing to resolve".
    const done = ["resolved", "bot"].includes(detail.conversation.state) || (ticket && ticket.state === "closed");
    $("resolve").disabled = Boolean(done) || !permissions.can_resolve;
    $("return-to-bot").disabled = Boolean(done) || !permissions.can_resolve;
    const canReply = permissions.can_reply;
    $("reply-text").disabled = !canReply;
    $("send-reply").disabled = !canReply;
    $("canned").disabled = !canReply;
    $("reply-hint").textContent = replyHint(detail);
    calls.renderPermissions(detail);
    const conversation = detail.conversation;
    const stateText = STATES[conversation.state] || conversation.state;
    // replaceChildren would render a null as the text "null": leave absent parts out.
    $("conversation-meta").replaceChildren(...[
      el("span", { text: calls.channelLabel(conversation.channel) + " · " + stateText }),
      ticket ? el("span", { text: " · " + cards.reasonWords(ticket.reason) + (ticket.priority === 0 ? " (URGENT)" : "") }) : null,
      ticket && ticket.state === "open" ? " · " : null,
      ticket && ticket.state === "open" ? el("span", { class: "timer", "data-since": ticket.created_at, "data-due": ticket.reply_due_at || null }) : null,
    ].filter((part) => part !== null));
    tickTimers();
  }

  function renderClient(client) {
    const list = $("client-summary");
    list.replaceChildren();
    definition(list, "Verified", client.verified ? "Yes" : "No (identity not confirmed)");
    definition(list, "Name", client.name);
    definition(list, "Mobile", client.mobile);
    definition(list, "Email", client.email, "email");  // wrapped whole, never mid-word
    definition(list, "Next session", client.next_appointment || (client.verified ? "None booked" : ""));
  }

  function renderTicket(ticket) {
    const context = $("ticket-context");
    context.replaceChildren();
    if (!ticket) {
      definition(context, "Hand-off", "none");
      return;
    }
    definition(context, "Reason", cards.reasonWords(ticket.reason));
    definition(context, "Priority", ticket.priority === 0 ? "0 (most urgent)" : String(ticket.priority));
    if (ticket.nlu_confidence !== null && ticket.nlu_confidence !== undefined) {
      definition(context, "Bot confidence", cards.confidenceWords(ticket.nlu_confidence));
    }
    if ((ticket.top_intents || []).length) {
      definition(context, "Top intents", ticket.top_intents
        .map((i) => cards.intentWords(i.intent) + " (" + cards.confidenceWords(i.confidence) + ")").join(", "));
    }
    for (const [key, value] of Object.entries(ticket.context || {})) {
      // An intent the bot recorded (e.g. last_intent) is said in words, like the top intents.
      const words = /intent$/.test(key) && typeof value === "string" ? cards.intentWords(value) : value;
      definition(context, key.replace(/_/g, " "), words);
    }
  }

  /* Show `detail` (GET /api/rep/conversations/{id}). Returns the outreach sidebar's loading, if
     any, for the page to count as busy until it is in. */
  function render(detail) {
    $("conversation-panel").hidden = false;
    $("conversation-title").textContent = detail.client.label;
    $("transcript").replaceChildren(...detail.messages.map(messageItem));
    calls.render(detail);
    const sidebar = window.ConsoleOutreach ? window.ConsoleOutreach.render(detail) : undefined;
    renderClient(detail.client);
    renderTicket(detail.ticket);
    $("notes").replaceChildren(...detail.notes.map(noteItem));
    $("canned").replaceChildren(el("option", { value: "", text: "Choose a canned response…" }),
      ...detail.canned_responses.map((item) => el("option", { value: String(item.id), text: item.title })));
    renderPermissions(detail);
    const transcript = $("transcript");
    transcript.scrollTop = transcript.scrollHeight;
    return sidebar;
  }

  /* `clock()`: now on the server's clock; `tick()`: rewrite the page's running clocks. */
  function start(clock, tick) {
    now = clock;
    tickTimers = tick;
  }

  return { render, renderPermissions, messageItem, noteItem, start };
})();
