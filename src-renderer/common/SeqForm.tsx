// "Go to seq": a number box and a Go button; only a whole seq ≥ 1 goes.
import type { FormEvent } from 'react';
import { useState } from 'react';

export function SeqForm({ onGo }: { onGo: (seq: number) => void }) {
  const [text, setText] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const seq = Number(text);
    if (Number.isInteger(seq) && seq >= 1) onGo(seq);
  };
  return (
    <form className="seq-form" onSubmit={onSubmit}>
      <input type="number" min={1} inputMode="numeric" aria-label="Go to seq" placeholder="seq" value={text} onChange={(e) => setText(e.target.value)} />
      <button type="submit">Go</button>
    </form>
  );
}
