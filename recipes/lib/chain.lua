-- recipes/lib/chain.lua: a long scene from chained generations. Each further segment starts
-- from the previous segment's last frame with its own seed, and the segments are joined by a
-- short cross-fade: one continuous shot instead of one clip replayed. Every segment is its own
-- cache entry (its still is the previous segment's last frame, its seed derived from the
-- scene's), so a re-run generates nothing and changing a scene regenerates that scene's chain.
local M = {}

-- The seed of segment k of a scene seeded `seed` (k = 0 is the scene's own): a large odd step,
-- so segment seeds never meet the small seeds scenes are given.
function M.seed(seed, k) return seed + 100003 * k end

-- A clip covering `seconds`: `first`, then generate(last_frame, k) for k = 1, 2, ... Each
-- segment goes through `opts.smooth` (e.g. up-conversion, cached per segment) before the
-- join; `opts.overlap` frames per join (default a quarter second, at most a third of a segment).
-- Returns the clip and how many segments it took.
function M.extend(first, seconds, generate, opts)
  opts = opts or {}
  local smooth = opts.smooth or function(c) return c end
  local last_raw = first
  local parts = {smooth(first)}
  local fps = parts[1].fps
  local overlap = opts.overlap or math.max(1, math.floor(fps / 4 + 0.5))
  overlap = math.min(overlap, parts[1].frames // 3)
  local covered = parts[1].frames
  local limit = opts.max_segments or 100
  while covered / fps < seconds do
    if #parts >= limit then
      error(("chain: %d segments cover only %.2f of %.2f s"):format(#parts, covered / fps, seconds), 0)
    end
    local c = generate(last_raw:frame(-1), #parts)
    last_raw = c
    local s = smooth(c)
    parts[#parts + 1] = s
    covered = covered + s.frames - overlap
  end
  if #parts == 1 then return parts[1], 1 end
  return crossfade(parts, {frames = overlap}), #parts
end

return M
