// The top bar's Live switch: on, other processes' writes show as they land;
// off, the views keep what they show and the switch counts what waits.
import { plural } from '../common/format.ts';
import { liveFollow, useLive } from './live-gate.ts';

export function LiveToggle() {
  const { on, waiting } = useLive();
  const label = on ? 'Live' : waiting > 0 ? `Live · paused (${plural(waiting, 'change')})` : 'Live · paused';
  const hint = on
    ? 'Following what other processes write to this source: click to pause'
    : 'Paused: what other processes write waits until Live is on again (your own deletes still show at once)';
  return (
    <button type="button" className={`live-toggle${on ? ' on' : ''}`} aria-pressed={on} title={hint} onClick={() => liveFollow.setOn(!on)}>
      <span className="live-toggle-dot" aria-hidden="true" />
      {label}
    </button>
  );
}
