/// The dashboard's stylesheet and script, served from the binary (no CDN, no build step).
enum DashboardAssets {
    static let css = """
        body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
        header{background:#24292f;color:#fff;padding:.6em 1.2em;display:flex;gap:1em;align-items:center}
        header a.brand{color:#fff;font-weight:700;text-decoration:none;font-size:1.2em}
        .live{font-size:.85em;color:#c9d1d9}.live.on::before{content:"● ";color:#3fb950}
        main{padding:1em 1.5em}h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}
        table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d0d7de}
        th,td{text-align:left;padding:.35em .6em;border-bottom:1px solid #eaeef2;vertical-align:top}
        th{background:#f6f8fa;font-weight:600}td.empty{color:#57606a;font-style:italic}
        .badge{display:inline-block;padding:0 .5em;border-radius:1em;background:#eaeef2;font-size:.9em}
        .v-synced,.v-healthy,.v-succeeded,.v-corrected{background:#dafbe1;color:#1a7f37}
        .v-out-of-sync,.v-progressing,.v-correcting,.v-reported,.v-changed,.v-syncing{background:#fff8c5;color:#7d4e00}
        .v-failed,.v-degraded,.v-missing,.v-deleted{background:#ffebe9;color:#cf222e}
        dl.summary{display:grid;grid-template-columns:repeat(auto-fill,minmax(15em,1fr));gap:.4em 1.2em;background:#fff;border:1px solid #d0d7de;padding:.8em;margin:0}
        dt{font-size:.8em;color:#57606a}dd{margin:0;overflow-wrap:anywhere}
        .actions{margin:.8em 0;display:flex;gap:.5em}.actions form{margin:0}
        pre.diff{background:#fff;border:1px solid #d0d7de;padding:.8em;overflow:auto}
        pre.diff .add{color:#1a7f37;background:#e6ffec}pre.diff .del{color:#cf222e;background:#ffebe9}
        pre.diff .hunk{color:#8250df}pre.diff .file{font-weight:700}
        """

    static let javascript = """
        'use strict';
        (function () {
          function slug(t) { return String(t).toLowerCase().replace(/[^a-z0-9]/g, '-'); }
          function content(style, text) {
            if (style === 'badge') { var b = document.createElement('span'); b.className = 'badge v-' + slug(text); b.textContent = text; return b; }
            if (style === 'code') { var c = document.createElement('code'); c.textContent = text; return c; }
            if (style === 'group') { var s = document.createElement('strong'); s.textContent = text; return s; }
            return document.createTextNode(text);
          }
          function text(v) { return v === null || v === undefined ? '' : String(v); }
          function fillTable(table, items) {
            var heads = Array.prototype.slice.call(table.querySelectorAll('thead th'));
            var body = document.createElement('tbody');
            if (items.length === 0) {
              var tr0 = body.insertRow(), td0 = tr0.insertCell();
              td0.colSpan = heads.length; td0.className = 'empty'; td0.textContent = table.dataset.empty || '';
            }
            var prev = null;
            items.forEach(function (item) {
              var tr = body.insertRow(), same = prev !== null;
              heads.forEach(function (th) {
                var td = tr.insertCell(), key = th.dataset.key, style = th.dataset.style, value = text(item[key]);
                if (style === 'group') { same = same && text(prev[key]) === value; if (same) return; }
                var node = content(style, value), link = th.dataset.link && item[th.dataset.link];
                if (link) { var a = document.createElement('a'); a.href = link; a.appendChild(node); node = a; }
                td.appendChild(node);
              });
              prev = item;
            });
            table.replaceChild(body, table.tBodies[0]);
          }
          function fillFields(root, doc) {
            root.querySelectorAll('[data-field]').forEach(function (dd) {
              dd.replaceChildren(content(dd.dataset.style, text(doc[dd.dataset.field])));
            });
          }
          var busy = false, again = false;
          function refresh() {
            if (busy) { again = true; return; }
            busy = true;
            var sources = Array.prototype.slice.call(document.querySelectorAll('[data-src]'));
            Promise.all(sources.map(function (el) {
              return fetch(el.dataset.src, { headers: { Accept: 'application/json' } })
                .then(function (r) { return r.ok ? r.json() : null; })
                .then(function (doc) {
                  if (!doc) return;
                  if (el.tagName === 'TABLE') fillTable(el, doc.items || []); else fillFields(el, doc);
                });
            })).catch(function () {}).then(function () {
              busy = false;
              if (again) { again = false; refresh(); }
            });
          }
          var live = document.getElementById('live');
          if (!window.EventSource || !live) return;
          var events = new EventSource('/api/v1/events');
          events.addEventListener('update', refresh);
          events.onopen = function () { live.textContent = 'live'; live.className = 'live on'; refresh(); };
          events.onerror = function () { live.textContent = 'reconnecting…'; live.className = 'live'; };
        })();
        """
}
