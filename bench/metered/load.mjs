// Closed-loop OpenAI chat-completions load client for bench/metered (run by run.sh; loopback only).
//
//   node load.mjs '{"label": "purser", "base": "http://127.0.0.1:18080/v1", "key": "psk_…",
//                   "model": "gpt-4o-mini", "stream": false, "concurrency": 8,
//                   "requests": 400, "warmup": 100}'
//
// Sends `POST <base>/chat/completions`, `concurrency` requests in flight at a time, until
// `requests` have completed (after `warmup` unmeasured ones), with Node's global fetch (undici,
// keep-alive). Every request is the same shape with its own user text (so that no two are equal:
// Purser's loop guard counts identical requests), `max_tokens` 64, and for a stream
// `stream_options.include_usage`. A request counts only when it answers 200 with the upstream's
// whole text and its usage; through Purser (a `key` is given) also with its cost: the
// `X-Purser-Cost` header, or in a stream the `: X-Purser-Cost:` comment before `[DONE]`.
// Latency is to the end of the body; for a stream also to its first body bytes (ttfb).
// Prints one JSON line: label, stream, concurrency, ok, errors, p50/p90/p99/max ms, req/s, the
// ttfb percentiles for a stream, and the atomic units charged in all (through Purser).
import { randomUUID } from 'node:crypto';

const cfg = JSON.parse(process.argv[2]);
const url = new URL(cfg.base.replace(/\/$/, '') + '/chat/completions');
if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
  console.error(`load.mjs: loopback targets only, not ${url.hostname}`);
  process.exit(2);
}
const TEXT = 'The quick brown fox jumps over the lazy dog, then rests.'; // upstream.mjs's answer
const headers = { 'Content-Type': 'application/json' };
if (cfg.key) headers.Authorization = `Bearer ${cfg.key}`;

function body(n) {
  const b = { model: cfg.model, max_tokens: 64, messages: [
    { role: 'system', content: 'You are a terse assistant.' },
    { role: 'user', content: `bench ${process.pid} ${n} ${randomUUID()}: say something short.` }] };
  if (cfg.stream) Object.assign(b, { stream: true, stream_options: { include_usage: true } });
  return JSON.stringify(b);
}

/** One call; returns [ttfb ms or null, atomic units charged or null]. */
async function one(n, t0) {
  const res = await fetch(url, { method: 'POST', headers, body: body(n) });
  if (!cfg.stream) {
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${res.status} ${text.slice(0, 300)}`);
    const c = JSON.parse(text);
    if (c.choices?.[0]?.message?.content !== TEXT || !c.usage) {
      throw new Error(`not the upstream's completion: ${text.slice(0, 300)}`);
    }
    return [null, cost(res.headers.get('x-purser-cost'))];
  }
  if (res.status !== 200) throw new Error(`${res.status} ${(await res.text()).slice(0, 300)}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let ttfb = null;
  let raw = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (ttfb === null) ttfb = Number(process.hrtime.bigint() - t0) / 1e6;
    raw += decoder.decode(value, { stream: true });
  }
  let content = '';
  let usage = false;
  let charged = null;
  let ended = false;
  for (const event of raw.split('\n\n')) {
    for (const line of event.split('\n')) {
      if (line.startsWith(': X-Purser-Cost:')) charged = cost(line.slice(16).trim());
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') { ended = true; continue; }
      const chunk = JSON.parse(data);
      if (chunk.error) throw new Error(`error event: ${data.slice(0, 300)}`);
      content += chunk.choices?.[0]?.delta?.content ?? '';
      usage ||= !!chunk.usage;
    }
  }
  if (!ended || content !== TEXT || !usage) {
    throw new Error(`not the upstream's stream: ${raw.slice(0, 300)}`);
  }
  return [ttfb, charged];
}

function cost(value) {
  if (!cfg.key) return null;
  if (value === null || value === undefined || !/^\d+$/.test(value)) {
    throw new Error(`no X-Purser-Cost through Purser (${value})`);
  }
  return Number(value);
}

async function run(count, record) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const t0 = process.hrtime.bigint();
      try {
        const [ttfb, charged] = await one(n, t0);
        record.ok.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (ttfb !== null) record.ttfb.push(ttfb);
        if (charged !== null) record.charged += charged;
      } catch (e) {
        record.errors++;
        if (record.errors <= 3) console.error(`${cfg.label}: ${e.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: cfg.concurrency }, worker));
}

const fresh = () => ({ ok: [], ttfb: [], errors: 0, charged: 0 });
await run(cfg.warmup ?? 0, fresh());
const record = fresh();
const started = process.hrtime.bigint();
await run(cfg.requests, record);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const percentile = (xs, p) => xs.length ? xs[Math.min(xs.length - 1,
  Math.ceil((p / 100) * xs.length) - 1)] : NaN;
const r2 = (x) => Math.round(x * 100) / 100;
const sorted = record.ok.sort((a, b) => a - b);
const ttfb = record.ttfb.sort((a, b) => a - b);
const out = { label: cfg.label, stream: !!cfg.stream, concurrency: cfg.concurrency,
  ok: sorted.length, errors: record.errors, p50: r2(percentile(sorted, 50)),
  p90: r2(percentile(sorted, 90)), p99: r2(percentile(sorted, 99)), max: r2(sorted.at(-1) ?? NaN),
  rps: r2(sorted.length / seconds) };
if (cfg.stream) {
  Object.assign(out, { ttfb50: r2(percentile(ttfb, 50)), ttfb90: r2(percentile(ttfb, 90)),
    ttfb99: r2(percentile(ttfb, 99)) });
}
if (cfg.key) out.charged = record.charged;
console.log(JSON.stringify(out));
