// AWS JSON 1.1 helpers: the error type handlers throw, and typed readers for request members.
import { isJsonObject as isSharedJsonObject } from '../../../services/encoding/json.js';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** A Cognito exception, sent as `{"__type": name, "message": message}`. */
export class CognitoError extends Error {
  readonly status: number;
  constructor(
    readonly type: string,
    message: string,
    status?: number,
  ) {
    super(message);
    this.name = type;
    this.status = status ?? defaultStatus(type);
  }
}

/**
 * Cognito answers client errors with 400 on the wire (whatever the Smithy model's httpError
 * trait says) and service errors with 500.
 */
export function defaultStatus(type: string): number {
  return type === 'InternalErrorException' || type === 'InternalServerException' ? 500 : 400;
}

export function errorBody(type: string, message: string): string {
  return JSON.stringify({ __type: type, message });
}

/** services/encoding/json.ts's check (the one definition), typed for the emulator's JSON. */
export function isJsonObject(value: unknown): value is JsonObject {
  return isSharedJsonObject(value);
}

function invalid(member: string, constraint: string): CognitoError {
  return validationError(member, constraint);
}

/**
 * InvalidParameterException as Cognito's request validation words it. `member` is the camelCase
 * path (e.g. 'refreshTokenRotation.feature'); `value`, when given, is quoted as Cognito does.
 */
export function validationError(member: string, constraint: string, value?: string | number): CognitoError {
  const quoted = value === undefined ? '' : ` '${String(value)}'`;
  return new CognitoError(
    'InvalidParameterException',
    `1 validation error detected: Value${quoted} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

export function requireString(input: JsonObject, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value.length === 0) {
    throw invalid(lowerFirst(member), 'Member must not be null');
  }
  return value;
}

export function optionalString(input: JsonObject, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(lowerFirst(member), 'Member must be a string');
  return value;
}

export function optionalBoolean(input: JsonObject, member: string): boolean | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(lowerFirst(member), 'Member must be a boolean');
  return value;
}

export function optionalNumber(input: JsonObject, member: string): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(lowerFirst(member), 'Member must be a number');
  }
  return value;
}

export function optionalStringList(input: JsonObject, member: string): string[] | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw invalid(lowerFirst(member), 'Member must be a list of strings');
  }
  return value;
}

/** A string-to-string map member such as AuthParameters or ChallengeResponses. */
export function stringMap(input: JsonObject, member: string): Record<string, string> {
  const value = input[member];
  if (value === undefined || value === null) return {};
  if (!isJsonObject(value)) throw invalid(lowerFirst(member), 'Member must be a map');
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) if (typeof v === 'string') out[key] = v;
  return out;
}

/** `[{Name, Value}]` attribute lists (UserAttributes). */
export function attributeList(input: JsonObject, member: string): Record<string, string> {
  const value = input[member];
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value)) throw invalid(lowerFirst(member), 'Member must be a list');
  const out: Record<string, string> = {};
  for (const item of value) {
    if (!isJsonObject(item) || typeof item.Name !== 'string') {
      throw invalid(lowerFirst(member), 'Member must contain {Name, Value} entries');
    }
    out[item.Name] = typeof item.Value === 'string' ? item.Value : '';
  }
  return out;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
