// The replies of Redis's stream commands (XRANGE, XREAD, XREADGROUP, XAUTOCLAIM) read as entries,
// for the stores that keep a stream (the revocation list's news, the fleet's sign-out outbox).

/** XRANGE/XREAD/XAUTOCLAIM entries: [id, [field, value, …]] pairs. */
export type StreamEntry = [string, string[]];

export const isEntries = (value: unknown): value is StreamEntry[] => Array.isArray(value) && value.every((entry) => Array.isArray(entry) && typeof entry[0] === 'string' && Array.isArray(entry[1]));

/** The entries of an XREAD or XREADGROUP reply: RESP2 answers [[stream, entries]], RESP3 a map (node-redis: an object) of stream to entries; null when the block timed out. */
export function entriesOfRead(reply: unknown): StreamEntry[] {
  const streams: unknown[] = Array.isArray(reply) ? reply.map((pair: unknown) => (Array.isArray(pair) ? pair[1] : undefined)) : reply && typeof reply === 'object' ? Object.values(reply) : [];
  return streams.flatMap((entries) => (isEntries(entries) ? entries : []));
}

/** A field's value in an entry's [field, value, …] list ('' when it has none). */
export const fieldOf = (fields: readonly string[], name: string): string => {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1]!;
  return '';
};

/** Waits `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
