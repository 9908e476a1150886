// A render error anywhere in the page shows what happened and a Reload
// button instead of a blank window (issue 9, point 7).
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('The page failed to render:', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="state state-error page-crashed" role="alert" data-testid="page-crashed">
        <p className="state-title">Something in the page broke</p>
        <p className="state-body mono">{error.message || error.name}</p>
        <p className="state-body">The open source is not affected. Reloading shows it again.</p>
        <button type="button" className="primary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
