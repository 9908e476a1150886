// The app's code, loaded by the entry (main.tsx) once it has asked for the
// thread list.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { ThreadSummary } from '../../src-shared/types.ts';
import { App } from './App.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';

export function renderApp(firstThreads: Promise<ThreadSummary[]>): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary>
        <App firstThreads={firstThreads} />
      </ErrorBoundary>
    </StrictMode>,
  );
}
