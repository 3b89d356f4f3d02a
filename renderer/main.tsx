import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { connectToHost } from './bridge/connect';
import { BridgeProvider } from './bridge/context';
import { createQueryClient } from './data/queries';

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
