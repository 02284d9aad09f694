// Closed-loop A2A load client for bench/delegation (run by run.sh; loopback only).
//
//   node load.mjs '{"url": "...", "skill": "...", "concurrency": 8, "requests": 400,
//                   "warmup": 50, "label": "direct free", "turns": 2}'
//
// Sends A2A 0.3 JSON-RPC `message/send` (blocking) to `url`, `concurrency` requests in flight at a
// time, until `requests` have completed (after `warmup` unmeasured ones). Every message has its own
// messageId and text. A request counts only when it ends in a completed task whose artifact echoes
// the text. When the answer is payment-required (x402), the request sends an EIP-3009
// authorization signed with viem from a throwaway key (no funds are moved: the servers here verify
// only) as payment-submitted on the same task; its latency covers both turns. `turns: 1` pays with
// the first message instead (x402's client that knows the price: the requirement is learned once,
// from the first payment-required answer), so a paid task is one request like a free one.
// Either way the authorization is signed before the request's clock starts (the requirement is
// known from an earlier answer): the latency is the servers', not viem's signing.
// Prints one JSON line: label, concurrency, ok, errors, p50/p90/p99/max ms, req/s, and through
// Purser the p50 of the provider attempt's duration as Purser recorded it (purser.delegation).
import { randomBytes, randomUUID } from 'node:crypto';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';

const cfg = JSON.parse(process.argv[2]);
const url = new URL(cfg.url);
if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
  console.error(`load.mjs: loopback targets only, not ${url.hostname}`);
  process.exit(2);
}
const account = privateKeyToAccount(generatePrivateKey());
const TYPES = { TransferWithAuthorization: [
  { name: 'from', type: 'address' }, { name: 'to', type: 'address' },
  { name: 'value', type: 'uint256' }, { name: 'validAfter', type: 'uint256' },
  { name: 'validBefore', type: 'uint256' }, { name: 'nonce', type: 'bytes32' }] };

let id = 0;
async function rpc(message) {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'message/send', params: { message } }) });
  const body = await res.json();
  if (res.status !== 200 || body.error) throw new Error(`${res.status} ${JSON.stringify(body.error)}`);
  return body.result;
}

function message(text, extra) {
  const metadata = cfg.skill ? { 'purser.skill': cfg.skill } : {};
  return { kind: 'message', role: 'user', messageId: randomUUID(), parts: [{ kind: 'text', text }],
    metadata: { ...metadata, ...(extra?.metadata ?? {}) }, ...(extra?.task ?? {}) };
}

/** The x402 PaymentPayload (v1 or v2 shape, as asked) for the first requirement offered. */
async function pay(required) {
  const r = required.accepts[0];
  const amount = r.amount ?? r.maxAmountRequired;
  const chainId = r.network.startsWith('eip155:') ? Number(r.network.split(':')[1]) : 84532;
  const now = Math.floor(Date.now() / 1000);
  const authorization = { from: account.address, to: r.payTo, value: BigInt(amount),
    validAfter: BigInt(now - 600), validBefore: BigInt(now + r.maxTimeoutSeconds),
    nonce: '0x' + randomBytes(32).toString('hex') };
  const signature = await account.signTypedData({ domain: { name: r.extra.name,
    version: r.extra.version, chainId, verifyingContract: r.asset }, types: TYPES,
    primaryType: 'TransferWithAuthorization', message: authorization });
  const payload = { signature, authorization: Object.fromEntries(
    Object.entries(authorization).map(([k, v]) => [k, String(v)])) };
  return required.x402Version === 1
    ? { x402Version: 1, scheme: r.scheme, network: r.network, payload }
    : { x402Version: 2, accepted: r, payload };
}

const echoed = (task, text) => (task.artifacts ?? []).some((a) => (a.parts ?? [])
  .some((p) => p.text === text));

const submitted = (payload) => ({ 'x402.payment.status': 'payment-submitted',
  'x402.payment.payload': payload });
let known = null;   // the requirement of the first payment-required answer, once seen

/** The request's payment, signed before its clock starts: null until a requirement is known. */
const prepare = async () => (known ? pay(known) : null);

async function one(n, signed) {
  const text = `bench ${process.pid} ${n} ${randomUUID()}`;
  const oneTurn = cfg.turns === 1 && signed;
  let task = await rpc(message(text, oneTurn ? { metadata: submitted(signed) } : undefined));
  const md = task.status?.message?.metadata ?? {};
  if (task.status?.state === 'input-required' && md['x402.payment.status'] === 'payment-required') {
    known ??= md['x402.payment.required'];
    const payload = signed ?? await pay(md['x402.payment.required']);
    task = await rpc(message(text, { task: { taskId: task.id, contextId: task.contextId },
      metadata: submitted(payload) }));
  }
  if (task.status?.state !== 'completed' || !echoed(task, text)) {
    throw new Error(`not a completed echo: ${JSON.stringify(task).slice(0, 300)}`);
  }
  // Through Purser: how long its call to the provider took, as Purser measured it.
  const attempts = task.metadata?.['purser.delegation']?.attempts ?? [];
  return attempts.length ? attempts.reduce((sum, a) => sum + Number(a.ms), 0) : null;
}

async function run(count, record) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const signed = await prepare();
      const t0 = process.hrtime.bigint();
      try {
        const providerMs = await one(n, signed);
        record.ok.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (providerMs !== null) record.provider.push(providerMs);
      } catch (e) {
        record.errors++;
        if (record.errors <= 3) console.error(`${cfg.label}: ${e.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: cfg.concurrency }, worker));
}

await run(cfg.warmup ?? 0, { ok: [], provider: [], errors: 0 });
const record = { ok: [], provider: [], errors: 0 };
const started = process.hrtime.bigint();
await run(cfg.requests, record);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const sorted = record.ok.sort((a, b) => a - b);
const percentile = (xs, p) => xs.length ? xs[Math.min(xs.length - 1,
  Math.ceil((p / 100) * xs.length) - 1)] : NaN;
const pct = (p) => percentile(sorted, p);
const provider = record.provider.sort((a, b) => a - b);
const r2 = (x) => Math.round(x * 100) / 100;
console.log(JSON.stringify({ label: cfg.label, turns: cfg.turns ?? 2, concurrency: cfg.concurrency, ok: sorted.length,
  errors: record.errors, p50: r2(pct(50)), p90: r2(pct(90)), p99: r2(pct(99)),
  max: r2(sorted.at(-1) ?? NaN), rps: r2(sorted.length / seconds),
  providerP50: provider.length ? percentile(provider, 50) : null }));
