/* The console's live updates: the queue snapshots the server pushes (an event stream; polling in a
   browser without EventSource), and whether the page is still.

   `document.body.dataset.live` is "busy" while a load or refresh is on its way, else "paused" (live
   updates held) or "idle". Browser tests wait on it (never on a sleep) before checking the page, and
   pause live updates around checks such as axe (the test hook `window.ConsoleLive`), so a hand-off
   arriving from elsewhere cannot move the page under them; a snapshot that arrives while paused is
   held, not lost, and the newest is applied on resume. */
"use strict";

window.ConsoleLiveUpdates = (() => {
  const { say } = window.Console;
  let busy = 0;           // loads and refreshes on their way
  let paused = false;
  let held = null;        // the queue snapshot that arrived while paused
  let apply = () => {};   // the page's handler of a queue snapshot
  let resumed = () => {}; // what the page does once live updates run again

  function show() {
    document.body.dataset.live = busy > 0 ? "busy" : paused ? "paused" : "idle";
  }

  /* Run `work` (async), the page counting as busy until it is done. */
  async function tracked(work) {
    busy += 1;
    show();
    try {
      return await work();
    } finally {
      busy -= 1;
      show();
    }
  }

  /* A queue snapshot from the server: applied now, or held while paused. */
  function deliver(data) {
    if (paused) {
      held = data;
      return;
    }
    apply(data);
  }

  function pause() {
    paused = true;
    show();
  }

  function resume() {
    paused = false;
    show();
    const latest = held;
    held = null;
    if (latest) apply(latest);
    resumed();
  }

  /* Follow the server's queue snapshots; `poll` loads the queue where there is no event stream. */
  function listen(poll) {
    if (!("EventSource" in window)) {
      setInterval(() => poll().catch(() => {}), 5000);
      return;
    }
    const source = new EventSource("/api/rep/events");
    let troubleTimer = null;
    source.addEventListener("queue", (event) => {
      clearTimeout(troubleTimer);
      troubleTimer = null;
      deliver(JSON.parse(event.data));
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

  /* `onQueue(snapshot)` applies a snapshot; `onResume()` runs after a pause ends. */
  function start(onQueue, onResume) {
    apply = onQueue;
    resumed = onResume;
    show();
    window.ConsoleLive = { pause, resume };  // the test hook (see above)
  }

  return { tracked, deliver, listen, start, isPaused: () => paused };
})();
