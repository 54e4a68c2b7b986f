-- Appends one event to a channel and publishes it, atomically (one script, one round trip).
-- KEYS[1] meta hash, KEYS[2] log stream, KEYS[3] live pub/sub channel, optional KEYS[4] idempotency record;
-- all share the channel's hash tag.
-- ARGV[1] event name, ARGV[2] data JSON, ARGV[3] emit time (epoch ms), ARGV[4] retention (entries),
-- ARGV[5] TTL (seconds), ARGV[6] epoch to use when the channel has no history yet, ARGV[7] the publish command
-- (PUBLISH, or SPUBLISH on Redis Cluster), ARGV[8] idempotency window (seconds) and ARGV[9] request checksum,
-- both only with KEYS[4].
-- Returns {epoch, offset, replayed}: replayed is 1 when KEYS[4] already held a result, which is returned
-- unchanged and nothing is appended. A different request under the same key is an IDEMPOTENCY_CONFLICT error.
if KEYS[4] then
  local previous = redis.call('HMGET', KEYS[4], 'epoch', 'offset', 'checksum')
  if previous[1] then
    if previous[3] ~= ARGV[9] then
      return redis.error_reply('IDEMPOTENCY_CONFLICT the key was used for a different request')
    end
    return {previous[1], tonumber(previous[2]), 1}
  end
end
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  -- A new history: a stream left over from an expired meta hash belongs to an old epoch.
  epoch = ARGV[6]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'top', 0)
end
local offset = redis.call('HINCRBY', KEYS[1], 'top', 1)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], offset .. '-0',
  'event', ARGV[1], 'data', ARGV[2], 'emittedAt', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
if KEYS[4] then
  redis.call('HSET', KEYS[4], 'epoch', epoch, 'offset', offset, 'checksum', ARGV[9])
  redis.call('EXPIRE', KEYS[4], ARGV[8])
end
redis.call(ARGV[7], KEYS[3], epoch .. ' ' .. offset .. ' ' .. ARGV[3] .. ' ' .. ARGV[1] .. '\n' .. ARGV[2])
return {epoch, offset, 0}
