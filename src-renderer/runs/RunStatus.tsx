/** A run's status as a coloured chip; unknown statuses are shown as they are. */
export function RunStatus({ status }: { status: string | null | undefined }) {
  const value = status || 'unknown';
  const tone = /^(success|succeeded|completed|done|ok)$/i.test(value)
    ? 'ok'
    : /^(error|failed|failure|interrupted|timeout)$/i.test(value)
      ? 'error'
      : /^(running|pending|started)$/i.test(value)
        ? 'running'
        : 'neutral';
  return <span className={`status status-${tone}`}>{value}</span>;
}
