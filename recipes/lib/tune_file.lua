-- recipes/lib/tune_file.lua: the per-scene parameters of one video, in the file next to it,
-- <video stem>.tune.lua: svd's options, and composition's `layout` and `overlays`:
--     return { all = {steps = 25}, [7] = {seed = 12}, [9] = {motion = 60, overlays = 'drop'} }
-- recipes/animate.lua reads it, recipes/tune.lua reads and writes it: one reader, so both take
-- the same file the same way.
local M = {}

-- episode.mp4 -> episode.tune.lua
function M.path_for(video)
  return (video:gsub("%.[^./]*$", "")) .. ".tune.lua"
end

-- The table the file returns, or nil when there is no such file. Read in an empty environment:
-- it is data, not code that may touch the session. With scene_count, every entry is checked
-- before anything is generated: a typo in scene 40 must not cost 39 scenes of work.
function M.read(path, scene_count)
  local f = io.open(path, "r")
  if not f then return nil end
  f:close()
  local chunk, err = loadfile(path, "t", {})
  if not chunk then error("tune file " .. err, 0) end
  local ok, t = pcall(chunk)
  if not ok or type(t) ~= "table" then
    error("tune file " .. path .. ": expected it to return a table like {all = {...}, [7] = {seed = 12}}", 0)
  end
  if scene_count then M.check(t, path, scene_count) end
  return t
end

-- Keys of a scene's entry that are composition's (animate.lua's compose), not svd's.
M.compose_options = {"layout", "overlays"}

-- Errors unless every key is 'all' or a scene number and every option is one svd or compose knows.
function M.check(t, path, scene_count)
  local known, names = {}, {}
  for _, name in ipairs(svd.options) do known[name] = true; names[#names + 1] = name end
  for _, name in ipairs(M.compose_options) do known[name] = true; names[#names + 1] = name end
  for key, o in pairs(t) do
    local where = key == "all" and "all" or ("[" .. tostring(key) .. "]")
    if key ~= "all" and not (math.type(key) == "integer" and key >= 1 and key <= scene_count) then
      error(("tune file %s: entry %s: expected 'all' or a scene number 1 to %d"):format(path, where, scene_count), 0)
    end
    if type(o) ~= "table" then error(("tune file %s: entry %s: expected a table of options"):format(path, where), 0) end
    for name in pairs(o) do
      if not known[name] then
        error(("tune file %s: entry %s: unknown option '%s' (known: %s)"):format(path, where, tostring(name),
          table.concat(names, ", ")), 0)
      end
    end
    M.check_compose(o, path, where)
  end
end

-- What a scene's motion source animates under a layout: the whole still ('full'), a rectangle
-- of it, or the picture layout analysis found (else the whole still). animate.lua and tune.lua
-- both ask here, so a clip tuned in one is the cached clip of the other.
function M.picture(s, layout)
  if layout == "full" then return s.image end
  if type(layout) == "table" then return (s.clean or s.image):crop(layout.x, layout.y, layout.w, layout.h) end
  return s.picture or s.image
end

-- layout is 'auto', 'full' or {x=, y=, w=, h=}; overlays 'keep' or 'drop'.
function M.check_compose(o, path, where)
  local l = o.layout
  if l ~= nil and l ~= "auto" and l ~= "full" and not (type(l) == "table" and math.type(l.x) == "integer"
      and math.type(l.y) == "integer" and math.type(l.w) == "integer" and math.type(l.h) == "integer") then
    error(("tune file %s: entry %s: layout: expected 'auto', 'full' or {x=, y=, w=, h=} in pixels"):format(path, where), 0)
  end
  if o.overlays ~= nil and o.overlays ~= "keep" and o.overlays ~= "drop" then
    error(("tune file %s: entry %s: overlays: expected 'keep' or 'drop'"):format(path, where), 0)
  end
end

return M
