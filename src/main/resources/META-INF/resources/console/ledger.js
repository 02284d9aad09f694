// Checks an envelope's journal in the browser (DESIGN §8): each entry's hash is the SHA-256 of
// its RFC 8785 canonical JSON without "hash", and each prevHash is the previous entry's hash.
// Reads the JSON twin, never the page, so the check does not trust the server's rendering.
"use strict";
(function () {
  var ZERO = "0x" + "0".repeat(64);

  // RFC 8785: object keys sorted by UTF-16 code units (JS's default sort); strings and numbers
  // exactly as ECMAScript's JSON.stringify writes them; no whitespace.
  function canonical(v) {
    if (v === null || typeof v !== "object") return JSON.stringify(v);
    if (Array.isArray(v)) return "[" + v.map(canonical).join(",") + "]";
    return "{" + Object.keys(v).sort().filter(function (k) { return v[k] !== undefined; })
      .map(function (k) { return JSON.stringify(k) + ":" + canonical(v[k]); }).join(",") + "}";
  }

  function hex(buffer) {
    return "0x" + Array.from(new Uint8Array(buffer))
      .map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function entryHash(entry) {
    var body = Object.assign({}, entry);
    delete body.hash;
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical(body))).then(hex);
  }

  // Every page of the ledger, following "next": its entries and its receipts.
  function fetchAll(url) {
    var entries = [], receipts = [];
    function page(after) {
      return fetch(url + "?limit=1000&after=" + after, { headers: { Accept: "application/json" } })
        .then(function (r) {
          if (!r.ok) throw new Error("the ledger answered HTTP " + r.status);
          return r.json();
        })
        .then(function (p) {
          entries = entries.concat(p.entries);
          receipts = receipts.concat(p.receipts || []);
          return p.next === null || p.next === undefined
            ? { entries: entries, receipts: receipts } : page(p.next);
        });
    }
    return page(0);
  }

  // Resolves to {ok: true, count} or {ok: false, seq, reason} at the first broken entry.
  function verify(entries) {
    var prev = ZERO;
    var i = 0;
    function next() {
      if (i >= entries.length) return Promise.resolve({ ok: true, count: entries.length });
      var e = entries[i++];
      if (String(e.prevHash).toLowerCase() !== prev) {
        return Promise.resolve({ ok: false, seq: e.seq, reason: "its prevHash is not the previous entry's hash" });
      }
      return entryHash(e).then(function (h) {
        if (h !== String(e.hash).toLowerCase()) {
          return { ok: false, seq: e.seq, reason: "its hash does not match its contents" };
        }
        prev = h;
        return next();
      });
    }
    return next();
  }

  function show(result) {
    var status = document.getElementById("verify-status");
    var rows = document.querySelectorAll("#ledger tr[data-seq]");
    rows.forEach(function (row) {
      var seq = Number(row.getAttribute("data-seq"));
      var cell = row.querySelector(".check");
      var good = result.ok || seq < result.seq;
      cell.textContent = good ? "✓ verified" : (seq === result.seq ? "✗ broken" : "✗ after break");
      row.classList.toggle("broken", !good);
    });
    status.className = "notice " + (result.ok ? "ok" : "bad");
    status.setAttribute("data-result", result.ok ? "verified" : "broken");
    status.textContent = result.ok
      ? "Hash chain verified in your browser: " + result.count + " entries, SHA-256 over RFC 8785 JSON."
      : "Hash chain broken at entry " + result.seq + ": " + result.reason + ".";
    if (!result.ok) status.setAttribute("data-broken-seq", String(result.seq));
  }

  var status = document.getElementById("verify-status");
  if (!status) return;
  // Read once for the chain check, the spend chart (spend.js) and the receipts (receipts.js).
  var pages = fetchAll(status.getAttribute("data-ledger"));
  window.PurserLedger = { canonical: canonical, verify: verify, pages: pages,
    entries: pages.then(function (p) { return p.entries; }) };
  if (!window.crypto || !crypto.subtle) {
    status.textContent = "This browser offers no WebCrypto here (it needs HTTPS or localhost): the chain was not checked.";
    return;
  }
  status.textContent = "Checking the hash chain…";
  window.PurserLedger.entries.then(verify).then(show).catch(function (err) {
    status.className = "notice bad";
    status.textContent = "Could not check the chain: " + err.message;
  });
})();
