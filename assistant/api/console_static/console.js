/* The rep console: live queue, transcript, claim, reply, notes, resolve. No framework, no CDN.
   Everything a client or rep wrote is put into the page with textContent only. */
"use strict";

(() => {
  const { api, el, say, when, setZone } = window.Console;
  const calls = window.ConsoleCalls;
  const cards = window.ConsoleQueue;
  const $ = (id) => document.getElementById(id);
  const reasonWords = cards.reasonWords;

  // A rep's message is signed with the rep's name when the server knows it (message.rep_name).
  const AUTHORS = { client: "Client", bot: "Assistant", rep: "Front desk", system: "System" };

  const state = {
    filter: "active",
    queue: [],
    known: null,          // ticket id -> priority, for spotting new hand-offs
    skewMs: 0,            // server clock minus ours
    open: null,           // conversation detail currently shown
    lastMessageId: 0,
    audio: null,
    paused: false,        // live updates held (the test hook below); the latest is applied on resume
    held: null,           // the queue snapshot that arrived while paused
    busy: 0,              // loads and refreshes on their way
  };

  /* Whether the page is still: `document.body.dataset.live` is "busy" while a load or refresh is on
     its way, else "paused" (live updates held) or "idle". Browser tests wait on it (never on a
     sleep) before checking the page, and pause live updates around checks such as axe, so a
     hand-off arriving from elsewhere cannot move the page under them. */
  function showLiveState() {
    document.body.dataset.live = state.busy > 0 ? "busy" : state.paused ? "paused" : "idle";
  }

  async function tracked(work) {
    state.busy += 1;
    showLiveState();
    try {
      return await work();
    } finally {
      state.busy -= 1;
      showLiveState();
    }
  }

  function pauseLive() {
    state.paused = true;
    showLiveState();
  }

  function resumeLive() {
    state.paused = false;
    showLiveState();
    const held = state.held;
    state.held = null;
    if (held) applyQueue(held);
    tickTimers();
  }

  // --- alerts -------------------------------------------------------------------------------
  function beep(urgent) {
    const ctx = state.audio;
    if (!ctx) return;
    const count = urgent ? 3 : 1;
    for (let i = 0; i < count; i += 1) {
      const oscillator = ctx.createOscillator();
      const gain = ctx.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = urgent ? 988 : 660;
      gain.gain.value = 0.15;
      oscillator.connect(gain).connect(ctx.destination);
      const start = ctx.currentTime + i * 0.3;
      oscillator.start(start);
      oscillator.stop(start + 0.18);
    }
  }

  function notify(item) {
    const reason = reasonWords(item.ticket.reason);
    const urgent = item.ticket.priority === 0;
    const title = urgent ? "URGENT hand-off: " + reason : "New hand-off: " + reason;
    $("announcer").textContent = title;
    beep(urgent);
    if ("Notification" in window && Notification.permission === "granted") {
      // No client name or message: the screen may be seen by others.
      const note = new Notification(title, { body: "A client is waiting in the console.", tag: "handoff-" + item.ticket.id });
      note.onclick = () => { window.focus(); openConversation(item.id); };
    }
  }

  function enableAlerts() {
    const AudioContext = window.AudioContext || window.webkitAudioContext;
    if (AudioContext && !state.audio) state.audio = new AudioContext();
    if (state.audio && state.audio.state === "suspended") state.audio.resume();
    const button = $("enable-alerts");
    const done = () => {
      const desktop = "Notification" in window && Notification.permission === "granted";
      button.textContent = desktop ? "Sound and desktop alerts on" : "Sound alerts on";
      button.setAttribute("aria-pressed", "true");
      beep(false);
    };
    if ("Notification" in window && Notification.permission === "default") {
      Notification.requestPermission().then(done, done);
    } else {
      done();
    }
  }

  // --- queue (cards and their patching: console_queue.js) -----------------------------------
  function now() {
    return Date.now() + state.skewMs;
  }

  function tickTimers() {
    if (!state.paused) cards.tickTimers(now());
  }

  function renderQueue() {
    const items = state.queue;
    cards.render($("queue"), items, state.open ? state.open.conversation.id : null, openConversation);
    const hideEmpty = items.length > 0;
    if ($("queue-empty").hidden !== hideEmpty) $("queue-empty").hidden = hideEmpty;
    const waiting = items.filter((item) => item.state === "handoff_pending").length;
    const count = state.filter === "active" ? "(" + waiting + " waiting)" : "";
    if ($("queue-count").textContent !== count) $("queue-count").textContent = count;
    tickTimers();
  }

  function spotNewHandoffs(items) {
    const seen = new Map(items.map((item) => [item.ticket.id, item.ticket.priority]));
    if (state.known) {
      for (const item of items) {
        const before = state.known.get(item.ticket.id);
        const isNew = before === undefined && item.state === "handoff_pending";
        const escalated = before !== undefined && item.ticket.priority === 0 && before > 0;
        if (isNew || escalated) notify(item);
      }
    }
    state.known = seen;
  }

  function applyQueue(data) {
    if (state.paused) {  // held, not lost: the newest snapshot is applied on resume
      state.held = data;
      return;
    }
    state.skewMs = Date.parse(data.now) - Date.now();
    if (data.timezone) setZone(data.timezone);
    spotNewHandoffs(data.queue);
    if (state.filter === "active") {
      state.queue = data.queue;
      renderQueue();
    }
    if (state.open) {
      const item = data.queue.find((entry) => entry.id === state.open.conversation.id);
      if (item && (item.last_message_id > state.lastMessageId || item.state !== state.open.conversation.state
          || (item.ticket.claimed_by || {}).id !== ((state.open.ticket || {}).claimed_by || {}).id)) {
        refreshOpen();
      }
    }
  }

  function loadQueue() {
    return tracked(async () => {
      const data = await api("GET", "/api/rep/conversations?state=" + state.filter);
      state.skewMs = Date.parse(data.now) - Date.now();
      if (data.timezone) setZone(data.timezone);
      if (state.filter === "active") spotNewHandoffs(data.conversations);
      state.queue = data.conversations;
      renderQueue();
    });
  }

  function setFilter(filter) {
    state.filter = filter;
    $("show-active").setAttribute("aria-pressed", String(filter === "active"));
    $("show-resolved").setAttribute("aria-pressed", String(filter === "resolved"));
    loadQueue().catch((error) => say(error.message, true));
  }

  // --- one conversation ----------------------------------------------------------------------
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

  function renderPermissions() {
    const detail = state.open;
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
    let hint = "";
    if (!canReply) {
      if (ticket && ticket.claimed_by && !permissions.claimed_by_me && detail.conversation.state === "with_rep") {
        hint = ticket.claimed_by.display_name + " is handling this conversation.";
      } else if (permissions.can_claim) {
        hint = "Claim the conversation to reply.";
      } else {
        hint = "This conversation is not waiting for a person.";
      }
    }
    $("reply-hint").textContent = hint;
    calls.renderPermissions(detail);
    const conversation = detail.conversation;
    const stateText = { bot: "with the bot", handoff_pending: "waiting for a person",
      with_rep: "with a rep", resolved: "resolved" }[conversation.state] || conversation.state;
    // replaceChildren would render a null as the text "null": leave absent parts out.
    $("conversation-meta").replaceChildren(...[
      el("span", { text: calls.channelLabel(conversation.channel) + " · " + stateText }),
      ticket ? el("span", { text: " · " + reasonWords(ticket.reason) + (ticket.priority === 0 ? " (URGENT)" : "") }) : null,
      ticket && ticket.state === "open" ? " · " : null,
      ticket && ticket.state === "open" ? el("span", { class: "timer", "data-since": ticket.created_at, "data-due": ticket.reply_due_at || null }) : null,
    ].filter((part) => part !== null));
    tickTimers();
  }

  function renderConversation() {
    const detail = state.open;
    $("conversation-panel").hidden = false;
    $("conversation-title").textContent = detail.client.label;
    $("transcript").replaceChildren(...detail.messages.map(messageItem));
    calls.render(detail);
    // The outreach sidebar loads on its own; until it is in, the page is "busy" (showLiveState).
    const sidebar = window.ConsoleOutreach ? window.ConsoleOutreach.render(detail) : undefined;
    if (sidebar) tracked(() => sidebar);
    state.lastMessageId = detail.messages.length ? detail.messages[detail.messages.length - 1].id : 0;
    const client = $("client-summary");
    client.replaceChildren();
    definition(client, "Verified", detail.client.verified ? "Yes" : "No (identity not confirmed)");
    definition(client, "Name", detail.client.name);
    definition(client, "Mobile", detail.client.mobile);
    definition(client, "Email", detail.client.email, "email");  // wrapped whole, never mid-word
    definition(client, "Next session", detail.client.next_appointment || (detail.client.verified ? "None booked" : ""));
    const context = $("ticket-context");
    context.replaceChildren();
    const ticket = detail.ticket;
    if (ticket) {
      definition(context, "Reason", reasonWords(ticket.reason));
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
    } else {
      definition(context, "Hand-off", "none");
    }
    $("notes").replaceChildren(...detail.notes.map(noteItem));
    const canned = $("canned");
    canned.replaceChildren(el("option", { value: "", text: "Choose a canned response…" }),
      ...detail.canned_responses.map((item) => el("option", { value: String(item.id), text: item.title })));
    renderPermissions();
    const transcript = $("transcript");
    transcript.scrollTop = transcript.scrollHeight;
  }

  function noteItem(note) {
    return el("li", {}, el("p", { class: "msg-head" }, el("strong", { text: note.rep || "Front desk" }),
      el("time", { datetime: note.created_at, "data-at": note.created_at, text: when(note.created_at, now()) })),
      el("p", { class: "msg-text", text: note.text }));
  }

  function openConversation(id) {
    return tracked(async () => {
      try {
        state.open = await api("GET", "/api/rep/conversations/" + encodeURIComponent(id));
        if (state.open.practice) setZone(state.open.practice.timezone);
        renderConversation();
        renderQueue();
        $("conversation-title").focus();
      } catch (error) {
        say("Could not open the conversation: " + error.message, true);
      }
    });
  }

  let refreshing = false;
  function refreshOpen() {
    if (!state.open || refreshing) return Promise.resolve();
    refreshing = true;
    return tracked(refreshTranscript);
  }

  async function refreshTranscript() {
    try {
      const id = state.open.conversation.id;
      const data = await api("GET", "/api/rep/conversations/" + encodeURIComponent(id) + "/messages?after=" + state.lastMessageId);
      if (!state.open || state.open.conversation.id !== id) return;
      const transcript = $("transcript");
      for (const message of data.messages) {
        if (message.id > state.lastMessageId) {
          // Said once by screen readers: what the client just wrote (the transcript itself is not
          // a live region, so opening a conversation does not read its whole history aloud).
          if (message.author === "client") {
            $("transcript-announcer").textContent = "New message from " + state.open.client.label + ": " + message.text;
          }
          transcript.append(messageItem(message));
          state.lastMessageId = message.id;
          state.open.messages.push(message);
        }
      }
      state.open.conversation.state = data.state;
      state.open.permissions = data.permissions;
      const item = state.queue.find((entry) => entry.id === id);
      if (item) state.open.ticket = Object.assign({}, state.open.ticket || {}, item.ticket);
      renderPermissions();
      transcript.scrollTop = transcript.scrollHeight;
    } catch (error) {
      say(error.message, true);
    } finally {
      refreshing = false;
    }
  }

  async function act(label, action) {
    try {
      await action();
    } catch (error) {
      say(label + ": " + error.message, true);
      if (state.open) refreshOpen();
      return false;
    }
    return true;
  }

  function conversationPath(suffix) {
    return "/api/rep/conversations/" + encodeURIComponent(state.open.conversation.id) + suffix;
  }

  async function claim() {
    if (!state.open) return;
    const ok = await act("Could not claim", () => api("POST", conversationPath("/claim")));
    if (ok) {
      say("You have this conversation. The client's next messages come to you.");
      await refreshOpen();
      await loadQueue();
      (state.open.call ? $("call-back") : $("reply-text")).focus();
    }
  }

  async function callBack() {
    if (!state.open) return;
    const ok = await act("Could not record the call back", () => calls.callBack(state.open));
    if (ok) {
      say("Call back recorded. Resolve the conversation once it is settled.");
      await refreshOpen();
    }
  }

  async function resolve(returnToBot) {
    if (!state.open) return;
    // Off at once: a second click while the first is on its way would only fail ("nothing to resolve").
    $("resolve").disabled = true;
    $("return-to-bot").disabled = true;
    const ok = await act("Could not resolve", () => api("POST", conversationPath("/resolve"), { return_to_bot: returnToBot }));
    if (!ok && state.open) renderPermissions();
    if (ok) {
      state.open.conversation.state = returnToBot ? "bot" : "resolved";
      say(returnToBot ? "Returned to the bot: it answers the client's next message."
        : "Resolved. If the client writes again, the bot answers first.");
      await refreshOpen();
      await loadQueue();
      $("queue-title").focus();
    }
  }

  async function sendReply(event) {
    event.preventDefault();
    const box = $("reply-text");
    const text = box.value.trim();
    if (!text || !state.open) return;
    await act("Could not send", async () => {
      await api("POST", conversationPath("/messages"), { text });
      box.value = "";
      $("canned").value = "";
      say("Reply sent.");
      await refreshOpen();
    });
  }

  async function addNote(event) {
    event.preventDefault();
    const box = $("note-text");
    const text = box.value.trim();
    if (!text || !state.open) return;
    await act("Could not add the note", async () => {
      const note = await api("POST", conversationPath("/notes"), { text });
      $("notes").append(noteItem(note));
      box.value = "";
      say("Note added.");
    });
  }

  function useCanned() {
    const id = Number($("canned").value);
    const item = state.open && state.open.canned_responses.find((entry) => entry.id === id);
    if (item) {
      $("reply-text").value = item.text;
      $("reply-text").focus();
    }
  }

  // --- live updates --------------------------------------------------------------------------
  function listen() {
    if (!("EventSource" in window)) {
      setInterval(() => loadQueue().catch(() => {}), 5000);
      return;
    }
    const source = new EventSource("/api/rep/events");
    let troubleTimer = null;
    source.addEventListener("queue", (event) => {
      clearTimeout(troubleTimer);
      troubleTimer = null;
      applyQueue(JSON.parse(event.data));
    });
    source.addEventListener("signed_out", () => {
      source.close();
      window.location.assign("/console/sign-in");
    });
    source.addEventListener("error", () => {
      if (!troubleTimer) {
        troubleTimer = setTimeout(() => say("Live updates interrupted; reconnecting…", true), 8000);
      }
    });
  }

  function start() {
    $("enable-alerts").addEventListener("click", enableAlerts);
    $("show-active").addEventListener("click", () => setFilter("active"));
    $("show-resolved").addEventListener("click", () => setFilter("resolved"));
    $("claim").addEventListener("click", claim);
    $("call-back").addEventListener("click", callBack);
    $("resolve").addEventListener("click", () => resolve(false));
    $("return-to-bot").addEventListener("click", () => resolve(true));
    $("reply-form").addEventListener("submit", sendReply);
    $("note-form").addEventListener("submit", addNote);
    $("canned").addEventListener("change", useCanned);
    $("reply-text").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) sendReply(event);
    });
    if ("Notification" in window && Notification.permission === "granted") {
      $("enable-alerts").textContent = "Turn on sound alerts";
    }
    setInterval(tickTimers, 1000);
    showLiveState();
    // The test hook (see showLiveState): pause and resume live updates.
    window.ConsoleLive = { pause: pauseLive, resume: resumeLive };
    loadQueue().catch((error) => say(error.message, true)).finally(listen).then(openFromLink);
    window.addEventListener("hashchange", openFromLink);
  }

  // "/console#conversation=<id>" (the audit log links a client's name so) opens that conversation.
  function openFromLink() {
    const match = window.location.hash.match(/^#conversation=([\w-]+)$/);
    if (match) openConversation(decodeURIComponent(match[1])).catch((error) => say(error.message, true));
  }

  start();
})();
