// Reading a request body within a bound (authchart/server's revocation endpoint and its
// backend-for-frontend): chunk by chunk, never more than the bound, the rest left unread.

/** Reads at most `limit` bytes of a body, chunk by chunk: undefined when it is longer (the rest is never read). */
export async function readBoundedBytes(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) return undefined;
      chunks.push(value);
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** readBoundedBytes, as UTF-8 text. */
export async function readBounded(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string | undefined> {
  const bytes = await readBoundedBytes(body, limit);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}

/** A declared Content-Length over `limit` (the body need not be read to refuse it). */
export const declaredOver = (contentLength: string | null, limit: number): boolean => contentLength !== null && Number(contentLength) > limit;
