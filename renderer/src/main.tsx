import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client';
import { StoreContext } from './state/hooks';
import { AppStore } from './state/store';
import { BootShell } from './components/BootShell';
import './styles.css';

// The screens are a chunk of their own: React and the store evaluate in one task, the UI in the next, instead of one
// long task for the whole bundle before anything can paint.
const App = lazy(() => import('./App').then((m) => ({ default: m.App })));

const store = new AppStore(createClient());
// Its own task: evaluating the bundle is one long task already, and the first calls (four fetches) need not add to it.
setTimeout(() => void store.start(), 0);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <Suspense fallback={<BootShell />}>
        <App />
      </Suspense>
    </StoreContext.Provider>
  </StrictMode>,
);
