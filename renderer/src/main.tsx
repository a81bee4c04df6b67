import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createClient } from './api/client';
import { StoreContext } from './state/hooks';
import { AppStore } from './state/store';
import './styles.css';

const store = new AppStore(createClient());
// Its own task: evaluating the bundle is one long task already, and the first calls (four fetches) need not add to it.
setTimeout(() => void store.start(), 0);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
