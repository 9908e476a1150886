/** The user-facing text of any error: the message, never a stack trace. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : typeof error === 'string' ? error : '';
  // Electron wraps errors crossing IPC as "Error invoking remote method 'x': Error: …".
  return text.replace(/^Error invoking remote method '[^']*': (\w*Error: )?/, '') || 'Something went wrong.';
}
