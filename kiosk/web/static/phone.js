// The customer's phone page: the status of one ticket, live from /t/<token>/events.
"use strict";
(function () {
  const setup = JSON.parse(document.getElementById("setup").textContent);
  const $ = (id) => document.getElementById(id);

  function show(status, texts) {
    $("number").textContent = status.ticket;
    $("headline").textContent = texts.headline;
    $("ahead").textContent = texts.ahead;
    $("wait").textContent = texts.wait;
    $("ahead").hidden = !texts.ahead;
    $("wait").hidden = !texts.wait;
    document.body.className = status.state;
    document.title = status.state === "called" ? texts.headline : texts.title;
  }

  function setConnected(up) { $("status").hidden = up; }

  show(setup.status, setup.texts);
  const source = new EventSource("/t/" + encodeURIComponent(setup.token) + "/events");
  source.addEventListener("ticket", (e) => {
    const data = JSON.parse(e.data);
    show(data.status, data.texts);
    setConnected(data.connected);
  });
  source.onerror = () => setConnected(false);
})();
