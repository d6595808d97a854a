'use strict';
// The web inbox. Every piece of server data goes into the page through textContent or
// attributes set from script: nothing is ever parsed as HTML.
(() => {
  const PLATFORMS = { whatsapp: 'WhatsApp', messenger: 'Messenger', instagram: 'Instagram' };
  // Later statuses win, as on the server: positive evidence beats a failure report.
  const RANK = { pending: 0, sent: 1, ambiguous: 1, failed: 2, delivered: 3, read: 4 };
  const TOKEN_KEY = 'metabiz-inbox-token';
  const DAY_MS = 86400000;
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);
  const state = {
    token: null, open: null, conversations: [], messages: new Map(), nodes: new Map(),
    ws: null, wsTries: 0, wsTimer: null, wsOpened: false, chartTimer: null,
    timers: {}, notices: {}, sending: false,
  };

  // --- small helpers -------------------------------------------------------------------
  function el(tag, cls, text, props) {
    const e = Object.assign(document.createElement(tag), props);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  const token = (v) => String(v == null ? '' : v).replace(/[^a-z0-9_-]/gi, '');
  function debounce(name, ms, fn) { clearTimeout(state.timers[name]); state.timers[name] = setTimeout(fn, ms); }
  const badge = (p) => el('span', 'badge badge-' + token(p), PLATFORMS[p] || p);
  function fmtTime(ms) {
    const d = new Date(ms);
    const t = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    if (d.toDateString() === new Date().toDateString()) return t;
    return d.toLocaleDateString([], { month: 'short', day: 'numeric' }) + ' ' + t;
  }
  function timeEl(ms, cls) {
    if (!Number.isFinite(ms)) return el('time', cls);
    const d = new Date(ms);
    return el('time', cls, fmtTime(ms), { dateTime: d.toISOString(), title: d.toLocaleString() });
  }
  const isNarrow = () => !!(window.matchMedia && window.matchMedia('(max-width: 720px)').matches);
  function notice(key, text) {
    if (text) state.notices[key] = text; else delete state.notices[key];
    const n = $('notice');
    n.textContent = Object.values(state.notices).join(' · ');
    n.hidden = !n.textContent;
  }
  function errorText(r) {
    if (r.data && r.data.error && r.data.error.message) return r.data.error.message;
    if (r.text && r.text.length < 300) return r.text;
    return r.status ? 'the server answered ' + r.status : 'the server could not be reached';
  }

  // --- API -----------------------------------------------------------------------------
  async function api(path, opts = {}) {
    const headers = { Authorization: 'Bearer ' + state.token, Accept: 'application/json' };
    const init = { method: opts.method || 'GET', headers };
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(opts.body);
    }
    let res, data = null;
    try { res = await fetch(path, init); } catch (_) { return { status: 0, ok: false, data, text: '' }; }
    const text = await res.text().catch(() => '');
    try { data = text ? JSON.parse(text) : null; } catch (_) { /* plain text */ }
    if (res.status === 401 && state.token) signOut('That token was refused: enter a valid one.');
    return { status: res.status, ok: res.ok, data, text };
  }
  async function getJson(path, what) {
    const r = await api(path);
    if (r.ok) { notice(what, ''); return r.data || {}; }
    if (r.status !== 401) notice(what, 'Could not load ' + what + ': ' + errorText(r) + '.');
    return null;
  }

  // --- token ---------------------------------------------------------------------------
  function readToken() {
    const params = new URLSearchParams(location.search);
    const fromUrl = params.get('token');
    if (fromUrl) {
      try { sessionStorage.setItem(TOKEN_KEY, fromUrl); } catch (_) { /* memory only */ }
      params.delete('token');
      const qs = params.toString();
      history.replaceState(history.state, '', location.pathname + (qs ? '?' + qs : '') + location.hash);
      return fromUrl;
    }
    try { return sessionStorage.getItem(TOKEN_KEY); } catch (_) { return null; }
  }
  function showAuth(message) {
    $('app').hidden = true; $('auth').hidden = false;
    $('auth-error').textContent = message || '';
    $('token-input').focus();
  }
  function signOut(message) {
    state.token = null;
    try { sessionStorage.removeItem(TOKEN_KEY); } catch (_) { /* nothing stored */ }
    closeWs();
    clearInterval(state.chartTimer);
    Object.values(state.timers).forEach(clearTimeout);
    state.conversations = [];
    closeConversation(false);
    showAuth(message);
  }
  function start(tokenValue) {
    state.token = tokenValue;
    $('auth').hidden = true; $('app').hidden = false;
    state.wsOpened = false;
    refreshAll();
    connectWs();
    clearInterval(state.chartTimer);
    state.chartTimer = setInterval(loadChart, 30000);
  }
  function refreshAll() {
    loadConversations();
    loadAccounts();
    loadChart();
    if (state.open !== null) loadThread(state.open);
  }

  // --- live feed -----------------------------------------------------------------------
  function setLive(on) {
    const s = $('live-status');
    s.textContent = on ? 'live' : 'offline';
    s.className = on ? 'live' : 'offline';
  }
  function connectWs() {
    if (!state.token || state.ws) return;
    clearTimeout(state.wsTimer);
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host +
      '/api/ws?access_token=' + encodeURIComponent(state.token);
    let ws;
    try { ws = new WebSocket(url); } catch (_) { scheduleReconnect(); return; }
    state.ws = ws;
    ws.onopen = () => {
      if (state.ws !== ws) return;
      state.wsTries = 0;
      setLive(true);
      if (state.wsOpened) refreshAll(); // events were missed while offline
      state.wsOpened = true;
    };
    ws.onmessage = (ev) => {
      if (state.ws !== ws) return;
      try { onEvent(JSON.parse(ev.data)); } catch (_) { /* not JSON: ignored */ }
    };
    ws.onclose = () => {
      if (state.ws !== ws) return;
      state.ws = null; setLive(false); scheduleReconnect();
    };
  }
  function scheduleReconnect() {
    if (!state.token) return;
    clearTimeout(state.wsTimer);
    const delay = Math.min(30000, 1000 * 2 ** state.wsTries) * (0.75 + Math.random() * 0.5);
    state.wsTries = Math.min(state.wsTries + 1, 10);
    state.wsTimer = setTimeout(connectWs, delay);
  }
  function closeWs() {
    clearTimeout(state.wsTimer);
    const ws = state.ws;
    state.ws = null;
    if (ws) ws.close();
    setLive(false);
  }
  function onEvent(event) {
    switch (event && event.type) {
      case 'message.created':
      case 'message.updated': {
        const m = event.message;
        if (!m) return;
        if (m.conversation_id === state.open) {
          upsertMessage(m);
          if (m.direction === 'inbound' && document.visibilityState !== 'hidden') {
            const id = state.open;
            debounce('read', 300, () => markRead(id));
          }
        }
        debounce('conversations', 200, loadConversations);
        debounce('chart', 1500, loadChart);
        break;
      }
      case 'account.updated': debounce('accounts', 200, loadAccounts); break;
      case 'lagged': refreshAll(); break;
      default: break;
    }
  }

  // --- conversations -------------------------------------------------------------------
  async function loadConversations() {
    const data = await getJson('/api/conversations?limit=100', 'conversations');
    if (!data) return;
    state.conversations = (data.data || []).slice()
      .sort((a, b) => b.last_message_at - a.last_message_at || b.id - a.id);
    renderConversations();
  }
  function fillConversation(b, c) {
    const unreadCount = c.id === state.open ? 0 : Number(c.unread_count) || 0;
    const unread = el('span', 'unread', unreadCount, { hidden: unreadCount === 0, title: unreadCount + ' unread' });
    const top = el('span', 'conv-top');
    top.append(badge(c.platform), el('span', 'counterpart', c.counterpart_id), timeEl(c.last_message_at, 'when'));
    const bottom = el('span', 'conv-bottom');
    bottom.append(el('span', 'preview', c.last_message_preview || ''), unread);
    b.replaceChildren(top, bottom);
    b.classList.toggle('active', c.id === state.open);
    if (c.id === state.open) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
  }
  function renderConversations() {
    const list = $('conversations');
    const focused = document.activeElement;
    const existing = new Map();
    for (const b of list.querySelectorAll('button[data-conversation-id]')) existing.set(b.dataset.conversationId, b);
    state.conversations.forEach((c, i) => {
      const key = String(c.id);
      let b = existing.get(key);
      existing.delete(key);
      if (!b) { b = el('button', 'conversation', null, { type: 'button' }); b.dataset.conversationId = key; }
      fillConversation(b, c);
      if (list.children[i] !== b) list.insertBefore(b, list.children[i] || null);
    });
    for (const b of existing.values()) b.remove();
    if (focused && focused.isConnected && document.activeElement !== focused) focused.focus();
    $('conversations-empty').hidden = state.conversations.length > 0;
  }
  function threadTitle(c) {
    const title = $('thread-title');
    if (c) title.replaceChildren(badge(c.platform), el('span', 'counterpart', c.counterpart_id));
    else title.textContent = 'Messages';
  }
  function openConversation(id) {
    if (state.open !== id) {
      state.open = id;
      clearThread();
      $('reply-text').value = '';
    }
    $('reply-error').textContent = '';
    $('thread-empty').hidden = true;
    $('reply-form').hidden = false;
    threadTitle(state.conversations.find((c) => c.id === id));
    document.body.classList.add('show-thread');
    renderConversations();
    if (isNarrow()) $('thread-title').focus();
    markRead(id);
    loadThread(id);
  }
  function closeConversation(focusList) {
    const id = state.open;
    state.open = null;
    clearThread();
    $('reply-form').hidden = true;
    $('thread-empty').hidden = false;
    threadTitle(null);
    document.body.classList.remove('show-thread');
    renderConversations();
    const b = focusList && $('conversations').querySelector('[data-conversation-id="' + id + '"]');
    if (b) b.focus();
  }
  async function markRead(id) {
    const r = await api('/api/conversations/' + encodeURIComponent(id) + '/read', { method: 'POST' });
    const c = state.conversations.find((x) => x.id === id);
    if (r.ok && c) { c.unread_count = 0; renderConversations(); }
  }

  // --- thread --------------------------------------------------------------------------
  function clearThread() {
    state.messages.clear();
    state.nodes.clear();
    $('thread').replaceChildren();
  }
  async function loadThread(id) {
    $('thread').setAttribute('aria-busy', 'true');
    const data = await getJson('/api/conversations/' + encodeURIComponent(id) + '/messages?limit=100', 'messages');
    if (state.open !== id) return;
    $('thread').setAttribute('aria-busy', 'false');
    if (!data) return;
    (data.data || []).slice().reverse().forEach(upsertMessage);
    scrollThread();
  }
  const rank = (m) => (m.direction === 'outbound' ? RANK[m.status] || 0 : 0);
  const isPendingId = (m) => String(m.message_id || '').startsWith('pending:');
  const order = (a, b) => a.timestamp_ms - b.timestamp_ms || a.id - b.id;
  const errorOf = (m) => (!m.error ? '' : typeof m.error === 'string' ? m.error
    : m.error.message ? String(m.error.message) : JSON.stringify(m.error));
  function fillMessage(node, m) {
    const outbound = m.direction === 'outbound';
    node.className = 'message ' + (outbound ? 'outbound' : 'inbound');
    node.dataset.messageId = m.message_id;
    node.dataset.rowId = String(m.id);
    const text = el('p', 'text');
    if (m.text) text.append(m.text);
    for (const a of Array.isArray(m.attachments) ? m.attachments : []) {
      const label = '[' + (a.type || a.kind || 'attachment') + ']';
      if (text.childNodes.length) text.append(' ');
      // Only plain https links: never a javascript: or data: URL from a webhook.
      const safe = typeof a.url === 'string' && /^https:\/\//i.test(a.url);
      text.append(safe ? el('a', 'attachment', label, { href: a.url, target: '_blank', rel: 'noopener noreferrer' })
        : el('span', 'attachment', label));
    }
    const parts = [text];
    if (m.reaction) parts.push(el('span', 'reaction', m.reaction, { title: 'Reaction' }));
    const meta = el('p', 'meta');
    meta.append(timeEl(m.timestamp_ms));
    const err = errorOf(m);
    if (outbound && m.status) {
      meta.append(' ', el('span', 'status status-' + token(m.status), m.status, err ? { title: err } : {}));
    }
    parts.push(meta);
    if (err && (m.status === 'failed' || m.status === 'ambiguous')) parts.push(el('p', 'error', err, { title: err }));
    node.replaceChildren(...parts);
  }
  function upsertMessage(m) {
    if (!m || m.id === undefined) return;
    const key = String(m.id);
    const old = state.messages.get(key);
    if (old && (rank(m) < rank(old) || (isPendingId(m) && !isPendingId(old)))) return;
    state.messages.set(key, m);
    const thread = $('thread');
    const nearBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 80;
    let node = state.nodes.get(key);
    if (node) { fillMessage(node, m); return; }
    node = el('div');
    fillMessage(node, m);
    state.nodes.set(key, node);
    let before = null;
    for (let n = thread.lastElementChild; n; n = n.previousElementSibling) {
      const o = state.messages.get(n.dataset.rowId);
      if (o && order(o, m) <= 0) break;
      before = n;
    }
    thread.insertBefore(node, before);
    if (nearBottom || m.direction === 'outbound') scrollThread();
  }
  function scrollThread() { const t = $('thread'); t.scrollTop = t.scrollHeight; }

  // --- reply ---------------------------------------------------------------------------
  async function sendReply(e) {
    e.preventDefault();
    const id = state.open;
    const box = $('reply-text');
    const text = box.value;
    const error = $('reply-error');
    error.textContent = '';
    if (id === null || state.sending) return;
    if (!text.trim()) { error.textContent = 'Write a message first.'; return; }
    state.sending = true;
    $('reply-send').disabled = true;
    try {
      const r = await api('/api/conversations/' + encodeURIComponent(id) + '/messages', { method: 'POST', body: { text } });
      if ([201, 202, 502].includes(r.status) && r.data && r.data.message) {
        if (state.open === id) {
          upsertMessage(r.data.message);
          scrollThread();
          if (box.value === text) box.value = '';
        }
        debounce('conversations', 200, loadConversations);
      } else if (r.status !== 401 && state.open === id) {
        error.textContent = errorText(r);
      }
    } finally {
      state.sending = false;
      $('reply-send').disabled = false;
    }
  }
  function replyKeys(e) {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
    e.preventDefault();
    const form = $('reply-form');
    if (form.requestSubmit) form.requestSubmit();
    else form.dispatchEvent(new Event('submit', { cancelable: true }));
  }

  // --- accounts ------------------------------------------------------------------------
  async function loadAccounts() {
    const data = await getJson('/api/platforms/', 'accounts');
    if (!data) return;
    const accounts = data.data || [];
    $('accounts').replaceChildren(...accounts.map((a) => {
      const li = el('li', 'account account-' + token(a.status));
      const name = el('span', 'account-name', a.name || a.external_id, { title: a.external_id });
      li.append(badge(a.platform), name, el('span', 'account-status', a.status));
      if (a.status === 'needs_reauth') li.append(el('span', 'reauth', 'Reconnect needed: Meta refused its token'));
      return li;
    }));
    $('accounts-empty').hidden = accounts.length > 0;
  }

  // --- analytics -----------------------------------------------------------------------
  const utcDay = (ms) => new Date(ms).toISOString().slice(0, 10);
  async function loadChart() {
    const now = new Date();
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const days = [];
    for (let i = 13; i >= 0; i--) days.push(utcDay(today - i * DAY_MS));
    const data = await getJson('/api/analytics/daily?from=' + days[0] + '&to=' + days[13], 'analytics');
    if (!data) return;
    const sums = new Map(days.map((d) => [d, { incoming: 0, outgoing: 0 }]));
    for (const row of data.data || []) {
      const s = sums.get(row.day);
      if (s) { s.incoming += Number(row.messages_incoming) || 0; s.outgoing += Number(row.messages_outgoing) || 0; }
    }
    renderChart(days, sums);
  }
  function renderChart(days, sums) {
    const chart = $('chart');
    let max = 0;
    for (const s of sums.values()) max = Math.max(max, s.incoming, s.outgoing);
    if (max === 0) { chart.replaceChildren(el('p', 'empty', 'no data yet')); return; }
    const W = 300, H = 170, left = 24, right = 4, top = 24, bottom = 18;
    const plotW = W - left - right, plotH = H - top - bottom;
    const group = plotW / days.length, bar = group * 0.36;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart-svg', role: 'img',
      'aria-label': 'Incoming and outgoing messages per day, last 14 days (UTC)' });
    // legend
    [['incoming', 'bar-in', left], ['outgoing', 'bar-out', left + 80]].forEach(([label, cls, x]) => {
      root.append(svg('rect', { x, y: 6, width: 10, height: 10, class: cls }));
      root.append(svg('text', { x: x + 14, y: 15, class: 'legend' }, label));
    });
    root.append(svg('text', { x: left - 4, y: top + 4, class: 'axis', 'text-anchor': 'end' }, max));
    root.append(svg('text', { x: left - 4, y: top + plotH, class: 'axis', 'text-anchor': 'end' }, 0));
    root.append(svg('line', { x1: left, y1: top + plotH, x2: W - right, y2: top + plotH, class: 'baseline' }));
    days.forEach((day, i) => {
      const s = sums.get(day);
      const x = left + i * group + group * 0.14;
      [['incoming', 'bar-in', 0], ['outgoing', 'bar-out', 1]].forEach(([kind, cls, k]) => {
        const value = s[kind];
        const h = (value / max) * plotH;
        const rect = svg('rect', { x: (x + k * bar).toFixed(1), y: (top + plotH - h).toFixed(1),
          width: bar.toFixed(1), height: h.toFixed(1), class: 'bar ' + cls });
        rect.append(svg('title', {}, `${day}: ${value} ${kind}`));
        root.append(rect);
      });
      if (i % 2 === 1) root.append(svg('text', { x: (x + bar).toFixed(1), y: H - 5, class: 'axis', 'text-anchor': 'middle' }, day.slice(5)));
    });
    chart.replaceChildren(root);
  }

  // --- start ---------------------------------------------------------------------------
  function init() {
    $('token-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const value = $('token-input').value.trim();
      if (!value) { $('auth-error').textContent = 'Enter your API token.'; return; }
      try { sessionStorage.setItem(TOKEN_KEY, value); } catch (_) { /* memory only */ }
      $('token-input').value = '';
      start(value);
    });
    $('conversations').addEventListener('click', (e) => {
      const b = e.target.closest('button[data-conversation-id]');
      if (b) openConversation(Number(b.dataset.conversationId));
    });
    $('back').addEventListener('click', () => closeConversation(true));
    $('reply-form').addEventListener('submit', sendReply);
    $('reply-text').addEventListener('keydown', replyKeys);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && state.open !== null && state.token) markRead(state.open);
    });
    window.addEventListener('online', () => { state.wsTries = 0; connectWs(); });
    const saved = readToken();
    if (saved) start(saved); else showAuth('');
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
