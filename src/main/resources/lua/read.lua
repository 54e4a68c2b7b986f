-- Reads a channel's epoch, top offset and a page of its log in one atomic step, so the entries
-- returned belong to the epoch returned.
-- KEYS[1] meta hash, KEYS[2] log stream. ARGV[1] first stream id, ARGV[2] last stream id or '+', ARGV[3] page size
-- (0 reads only the epoch and top).
-- Returns {epoch or false, top, entries}, where entries is the XRANGE reply.
local meta = redis.call('HMGET', KEYS[1], 'epoch', 'top')
local entries = {}
if meta[1] and tonumber(ARGV[3]) > 0 then
  entries = redis.call('XRANGE', KEYS[2], ARGV[1], ARGV[2], 'COUNT', ARGV[3])
end
return {meta[1], tonumber(meta[2] or '0'), entries}
