import { Component, Suspense, type ReactNode } from 'react';

interface LoadBoundaryState {
  failed: boolean;
}

/**
 * Around code the board loads on demand: a part that cannot be fetched (the host was upgraded and its old
 * files are gone, the connection dropped mid-load) says so in words and offers a reload, instead of React
 * unmounting the whole page and leaving it blank.
 */
export class LoadBoundary extends Component<{ children: ReactNode; what: string; fallback?: ReactNode }, LoadBoundaryState> {
  override state: LoadBoundaryState = { failed: false };

  static getDerivedStateFromError(): LoadBoundaryState {
    return { failed: true };
  }

  override render() {
    if (this.state.failed) {
      return (
        <div role="alert" className="error load-failed">
          <p>{this.props.what} could not be loaded. The board may have been updated since this page opened.</p>
          <button type="button" onClick={() => window.location.reload()}>
            Reload the board
          </button>
        </div>
      );
    }
    return <Suspense fallback={this.props.fallback ?? null}>{this.props.children}</Suspense>;
  }
}
