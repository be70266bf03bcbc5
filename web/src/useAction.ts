import { useState } from 'react';

/**
 * The state every form with a button needs: busy while the request runs, the error it ended with,
 * and a notice of what was done. `act` clears both, runs the work and keeps its error.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');

  async function act(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      await work();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, setError, notice, setNotice, act };
}
