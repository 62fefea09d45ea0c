// The hall board: shows /board/events (server-sent events), flashes and sounds each new call once.
// Every event carries the whole board, so after a reconnect nothing is missed or doubled:
// a call is new when its id (ticket id + period) has not been seen by this page.
"use strict";
(function () {
  const setup = JSON.parse(document.getElementById("setup").textContent);
  const languages = Object.keys(setup.labels);
  let labelLang = setup.default;
  let board = null;
  const seen = new Set();
  let primed = false;
  const queue = [];
  let playing = false;
  // what the page played, for the tests and for a technician's console: {id, ticket, event}
  window.boardSounds = [];
  const flashing = new Map();

  const $ = (id) => document.getElementById(id);
  const fmt = (text, values) => text.replace(/%\((\w+)\)d/g, (_, k) => String(values[k]));
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  function callLine(call, big) {
    const lang = setup.labels[call.language] ? call.language : setup.default;
    const li = el("li", call.recall ? "recall" : "");
    li.dataset.id = call.id;
    li.lang = lang;
    li.appendChild(el("span", "number", call.ticket));
    if (big) li.appendChild(el("span", "arrow", "→"));
    li.appendChild(el("span", "where", fmt(setup.labels[lang].counter, { n: call.counter })));
    if (flashing.has(call.id) && Date.now() < flashing.get(call.id)) li.classList.add("flash");
    return li;
  }

  function render() {
    const L = setup.labels[labelLang];
    document.documentElement.lang = labelLang;
    $("now-title").textContent = L.now_calling;
    $("earlier-title").textContent = L.earlier;
    $("nobody").textContent = L.nobody;
    $("status").textContent = L.reconnecting;
    if (!board) return;
    const current = board.called.filter((c) => c.current).slice(0, 4);
    const shown = new Set(current.map((c) => c.id));
    const earlier = board.called.filter((c) => !shown.has(c.id)).slice(0, setup.recent);
    $("current").replaceChildren(...current.map((c) => callLine(c, true)));
    $("recent").replaceChildren(...earlier.map((c) => callLine(c, false)));
    $("nobody").hidden = current.length > 0;
    const boxes = Object.keys(L.services).map((code) => {
      const box = el("div", "svc");
      box.dataset.service = code;
      box.appendChild(el("div", "name", L.services[code]));
      const figures = el("div", "figures");
      figures.appendChild(el("span", "count", String(board.waiting[code] || 0)));
      figures.appendChild(el("span", "label", L.waiting));
      figures.appendChild(el("span", "wait", (board.wait_text[labelLang] || {})[code] || ""));
      figures.appendChild(el("span", "label", L.new_wait));
      box.appendChild(figures);
      return box;
    });
    $("services").replaceChildren(...boxes);
  }

  function setConnected(up) {
    $("status").hidden = up;
    document.body.classList.toggle("offline", !up);
  }

  function apply(state) {
    board = state;
    const fresh = state.called.filter((c) => !seen.has(c.id)).reverse(); // oldest first
    for (const c of fresh) {
      seen.add(c.id);
      if (primed) {
        flashing.set(c.id, Date.now() + 5000);
        queue.push(c);
      }
    }
    primed = true;
    setConnected(state.connected);
    render();
    playNext();
  }

  // one call's sound at a time, in the order the calls came
  function playNext() {
    if (playing || queue.length === 0) return;
    const call = queue.shift();
    playing = true;
    const audio = new Audio("/board/sound/" + encodeURIComponent(call.id) + ".wav");
    const done = (event) => () => {
      window.boardSounds.push({ id: call.id, ticket: call.ticket, language: call.language, event: event });
      if (event !== "playing") {
        playing = false;
        playNext();
      }
    };
    audio.addEventListener("playing", done("playing"), { once: true });
    audio.addEventListener("ended", done("ended"), { once: true });
    audio.addEventListener("error", done("error"), { once: true });
    audio.play().catch(() => {}); // an error event follows a refused play
  }

  function fetchBoard() {
    fetch("/board.json", { cache: "no-store" }).then((r) => r.json()).then(apply).catch(() => setConnected(false));
  }

  function connect() {
    const source = new EventSource("/board/events");
    let lost = false;
    source.addEventListener("board", (e) => apply(JSON.parse(e.data)));
    source.onerror = () => { lost = true; setConnected(false); };
    source.onopen = () => { if (lost) { lost = false; fetchBoard(); } };
  }

  function tick() {
    const now = new Date();
    $("clock").textContent = now.toLocaleTimeString(labelLang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  }

  if (setup.mode === "rotate" && languages.length > 1) {
    setInterval(() => {
      labelLang = languages[(languages.indexOf(labelLang) + 1) % languages.length];
      render();
    }, setup.rotate_s * 1000);
  }
  setInterval(tick, 1000);
  setInterval(() => { if (board) render(); }, 5000); // ends flashes that ran their course
  tick();
  render();
  connect();
})();
