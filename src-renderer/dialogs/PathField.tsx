// A typed path (browser mode), completed from the disk: the folders and
// files the typed prefix could go on to, as the input's datalist. The
// desktop app never shows one; its paths come from native dialogs.
import { useEffect, useId, useRef, useState } from 'react';
import type { BrowserPageApi, PathEntry } from '../../src-shared/contract.ts';

interface PathFieldProps {
  /** Browser mode's completion (the desktop page has none: it types no paths). */
  complete: BrowserPageApi['completePath'];
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  disabled?: boolean;
  autoFocus?: boolean;
  required?: boolean;
}

export function PathField({ complete, label, value, onChange, placeholder, disabled, autoFocus, required }: PathFieldProps) {
  const listId = useId();
  const [completed, setCompleted] = useState<{ prefix: string; entries: PathEntry[] }>({ prefix: '', entries: [] });
  const latest = useRef(0);

  useEffect(() => {
    const request = ++latest.current;
    if (!value.trim()) return setCompleted({ prefix: value, entries: [] });
    // An answer for an older prefix is dropped: typing is faster than the disk.
    const answer = (entries: PathEntry[]) => request === latest.current && setCompleted({ prefix: value, entries });
    void complete({ prefix: value }).then(answer, () => answer([]));
  }, [complete, value]);

  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="text"
        list={listId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        disabled={disabled}
        autoFocus={autoFocus}
        required={required}
        spellCheck={false}
        autoComplete="off"
      />
      {/* data-prefix: what the suggestions answer, so a reader can tell they are current */}
      <datalist id={listId} data-testid="path-suggestions" data-prefix={completed.prefix}>
        {completed.entries.map((entry) => (
          // A folder is offered with its separator, so picking it goes on completing inside it.
          <option key={entry.path} value={entry.folder ? `${entry.path}/` : entry.path} label={entry.folder ? 'folder' : 'file'} />
        ))}
      </datalist>
    </label>
  );
}
