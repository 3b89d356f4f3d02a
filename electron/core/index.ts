// Public surface of the core, implemented in core.ts.
export { createCore, type Core, type CoreOptions } from './core';
export type { Connection } from './connection';
