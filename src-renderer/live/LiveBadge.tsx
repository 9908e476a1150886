// A run still running (src-shared/run-status.ts): a pulsing dot and "live",
// wherever the run is shown (thread list, timeline boundary, runs table, trace header).
export function LiveBadge({ hint, className }: { hint?: string; className?: string }) {
  return (
    <span className={className ? `live-badge ${className}` : 'live-badge'} title={hint ?? 'Still running: new events show as they are written'}>
      <span className="live-dot" aria-hidden="true" />
      live<span className="visually-hidden"> (still running)</span>
    </span>
  );
}
