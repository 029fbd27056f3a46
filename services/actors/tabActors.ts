import { fromCallback } from 'xstate';
import type { TellTabs } from '../../machines/authTypes.js';
import type { TabLink } from '../tabs/tabLink.js';
import { resolverOf, type ServicesSource } from './registry.js';

/** What the auth machine's tab actors (`watchTabs`, `takeRefreshTurn`) need. */
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
    /**
     * Takes this tab's turn to refresh (the tabs' refresh lock: a Web Lock, or the storage lease)
     * and holds it until the chart leaves `signedIn.refreshing`, which stops this actor. Without
     * other tabs the turn is this tab's at once. A lock that cannot be had is reported as such
     * (REFRESH_TURN_UNAVAILABLE), and the chart decides what follows.
     */
    takeRefreshTurn: fromCallback(({ sendBack, system }) => {
      const { tabs } = servicesOf(system);
      if (!tabs) {
        sendBack({ type: 'REFRESH_TURN_TAKEN', shared: false, waited: false });
        return undefined;
      }
      const left = new AbortController();
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      void Promise.all([tabs.lock(), tabs.signals()])
        .then(([lock, signals]) =>
          lock.run(left.signal, async (waited) => {
            // A wait is only worth watching for where this tab hears the other tabs' writes.
            if (!left.signal.aborted) sendBack({ type: 'REFRESH_TURN_TAKEN', shared: true, waited: waited && signals !== null });
            await held;
          }),
        )
        .catch(() => {
          if (!left.signal.aborted) sendBack({ type: 'REFRESH_TURN_UNAVAILABLE' });
        });
      return () => {
        left.abort();
        release();
      };
    }),
  };
}
