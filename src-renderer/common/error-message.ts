/** The user-facing text of any error: the message, never a stack trace. */
export function errorMessage(error: unknown): string {
  // Errors from the desktop bridge arrive without Electron's IPC wrapping: the preload takes it off (src-shared/ipc-reply.ts).
  const text = error instanceof Error ? error.message || error.name : typeof error === 'string' ? error : '';
  return text || 'Something went wrong.';
}
