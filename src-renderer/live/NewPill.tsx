// "3 new messages": what arrived while the view was away from the end; a click goes there.
import { plural } from '../common/format.ts';

export function NewPill({ count, noun, onClick }: { count: number; noun: string; onClick: () => void }) {
  return (
    <button type="button" className="new-pill" onClick={onClick}>
      <span aria-hidden="true">↓ </span>
      {plural(count, `new ${noun}`)}
    </button>
  );
}
