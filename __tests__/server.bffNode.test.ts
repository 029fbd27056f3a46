// toNodeListener for the backend-for-frontend: the request's URL is built from its Host header (so
// a handler sees its own origin, which the CSRF check compares Origin with), several Set-Cookie
// headers go out as several headers, and a request without a usable Host or path is refused 400.
import { createServer } from 'node:http';
import { toNodeListener } from '../src/server/index';
import { listen, send } from './support/bff';

test('the handler sees the Host header’s origin, and each Set-Cookie goes out on its own', async () => {
  const seen: string[] = [];
  const server = createServer(
    toNodeListener(async (request) => {
      seen.push(request.url);
      const headers = new Headers({ 'content-type': 'text/plain' });
      headers.append('set-cookie', 'a=1; Path=/; HttpOnly');
      headers.append('set-cookie', 'b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/');
      return new Response('ok', { status: 200, headers });
    }),
  );
  const base = await listen(server);
  try {
    const answer = await send(base, '/auth/session?x=1', { headers: { host: 'app.example.com:8443' } });
    expect(seen).toEqual(['http://app.example.com:8443/auth/session?x=1']);
    expect(answer.headers['set-cookie']).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/']);
    expect(answer.text).toBe('ok');

    for (const host of ['evil.example/path', 'a b', 'x@y']) {
      const refused = await send(base, '/auth/session', { headers: { host } });
      expect([host, refused.status]).toEqual([host, 400]);
    }
    const absolute = await send(base, 'http://elsewhere.example/auth/session');
    expect(absolute.status).toBe(400);
    expect(seen).toHaveLength(1);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
