import { plantOwnerHome } from '../../electron/test-support/owner-home-sentinels';

/** As under Vitest: workers and the hosts they start get a sentinel HOME, checked after the run. */
export default function setup() {
  const owner = plantOwnerHome();
  return () => owner.verify();
}
