/* The console's queue: compact two-line cards (who and why; channel, where it stands, how long it
   has waited) with a one-line preview of the client's last message under them (the server audits
   showing it; none when the client wrote nothing), one client's conversations grouped under their
   name, a crisis "urgent — now".

   The list is patched, never rebuilt: every card carries a signature of what it shows, and only a
   card whose signature changed is replaced; the others keep their node (and so the rep's focus,
   and whatever a screen reader or a contrast checker is looking at). A live update that changes
   nothing changes nothing on the page. Hand-written because it is one keyed list of a few
   hundred cards at most: a virtual-DOM library would be more code than the diff itself.
   Everything a client or rep wrote is put into the page with textContent only. */
"use strict";

window.ConsoleQueue = (() => {
  const { el, when } = window.Console;
  const calls = window.ConsoleCalls;

  const REASONS = {
    crisis: "Crisis", low_confidence: "Bot unsure", repeated_failure: "Bot failed",
    requested: "Asked for a person", billing: "Billing", verification_failed: "Identity check failed",
    unknown_number: "Unknown number", portal_help: "Portal help", sms_opt_out: "Opted out of texts",
    delivery_failed: "Text not delivered", callback: "Call back", practice_question: "Practice question",
  };
  // What the bot thought the client wanted, in words (intent names are the dialogue model's).
  const INTENTS = {
    greet: "Said hello", goodbye: "Said goodbye", thanks: "Said thanks", affirm: "Said yes", deny: "Said no",
    reschedule_appointment: "Wants to reschedule", cancel_appointment: "Wants to cancel", book_appointment: "Wants to book",
    appointment_info: "Asked about an appointment", telehealth_link: "Asked for the video link",
    portal_login_help: "Portal sign-in help", billing_update: "Wants to update billing", billing_question: "Billing question",
    request_human: "Asked for a person", crisis: "Crisis", out_of_scope: "Something else", choose_option: "Picked an option",
    inform_time_preference: "Gave a time preference", still_stuck: "Still stuck", keep_current_time: "Keeps the current time",
    none_of_these: "None of the offered times",
  };
  // A channel's icon (decorative: the channel is also said in words next to it).
  const CHANNEL_ICONS = { web: "💬", sms: "✉️", voice: "📞" };

  function reasonWords(reason) {
    return REASONS[reason] || String(reason).replace(/_/g, " ");
  }

  function intentWords(name) {
    if (INTENTS[name]) return INTENTS[name];
    if (name.startsWith("faq_")) return "Asked about " + name.slice(4).replace(/_/g, " ");
    return name.replace(/_/g, " ");
  }

  function confidenceWords(value) {
    const percent = Math.round((value || 0) * 100);
    return percent >= 80 ? "sure" : percent >= 50 ? "fairly sure" : "unsure";
  }

  // --- timers ---------------------------------------------------------------------------------
  function minutesText(ms) {
    const minutes = Math.max(0, Math.floor(ms / 60000));
    if (minutes < 60) return minutes + " min";
    return Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
  }

  function timerText(since, due, urgent, nowMs) {
    let text = "Waiting " + minutesText(nowMs - Date.parse(since));
    let overdue = false;
    if (urgent) {
      // A crisis is answered now, whatever the practice's ordinary reply window promises.
      text += " · urgent — now";
      overdue = true;
    } else if (due) {
      const left = Date.parse(due) - nowMs;
      overdue = left < 0;
      text += overdue ? " · overdue by " + minutesText(-left) : " · reply due in " + minutesText(left);
    }
    return { text, overdue };
  }

  /* Every running clock on the page ([data-since]: waiting; [data-at]: last activity), written
     only when its words change, so a tick that changes nothing touches nothing. */
  function tickTimers(nowMs) {
    document.querySelectorAll("[data-since]").forEach((node) => {
      const { text, overdue } = timerText(node.dataset.since, node.dataset.due, node.dataset.urgent === "true", nowMs);
      if (node.textContent !== text) node.textContent = text;
      if (node.classList.contains("overdue") !== overdue) node.classList.toggle("overdue", overdue);
    });
    document.querySelectorAll("[data-at]").forEach((node) => {
      const text = when(node.dataset.at, nowMs);
      if (node.textContent !== text) node.textContent = text;
    });
  }

  // --- cards ----------------------------------------------------------------------------------
  function who(item) {
    const ticket = item.ticket;
    if (item.state === "with_rep" && ticket.claimed_by) return "With " + ticket.claimed_by.display_name;
    return item.state === "resolved" ? "Resolved" : "Waiting for a person";
  }

  /* Everything a card shows, as one string: equal signatures, equal cards. */
  function signature(item) {
    const ticket = item.ticket;
    return JSON.stringify([item.channel, item.state, item.client.id, item.client.label, ticket.priority, ticket.reason,
      who(item), item.waiting_since, ticket.reply_due_at, item.last_activity_at, calls.queueLabel(item),
      item.preview ? item.preview.text : null]);
  }

  function card(item, onOpen) {
    const ticket = item.ticket;
    const urgent = ticket.priority === 0;
    const timer = el("span", { class: "timer" });
    if (item.state === "handoff_pending") {  // the clock runs until someone picks it up
      timer.dataset.since = item.waiting_since;
      if (ticket.reply_due_at) timer.dataset.due = ticket.reply_due_at;
      if (urgent) timer.dataset.urgent = "true";
    } else if (item.last_activity_at) {
      timer.dataset.at = item.last_activity_at;
    }
    const button = el("button", {
      type: "button", class: "queue-item" + (urgent ? " urgent" : ""), "data-id": item.id,
      onclick: () => onOpen(item.id),
    },
      // Two lines: who and why; then the channel, where it stands and how long it has waited.
      el("span", { class: "line" },
        el("span", { class: "badge", text: urgent ? "URGENT" : "P" + ticket.priority }), " ",
        el("span", { class: "client", text: item.client.label }), " ",
        el("span", { class: "reason", text: reasonWords(ticket.reason) })), " ",
      el("span", { class: "line second" },
        el("span", { class: "channel-icon", "aria-hidden": "true", text: CHANNEL_ICONS[item.channel] || "" }),
        el("span", { class: "channel", text: calls.queueLabel(item) }), " ",
        el("span", { class: "state", text: who(item) }), " ",
        timer),
      // What the client last wrote, on one line (cut by the server, ellipsis by CSS too); as text only.
      item.preview ? " " : null,
      item.preview ? el("span", { class: "preview", text: item.preview.text }) : null);
    return el("li", { "data-key": item.id, "data-signature": signature(item) }, button);
  }

  function group(items) {
    const headingId = "group-" + items[0].id;
    return el("li", { class: "queue-group", "data-key": groupKey(items[0]) },
      el("p", { class: "group-title", id: headingId }),
      el("ul", { "aria-labelledby": headingId }));
  }

  function groupKey(item) {
    return item.client.id === null || item.client.id === undefined ? "c:" + item.id : "k:" + item.client.id;
  }

  /* Several conversations of one client sit together under the client's name. */
  function byClient(items) {
    const groups = new Map();
    for (const item of items) {
      const key = groupKey(item);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(item);
    }
    return [...groups.values()];
  }

  // --- patching -------------------------------------------------------------------------------
  /* Make `parent`'s children the `wanted` nodes, in order, moving only what is out of place.
     `wanted`: [{key, signature, make, fill}] — `make` builds a fresh node, `fill` (groups) patches
     the kept node's insides; a kept card whose signature changed is replaced. */
  function patch(parent, wanted) {
    const existing = new Map([...parent.children].map((node) => [node.dataset.key, node]));
    const keep = new Set();
    wanted.forEach((entry, index) => {
      let node = existing.get(entry.key);
      if (node && entry.signature !== undefined && node.dataset.signature !== entry.signature) {
        const fresh = entry.make();
        node.replaceWith(fresh);
        node = fresh;
      } else if (!node) {
        node = entry.make();
      }
      if (entry.fill) entry.fill(node);
      keep.add(node);
      const here = parent.children[index];
      if (here !== node) parent.insertBefore(node, here || null);
    });
    for (const node of [...parent.children]) if (!keep.has(node)) node.remove();
  }

  function cardEntries(items, onOpen) {
    return items.map((item) => ({ key: item.id, signature: signature(item), make: () => card(item, onOpen) }));
  }

  /* Patch the queue list to show `items`; `openId` is the conversation on screen. */
  function render(list, items, openId, onOpen) {
    const focused = document.activeElement;
    const focusedId = focused && list.contains(focused) && focused.dataset ? focused.dataset.id : null;
    patch(list, byClient(items).map((members) => {
      if (members.length === 1) return cardEntries(members, onOpen)[0];
      return {
        key: groupKey(members[0]),
        make: () => group(members),
        fill: (node) => {
          const title = node.querySelector(".group-title");
          const text = members[0].client.label + " · " + members.length + " conversations";
          if (title.textContent !== text) title.textContent = text;
          patch(node.querySelector("ul"), cardEntries(members, onOpen));
        },
      };
    }));
    list.querySelectorAll(".queue-item").forEach((button) => {
      const current = button.dataset.id === openId;
      if ((button.getAttribute("aria-current") === "true") !== current) {
        if (current) button.setAttribute("aria-current", "true"); else button.removeAttribute("aria-current");
      }
    });
    // A card that was replaced or moved while focused gets the focus back.
    if (focusedId && document.activeElement !== focused) {
      const again = list.querySelector('[data-id="' + CSS.escape(focusedId) + '"]');
      if (again) again.focus();
    }
  }

  return { render, tickTimers, reasonWords, intentWords, confidenceWords };
})();
