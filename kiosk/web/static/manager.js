// The manager's pages: today's figures kept live from the server's events; the report's frame sized to its page.
(function () {
  "use strict";
  const today = document.getElementById("today");
  if (today) {
    const events = new EventSource(today.dataset.events);
    window.managerEvents = 0;
    events.addEventListener("today", (e) => {
      const data = JSON.parse(e.data);
      today.innerHTML = data.html;
      window.managerEvents += 1;
    });
    events.addEventListener("signed_out", () => { events.close(); window.location.reload(); });
    events.onerror = () => {
      const note = today.querySelector(".reconnecting");
      if (note) note.hidden = false;
      // closed for good (the session ended: the server answered with the sign-in page): go there
      if (events.readyState === EventSource.CLOSED) window.location.reload();
    };
  }
  const frame = document.getElementById("report");
  if (frame) {
    const fit = () => {
      const doc = frame.contentDocument;
      if (doc && doc.documentElement) frame.style.height = doc.documentElement.scrollHeight + 24 + "px";
    };
    frame.addEventListener("load", fit);
    fit();
    const print = document.getElementById("print");
    if (print) print.addEventListener("click", () => frame.contentWindow.print());
  }
})();
