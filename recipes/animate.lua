-- The whole pipeline: find the scenes of a static-image podcast video, give each scene's still
-- motion (svd with a model and the torch shim, else a Ken Burns pan/zoom), fit each clip to its
-- scene's exact length, join them and put the original audio back.
--
--   podcast-i2v run recipes/animate.lua INPUT.mp4 [OUTPUT.mp4] [--threshold T]
--                   [--strategy loop|pingpong|freeze|stretch] [--model DIR]
--                   [--device cpu|cuda] [--dtype fp32|fp16|bf16] [--steps N] [--tune FILE]
--
-- The output defaults to <input stem>_animated.mp4 next to the input.
--
-- With --model, per-scene SVD parameters come from a Lua file next to the video,
-- <input stem>.tune.lua (or --tune FILE):
--     return { all = {steps = 25}, [7] = {seed = 12}, [9] = {motion = 60} }
-- Every generated clip is cached by content, so after changing scene 7's seed a re-run
-- generates scene 7 only; the recipe says which scenes came from the cache.

-- recipes/lib/ (found beside the recipe by `run` and `:load`) holds the modules recipes share.
local tune_file = require("tune_file")

local usage = "usage: podcast-i2v run recipes/animate.lua INPUT.mp4 [OUTPUT.mp4] [--threshold T] "
  .. "[--strategy loop|pingpong|freeze|stretch] [--model DIR] [--device D] [--dtype T] [--steps N] [--tune FILE]"

local input, output, model, tune_path
local load_opts, steps = {}, nil
local threshold, strategy = 30, "pingpong"
local i = 1
while i <= #arg do
  local a = arg[i]
  local function value()
    local v = arg[i + 1]
    if v == nil then error(a .. " needs a value\n" .. usage, 0) end
    i = i + 2
    return v
  end
  if a == "--threshold" then
    local v = value()
    threshold = tonumber(v) or error("--threshold: expected a number, got '" .. v .. "'", 0)
  elseif a == "--strategy" then
    strategy = value()
    local ok = {loop = true, pingpong = true, freeze = true, stretch = true}
    if not ok[strategy] then error("--strategy: expected loop, pingpong, freeze or stretch, got '" .. strategy .. "'", 0) end
  elseif a == "--model" then
    model = value()
  elseif a == "--device" or a == "--dtype" then
    load_opts[a:sub(3)] = value()
  elseif a == "--steps" then
    local v = value()
    steps = math.tointeger(tonumber(v)) or error("--steps: expected a whole number, got '" .. v .. "'", 0)
  elseif a == "--tune" then
    tune_path = value()
  elseif a == "-h" or a == "--help" then
    print(usage)
    return
  elseif a:sub(1, 2) == "--" then
    error("unknown option " .. a .. "\n" .. usage, 0)
  elseif not input then
    input, i = a, i + 1
  elseif not output then
    output, i = a, i + 1
  else
    error("too many arguments\n" .. usage, 0)
  end
end
if not input then error(usage, 0) end
output = output or (input:gsub("%.[^./]*$", "") .. "_animated.mp4")

local v = open(input)
print("input   " .. tostring(v))
local scenes = detect(v, {threshold = threshold})
print(("scenes  %d (threshold %g)"):format(#scenes, threshold))

-- The motion source: svd when asked for and the shim is there, else kenburns.
local motion, how = nil, "kenburns"
local generated, cached_count = 0, 0
if model then
  local ok, m = pcall(svd.load, model, load_opts)
  if ok then
    print("model   " .. tostring(m))
    local path = tune_path or tune_file.path_for(input)
    local tune = tune_file.read(path, #scenes)
    if tune then
      print("tune    " .. path)
    elseif tune_path then
      error("--tune: cannot open " .. tune_path, 0)
    end
    tune = tune or {}
    motion, how = function(s)
      local o = {seed = s.index, steps = steps, label = ("scene %d/%d"):format(s.index, #scenes)}
      for k, val in pairs(tune.all or {}) do o[k] = val end
      for k, val in pairs(tune[s.index] or {}) do o[k] = val end
      local gen_ok, c, cached = pcall(m.generate, m, s.image, o)
      if not gen_ok then error(("scene %d: %s"):format(s.index, tostring(c)), 0) end
      if cached then cached_count = cached_count + 1 else generated = generated + 1 end
      return c, cached and "svd (cached)" or "svd"
    end, "svd"
  elseif m.kind == "shim_missing" then
    print("svd     no usable torch shim (scripts/build-torch-shim makes it): using kenburns")
  else
    error(tostring(m), 0)
  end
end
motion = motion or function(s)
  local c = kenburns(s.image, {seconds = s.duration, seed = s.index, fps = v.fps})
  return c, tostring(c):match("kenburns[^·]*") or "kenburns"
end

local parts = {}
for _, s in ipairs(scenes) do
  local c, what = motion(s)
  parts[#parts + 1] = pad(c, s.duration, strategy)
  print(("scene %3d  %8.3f s → %8.3f s  (%6.2f s)  %s · %s"):format(s.index, s.start, s.stop, s.duration, what, strategy))
end
if how == "svd" then
  print(("svd     %d clips generated, %d from the cache (%s)"):format(generated, cached_count, cache.dir()))
end

local r = mux(concat(parts), v, output)
print(("output  %s · %dx%d · %d frames · %.2f s · audio %s · %.1f s to render"):format(
  r.path, r.width, r.height, r.frames, r.duration, r.audio, r.seconds))
