import type { HostHealth } from '../health/host-health';
import type { HandlerGroup } from '../router';

export function hostHandlers(
  info: { version: string; dataDir: string },
  health: HostHealth,
): HandlerGroup<'host.info' | 'host.checkDisk' | 'host.dismissFault'> {
  return {
    'host.info': (_input, connection) => ({ version: info.version, dataDir: info.dataDir, transport: connection.transport }),
    'host.checkDisk': () => health.checkDisk(),
    'host.dismissFault': ({ faultId }) => {
      health.dismiss(faultId);
      return {};
    },
  };
}
