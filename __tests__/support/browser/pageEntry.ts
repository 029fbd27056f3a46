// The script of the test page (bundled by pages.ts with esbuild for the browser). It reads the
// page's configuration from the query string (?endpoint=…&userPoolId=…&clientId=…) and puts
// `window.authchartPage` in place for tests to drive with page.evaluate().
import { createAuth, type FetchAuthConfig } from '../../../src/fetch/index.js';
import type { AuthchartPage, PageConfig } from './pageTypes.js';

const params = new URLSearchParams(location.search);
const required = (name: keyof PageConfig): string => {
  const value = params.get(name);
  if (!value) throw new Error(`test page: the query string has no ${name}`);
  return value;
};
const config: PageConfig = { endpoint: required('endpoint'), userPoolId: required('userPoolId'), clientId: required('clientId') };

const page: AuthchartPage = {
  config,
  createAuth: (extra?: Partial<FetchAuthConfig>) =>
    createAuth({ userPoolId: config.userPoolId, userPoolClientId: config.clientId, endpoint: config.endpoint, storage: localStorage, ...extra }),
  results: {},
};
window.authchartPage = page;
document.body.dataset['ready'] = 'true';
