import { useEffect } from 'react';
import { useSession } from './stores/session';
import { CreateVault } from './screens/CreateVault';
import { RecoveryCode } from './screens/RecoveryCode';
import { Unlock } from './screens/Unlock';
import { Workspace } from './screens/Workspace';
import { OpenBundle } from './screens/review/OpenBundle';
import { useBundleOpening } from './stores/bundle-opening';

/**
 * The lock screen whenever the vault is locked; the workspace only while it is open, or while a
 * bundle is open for review (read-only).
 */
export function App() {
  const state = useSession((s) => s.state);
  const recoveryCode = useSession((s) => s.recoveryCode);
  const pending = useSession((s) => s.recoveryCodePending);
  const refresh = useSession((s) => s.refresh);
  const openingBundle = useBundleOpening((s) => s.shown);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  if (state === 'starting') {
    return (
      <main className="centered" aria-busy="true">
        <p>Opening Dossier…</p>
      </main>
    );
  }
  // Until the recovery code is confirmed, nothing else: main refuses the rest anyway.
  if (recoveryCode || (pending && state === 'unlocked'))
    return <RecoveryCode code={recoveryCode} />;
  // "Open an evidence bundle for review", offered beside Create and Unlock.
  if (openingBundle && (state === 'no-vault' || state === 'locked')) return <OpenBundle />;
  if (state === 'no-vault') return <CreateVault />;
  if (state === 'locked') return <Unlock />;
  return <Workspace />;
}
