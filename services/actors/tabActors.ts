import { fromCallback } from 'xstate';
import type { TellTabs } from '../../machines/authTypes.js';
import type { TabLink } from '../tabs/tabLink.js';
import { resolverOf, type ServicesSource } from './registry.js';

/** What the auth machine's `watchTabs` actor needs. */
export interface TabServices {
  /** Null where there are no other tabs to agree with (Node, or storage that is not shared by tabs). */
  readonly tabs: TabLink | null;
}

/** The auth machine's link to the other tabs: their signals come in as events, its news goes out. */
export function createTabActors(services: ServicesSource<TabServices>) {
  const servicesOf = resolverOf(services);
  return {
    watchTabs: fromCallback<TellTabs>(({ sendBack, receive, system }) => {
      const { tabs } = servicesOf(system);
      if (!tabs) return undefined;
      let stopped = false;
      let stop = () => {};
      void tabs.signals().then((signals) => {
        if (!signals) return;
        if (stopped) return signals.close();
        const unlisten = signals.listen((signal) => sendBack({ type: signal === 'signedIn' ? 'SIGNED_IN_ELSEWHERE' : 'SIGNED_OUT_ELSEWHERE' }));
        stop = () => {
          unlisten();
          signals.close();
        };
      });
      receive((event) => void tabs.signals().then((signals) => signals?.tell(event.signal)));
      return () => {
        stopped = true;
        stop();
      };
    }),
  };
}
