// A minimal OpenAI-compatible upstream for bench/metered (run by run.sh; loopback only).
//
//   node upstream.mjs            # prints "LISTENING <port>" once it listens on 127.0.0.1
//
// POST /v1/chat/completions (also without /v1) answers at once, in OpenAI's wire format as the
// tests' fixture speaks it (src/test/java/dev/purser/metered/FakeOpenAiUpstream.java): not
// streamed, a `chat.completion` with `usage`; streamed (`"stream": true`), `chat.completion.chunk`
// events (the role first, one per word, then the finish_reason), a final usage-only chunk when
// `stream_options.include_usage` is set, then `data: [DONE]`. completion_tokens = the words
// answered (never more than the request's max_completion_tokens / max_tokens), prompt_tokens =
// the bytes of `messages` / 4. GET /v1/models lists the one model. Node's own http server: no
// dependencies, keep-alive as any client asks.
import http from 'node:http';

const MODEL = process.env.MODEL ?? 'gpt-4o-mini';
const TEXT = 'The quick brown fox jumps over the lazy dog, then rests.';
const WORDS = TEXT.split(/(?<=\S)(?=\s)/);
let ids = 0;

function head(model, object, id) {
  return { id: id ?? `chatcmpl-bench${++ids}`, object, created: Math.floor(Date.now() / 1000),
    model, system_fingerprint: 'fp_bench' };
}

function usage(req) {
  const limit = req.max_completion_tokens ?? req.max_tokens;
  const completion = Number.isInteger(limit) ? Math.min(WORDS.length, limit) : WORDS.length;
  const prompt = Math.max(1, Math.floor(Buffer.byteLength(JSON.stringify(req.messages)) / 4));
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json',
    'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function error(res, status, message, code) {
  send(res, status, { error: { message, type: 'invalid_request_error', param: null, code } });
}

function chat(res, req) {
  if (!req || !Array.isArray(req.messages) || typeof req.model !== 'string') {
    return error(res, 400, 'the body needs a model and messages', 'invalid_body');
  }
  if (!req.stream) {
    const answer = head(req.model, 'chat.completion');
    answer.choices = [{ index: 0, message: { role: 'assistant', content: TEXT, refusal: null },
      logprobs: null, finish_reason: 'stop' }];
    answer.usage = usage(req);
    return send(res, 200, answer);
  }
  const includeUsage = req.stream_options?.include_usage === true;
  const id = `chatcmpl-bench${++ids}`;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache' });
  const pieces = [null, ...WORDS];
  for (let i = 0; i <= pieces.length; i++) {
    const chunk = head(req.model, 'chat.completion.chunk', id);
    const delta = i === 0 ? { role: 'assistant', content: '' }
      : i < pieces.length ? { content: pieces[i] } : {};
    chunk.choices = [{ index: 0, delta, logprobs: null,
      finish_reason: i === pieces.length ? 'stop' : null }];
    if (includeUsage) chunk.usage = null;
    res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  }
  if (includeUsage) {
    const last = head(req.model, 'chat.completion.chunk', id);
    last.choices = [];
    last.usage = usage(req);
    res.write(`data: ${JSON.stringify(last)}\n\n`);
  }
  res.end('data: [DONE]\n\n');
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const path = req.url.split('?')[0].replace(/^\/v1(?=\/)/, '');
    if (req.method === 'GET' && path === '/models') {
      return send(res, 200, { object: 'list', data: [{ id: MODEL, object: 'model',
        created: 1700000000, owned_by: 'bench-upstream' }] });
    }
    if (req.method !== 'POST' || path !== '/chat/completions') {
      return error(res, 404, `no route ${req.method} ${req.url}`, 'unknown_url');
    }
    let body = null;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      // answered as a bad body below
    }
    chat(res, body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`LISTENING ${server.address().port}`);
});
