-- recipes/lib/review_page.lua: the episode review page of a batch run (the `review` primitive),
-- <output stem>_review.html beside the output with its media in <output stem>_review/: one card
-- per scene with its clip looping, what made it, and the tune file line that re-rolls it.
local M = {}

-- episode_animated.mp4 -> episode_animated_review.html
function M.path_for(output)
  return (output:gsub("%.[^./]*$", "")) .. "_review.html"
end

-- A Lua value as it reads in a tune file: strings quoted, tables with sorted keys.
local function literal(v)
  if type(v) == "string" then return ("%q"):format(v) end
  if type(v) ~= "table" then return tostring(v) end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  local parts = {}
  for _, k in ipairs(keys) do
    local key = type(k) == "string" and k:match("^[%a_][%w_]*$") and k or ("[" .. literal(k) .. "]")
    parts[#parts + 1] = key .. " = " .. literal(v[k])
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end
M.literal = literal

-- The tune file line that re-rolls scene `index`: its own entry as it is, with the next seed.
function M.reroll(index, own, seed)
  local entry = {}
  for k, val in pairs(own or {}) do entry[k] = val end
  entry.seed = (seed or index) + 1
  return ("[%d] = %s,"):format(index, literal(entry))
end

-- One card's entry for `review`: the clip, its motion source and parameters, whether it came
-- from the cache (nil: no cache), and the scene's own tune entry (the re-roll line keeps it).
function M.entry(s, clip, motion, params, cached, own)
  local shown = {}
  for k, val in pairs(params or {}) do if k ~= "label" then shown[k] = val end end
  params = shown
  return {clip = clip, motion = motion, params = params, cached = cached,
          reroll = M.reroll(s.index, own, math.tointeger(params.seed))}
end

-- Writes the page for `output`; `info` is the header's {{name, value}, ...}.
function M.write(scenes, entries, output, info)
  local path = M.path_for(output)
  local title = (output:match("([^/]*)$"):gsub("%.[^.]*$", ""))
  return review(scenes, entries, path, {title = title, info = info})
end

return M
