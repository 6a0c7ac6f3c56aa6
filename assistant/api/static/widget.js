/*
 * The practice's front desk, as a chat widget for the practice's own website.
 *
 *   <script src="https://ASSISTANT_HOST/widget.js" data-practice="lakeside" defer></script>
 *
 * No dependencies, no build step.  Works under a strict Content-Security-Policy:
 * no inline scripts or styles, no eval, no innerHTML: every piece of text goes in
 * through textContent, styles come from widget.css (a stylesheet link inside a
 * shadow root, so the site's CSS and ours cannot collide).  The site's CSP must
 * allow ASSISTANT_HOST in script-src, style-src and connect-src.
 *
 * The session (id + token) is kept in localStorage, so a conversation survives a
 * reload and a new tab; the server ends it after a period of inactivity and the
 * widget then starts afresh.  "End chat" forgets it on this device and revokes it.
 * New messages (a person from the practice replying) arrive as server-sent events.
 */
(function () {
  "use strict";

  var FLAG = "__practiceFrontDeskWidget";
  if (window[FLAG]) return;
  window[FLAG] = true;

  var script = document.currentScript ||
    document.querySelector('script[src*="widget.js"][data-practice]');
  if (!script || !script.src) return;
  var API = new URL(script.src, location.href).origin;
  var PRACTICE = (script.getAttribute("data-practice") || "").trim();
  var STORAGE_KEY = "fd-chat:v1:" + (PRACTICE || "default");
  var OPEN_KEY = STORAGE_KEY + ":open";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var URL_RE = /\bhttps?:\/\/[^\s<>"']+/g;

  var practiceName = "our practice";
  var chat = null;            // {id, token}
  var lastId = 0;             // highest message id shown
  var shown = {};             // message id -> true
  var pending = [];           // the client's own messages, shown before the server has them
  var payloadTitles = {};     // quick-reply payload -> the title the client saw
  var convState = "bot";
  var repName = null;         // display name of the person who last wrote, if known
  var repSpokeLast = false;
  var busy = false;
  var stream = null;
  var reconnectTimer = null;
  var backoff = 1000;
  var unread = 0;
  var identity = null;        // name + date of birth, kept in memory only, to resend a code

  // --- storage (may be unavailable: private modes, blocked cookies) ------------------------
  var memory = {};
  function store(kind) {
    try {
      var s = window[kind];
      var probe = "fd-probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (e) {
      return {
        getItem: function (k) { return Object.prototype.hasOwnProperty.call(memory, k) ? memory[k] : null; },
        setItem: function (k, v) { memory[k] = String(v); },
        removeItem: function (k) { delete memory[k]; }
      };
    }
  }
  var local = store("localStorage");
  var perTab = store("sessionStorage");

  function loadChat() {
    try {
      var saved = JSON.parse(local.getItem(STORAGE_KEY) || "null");
      if (saved && typeof saved.id === "string" && typeof saved.token === "string") return saved;
    } catch (e) { /* unreadable: start afresh */ }
    return null;
  }
  function saveChat(value) {
    if (value) local.setItem(STORAGE_KEY, JSON.stringify({ id: value.id, token: value.token }));
    else local.removeItem(STORAGE_KEY);
  }

  // --- DOM helpers: elements and text nodes only, never markup -----------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    var key;
    for (key in attrs || {}) {
      if (!Object.prototype.hasOwnProperty.call(attrs, key)) continue;
      var value = attrs[key];
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function icon(pathData) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "fd-icon");
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", pathData);
    svg.appendChild(path);
    return svg;
  }
  function show(node, visible) { node.hidden = !visible; }
  // Times are the practice's (its zone from /api/chat/practices/{slug}), with the zone said
  // ("10:00 AM ET"), and the date too when it is not today there ("Tue Dec 1, 10:00 AM ET").
  var practiceZone = null;
  function zoned(options) {
    var all = { hour: "numeric", minute: "2-digit" };
    var key;
    for (key in options) if (Object.prototype.hasOwnProperty.call(options, key)) all[key] = options[key];
    if (practiceZone) all.timeZone = practiceZone;
    try { return new Intl.DateTimeFormat("en-US", all); }
    catch (e) { delete all.timeZone; return new Intl.DateTimeFormat("en-US", all); }
  }
  function dayOf(when) {
    return zoned({ year: "numeric", month: "2-digit", day: "2-digit", hour: undefined, minute: undefined })
      .format(when);
  }
  function zoneName(when) {
    var parts;
    try { parts = zoned({ timeZoneName: "shortGeneric" }).formatToParts(when); }
    catch (e) { parts = zoned({ timeZoneName: "short" }).formatToParts(when); }
    var zone = parts.filter(function (part) { return part.type === "timeZoneName"; })[0];
    return zone ? zone.value : "";
  }
  function clock(iso) {
    var when = iso ? new Date(iso) : new Date();
    if (isNaN(when.getTime())) when = new Date();
    var time = zoned({}).format(when);
    var date = zoned({ weekday: "short", month: "short", day: "numeric", hour: undefined, minute: undefined })
      .formatToParts(when).filter(function (part) { return part.type !== "literal"; })
      .map(function (part) { return part.value; }).join(" ");  // "Tue Dec 1", as the bot says dates
    var zone = zoneName(when);
    var full = date + ", " + time + (zone ? " " + zone : "");
    var label = dayOf(when) === dayOf(new Date()) ? time + (zone ? " " + zone : "") : full;
    return { iso: when.toISOString(), label: label, full: full };
  }
  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  // --- the widget's DOM ----------------------------------------------------------------------
  var host = el("div", { id: "frontdesk-chat-widget" });
  var root = host.attachShadow({ mode: "open" });
  var sheet = el("link", { rel: "stylesheet", href: API + "/widget.css" });
  var frame = el("div", { class: "fd-frame", hidden: true });  // shown once the stylesheet loads
  root.appendChild(sheet);
  root.appendChild(frame);

  var badge = el("span", { class: "fd-badge", hidden: true, "aria-hidden": "true" });
  var launcherLabel = el("span", { class: "fd-launcher-label", text: "Chat with us" });
  var launcher = el("button", { type: "button", class: "fd-launcher", "aria-expanded": "false",
                                "aria-controls": "fd-panel" },
    [icon("M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"),
     launcherLabel, badge]);

  var title = el("h2", { id: "fd-title", class: "fd-title", text: "Front desk" });
  var subtitle = el("p", { class: "fd-subtitle", text: "Virtual assistant \u00b7 a person can take over any time" });
  var endButton = el("button", { type: "button", class: "fd-end", hidden: true, text: "End chat" });
  var closeButton = el("button", { type: "button", class: "fd-close", "aria-label": "Close chat" },
    [icon("M6 6l12 12M18 6L6 18")]);
  var header = el("div", { class: "fd-header" }, [
    el("div", { class: "fd-heading" }, [title, subtitle]),
    el("div", { class: "fd-actions" }, [endButton, closeButton])
  ]);

  var banner = el("p", { class: "fd-banner", role: "status", hidden: true });
  // Always in the panel: a live region announces a change of its text, not its appearing.
  var typingStatus = el("p", { class: "fd-sr fd-typing-status", role: "status", "aria-live": "polite" });
  var log = el("div", { class: "fd-log", role: "log", "aria-live": "polite",
                        "aria-relevant": "additions", "aria-label": "Conversation", tabindex: "0" });
  var typing = el("div", { class: "fd-typing", hidden: true, "aria-hidden": "true" }, [
    el("span", { class: "fd-dot", "aria-hidden": "true" }),
    el("span", { class: "fd-dot", "aria-hidden": "true" }),
    el("span", { class: "fd-dot", "aria-hidden": "true" })
  ]);

  // Pre-chat form: who you are (optional), and how we confirm it.
  var nameInput = el("input", { id: "fd-name", type: "text", autocomplete: "name", maxlength: "200" });
  var dobInput = el("input", { id: "fd-dob", type: "date", autocomplete: "bday", min: "1900-01-01" });
  var methodDob = el("input", { type: "radio", name: "fd-method", value: "dob", checked: true, id: "fd-method-dob" });
  var methodCode = el("input", { type: "radio", name: "fd-method", value: "code", id: "fd-method-code" });
  var prechatError = el("p", { class: "fd-error", role: "alert" });
  var guestButton = el("button", { type: "button", class: "fd-secondary fd-guest",
                                   text: "Continue for general questions" });
  var prechat = el("form", { class: "fd-form fd-prechat", "aria-labelledby": "fd-prechat-title", novalidate: true }, [
    el("h3", { id: "fd-prechat-title", class: "fd-form-title", text: "Tell us who you are (optional)" }),
    el("p", { class: "fd-help", text: "So we can look up your sessions. For general questions you can skip this." }),
    el("label", { for: "fd-name", text: "Full name" }), nameInput,
    el("label", { for: "fd-dob", text: "Date of birth" }), dobInput,
    el("fieldset", { class: "fd-methods" }, [
      el("legend", { text: "How should we confirm it's you?" }),
      el("label", { class: "fd-choice", for: "fd-method-dob" }, [methodDob, " Name and date of birth"]),
      el("label", { class: "fd-choice", for: "fd-method-code" }, [methodCode, " Also text a code to my mobile on file"])
    ]),
    prechatError,
    // Kept in view while the fields scroll (a short window: 1280x600).
    el("div", { class: "fd-form-actions" }, [
      el("button", { type: "submit", class: "fd-primary", text: "Start chat" }),
      guestButton
    ])
  ]);

  // One-time code form.
  var codeInput = el("input", { id: "fd-code", type: "text", inputmode: "numeric", autocomplete: "one-time-code",
                                maxlength: "6", pattern: "[0-9]{6}" });
  var codeError = el("p", { class: "fd-error", role: "alert" });
  var resendButton = el("button", { type: "button", class: "fd-secondary", text: "Send a new code" });
  var skipButton = el("button", { type: "button", class: "fd-secondary", text: "Skip for now" });
  var codeForm = el("form", { class: "fd-form fd-codeform", hidden: true, "aria-labelledby": "fd-code-title", novalidate: true }, [
    el("h3", { id: "fd-code-title", class: "fd-form-title", text: "Enter your code" }),
    el("p", { class: "fd-help", text: "If those details match our records and we can text the mobile number on file, " +
                                     "we've sent a 6-digit code. It expires in 10 minutes." }),
    el("label", { for: "fd-code", text: "6-digit code" }), codeInput,
    codeError,
    el("button", { type: "submit", class: "fd-primary", text: "Verify" }),
    el("div", { class: "fd-row" }, [resendButton, skipButton])
  ]);

  var input = el("input", { id: "fd-input", type: "text", maxlength: "2000", autocomplete: "off",
                            placeholder: "Type your message" });
  var sendButton = el("button", { type: "submit", class: "fd-send", text: "Send" });
  var composer = el("form", { class: "fd-composer", hidden: true }, [
    el("label", { for: "fd-input", class: "fd-sr", text: "Message" }), input, sendButton
  ]);

  // "End chat" asks first: ending revokes the chat for good.
  var confirmYes = el("button", { type: "button", class: "fd-primary fd-confirm-yes", text: "Yes, end chat" });
  var confirmNo = el("button", { type: "button", class: "fd-secondary fd-confirm-no", text: "Keep chatting" });
  var confirmBar = el("div", { class: "fd-confirm", role: "group", "aria-labelledby": "fd-confirm-text", hidden: true }, [
    el("p", { id: "fd-confirm-text", class: "fd-confirm-text",
              text: "End this chat? It can't be reopened, and nothing from it stays on this device." }),
    el("div", { class: "fd-row" }, [confirmYes, confirmNo])
  ]);

  var panel = el("section", { id: "fd-panel", class: "fd-panel", role: "dialog", "aria-modal": "false",
                              "aria-labelledby": "fd-title", hidden: true },
    [header, confirmBar, banner, log, typing, typingStatus, prechat, codeForm, composer]);
  frame.appendChild(panel);
  frame.appendChild(launcher);

  // --- API -----------------------------------------------------------------------------------
  function api(method, path, body, authorized) {
    var headers = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (authorized && chat) headers.Authorization = "Bearer " + chat.token;
    return fetch(API + path, { method: method, headers: headers, mode: "cors", credentials: "omit",
                               cache: "no-store",
                               body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (response) {
        return response.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
          return { status: response.status, ok: response.ok, data: data };
        });
      });
  }
  function chatPath(suffix) { return "/api/chat/sessions/" + encodeURIComponent(chat.id) + (suffix || ""); }

  // --- rendering -----------------------------------------------------------------------------
  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function appendText(node, text, linkify) {
    if (!linkify) { node.textContent = text; return; }
    var at = 0;
    text.replace(URL_RE, function (match, offset) {
      var trimmed = match.replace(/[.,;:!?)\]]+$/, "");
      node.appendChild(document.createTextNode(text.slice(at, offset)));
      var safe = null;
      try { safe = new URL(trimmed); } catch (e) { safe = null; }
      if (safe && (safe.protocol === "https:" || safe.protocol === "http:")) {
        node.appendChild(el("a", { href: safe.href, target: "_blank", rel: "noopener noreferrer", text: trimmed }));
      } else {
        node.appendChild(document.createTextNode(trimmed));
      }
      at = offset + trimmed.length;
      return match;
    });
    node.appendChild(document.createTextNode(text.slice(at)));
  }

  function bubble(kind, who, text, iso, id) {
    var time = clock(iso);
    var body = el("p", { class: "fd-text" });
    appendText(body, text, kind !== "client");
    var node = el("div", { class: "fd-msg fd-from-" + kind, "data-id": id === undefined ? null : id }, [
      el("p", { class: "fd-meta" }, [el("span", { class: "fd-who", text: who }), " ",
                                     el("time", { datetime: time.iso, title: time.full, text: time.label })]),
      body
    ]);
    place(node, id);
    scrollDown();
    return node;
  }

  // Messages from the stream and from a transcript fetch may interleave: keep id order.
  function place(node, id) {
    var later = null;
    if (typeof id === "number") {
      var placed = log.querySelectorAll(".fd-msg[data-id]");
      for (var i = placed.length - 1; i >= 0 && Number(placed[i].getAttribute("data-id")) > id; i--) {
        later = placed[i];
      }
    }
    log.insertBefore(node, later);
  }

  // The assistant is out for a moment: its "one moment" stays shown (a status, not part of
  // the transcript) until the answer arrives.
  var waiting = null;
  function showWaiting(replies) {
    clearWaiting();
    var text = (replies || []).map(function (reply) { return String(reply.text || ""); }).join(" ");
    if (!text) return;
    waiting = el("p", { class: "fd-note fd-waiting", role: "status", text: text });
    log.appendChild(waiting);
    scrollDown();
  }
  function clearWaiting() {
    if (waiting && waiting.parentNode) waiting.parentNode.removeChild(waiting);
    waiting = null;
  }

  function note(text) {
    var node = el("p", { class: "fd-note", text: text });
    log.appendChild(node);
    scrollDown();
    return node;
  }

  function clearQuickReplies() {
    Array.prototype.forEach.call(log.querySelectorAll(".fd-quick"), function (group) {
      group.parentNode.removeChild(group);
    });
  }

  function quickReplies(buttons) {
    var group = el("div", { class: "fd-quick", role: "group", "aria-label": "Suggested replies" });
    buttons.forEach(function (button) {
      var title = String(button.title || "");
      var payload = String(button.payload || title);
      payloadTitles[payload] = title;
      var node = el("button", { type: "button", class: "fd-chip", text: title });
      node.addEventListener("click", function () {
        var hadFocus = root.activeElement === node;
        send(payload, title);
        if (hadFocus) log.focus();  // the button is gone: keep keyboard focus in the panel
      });
      group.appendChild(node);
    });
    log.appendChild(group);
    scrollDown();
  }

  function authorLabel(message) {
    if (message.author === "rep") return message.author_name || ("Team member, " + practiceName);
    return practiceName;
  }

  function render(message) {
    if (!message || typeof message.id !== "number" || shown[message.id]) return;
    shown[message.id] = true;
    var newest = message.id > lastId;
    if (newest) lastId = message.id;
    var text = String(message.text || "");
    if (message.author === "client") {
      var display = Object.prototype.hasOwnProperty.call(payloadTitles, text) ? payloadTitles[text] : text;
      var mine = pending.shift();
      if (mine) {  // our own message, now stored: keep its bubble, show what was stored
        mine.node.setAttribute("data-id", String(message.id));
        mine.node.classList.remove("fd-pending");
        if (!mine.payload) mine.node.querySelector(".fd-text").textContent = text;
        return;
      }
      clearQuickReplies();
      bubble("client", "You", display, message.created_at, message.id);
      return;
    }
    clearQuickReplies();
    clearWaiting();
    bubble(message.author, authorLabel(message), text, message.created_at, message.id);
    if (newest && message.buttons && message.buttons.length) quickReplies(message.buttons);
    repSpokeLast = message.author === "rep";
    if (repSpokeLast && message.author_name) repName = message.author_name;
    updateBanner();
    if (panel.hidden) {
      unread += 1;
      badge.textContent = String(unread);
      show(badge, true);
      launcher.setAttribute("aria-label", "Chat with us, " + unread + " new message" + (unread === 1 ? "" : "s"));
    }
  }

  function applyState(data) {
    if (!data || !data.state) return;
    convState = data.state;
    updateBanner();
    if (convState === "resolved") askFeedback();
  }

  // --- after a rep resolved: one optional question ("Did we help?"), answered once ----------
  var feedbackAsked = {};     // resolution id -> true, once its question is shown
  function askFeedback() {
    if (!chat) return;
    var current = chat;
    api("GET", chatPath("/feedback"), undefined, true).then(function (r) {
      if (current !== chat || !r.ok || !r.data || typeof r.data.resolution !== "number") return;
      if (feedbackAsked[r.data.resolution]) return;
      feedbackAsked[r.data.resolution] = true;
      log.appendChild(feedbackCard(r.data));
      scrollDown();
    }).catch(function () { /* optional: never in the client's way */ });
  }

  function feedbackCard(question) {
    var headingId = "fd-feedback-title-" + question.resolution;
    var commentId = "fd-feedback-comment-" + question.resolution;
    // A one-line field: axe-core cannot decide a textarea's contrast inside the scrolling log.
    var comment = el("input", { id: commentId, type: "text", class: "fd-feedback-comment", maxlength: "500",
                                autocomplete: "off" });
    var error = el("p", { class: "fd-error", role: "alert" });
    var up = el("button", { type: "button", class: "fd-thumb", "aria-label": "Yes, this helped", text: "\ud83d\udc4d" });
    var down = el("button", { type: "button", class: "fd-thumb", "aria-label": "No, this didn't help",
                              text: "\ud83d\udc4e" });
    var card = el("form", { class: "fd-feedback", "aria-labelledby": headingId, novalidate: true }, [
      el("p", { id: headingId, class: "fd-feedback-title", text: question.question }),
      el("div", { class: "fd-row", role: "group", "aria-labelledby": headingId }, [up, down]),
      el("label", { for: commentId, text: question.comment_label }), comment,
      error
    ]);
    function answer(rating) {
      if (!chat) return;
      up.setAttribute("aria-disabled", "true");
      down.setAttribute("aria-disabled", "true");
      var body = { resolution: question.resolution, rating: rating };
      if (comment.value.trim()) body.comment = comment.value;
      api("POST", chatPath("/feedback"), body, true).then(function (r) {
        if (r.ok || r.status === 409) {  // 409: answered already (another tab): thanked either way
          var thanks = el("p", { class: "fd-note fd-feedback-done", role: "status",
                                 text: (r.data && r.data.thanks) || question.thanks });
          card.parentNode.replaceChild(thanks, card);
          if (root.activeElement === null || !root.contains(root.activeElement)) log.focus();
          return;
        }
        up.removeAttribute("aria-disabled");
        down.removeAttribute("aria-disabled");
        error.textContent = r.status === 422 ? "That comment is too long (500 characters at most)."
                                             : "We couldn't send that. Try again.";
      }).catch(function () {
        up.removeAttribute("aria-disabled");
        down.removeAttribute("aria-disabled");
        error.textContent = "We couldn't reach the front desk. Check your connection and try again.";
      });
    }
    up.addEventListener("click", function () { if (!up.hasAttribute("aria-disabled")) answer("up"); });
    down.addEventListener("click", function () { if (!down.hasAttribute("aria-disabled")) answer("down"); });
    card.addEventListener("submit", function (event) { event.preventDefault(); });
    return card;
  }

  function updateBanner() {
    var text = "";
    var kind = "";
    if (convState === "with_rep" || (repSpokeLast && convState !== "resolved")) {
      text = repName ? repName + " from " + practiceName + " is here"
                     : "A team member from " + practiceName + " is here";
      kind = "fd-banner-person";
    } else if (convState === "handoff_pending") {
      text = "A person from " + practiceName + " will reply here soon.";
      kind = "fd-banner-waiting";
    }
    banner.textContent = text;
    banner.className = "fd-banner " + kind;
    show(banner, !!text);
    subtitle.textContent = kind === "fd-banner-person" ? "You're chatting with a person"
                                                       : "Virtual assistant \u00b7 a person can take over any time";
  }

  function setTyping(on) {
    show(typing, on);
    typingStatus.textContent = on ? "The assistant is typing" : "";
    if (on) scrollDown();
  }

  function welcome() {
    note("Hi! I'm the virtual front desk for " + practiceName + ". I can move, cancel or book a session, " +
         "tell you when your next session is, send your video link, help you get into the client portal, " +
         "or send a secure link to update your card. A person from our team can take over any time. " +
         "In an emergency, call 911, or call or text 988.");
  }

  function resetView() {
    log.textContent = "";
    shown = {};
    pending = [];
    payloadTitles = {};
    lastId = 0;
    convState = "bot";
    repName = null;
    repSpokeLast = false;
    identity = null;
    feedbackAsked = {};
    show(confirmBar, false);
    updateBanner();
    setTyping(false);
    welcome();
  }

  function showPrechat() {
    show(prechat, true);
    show(codeForm, false);
    show(composer, false);
    show(endButton, false);
    prechatError.textContent = "";
    dobInput.setAttribute("max", today());
  }

  function showComposer() {
    show(prechat, false);
    show(codeForm, false);
    show(composer, true);
    show(endButton, true);
  }

  function focusFirst() {
    var target = !prechat.hidden ? nameInput : !codeForm.hidden ? codeInput : input;
    target.focus();
  }

  // --- the conversation ----------------------------------------------------------------------
  function sync() {
    if (!chat) return Promise.resolve();
    var current = chat;
    return api("GET", chatPath("/messages?after=" + lastId), undefined, true).then(function (r) {
      if (current !== chat) return null;
      if (r.status === 401 || r.status === 404) { expire(); return null; }
      if (!r.ok || !r.data) return null;
      r.data.messages.forEach(render);
      applyState(r.data);
      return r.data.has_more ? sync() : null;
    });
  }

  function send(text, label) {
    text = String(text || "").trim();
    if (!text || busy || !chat) return;
    busy = true;
    sendButton.setAttribute("aria-disabled", "true");
    clearQuickReplies();
    var mine = { node: bubble("client", "You", label || text), payload: !!label };
    mine.node.classList.add("fd-pending");
    pending.push(mine);
    setTyping(true);
    var current = chat;
    api("POST", chatPath("/messages"), { text: text }, true).then(function (r) {
      if (current !== chat) return null;
      if (r.status === 401 || r.status === 404) { expire(); return null; }
      if (!r.ok) {
        failed(mine, r.status === 422 ? "That message couldn't be sent (it may be too long)." : null);
        return null;
      }
      return sync().then(function () { if (r.data && r.data.pending) showWaiting(r.data.replies); });
    }).catch(function () {
      failed(mine, null);
    }).then(function () {
      busy = false;
      sendButton.removeAttribute("aria-disabled");
      setTyping(false);
    });
  }

  function failed(mine, reason) {
    var at = pending.indexOf(mine);
    if (at >= 0) pending.splice(at, 1);
    mine.node.classList.remove("fd-pending");
    mine.node.classList.add("fd-failed");
    note(reason || "We couldn't reach the front desk. Check your connection and try again.");
  }

  function expire() {
    var had = !!chat;
    forget();
    resetView();
    if (had) note("This chat has ended. Start a new one whenever you like.");
    showPrechat();
  }

  function forget() {
    closeStream();
    chat = null;
    saveChat(null);
  }

  function startChat(body, onStarted) {
    if (PRACTICE) body.practice = PRACTICE;
    prechatError.textContent = "";
    return api("POST", "/api/chat/sessions", body).then(function (r) {
      if (r.status !== 201 || !r.data) {
        prechatError.textContent = r.status === 422 ? "Please check your name and date of birth."
          : r.status === 429 ? "We've had too many tries to confirm details from this connection. Please wait " +
                               "a few minutes and try again, continue for general questions, or call " + practiceName + "."
          : "Chat isn't available right now. Please call " + practiceName + ".";
        return;
      }
      chat = { id: r.data.session_id, token: r.data.token };
      saveChat(chat);
      onStarted(r.data);
      connectStream();
    }).catch(function () {
      prechatError.textContent = "We couldn't reach the front desk. Check your connection and try again.";
    });
  }

  prechat.addEventListener("submit", function (event) {
    event.preventDefault();
    var name = nameInput.value.trim();
    var dob = dobInput.value;
    if (!name && !dob) { startGuest(); return; }
    if (name.split(/\s+/).length < 2 || !/^\d{4}-\d{2}-\d{2}$/.test(dob)) {
      prechatError.textContent = "Please enter your first and last name and your date of birth, " +
                                 "or continue for general questions.";
      (name.split(/\s+/).length < 2 ? nameInput : dobInput).focus();
      return;
    }
    if (methodCode.checked) {
      identity = { name: name, date_of_birth: dob };
      startChat({}, function () { requestCode(true); });
    } else {
      startChat({ name: name, date_of_birth: dob }, function (created) {
        showComposer();
        if (created.verified) note("Thanks, you're verified. How can I help today?");
        else offerCode({ name: name, date_of_birth: dob });
        input.focus();
      });
    }
  });

  // Not confirmed (wrong details, or name and date of birth paused after too many tries: the
  // server answers both alike): a code to the mobile on file still works, and so does a person.
  function offerCode(details) {
    note("We couldn't confirm those details. We can text a code to your mobile on file instead, " +
         "or ask for a person. You can still ask general questions, and I'll ask again if something needs them.");
    var button = el("button", { type: "button", class: "fd-secondary fd-code-instead",
                                text: "Text a code to my mobile" });
    button.addEventListener("click", function () {
      if (button.parentNode) button.parentNode.removeChild(button);
      identity = details;
      requestCode(true);
    });
    log.appendChild(button);
    scrollDown();
  }

  function startGuest() {
    startChat({}, function () {
      showComposer();
      note("Ask me anything. If you'd like to talk about your own sessions, I'll check who you are first.");
      input.focus();
    });
  }
  guestButton.addEventListener("click", startGuest);

  function requestCode(first) {
    if (!chat || !identity) return;
    codeError.textContent = "";
    api("POST", chatPath("/verify/code-request"), identity, true).then(function (r) {
      if (r.status === 401 || r.status === 404) { expire(); return; }
      show(prechat, false);
      show(composer, false);
      show(endButton, true);
      show(codeForm, true);
      if (r.status === 429) codeError.textContent = "No more codes can be sent just now. Skip for now and " +
                                                    "I'll check your name and date of birth instead, or try again later.";
      else if (!r.ok) codeError.textContent = "We couldn't send a code just now. Try again, or skip for now.";
      else if (!first) codeError.textContent = "A new code is on its way.";
      codeInput.focus();
    }).catch(function () {
      codeError.textContent = "We couldn't reach the front desk. Check your connection and try again.";
    });
  }
  resendButton.addEventListener("click", function () { requestCode(false); });
  skipButton.addEventListener("click", function () {
    identity = null;
    showComposer();
    note("No problem. I'll ask for your name and date of birth if something needs them.");
    input.focus();
  });

  codeForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = codeInput.value.replace(/\s+/g, "");
    if (!/^\d{6}$/.test(code)) { codeError.textContent = "The code is 6 digits."; codeInput.focus(); return; }
    api("POST", chatPath("/verify/code"), { code: code }, true).then(function (r) {
      if (r.status === 401 || r.status === 404) { expire(); return; }
      if (r.status === 429) {
        codeError.textContent = "Too many tries just now. Please wait a few minutes and try again, or skip for now.";
        return;
      }
      if (!r.ok || !r.data) { codeError.textContent = "Something went wrong. Try again."; return; }
      codeInput.value = "";
      if (r.data.verified) {
        identity = null;
        showComposer();
        note("Thanks, you're verified. How can I help today?");
        input.focus();
      } else if (r.data.error === "locked") {
        identity = null;
        showComposer();
        applyState(r.data);
        sync();
        input.focus();
      } else {
        codeError.textContent = "That code didn't work. Check it, or send a new one (codes expire after 10 minutes). " +
          r.data.attempts_left + (r.data.attempts_left === 1 ? " try" : " tries") + " left.";
        codeInput.focus();
      }
    }).catch(function () {
      codeError.textContent = "We couldn't reach the front desk. Check your connection and try again.";
    });
  });

  composer.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    var text = input.value;
    if (!text.trim()) return;
    input.value = "";
    send(text);
  });

  endButton.addEventListener("click", function () {
    show(confirmBar, true);
    confirmNo.focus();  // the safe choice first
  });
  confirmNo.addEventListener("click", function () {
    show(confirmBar, false);
    endButton.focus();
  });
  confirmYes.addEventListener("click", function () {
    show(confirmBar, false);
    if (chat) {
      var ending = chat;
      fetch(API + "/api/chat/sessions/" + encodeURIComponent(ending.id), {
        method: "DELETE", mode: "cors", credentials: "omit", keepalive: true,
        headers: { Authorization: "Bearer " + ending.token }
      }).catch(function () { /* forgotten here either way; the server expires it */ });
    }
    forget();
    resetView();
    note("Chat ended. Nothing from it is kept on this device.");
    showPrechat();
    nameInput.value = "";
    dobInput.value = "";
    nameInput.focus();
  });

  // --- live messages (server-sent events) ----------------------------------------------------
  function closeStream() {
    if (stream) { stream.close(); stream = null; }
    if (reconnectTimer) { clearTimeout(reconnectTimer); reconnectTimer = null; }
  }

  function scheduleReconnect() {
    if (reconnectTimer || !chat) return;
    reconnectTimer = setTimeout(function () { reconnectTimer = null; connectStream(); }, backoff);
    backoff = Math.min(backoff * 2, 30000);
  }

  function connectStream() {
    if (!chat || stream || typeof window.EventSource !== "function") return;
    var current = chat;
    api("POST", chatPath("/stream-token"), undefined, true).then(function (r) {
      if (current !== chat || stream) return;
      if (r.status === 401 || r.status === 404) { expire(); return; }
      if (!r.ok || !r.data) { scheduleReconnect(); return; }
      var source = new EventSource(API + chatPath("/events") + "?stream_token=" +
                                   encodeURIComponent(r.data.stream_token) + "&after=" + lastId);
      stream = source;
      source.addEventListener("open", function () { backoff = 1000; });
      source.addEventListener("message", function (event) {
        try { render(JSON.parse(event.data)); } catch (e) { /* ignore a malformed event */ }
      });
      source.addEventListener("state", function (event) {
        try { applyState(JSON.parse(event.data)); } catch (e) { /* ignore */ }
      });
      source.addEventListener("end", function () {
        if (stream === source) { source.close(); stream = null; }
        sync().then(function () { if (chat) scheduleReconnect(); });
      });
      source.addEventListener("error", function () {
        // While CONNECTING the browser retries by itself, resuming from Last-Event-ID.
        if (source.readyState === 2 && stream === source) { stream = null; scheduleReconnect(); }
      });
    }).catch(function () { scheduleReconnect(); });
  }

  window.addEventListener("online", function () {
    if (chat && !stream) { if (reconnectTimer) { clearTimeout(reconnectTimer); reconnectTimer = null; } connectStream(); }
    sync();
  });

  // Another tab started or ended this chat.
  window.addEventListener("storage", function (event) {
    if (event.key !== STORAGE_KEY) return;
    var saved = loadChat();
    if (!saved && chat) { forget(); resetView(); note("This chat was ended in another tab."); showPrechat(); }
    else if (saved && (!chat || saved.id !== chat.id)) { closeStream(); chat = saved; restore(); }
  });

  // --- open / close --------------------------------------------------------------------------
  // On a phone the panel covers the whole page (widget.css, same width): it is then a modal
  // dialog, and Tab stays inside it.  On a desktop the page beside it stays usable.
  var fullScreen = typeof window.matchMedia === "function" ? window.matchMedia("(max-width: 520px)") : null;
  function updateModal() { panel.setAttribute("aria-modal", fullScreen && fullScreen.matches ? "true" : "false"); }
  if (fullScreen && typeof fullScreen.addEventListener === "function") fullScreen.addEventListener("change", updateModal);

  function focusables() {
    return Array.prototype.filter.call(
      panel.querySelectorAll("button, input, textarea, select, a[href], [tabindex]:not([tabindex='-1'])"),
      function (node) { return !node.disabled && node.getClientRects().length > 0; });
  }
  panel.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || panel.getAttribute("aria-modal") !== "true") return;
    var nodes = focusables();
    if (!nodes.length) return;
    var first = nodes[0];
    var last = nodes[nodes.length - 1];
    var active = root.activeElement;
    if (event.shiftKey && (active === first || !panel.contains(active))) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && (active === last || !panel.contains(active))) { event.preventDefault(); first.focus(); }
  });

  function openPanel(moveFocus) {
    updateModal();
    show(panel, true);
    launcher.setAttribute("aria-expanded", "true");
    launcher.removeAttribute("aria-label");
    frame.classList.add("fd-is-open");
    unread = 0;
    show(badge, false);
    perTab.setItem(OPEN_KEY, "1");
    scrollDown();
    if (moveFocus) focusFirst();
  }

  function closePanel() {
    show(panel, false);
    launcher.setAttribute("aria-expanded", "false");
    frame.classList.remove("fd-is-open");
    perTab.removeItem(OPEN_KEY);
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) openPanel(true); else closePanel();
  });
  closeButton.addEventListener("click", closePanel);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { event.preventDefault(); closePanel(); }
  });

  // --- start ---------------------------------------------------------------------------------
  function restore() {
    resetView();
    showComposer();
    log.setAttribute("aria-busy", "true");
    return sync().catch(function () { /* offline: the stream retries */ }).then(function () {
      log.setAttribute("aria-busy", "false");
      scrollDown();
      if (chat) connectStream();
    });
  }

  // The launcher appears once the stylesheet is in and the saved chat (if any) is back,
  // so nothing flashes unstyled or in the wrong state.
  var styled = false;
  var initialized = false;
  function reveal() { if (styled && initialized) frame.hidden = false; }
  function styledNow() { styled = true; reveal(); }
  sheet.addEventListener("load", styledNow);
  sheet.addEventListener("error", styledNow);
  setTimeout(styledNow, 3000);

  function start() {
    document.body.appendChild(host);
    var lookup = PRACTICE
      ? api("GET", "/api/chat/practices/" + encodeURIComponent(PRACTICE)).then(function (r) {
          if (r.ok && r.data && r.data.name) practiceName = r.data.name;
          if (r.ok && r.data && typeof r.data.timezone === "string") practiceZone = r.data.timezone;
        }).catch(function () { /* the chat says so when used */ })
      : Promise.resolve();
    var patience = new Promise(function (resolve) { setTimeout(resolve, 5000); });
    Promise.race([lookup, patience]).then(function () {
      title.textContent = practiceName;
      chat = loadChat();
      if (chat) restore(); else { resetView(); showPrechat(); }
      if (perTab.getItem(OPEN_KEY)) openPanel(false);
      initialized = true;
      reveal();
    });
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
