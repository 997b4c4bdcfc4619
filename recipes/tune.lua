-- recipes/tune.lua: re-roll the scenes that came out badly, without reloading the model and
-- without generating the other scenes again (they come from the clip cache).
--
-- In the REPL:
--   :load recipes/tune.lua
--   tune.start("episode.mp4", "models/svd-xt", {device = "cuda", dtype = "fp16"})
--   tune.scene(7, {seed = 12})    -- generates scene 7 again and previews it
--   tune.all({motion = 100})      -- parameters for every scene
--   tune.render()                 -- episode_animated.mp4; unchanged scenes are cache hits
--   tune.save()                   -- episode.tune.lua, which recipes/animate.lua reads
--
-- As a recipe (the same flow in one go, for scripts):
--   podcast-i2v run recipes/tune.lua INPUT.mp4 MODEL_DIR [N=SEED ...] [--steps N]
--       [--width W --height H] [--device D] [--dtype T] [--out OUTPUT.mp4]

-- recipes/lib/ (found beside the recipe by `run` and `:load`) holds the modules recipes share.
local tune_file = require("tune_file")

tune = tune or {}

local function stem_of(path) return (path:gsub("%.[^./]*$", "")) end

-- The side file next to the video (see recipes/lib/tune_file.lua); {} when there is none.
function tune.read(path, scene_count)
  return tune_file.read(path, scene_count) or {}
end

local function serialize(t, indent)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) == type(b) then return a < b end
    return type(a) == "string"
  end)
  local out = {"{"}
  for _, k in ipairs(keys) do
    local v = t[k]
    local key = type(k) == "number" and ("[" .. k .. "]") or k
    local value = type(v) == "table" and serialize(v, indent .. "  ") or string.format("%q", v)
    out[#out + 1] = indent .. "  " .. key .. " = " .. value .. ","
  end
  out[#out + 1] = indent .. "}"
  return table.concat(out, "\n")
end

-- The options of scene n: seed n (as recipes/animate.lua does), the defaults, then `all`, then
-- the scene's own.
function tune.options(n)
  local o = {seed = n}
  for k, v in pairs(tune.defaults or {}) do o[k] = v end
  for k, v in pairs(tune.overrides.all or {}) do o[k] = v end
  for k, v in pairs(tune.overrides[n] or {}) do o[k] = v end
  o.label = string.format("scene %d/%d", n, #tune.scenes)
  o.layout, o.overlays = nil, nil   -- composition's, not svd's
  return o
end

local function generate(n)
  local own, all = tune.overrides[n] or {}, tune.overrides.all or {}
  local layout = own.layout or all.layout
  local clip, cached = svd(tune_file.picture(tune.scenes[n], layout), tune.options(n))
  tune.clips[n] = clip
  return clip, cached
end

-- Detects the scenes, loads the model (once per session) and generates every scene.
function tune.start(video, model_dir, load_opts, defaults)
  tune.video = open(video)
  tune.model = svd.load(model_dir, load_opts)
  tune.scenes = detect(tune.video)
  tune.side = tune_file.path_for(video)
  tune.overrides = tune.read(tune.side, #tune.scenes)
  tune.defaults = defaults or {}
  tune.clips = {}
  local hits = 0
  for n = 1, #tune.scenes do
    local _, cached = generate(n)
    if cached then hits = hits + 1 end
  end
  print(string.format("tune: %d scenes, %d generated, %d from the cache", #tune.scenes, #tune.scenes - hits, hits))
  return tune.scenes
end

local function need_start()
  if not tune.scenes then error("tune: call tune.start(video, model_dir) first", 0) end
end

-- Changes scene n's parameters and generates it again (only it); previews it on a terminal.
function tune.scene(n, opts)
  need_start()
  if not tune.scenes[n] then error(("tune.scene: no scene %s (1 to %d)"):format(tostring(n), #tune.scenes), 0) end
  tune.overrides[n] = tune.overrides[n] or {}
  for k, v in pairs(opts or {}) do tune.overrides[n][k] = v end
  local clip, cached = generate(n)
  print(("scene %d: %s"):format(n, cached and "from the cache" or "generated"))
  if tune.preview ~= false then clip:preview() end
  return clip
end

-- Parameters for every scene (a scene's own override still wins).
function tune.all(opts)
  need_start()
  tune.overrides.all = tune.overrides.all or {}
  for k, v in pairs(opts or {}) do tune.overrides.all[k] = v end
end

-- Every scene (the unchanged ones from the cache), fitted to its scene and muxed with the audio.
function tune.render(out, strategy)
  need_start()
  out = out or (stem_of(tune.video.path) .. "_animated.mp4")
  local parts, hits = {}, 0
  for n, scene in ipairs(tune.scenes) do
    local clip, cached = generate(n)
    if cached then hits = hits + 1 end
    -- Up-converted as animate.lua does (mci, cached), so both render the same episode.
    parts[n] = pad((clip:at_fps(tune.video.fps)), scene.duration, strategy or "pingpong")
  end
  mux(concat(parts), tune.video, out)
  print(string.format("tune: wrote %s (%d scenes, %d generated, %d from the cache)", out, #parts, #parts - hits, hits))
  return out
end

-- Writes the overrides next to the video, where recipes/animate.lua finds them.
function tune.save(path)
  need_start()
  path = path or tune.side
  local tmp = path .. ".tmp"
  local f = assert(io.open(tmp, "w"))
  f:write("-- per-scene SVD parameters for ", tune.video.path, " (recipes/animate.lua reads this)\n")
  -- The session's defaults go under `all`, so that animate.lua makes the very same clips.
  local saved = {}
  for k, v in pairs(tune.overrides) do saved[k] = v end
  saved.all = {}
  for k, v in pairs(tune.defaults or {}) do saved.all[k] = v end
  for k, v in pairs(tune.overrides.all or {}) do saved.all[k] = v end
  if next(saved.all) == nil then saved.all = nil end
  f:write("return ", serialize(saved, ""), "\n")
  f:close()
  assert(os.rename(tmp, path))
  print("tune: saved " .. path)
  return path
end

-- Run as a recipe: `run recipes/tune.lua INPUT MODEL 7=12 --steps 2 ...`
if arg and arg[0] and arg[0]:match("tune%.lua$") and select("#", ...) > 0 then
  local args = {...}
  local input, model = args[1], args[2]
  if not input or not model then
    error("usage: podcast-i2v run recipes/tune.lua INPUT.mp4 MODEL_DIR [N=SEED ...] [--steps N] [--width W --height H] [--device D] [--dtype T] [--out OUT.mp4]", 0)
  end
  local load_opts, defaults, seeds, out = {}, {}, {}, nil
  local i = 3
  while i <= #args do
    local a = args[i]
    local n, seed = a:match("^(%d+)=(%d+)$")
    if n then
      seeds[tonumber(n)] = tonumber(seed)
    elseif a == "--device" or a == "--dtype" then
      load_opts[a:sub(3)] = args[i + 1]; i = i + 1
    elseif a == "--steps" or a == "--width" or a == "--height" or a == "--frames" or a == "--motion" then
      defaults[a:sub(3)] = tonumber(args[i + 1]) or error("tune: " .. a .. " expects a number", 0); i = i + 1
    elseif a == "--out" then
      out = args[i + 1]; i = i + 1
    else
      error("tune: unknown argument '" .. a .. "' (expected N=SEED, --steps, --width, --height, --frames, --motion, --device, --dtype, --out)", 0)
    end
    i = i + 1
  end
  tune.preview = false
  tune.start(input, model, load_opts, defaults)
  for n, seed in pairs(seeds) do tune.scene(n, {seed = seed}) end
  tune.render(out)
  if next(seeds) then tune.save() end
end
