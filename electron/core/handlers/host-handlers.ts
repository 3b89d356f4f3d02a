import type { HandlerGroup } from '../router';

export function hostHandlers(info: { version: string; dataDir: string }): HandlerGroup<'host.info'> {
  return {
    'host.info': (_input, connection) => ({ version: info.version, dataDir: info.dataDir, transport: connection.transport }),
  };
}
