// Byte encodings with Web APIs only (TextEncoder, btoa), for the code that loads on first use: SRP,
// SECRET_HASH and the hosted UI's PKCE. They import nothing, so SECRET_HASH's chunk reaches no
// error name: a module that a lazy chunk and the up-front load both import is split by esbuild
// into a chunk of its own, which the page then fetches up front as one more file (docs/performance.md).

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
