import { script } from './connection.ts';

// Every script touches keys of one namespace only, which share a hash tag and so one
// cluster slot. The list script also reads record keys it is not given in KEYS (it learns
// their ids from the index); they are in the same slot, so this holds on a cluster too.

/** KEYS: record, index. ARGV: value, id, sealed key, PXAT or ''. Record and index entry together. */
export const SET_RECORD = script(`
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[1])
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 1
`);

/** KEYS: record, index. ARGV: id. Returns how many records were removed (0 or 1). */
export const DELETE_RECORD = script(`
local n = redis.call('DEL', KEYS[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return n
`);

/**
 * KEYS: index. ARGV: cursor, record key prefix, count. One page of the index:
 * { next cursor, id, sealed key, id, sealed key, ... } for records that exist; entries whose
 * record expired (TTL) are removed on the way.
 */
export const LIST_PAGE = script(`
local page = redis.call('HSCAN', KEYS[1], ARGV[1], 'COUNT', ARGV[3])
local out = { page[1] }
local entries = page[2]
for i = 1, #entries, 2 do
  if redis.call('EXISTS', ARGV[2] .. entries[i]) == 1 then
    out[#out + 1] = entries[i]
    out[#out + 1] = entries[i + 1]
  else
    redis.call('HDEL', KEYS[1], entries[i])
  end
end
return out
`);

/** KEYS: check. ARGV: sealed check. Writes it if absent; returns the one in place. */
export const KEY_CHECK = script(`
redis.call('SET', KEYS[1], ARGV[1], 'NX')
return redis.call('GET', KEYS[1])
`);

/**
 * KEYS: lock. ARGV: token, ttl ms. SET NX PX: returns -3 when acquired, else the
 * remaining PTTL of the holder's lease (-2: it just expired).
 */
export const ACQUIRE = script(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return -3 end
return redis.call('PTTL', KEYS[1])
`);

/** KEYS: lock. ARGV: token. Compare-and-delete: only the holder frees its lock. */
export const RELEASE = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** KEYS: lock. ARGV: token, ttl ms. Compare-and-pexpire: only the holder extends its lease. */
export const EXTEND = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);
