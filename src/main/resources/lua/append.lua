-- Appends one event to a channel and publishes it, atomically (one script, one round trip).
-- KEYS[1] meta hash, KEYS[2] log stream, optional KEYS[3] idempotency record; all share the channel's hash tag.
-- ARGV[1] event name, ARGV[2] data JSON, ARGV[3] emit time (epoch ms), ARGV[4] retention (entries),
-- ARGV[5] TTL (seconds), ARGV[6] epoch to use when the channel has no history yet.
-- ARGV[7] publish command (PUBLISH, or SPUBLISH on Redis Cluster), ARGV[8] live pub/sub channel.
-- ARGV[9] idempotency window (seconds) and ARGV[10] request checksum, both only with KEYS[3].
-- The live channel is an argument, not a key: it never exists as a key, so declaring it would make a cluster
-- node answer TRYAGAIN for the whole time the channel's slot migrates. SPUBLISH accepts it because it has the
-- same hash tag as the keys, so it hashes to the slot of the node that runs the script.
-- Returns {epoch, offset, replayed}: replayed is 1 when KEYS[3] already held a result, which is returned
-- unchanged and nothing is appended. A different request under the same key is an IDEMPOTENCY_CONFLICT error.
if KEYS[3] then
  local previous = redis.call('HMGET', KEYS[3], 'epoch', 'offset', 'checksum')
  if previous[1] then
    if previous[3] ~= ARGV[10] then
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
if KEYS[3] then
  redis.call('HSET', KEYS[3], 'epoch', epoch, 'offset', offset, 'checksum', ARGV[10])
  redis.call('EXPIRE', KEYS[3], ARGV[9])
end
redis.call(ARGV[7], ARGV[8], epoch .. ' ' .. offset .. ' ' .. ARGV[3] .. ' ' .. ARGV[1] .. '\n' .. ARGV[2])
return {epoch, offset, 0}
