import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { ErrorBoundary } from './app/ErrorBoundary.tsx';
import './styles/base.css';
import './styles/layout.css';
import './styles/threads.css';
import './styles/messages.css';
import './styles/trace.css';
import './styles/waterfall.css';
import './styles/dialogs.css';
import './styles/search.css';
import './styles/live.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
