// The @a2a-js/sdk peer of bench/peers: the SDK's JSON-RPC server (A2A 1.0 with its 0.3
// compatibility layer on, so the same 0.3 `message/send` body works), its InMemoryTaskStore, and an
// echo executor doing what Purser's free `echo` skill does: submitted → working → artifact with the
// input text → completed. No logging per request. argv[2]: the port (default 0: any free one).
// Prints "LISTENING <port>" once it listens on 127.0.0.1.
import express from 'express';
import { randomUUID } from 'node:crypto';
import { AGENT_CARD_PATH, Role, TaskState } from '@a2a-js/sdk';
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';

const now = () => new Date().toISOString();
const textPart = (text) => ({ content: { $case: 'text', value: text }, metadata: undefined,
  filename: '', mediaType: 'text/plain' });
const textOf = (message) => (message?.parts ?? []).filter((p) => p.content?.$case === 'text')
  .map((p) => p.content.value).join('\n');
const status = (bus, taskId, contextId, state) => bus.publish(AgentEvent.statusUpdate({ taskId,
  contextId, metadata: {}, status: { state, timestamp: now(), message: undefined } }));

class EchoExecutor {
  cancelTask = async () => {};

  async execute(ctx, bus) {
    const { taskId, contextId, userMessage } = ctx;
    bus.publish(AgentEvent.task({ id: taskId, contextId, artifacts: [], history: [userMessage],
      metadata: {}, status: { state: TaskState.TASK_STATE_SUBMITTED, timestamp: now(),
        message: undefined } }));
    status(bus, taskId, contextId, TaskState.TASK_STATE_WORKING);
    bus.publish(AgentEvent.artifactUpdate({ taskId, contextId, append: false, lastChunk: true,
      metadata: undefined, artifact: { artifactId: randomUUID(), name: 'echo', description: '',
        parts: [textPart(textOf(userMessage))], metadata: undefined, extensions: [] } }));
    status(bus, taskId, contextId, TaskState.TASK_STATE_COMPLETED);
  }
}

const app = express();
const server = app.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  const card = { name: 'a2a-js echo', description: 'Echoes text back (bench peer).',
    supportedInterfaces: ['1.0', '0.3'].map((protocolVersion) => ({ url: `${base}/a2a/jsonrpc`,
      protocolBinding: 'JSONRPC', tenant: '', protocolVersion })),
    provider: { organization: 'Purser bench', url: base }, version: '1.0.0',
    capabilities: { streaming: true, pushNotifications: false, extensions: [],
      extendedAgentCard: false },
    securitySchemes: {}, securityRequirements: [], defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [{ id: 'echo', name: 'Echo', description: 'Answers with the text it was sent.',
      tags: ['echo'], examples: ['hello'], inputModes: ['text/plain'],
      outputModes: ['text/plain'], securityRequirements: [] }],
    documentationUrl: '', signatures: [] };
  const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), new EchoExecutor());
  app.use(`/${AGENT_CARD_PATH}`, agentCardHandler({ agentCardProvider: async () => card,
    legacyCompat: { enabled: true } }));
  app.use('/a2a/jsonrpc', jsonRpcHandler({ requestHandler: handler,
    userBuilder: UserBuilder.noAuthentication, legacyCompat: { enabled: true } }));
  console.log(`LISTENING ${server.address().port}`);
});
server.on('error', (err) => {
  console.error(err);
  process.exit(1);
});
