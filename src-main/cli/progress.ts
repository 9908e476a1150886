// Progress on stderr: one line rewritten in place on a terminal, else at
// most a line a second (a log or a test reading stderr).
const LOG_INTERVAL_MS = 1000;

export function progressPrinter(stream: NodeJS.WriteStream = process.stderr) {
  let lastLog = -Infinity;
  let pending = false;
  return {
    update(message: string): void {
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${message}`);
        pending = true;
        return;
      }
      const now = performance.now();
      if (now - lastLog < LOG_INTERVAL_MS) return;
      lastLog = now;
      stream.write(`${message}\n`);
    },
    /** Ends the rewritten line so what follows starts on its own. */
    finish(): void {
      if (pending) stream.write('\n');
      pending = false;
    },
  };
}

/** Runs `work` with a signal aborted by Ctrl+C / SIGTERM, so a long job stops at its next batch. */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export const seconds = (value: number) => value.toFixed(value < 10 ? 2 : 1);
