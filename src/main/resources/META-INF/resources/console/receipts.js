// Each receipt's signature recovered in the browser (DESIGN §8): the EIP-712 digest of the
// receipt, hashed with the Receipt type and the Purser Mandate domain that this server's agent
// card publishes, then secp256k1 recovery (low s, v 27 or 28, as the server itself checks), and
// the recovered address compared with the card's receiptSigner. An ES module over the vendored
// noble files, so there is no build step; it reads the ledger's JSON twin, never the page.
import { recoverPublicKey } from "/vendor/noble-secp256k1-3.2.0/index.js";
import { keccak_256 } from "/vendor/noble-hashes-2.4.0/sha3.js";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const utf8 = new TextEncoder();

function bytes(hex, length, what) {
  if (typeof hex !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(hex)) {
    throw new Error(what + " is not 0x-prefixed hex");
  }
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 + 2 * i, 2), 16);
  if (length !== undefined && out.length !== length) {
    throw new Error(what + " must be " + length + " bytes, not " + out.length);
  }
  return out;
}

function hex(b) {
  return "0x" + Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function word(n) {
  return bytes("0x" + n.toString(16).padStart(64, "0"), 32, "a word");
}

// One 32-byte word per member (EIP-712 encodeData), for the atomic types receipts and the
// domain use; anything else is refused rather than hashed wrongly.
function encodeValue(type, value, where) {
  if (type === "string") return keccak_256(utf8.encode(String(value)));
  if (type === "bytes") return keccak_256(bytes(value, undefined, where));
  if (type === "bool") return word(value === true ? 1n : 0n);
  if (type === "address") return word(BigInt(hex(bytes(value, 20, where))));
  let m = /^bytes([1-9][0-9]?)$/.exec(type);
  if (m && Number(m[1]) <= 32) {
    const b = bytes(value, Number(m[1]), where);
    return concat(b, new Uint8Array(32 - b.length));
  }
  m = /^uint([1-9][0-9]{0,2})$/.exec(type);
  if (m) {
    const n = BigInt(value);
    if (n < 0n || n >= 1n << BigInt(m[1])) throw new Error(where + " is out of range for " + type);
    return word(n);
  }
  throw new Error("the EIP-712 type " + type + " of " + where + " is not supported here");
}

function hashStruct(types, primaryType, value) {
  const fields = types[primaryType];
  if (!Array.isArray(fields)) throw new Error("the card defines no EIP-712 type " + primaryType);
  const typeHash = keccak_256(utf8.encode(primaryType + "("
    + fields.map((f) => f.type + " " + f.name).join(",") + ")"));
  return keccak_256(concat(typeHash,
    ...fields.map((f) => encodeValue(f.type, value[f.name], primaryType + "." + f.name))));
}

/** keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message)), as 32 bytes. */
export function typedDataDigest(types, primaryType, domain, message) {
  return keccak_256(concat(Uint8Array.of(0x19, 0x01), hashStruct(types, "EIP712Domain", domain),
    hashStruct(types, primaryType, message)));
}

/**
 * The address that signed {@code digest}: {@code signature} is 0x + r ‖ s ‖ v (65 bytes). A high
 * s (the malleable twin) or a v other than 27/28 (0/1 read as 27/28) is refused, as USDC and the
 * server refuse them.
 */
export function recoverSigner(digest, signature) {
  const sig = bytes(signature, 65, "the signature");
  let v = sig[64];
  if (v === 0 || v === 1) v += 27;
  if (v !== 27 && v !== 28) throw new Error("the signature's v is " + sig[64] + ", not 27 or 28");
  const s = BigInt(hex(sig.subarray(32, 64)));
  if (s > N / 2n) throw new Error("the signature's s is high (a malleable twin)");
  const recovered = concat(Uint8Array.of(v - 27), sig.subarray(0, 64));
  const publicKey = recoverPublicKey(recovered, digest, { prehash: false, isCompressed: false });
  return hex(keccak_256(publicKey.subarray(1)).subarray(12));
}

/** The card's spending-mandate extension params: domain, types and receiptSigner. */
async function mandateParams() {
  const r = await fetch("/.well-known/agent-card.json", { headers: { Accept: "application/json" } });
  if (!r.ok) throw new Error("the agent card answered HTTP " + r.status);
  const card = await r.json();
  const ext = ((card.capabilities || {}).extensions || [])
    .find((e) => e.params && e.params.receiptSigner && e.params.types && e.params.domain);
  if (!ext) throw new Error("the agent card publishes no receiptSigner");
  return ext.params;
}

/** A receipt's verdict: {ok, recovered?, reason?}. */
export function checkReceipt(params, receipt) {
  try {
    const message = {};
    params.types.Receipt.forEach((f) => { message[f.name] = receipt[f.name]; });
    const recovered = recoverSigner(typedDataDigest(params.types, "Receipt", params.domain, message),
      receipt.signature);
    const published = String(params.receiptSigner).toLowerCase();
    if (recovered !== published) {
      return { ok: false, recovered, reason: "the signature recovers " + recovered
        + ", not the card's receiptSigner" };
    }
    if (String(receipt.signer).toLowerCase() !== recovered) {
      return { ok: false, recovered, reason: "it names " + receipt.signer + " as its signer" };
    }
    return { ok: true, recovered };
  } catch (err) {
    return { ok: false, reason: err.message };
  }
}

function short(h) {
  return h.length > 14 ? h.slice(0, 8) + "…" + h.slice(-4) : h;
}

async function showReceipts(status, pages) {
  const [params, { receipts }] = await Promise.all([mandateParams(), pages]);
  const rows = new Map();
  document.querySelectorAll("#receipts tr[data-entry]")
    .forEach((row) => rows.set(row.getAttribute("data-entry").toLowerCase(), row));
  let bad = 0;
  receipts.forEach((receipt) => {
    const verdict = checkReceipt(params, receipt);
    const row = rows.get(String(receipt.entryHash).toLowerCase());
    if (!verdict.ok) bad++;
    if (!row) return; // on another page of the ledger
    row.setAttribute("data-verdict", verdict.ok ? "verified" : "unverified");
    row.classList.toggle("broken", !verdict.ok);
    const cell = row.querySelector(".signer-check");
    cell.textContent = verdict.ok ? "✓ verified" : "✗ not verified";
    if (!verdict.ok) {
      const why = document.createElement("small");
      why.className = "why";
      why.textContent = verdict.reason;
      cell.appendChild(why);
    }
    if (verdict.recovered) cell.title = "recovered signer " + verdict.recovered;
  });
  const signer = String(params.receiptSigner);
  status.className = "notice " + (bad ? "bad" : "ok");
  status.setAttribute("data-result", bad ? "unverified" : "verified");
  status.textContent = bad
    ? bad + " of " + receipts.length + " receipts do not verify against the card's receiptSigner "
      + short(signer) + "."
    : "Receipts verified in your browser: " + receipts.length + " EIP-712 signatures recovered, each "
      + "by the card's receiptSigner " + short(signer) + ".";
}

window.PurserReceipts = { typedDataDigest, recoverSigner, checkReceipt, hex };

const status = document.getElementById("receipts-status");
if (status && window.PurserLedger && window.PurserLedger.pages) {
  status.textContent = "Recovering the receipts' signers…";
  showReceipts(status, window.PurserLedger.pages).catch((err) => {
    status.className = "notice bad";
    status.textContent = "Could not check the receipts: " + err.message;
  });
}
