import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadStartTexts } from './i18n.js';
import './styles.css';
import { App } from './App.js';

function render() {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

// the page is drawn once its texts are here; without them (the download failed) it still opens, showing keys
loadStartTexts().then(render, render);
