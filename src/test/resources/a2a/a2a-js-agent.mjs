// A test A2A agent built on the official @a2a-js/sdk server (JSON-RPC, A2A 1.0 with the SDK's
// 0.3 compatibility layer on, so one endpoint answers both versions). Test use only: it is the
// "agent written elsewhere" that Purser's A2A client, payer and delegation are checked against.
//
// argv[2] is a JSON object of settings (all optional):
//   name        the card's name (default "a2a-js echo")
//   delayMs     how long each task works before answering (cancelable meanwhile; default 0)
//   fail        true: every task ends failed instead of completing
//   price       atomic USDC units: every task asks for an x402 payment first (default: free)
//   payTo       the payee address of that price
//   x402Version 1 or 2: the shape of the requirement it asks with (default 2)
//   cardPath    "agent.json": serve the card only at the 0.2-era /.well-known/agent.json
//   port        the port to listen on (default 0: any free port)
//   skill       the id of its one skill (default "echo")
// POST /control with the same keys changes them while it runs; GET /control answers the state
// plus what it saw: tasks started, cancels, and every payment it accepted (its payload).
// Prints "LISTENING <port>" once it listens on 127.0.0.1 (port 0 = any free port).
//
// Behaviour per message: no text part → input-required ("send the text to echo"); otherwise,
// after the delay, an artifact holding the text (a paid task echoes its first message's text)
// and completed. A payment is verified with viem (EIP-712 signature by authorization.from, payee,
// amount, validity window, nonce never seen before), then accepted with a receipt; nothing is
// settled.
import express from 'express';
import { randomBytes, randomUUID } from 'node:crypto';
import { verifyTypedData } from 'viem';
import { authorizationMessage, TRANSFER_WITH_AUTHORIZATION } from './eip3009.mjs';
import { AGENT_CARD_PATH, Role, TaskState } from '@a2a-js/sdk';
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';

const X402_URI = 'https://github.com/google-agentic-commerce/a2a-x402/blob/main/spec/v0.2';
const USDC = { network: 'eip155:84532', v1Network: 'base-sepolia', chainId: 84532,
  asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', name: 'USDC', version: '2' };

const settings = Object.assign({ name: 'a2a-js echo', delayMs: 0, fail: false, price: null,
  payTo: null, x402Version: 2, port: 0, skill: 'echo' }, JSON.parse(process.argv[2] ?? '{}'));
const seen = { tasks: 0, cancels: 0, payments: [] };
const usedNonces = new Set();
const canceled = new Set();

const now = () => new Date().toISOString();
const textPart = (text) => ({ content: { $case: 'text', value: text }, metadata: undefined,
  filename: '', mediaType: 'text/plain' });
const textOf = (message) => (message?.parts ?? []).filter((p) => p.content?.$case === 'text')
  .map((p) => p.content.value).join('\n');
const agentMessage = (taskId, contextId, text, metadata) => ({ role: Role.ROLE_AGENT,
  messageId: randomUUID(), parts: [textPart(text)], taskId, contextId, extensions: [],
  metadata: metadata ?? {}, referenceTaskIds: [] });
const status = (bus, taskId, contextId, state, text, metadata) => bus.publish(
  AgentEvent.statusUpdate({ taskId, contextId, metadata: {}, status: { state, timestamp: now(),
    message: text === undefined ? undefined : agentMessage(taskId, contextId, text, metadata) } }));

function requirement() {
  const r = { scheme: 'exact', network: USDC.network, asset: USDC.asset, payTo: settings.payTo,
    maxTimeoutSeconds: 60, extra: { name: USDC.name, version: USDC.version } };
  if (Number(settings.x402Version) === 1) {
    return { x402Version: 1, error: 'payment required', accepts: [{ ...r, network: USDC.v1Network,
      maxAmountRequired: String(settings.price), resource: `${baseUrl}/echo`,
      description: 'echo', mimeType: 'text/plain' }] };
  }
  return { x402Version: 2, error: 'payment required', resource: { url: `${baseUrl}/echo` },
    accepts: [{ ...r, amount: String(settings.price) }] };
}

/** Why the payment is refused (an x402.payment.error code), or null when it is good. */
async function refusal(payload) {
  const auth = payload?.payload?.authorization;
  const signature = payload?.payload?.signature;
  if (!auth || !signature) return 'INVALID_SIGNATURE';
  const network = payload.x402Version === 1 ? payload.network : payload.accepted?.network;
  if (network !== USDC.network && network !== USDC.v1Network) return 'NETWORK_MISMATCH';
  if (String(auth.value) !== String(settings.price)) return 'INVALID_AMOUNT';
  if (String(auth.to).toLowerCase() !== String(settings.payTo).toLowerCase()) return 'INVALID_SIGNATURE';
  const t = Math.floor(Date.now() / 1000);
  if (BigInt(auth.validAfter) > BigInt(t) || BigInt(auth.validBefore) <= BigInt(t)) return 'EXPIRED_PAYMENT';
  const nonceKey = `${String(auth.from).toLowerCase()}/${String(auth.nonce).toLowerCase()}`;
  if (usedNonces.has(nonceKey)) return 'DUPLICATE_NONCE';
  const valid = await verifyTypedData({ address: auth.from, signature,
    domain: { name: USDC.name, version: USDC.version, chainId: USDC.chainId,
      verifyingContract: USDC.asset },
    types: TRANSFER_WITH_AUTHORIZATION, primaryType: 'TransferWithAuthorization',
    message: authorizationMessage(auth),
  }).catch(() => false);
  if (!valid) return 'INVALID_SIGNATURE';
  usedNonces.add(nonceKey);
  return null;
}

async function work(taskId, bus) {
  const until = Date.now() + Number(settings.delayMs);
  while (Date.now() < until) {
    if (canceled.has(taskId)) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return !canceled.has(taskId);
}

class EchoExecutor {
  cancelTask = async (taskId) => {
    seen.cancels++;
    canceled.add(taskId);
  };

  async execute(ctx, bus) {
    const { taskId, contextId, userMessage } = ctx;
    const existing = ctx.task;
    if (existing) {
      bus.publish(AgentEvent.task({ ...existing, history: [...existing.history, userMessage] }));
    } else {
      seen.tasks++;
      bus.publish(AgentEvent.task({ id: taskId, contextId, artifacts: [], history: [userMessage],
        metadata: {}, status: { state: TaskState.TASK_STATE_SUBMITTED, timestamp: now(),
          message: undefined } }));
    }
    const md = userMessage.metadata ?? {};
    let receipts;
    let text = textOf(userMessage);
    if (settings.price !== null && settings.price !== undefined) {
      if (md['x402.payment.status'] !== 'payment-submitted') {
        status(bus, taskId, contextId, TaskState.TASK_STATE_INPUT_REQUIRED, 'Payment is required.',
          { 'x402.payment.status': 'payment-required', 'x402.payment.required': requirement() });
        return;
      }
      const payload = md['x402.payment.payload'];
      const refused = await refusal(payload);
      if (refused) {
        status(bus, taskId, contextId, TaskState.TASK_STATE_FAILED, `Payment refused: ${refused}`,
          { 'x402.payment.status': 'payment-failed', 'x402.payment.error': refused,
            'x402.payment.receipts': [] });
        return;
      }
      seen.payments.push(payload);
      const auth = payload.payload.authorization;
      receipts = [{ success: true, transaction: '0x' + randomBytes(32).toString('hex'),
        network: USDC.network, payer: auth.from, amount: String(auth.value) }];
      text = textOf(existing?.history?.[0]) || text;
      status(bus, taskId, contextId, TaskState.TASK_STATE_WORKING, 'Payment verified.',
        { 'x402.payment.status': 'payment-verified' });
    } else {
      status(bus, taskId, contextId, TaskState.TASK_STATE_WORKING, 'Working.');
    }
    if (!text) {
      status(bus, taskId, contextId, TaskState.TASK_STATE_INPUT_REQUIRED, 'Send the text to echo.');
      return;
    }
    try {
      if (!(await work(taskId, bus))) {
        status(bus, taskId, contextId, TaskState.TASK_STATE_CANCELED, 'Canceled.');
        return;
      }
      const paid = receipts ? { 'x402.payment.status': 'payment-completed',
        'x402.payment.receipts': receipts } : undefined;
      if (settings.fail) {
        status(bus, taskId, contextId, TaskState.TASK_STATE_FAILED, 'This agent is set to fail.', paid);
        return;
      }
      bus.publish(AgentEvent.artifactUpdate({ taskId, contextId, append: false, lastChunk: true,
        metadata: undefined, artifact: { artifactId: randomUUID(), name: 'echo', description: '',
          parts: [textPart(text)], metadata: undefined, extensions: [] } }));
      status(bus, taskId, contextId, TaskState.TASK_STATE_COMPLETED, paid ? 'Done, paid.' : undefined,
        paid);
    } finally {
      canceled.delete(taskId);
    }
  }
}

function card() {
  const extensions = [];
  if (settings.price !== null && settings.price !== undefined) {
    extensions.push({ uri: X402_URI, description: 'x402 payments', required: false,
      params: { x402Version: Number(settings.x402Version), network: USDC.network,
        asset: USDC.asset, payTo: settings.payTo,
        skills: { [settings.skill]: { amount: String(settings.price), asset: USDC.asset,
          network: USDC.network } } } });
  }
  return { name: settings.name, description: 'Echoes text back (an @a2a-js/sdk test agent).',
    supportedInterfaces: ['1.0', '0.3'].map((protocolVersion) => ({
      url: `${baseUrl}/a2a/jsonrpc`, protocolBinding: 'JSONRPC', tenant: '', protocolVersion })),
    provider: { organization: 'Purser tests', url: baseUrl }, version: '1.0.0',
    capabilities: { streaming: true, pushNotifications: false, extensions,
      extendedAgentCard: false },
    securitySchemes: {}, securityRequirements: [], defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [{ id: settings.skill, name: 'Echo', description: 'Answers with the text it was sent.',
      tags: ['echo'], examples: ['hello'], inputModes: ['text/plain'],
      outputModes: ['text/plain'], securityRequirements: [] }],
    documentationUrl: '', signatures: [] };
}

const app = express();
let baseUrl;
const server = app.listen(Number(settings.port), '127.0.0.1', () => {
  baseUrl = `http://127.0.0.1:${server.address().port}`;
  const handler = new DefaultRequestHandler(card(), new InMemoryTaskStore(), new EchoExecutor());
  app.get('/control', (req, res) => res.json({ settings, ...seen }));
  app.post('/control', express.json(), (req, res) => {
    Object.assign(settings, req.body ?? {});
    res.json({ settings, ...seen });
  });
  // A provider function, so /control changes (a price) show on the card; no caching for tests.
  app.use(settings.cardPath === 'agent.json' ? '/.well-known/agent.json' : `/${AGENT_CARD_PATH}`,
    agentCardHandler({ agentCardProvider: async () => card(),
    cache: { maxAge: 0 }, legacyCompat: { enabled: true } }));
  app.use('/a2a/jsonrpc', jsonRpcHandler({ requestHandler: handler,
    userBuilder: UserBuilder.noAuthentication, legacyCompat: { enabled: true } }));
  console.log(`LISTENING ${server.address().port}`);
});
server.on('error', (err) => {
  console.error(err);
  process.exit(1);
});
