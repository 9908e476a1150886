// The page's entry. It asks for the thread list first, the page's first
// view and on a big store the server's longest answer, then loads the app,
// whose code is fetched and evaluated while the server works on it.
import { api } from './api.ts';
import './styles/base.css';
import './styles/layout.css';
import './styles/threads.css';
import './styles/messages.css';
import './styles/trace.css';
import './styles/waterfall.css';
import './styles/dialogs.css';
import './styles/search.css';
import './styles/live.css';
import './styles/health.css';

const firstThreads = api.listThreads({});
// The app shows a failure once it renders; until then it is no unhandled rejection.
firstThreads.catch(() => {});
void import('./app/render-app.tsx').then(({ renderApp }) => renderApp(firstThreads));
