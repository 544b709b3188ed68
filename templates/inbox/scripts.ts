/**
 * The inbox's Lua scripts. Each runs atomically in Redis, so a crash (of the
 * process or of Redis, with an append-only file) never leaves half of one
 * behind: an event is marked seen exactly when it is appended, and an entry
 * is acknowledged exactly when it is deleted or dead-lettered.
 */

/**
 * Appends the events that were not seen within the dedupe window.
 * KEYS: stream, then one seen-marker key per event.
 * ARGV: dedupe window in ms (0: no dedupe), then per event: id, conversation, event JSON.
 * Returns one 1 (appended) or 0 (a redelivery) per event.
 */
export const APPEND = `
local window = tonumber(ARGV[1])
local flags = {}
for i = 2, #KEYS do
  local at = (i - 2) * 3 + 2
  local fresh = true
  if window > 0 then
    fresh = redis.call('SET', KEYS[i], '1', 'PX', window, 'NX') ~= false
  end
  if fresh then
    redis.call('XADD', KEYS[1], '*', 'id', ARGV[at], 'conversation', ARGV[at + 1], 'event', ARGV[at + 2])
    flags[#flags + 1] = 1
  else
    flags[#flags + 1] = 0
  end
end
return flags`;

/**
 * Acknowledges handled entries and deletes them, with their failure records.
 * KEYS: stream, failures hash. ARGV: group, then entry ids.
 */
export const ACKNOWLEDGE = `
for i = 2, #ARGV do
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[i])
  redis.call('XDEL', KEYS[1], ARGV[i])
  redis.call('HDEL', KEYS[2], ARGV[i], ARGV[i] .. ':attempts')
end
return #ARGV - 1`;

/**
 * Moves one entry to the dead-letter stream with its last error, if this
 * consumer still holds it.
 * KEYS: stream, dead-letter stream, failures hash.
 * ARGV: group, consumer, entry id, event id, conversation, event JSON, error, attempts, deliveries.
 * Returns 1 when moved, 0 when another consumer holds the entry now.
 */
export const DEAD_LETTER = `
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if #pending == 0 or pending[1][2] ~= ARGV[2] then return 0 end
redis.call('XADD', KEYS[2], '*', 'entry', ARGV[3], 'id', ARGV[4], 'conversation', ARGV[5], 'event', ARGV[6],
  'error', ARGV[7], 'attempts', ARGV[8], 'deliveries', ARGV[9])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
redis.call('XDEL', KEYS[1], ARGV[3])
redis.call('HDEL', KEYS[3], ARGV[3], ARGV[3] .. ':attempts')
return 1`;

/**
 * Records a failed attempt and sets the entry's idle time so that it can be
 * claimed again after the retry delay, if this consumer still holds it.
 * The caller names the attempt it records, so that the same call sent again
 * (a Redis client resends what a lost connection left unanswered) counts once.
 * KEYS: stream, failures hash.
 * ARGV: group, consumer, entry id, error, idle ms to set, attempt number.
 * Returns the number of failed attempts so far, or 0 when another consumer holds the entry now.
 */
export const RECORD_FAILURE = `
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if #pending == 0 or pending[1][2] ~= ARGV[2] then return 0 end
local counter = ARGV[3] .. ':attempts'
local attempts = tonumber(ARGV[6])
local recorded = tonumber(redis.call('HGET', KEYS[2], counter) or '0')
if attempts > recorded then
  redis.call('HSET', KEYS[2], counter, attempts, ARGV[3], ARGV[4])
else
  attempts = recorded
end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'IDLE', ARGV[5], 'JUSTID')
return attempts`;

/**
 * Resets the idle time of the entries this consumer still holds, so that no
 * other consumer claims them while their handler runs.
 * KEYS: stream. ARGV: group, consumer, then entry ids.
 */
export const HEARTBEAT = `
local renewed = 0
for i = 3, #ARGV do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if #pending > 0 and pending[1][2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
    renewed = renewed + 1
  end
end
return renewed`;

/**
 * Puts a dead letter back on the stream as a new entry, with a fresh count.
 * KEYS: stream, dead-letter stream. ARGV: dead-letter id.
 * Returns the new entry id, or false when there is no such dead letter.
 */
export const REQUEUE = `
local found = redis.call('XRANGE', KEYS[2], ARGV[1], ARGV[1])
if #found == 0 then return false end
local fields = found[1][2]
local values = {}
for i = 1, #fields, 2 do values[fields[i]] = fields[i + 1] end
local id = redis.call('XADD', KEYS[1], '*', 'id', values['id'], 'conversation', values['conversation'], 'event', values['event'])
redis.call('XDEL', KEYS[2], ARGV[1])
return id`;
