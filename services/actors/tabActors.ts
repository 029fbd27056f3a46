import { fromCallback } from 'xstate';
import type { TellTabs } from '../../machines/authTypes.js';
import type { TabSignals } from '../tabs/tabSignals.js';
import { resolverOf, type ServicesSource } from './registry.js';

export interface TabServices {
  /** Null where there are no other tabs to agree with (Node, or storage that is not shared by tabs). */
  readonly tabs: TabSignals | null;
}

/** The auth machine's link to the other tabs: their signals come in as events, its news goes out. */
export function createTabActors(services: ServicesSource<TabServices>) {
  const servicesOf = resolverOf(services);
  return {
    watchTabs: fromCallback<TellTabs>(({ sendBack, receive, system }) => {
      const { tabs } = servicesOf(system);
      if (!tabs) return undefined;
      const unlisten = tabs.listen((signal) => sendBack({ type: signal === 'signedIn' ? 'SIGNED_IN_ELSEWHERE' : 'SIGNED_OUT_ELSEWHERE' }));
      receive((event) => tabs.tell(event.signal));
      return () => {
        unlisten();
        tabs.close();
      };
    }),
  };
}
