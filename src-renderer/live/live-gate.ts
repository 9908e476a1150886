// The page's one LiveFollow: main's store:changed pushes go in, the views'
// useStoreChanged and the top bar's Live toggle read from it. The toggle is
// remembered for the session (sessionStorage: a new window starts Live).
import { useSyncExternalStore } from 'react';
import { api } from '../api.ts';
import { type LiveState, LiveFollow } from './live-follow.ts';

const KEY = 'run-inspector.live';

export const liveFollow = new LiveFollow(
  {
    now: () => performance.now(),
    after: (ms, run) => {
      const timer = window.setTimeout(run, ms);
      return () => window.clearTimeout(timer);
    },
  },
  {
    read: () => sessionStorage.getItem(KEY) !== 'paused',
    write: (on) => sessionStorage.setItem(KEY, on ? 'on' : 'paused'),
  },
);

api.onPush('store:changed', (change) => liveFollow.pushed(change));

export function useLive(): LiveState {
  return useSyncExternalStore(liveFollow.watch, liveFollow.snapshot);
}
