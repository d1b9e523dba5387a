export {
  createServerRegistry,
  type NamedServer,
  type ServerRegistry,
  type ServerRegistryOptions,
} from './servers/server-registry.ts';
export { type ServerTokenState, serverTokenState } from './servers/server-status.ts';
