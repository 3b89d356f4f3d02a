import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { connectToHost } from './bridge/connect';
import { BridgeProvider } from './bridge/context';
import { createQueryClient } from './data/queries';
import { loadXterm } from './terminal/load-xterm';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const connection = connectToHost();
const queryClient = createQueryClient();

createRoot(root).render(
  <StrictMode>
    <BridgeProvider connection={connection}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </BridgeProvider>
  </StrictMode>,
);

// The first pane opens without waiting for xterm's chunk: it is fetched once the board is idle.
requestIdleCallback(() => void loadXterm().catch(() => undefined));
