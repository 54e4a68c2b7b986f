-- Appends one event to a channel and publishes it, atomically (one script, one round trip).
-- KEYS[1] meta hash, KEYS[2] log stream, KEYS[3] live pub/sub channel; all share the channel's hash tag.
-- ARGV[1] event name, ARGV[2] data JSON, ARGV[3] emit time (epoch ms), ARGV[4] retention (entries),
-- ARGV[5] TTL (seconds), ARGV[6] epoch to use when the channel has no history yet.
-- Returns {epoch, offset}.
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
redis.call('PUBLISH', KEYS[3], epoch .. ' ' .. offset .. ' ' .. ARGV[3] .. ' ' .. ARGV[1] .. '\n' .. ARGV[2])
return {epoch, offset}
