import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadStartTexts } from './i18n.js';
import './styles.css';
import { App } from './App.js';

const root = document.getElementById('root')!;
// The page renders at once, so its own script and its first request start while the texts are still
// on their way, but stays hidden until they are here: no bare keys on screen. Should the texts fail to
// come (the download failed), it is shown anyway.
root.style.visibility = 'hidden';
const show = () => root.style.removeProperty('visibility');
loadStartTexts().then(show, show);

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
