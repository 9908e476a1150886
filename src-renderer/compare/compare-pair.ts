// Two runs to compare, as the URL names them (`a=<thread>:<run>&b=<thread>:<run>`):
// each id URI-encoded, so a colon inside an id cannot be taken for the separator.

export interface RunKey {
  threadId: string;
  runId: string;
}

export interface ComparePair {
  a: RunKey;
  b: RunKey;
}

export const formatRunKey = ({ threadId, runId }: RunKey): string => `${encodeURIComponent(threadId)}:${encodeURIComponent(runId)}`;

export function parseRunKey(text: string | null): RunKey | null {
  const parts = text?.split(':') ?? [];
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  try {
    return { threadId: decodeURIComponent(parts[0]), runId: decodeURIComponent(parts[1]) };
  } catch {
    return null;
  }
}

export function parsePair(a: string | null, b: string | null): ComparePair | null {
  const left = parseRunKey(a);
  const right = parseRunKey(b);
  return left && right ? { a: left, b: right } : null;
}
