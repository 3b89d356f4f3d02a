import { plantOwnerHome } from '../../electron/test-support/owner-home-sentinels';
import { useScratchTmpdir } from '../../electron/test-support/scratch-tmpdir';

/** As under Vitest: workers and the hosts they start get a sentinel HOME, checked after the run, and one TMPDIR, removed after it. */
export default function setup() {
  const owner = plantOwnerHome();
  const removeTmpdir = useScratchTmpdir();
  return () => {
    owner.verify();
    removeTmpdir();
  };
}
