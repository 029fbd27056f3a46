// The HTTP server: routing, body parsing, faults, and socket bookkeeping for close().
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { EmulatorContext } from './context.js';
import type { FaultRegistry } from './faults.js';
import { answerWithFault, send, sendError, sendJson, type Log } from './http.js';
import { isEmulatorOperation, OPERATIONS } from './operations/index.js';
import { answerPreflight, applyCors, isCorsPath, type OAuthEndpoints } from './oauth/index.js';
import { CognitoError, isJsonObject, TARGET_PREFIX, type JsonObject } from './protocol.js';
import type { Fault } from './types.js';

const MAX_BODY_BYTES = 1024 * 1024;
/** Endpoints left out of the request log (as the JWKS always was). */
const UNLOGGED = new Set(['jwks', 'openid-configuration']);

export class EmulatorServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly faults: FaultRegistry,
    private readonly log: Log,
    private readonly oauth?: OAuthEndpoints,
  ) {
    this.server = createServer((req, res) => this.onRequest(req, res));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    return closed;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('x-amzn-requestid', randomUUID());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => this.route(req, res, Buffer.concat(chunks).toString('utf8'), size > MAX_BODY_BYTES));
    req.on('error', () => res.destroy());
  }

  private route(req: IncomingMessage, res: ServerResponse, body: string, tooLarge: boolean): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return send(res, 400, 'Bad Request', 'text/plain');
    }
    const cors = isCorsPath(url.pathname);
    if (cors) applyCors(req, res);
    if (req.method === 'OPTIONS') return answerPreflight(req, res, cors);
    const endpoint = this.oauth?.match(req.method ?? '', url);
    if (endpoint) {
      // OAuth endpoints take faults set for their exact name only ('*' stays with the JSON API).
      const fault = UNLOGGED.has(endpoint.name) ? undefined : this.faults.takeExact(endpoint.name);
      return this.withFault(res, endpoint.name, fault, () => {
        if (tooLarge) send(res, 413, 'Payload Too Large', 'text/plain');
        else endpoint.run(req, res, body);
        if (!UNLOGGED.has(endpoint.name)) this.log(fault ? { operation: endpoint.name, status: res.statusCode, fault: fault.type } : { operation: endpoint.name, status: res.statusCode });
      });
    }
    if (req.method !== 'POST') return send(res, 404, 'Not Found', 'text/plain');
    const target = req.headers['x-amz-target'];
    const targetName = typeof target === 'string' ? target : '';
    const operation = targetName.startsWith(TARGET_PREFIX) ? targetName.slice(TARGET_PREFIX.length) : targetName;
    const fault = this.faults.take(operation);
    this.withFault(res, operation, fault, () => {
      void this.handle(res, targetName, operation, body, tooLarge).then((status) => this.log(fault ? { operation, status, fault: fault.type } : { operation, status }));
    });
  }

  /** Answers with the fault, or runs `run` (after the latency of a latency fault). */
  private withFault(res: ServerResponse, operation: string, fault: Fault | undefined, run: () => void): void {
    if (fault && answerWithFault(res, operation, fault, this.log)) return;
    if (fault?.type !== 'latency') return run();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, fault.ms);
    this.timers.add(timer);
  }

  /** Runs the operation and writes its answer; returns the HTTP status sent. */
  private async handle(res: ServerResponse, target: string, operation: string, body: string, tooLarge: boolean): Promise<number> {
    if (!target.startsWith(TARGET_PREFIX) || !isEmulatorOperation(operation)) {
      return sendError(res, 'UnknownOperationException', target ? `Unknown operation ${target}` : 'Missing X-Amz-Target');
    }
    if (tooLarge) return sendError(res, 'SerializationException', 'Request body too large');
    let input: unknown;
    try {
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      return sendError(res, 'SerializationException', 'Unable to parse the request body as JSON');
    }
    if (!isJsonObject(input)) return sendError(res, 'SerializationException', 'Request body must be a JSON object');
    try {
      const output: JsonObject = await OPERATIONS[operation](this.ctx, input);
      sendJson(res, output);
      return 200;
    } catch (error) {
      if (error instanceof CognitoError) return sendError(res, error.type, error.message, error.status);
      return sendError(res, 'InternalErrorException', 'Internal error in the Cognito emulator');
    }
  }
}
