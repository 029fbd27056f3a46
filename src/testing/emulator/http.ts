// Low-level response writers. The request log records only operation names and statuses.
import { STATUS_CODES, type ServerResponse } from 'node:http';
import { defaultStatus, errorBody, JSON_CONTENT_TYPE } from './protocol.js';
import type { EmulatorRequestRecord, Fault } from './types.js';

export type Log = (record: EmulatorRequestRecord) => void;

export function send(res: ServerResponse, status: number, body: string, contentType: string, extra?: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    ...extra,
  });
  res.end(body);
}

export function sendJson(res: ServerResponse, body: unknown): void {
  send(res, 200, JSON.stringify(body), JSON_CONTENT_TYPE);
}

export function sendError(res: ServerResponse, type: string, message: string, status?: number): number {
  const code = status ?? defaultStatus(type);
  send(res, code, errorBody(type, message), JSON_CONTENT_TYPE, { 'x-amzn-errortype': type });
  return code;
}

export function htmlErrorPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`;
}

/** A 200 whose JSON body stops half-way, as a proxy cutting a response would leave it. */
export const MALFORMED_BODY = '{"AuthenticationResult":{"ExpiresIn":3600,"TokenType":"Bea';

/**
 * Answers a request with a fault that replaces the normal answer. Returns false for faults
 * that do not replace it (latency), so the caller handles those.
 */
export function answerWithFault(res: ServerResponse, operation: string, fault: Fault, log: Log): boolean {
  switch (fault.type) {
    case 'blackhole':
      log({ operation, status: 'blackholed', fault: fault.type });
      return true; // the socket is tracked by the server and destroyed on close()
    case 'reset': {
      log({ operation, status: 'reset', fault: fault.type });
      const socket = res.socket;
      if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket?.destroy();
      return true;
    }
    case 'httpStatus': {
      const body = fault.body ?? htmlErrorPage(fault.status);
      send(res, fault.status, body, fault.contentType ?? (fault.body === undefined ? 'text/html' : 'text/plain'));
      log({ operation, status: fault.status, fault: fault.type });
      return true;
    }
    case 'error': {
      const status = sendError(res, fault.name, fault.message ?? `Injected ${fault.name}`, fault.status);
      log({ operation, status, fault: fault.type });
      return true;
    }
    case 'malformed':
      send(res, 200, MALFORMED_BODY, JSON_CONTENT_TYPE);
      log({ operation, status: 200, fault: fault.type });
      return true;
    case 'redirect': {
      const status = fault.status ?? 307;
      send(res, status, '', 'text/plain', { location: fault.location });
      log({ operation, status, fault: fault.type });
      return true;
    }
    case 'latency':
      return false;
  }
}
