/* The rep console: the queue, one conversation, and what a rep does with it (claim, reply, notes,
   resolve, call back). No framework, no CDN, no bundler: each concern is its own script, loaded in
   order by the page (routes/console.py) and served from this origin under its strict CSP:
     common.js               API helper, safe DOM building, the practice's clock
     calls.js, outreach.js   the call panel and the outreach sidebar
     console_queue.js        the queue's cards and their patching in place
     console_alerts.js       sound and desktop alerts for new hand-offs
     console_live.js         the live queue feed and the page's busy/paused/idle state
     console_conversation.js rendering one conversation
     console.js (this)       the page's state, loading, and the rep's actions
   Everything a client or rep wrote is put into the page with textContent only. */
"use strict";

(() => {
  const { api, say, setZone } = window.Console;
  const calls = window.ConsoleCalls;
  const cards = window.ConsoleQueue;
  const alerts = window.ConsoleAlerts;
  const live = window.ConsoleLiveUpdates;
  const view = window.ConsoleConversation;
  const $ = (id) => document.getElementById(id);
  const tracked = live.tracked;

  const state = {
    filter: "active",
    queue: [],
    known: null,          // ticket id -> priority, for spotting new hand-offs
    skewMs: 0,            // server clock minus ours
    open: null,           // conversation detail currently shown
    lastMessageId: 0,
  };

  // --- queue (cards and their patching: console_queue.js) -----------------------------------
  function now() {
    return Date.now() + state.skewMs;
  }

  function tickTimers() {
    if (!live.isPaused()) cards.tickTimers(now());
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
        if (isNew || escalated) alerts.notify(item, openConversation);
      }
    }
    state.known = seen;
  }

  /* A live queue snapshot (console_live.js holds it back while paused). */
  function applyQueue(data) {
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

  // --- one conversation (rendered by console_conversation.js) -------------------------------
  function renderConversation() {
    const sidebar = view.render(state.open);
    if (sidebar) tracked(() => sidebar);  // the outreach sidebar loads on its own: busy until it is in
    const messages = state.open.messages;
    state.lastMessageId = messages.length ? messages[messages.length - 1].id : 0;
  }

  function renderPermissions() {
    view.renderPermissions(state.open);
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
          transcript.append(view.messageItem(message));
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
      $("notes").append(view.noteItem(note));
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

  function start() {
    alerts.start();
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
    view.start(now, tickTimers);
    setInterval(tickTimers, 1000);
    live.start(applyQueue, tickTimers);
    loadQueue().catch((error) => say(error.message, true)).finally(() => live.listen(loadQueue)).then(openFromLink);
    window.addEventListener("hashchange", openFromLink);
  }

  // "/console#conversation=<id>" (the audit log links a client's name so) opens that conversation.
  function openFromLink() {
    const match = window.location.hash.match(/^#conversation=([\w-]+)$/);
    if (match) openConversation(decodeURIComponent(match[1])).catch((error) => say(error.message, true));
  }

  start();
})();
