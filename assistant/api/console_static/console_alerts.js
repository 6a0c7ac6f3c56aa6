/* The console's alerts for a new or escalated hand-off: a line for screen readers, a beep (three,
   higher, for a crisis) once the rep has turned sound on, and a desktop notification when allowed.
   A notification says neither the client's name nor their words: the screen may be seen by others. */
"use strict";

window.ConsoleAlerts = (() => {
  const { reasonWords } = window.ConsoleQueue;
  const $ = (id) => document.getElementById(id);
  let audio = null;  // created on the rep's click: browsers start sound only after a gesture

  function beep(urgent) {
    if (!audio) return;
    const count = urgent ? 3 : 1;
    for (let i = 0; i < count; i += 1) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = urgent ? 988 : 660;
      gain.gain.value = 0.15;
      oscillator.connect(gain).connect(audio.destination);
      const start = audio.currentTime + i * 0.3;
      oscillator.start(start);
      oscillator.stop(start + 0.18);
    }
  }

  /* Say that `item` is waiting; a click on the desktop notification opens it (`onOpen(id)`). */
  function notify(item, onOpen) {
    const reason = reasonWords(item.ticket.reason);
    const urgent = item.ticket.priority === 0;
    const title = urgent ? "URGENT hand-off: " + reason : "New hand-off: " + reason;
    $("announcer").textContent = title;
    beep(urgent);
    if ("Notification" in window && Notification.permission === "granted") {
      const note = new Notification(title, { body: "A client is waiting in the console.", tag: "handoff-" + item.ticket.id });
      note.onclick = () => { window.focus(); onOpen(item.id); };
    }
  }

  function enable() {
    const AudioContext = window.AudioContext || window.webkitAudioContext;
    if (AudioContext && !audio) audio = new AudioContext();
    if (audio && audio.state === "suspended") audio.resume();
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

  /* Wire the "turn on alerts" button (off in the page until now: header.html). */
  function start() {
    const button = $("enable-alerts");
    button.addEventListener("click", enable);
    if ("Notification" in window && Notification.permission === "granted") {
      button.textContent = "Turn on sound alerts";
    }
    button.disabled = false;
  }

  return { notify, start };
})();
