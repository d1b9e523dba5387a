export { atomicReplace, createExclusive, syncDir, TMP_PREFIX } from './atomic-write.ts';
export {
  acquireFileLock,
  FileLockError,
  type FileLockFailure,
  type FileLockHolder,
  type FileLockRequest,
  type FileLockTakeover,
  type HeldFileLock,
} from './file-lock.ts';
export { hasSessionBus } from './has-session-bus.ts';
export { deriveKeys, keyedId, open, sameId, seal } from './record-cipher.ts';
export {
  homeDirectory,
  type Surroundings,
  userCacheDirectory,
  userDataDirectory,
  userRuntimeDirectory,
} from './user-directories.ts';
