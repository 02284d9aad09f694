// Drives the official `openai` npm client (unmodified but for baseURL and apiKey) for Purser's tests.
// Reads one JSON job on stdin (or from the file named by argv[2]) and prints one JSON result per
// call, one a line, in call order. The job format and the results are described in README.md.
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';

const job = JSON.parse(process.argv[2] ? readFileSync(process.argv[2], 'utf8') : readFileSync(0, 'utf8'));
if (!job.baseURL || !job.apiKey) {
  console.error('openai-call: the job needs baseURL and apiKey');
  process.exit(2);
}

const client = new OpenAI({
  baseURL: job.baseURL,
  apiKey: job.apiKey,
  maxRetries: 0, // the SDK retries 429 and 5xx by default; a test must see exactly one call
  timeout: job.timeoutMs ?? 30000,
  defaultHeaders: job.headers ?? {},
});

const headersOf = (headers) => (headers ? Object.fromEntries(headers.entries()) : {});

// What a test needs of any failure: the SDK's class, the HTTP status and OpenAI's error body.
function failure(e, headers, partial) {
  const result = {
    ok: false,
    error: {
      class: e?.constructor?.name ?? typeof e,
      message: e?.message ?? String(e),
      status: e?.status ?? null,
      type: e?.type ?? null,
      code: e?.code ?? null,
      param: e?.param ?? null,
      body: e?.error ?? null,
      cause: e?.cause ? String(e.cause.message ?? e.cause) : null,
    },
    headers: headersOf(e?.headers) ?? {},
  };
  if (headers) {
    result.headers = { ...headersOf(headers), ...result.headers };
  }
  return partial ? { ...result, ...partial } : result;
}

// Server-sent events as text: data events (JSON when it parses), and comment lines, which the SDK
// never shows (Purser puts its cost there in a stream).
function parseSse(text) {
  const events = [];
  const comments = [];
  let done = false;
  for (const block of text.split(/\r?\n\r?\n/)) {
    let event = null;
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0) continue;
    const joined = data.join('\n');
    if (joined === '[DONE]') {
      done = true;
      continue;
    }
    let parsed = joined;
    try {
      parsed = JSON.parse(joined);
    } catch {
      // kept as text
    }
    events.push(event ? { event, data: parsed } : { data: parsed });
  }
  return { events, comments, done };
}

// The content and the last usage of a list of chunks.
function summary(chunks) {
  let content = '';
  let usage = null;
  let finishReason = null;
  for (const c of chunks) {
    for (const choice of c?.choices ?? []) {
      content += choice?.delta?.content ?? '';
      finishReason = choice?.finish_reason ?? finishReason;
    }
    if (c?.usage) usage = c.usage;
  }
  return { content, usage, finishReason };
}

async function listModels() {
  try {
    const { data, response } = await client.models.list().withResponse();
    return { ok: true, status: response.status, headers: headersOf(response.headers), models: data.data };
  } catch (e) {
    return failure(e);
  }
}

async function complete(request) {
  try {
    const { data, response } = await client.chat.completions.create(request).withResponse();
    return { ok: true, status: response.status, headers: headersOf(response.headers), response: data };
  } catch (e) {
    return failure(e);
  }
}

async function stream(request) {
  let response;
  const chunks = [];
  try {
    const started = await client.chat.completions.create(request).withResponse();
    response = started.response;
    for await (const chunk of started.data) chunks.push(chunk);
    return { ok: true, status: response.status, headers: headersOf(response.headers), ...summary(chunks), chunks };
  } catch (e) {
    return failure(e, response?.headers, { ...summary(chunks), chunks });
  }
}

async function raw(request) {
  let response;
  let text = '';
  try {
    response = await client.chat.completions.create(request).asResponse();
    const decoder = new TextDecoder();
    for await (const bytes of response.body) text += decoder.decode(bytes, { stream: true });
    const sse = request.stream ? parseSse(text) : null;
    const extra = sse ? { ...sse, ...summary(sse.events.map((e) => e.data)) } : { response: JSON.parse(text) };
    return { ok: true, status: response.status, headers: headersOf(response.headers), body: text, ...extra };
  } catch (e) {
    const partial = { body: text, ...(request.stream ? parseSse(text) : {}) };
    return failure(e, response?.headers, partial);
  }
}

async function call() {
  if (job.listModels) return listModels();
  const request = { ...job.request };
  if (job.stream !== undefined) request.stream = job.stream;
  if (job.raw) return raw(request);
  return request.stream ? stream(request) : complete(request);
}

const n = job.concurrency ?? 1;
const results = await Promise.all(Array.from({ length: n }, () => call()));
results.forEach((result, index) => process.stdout.write(JSON.stringify({ index, ...result }) + '\n'));
