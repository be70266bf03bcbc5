import { useState } from 'react';

/**
 * The state every form with a button needs: busy while the request runs, the error it ended with,
 * and a notice of what was done. `act` clears both, runs the work and keeps its error. Given
 * `reload`, a page's data is read again after each action that succeeded (in the same busy spell,
 * so an error while reading shows like the action's own).
 */
export function useAction(reload?: () => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');

  async function act(work: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      await work();
      if (reload) await reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, setError, notice, setNotice, act };
}
