-- The whole pipeline: find the scenes of a static-image podcast video, give each scene's still
-- motion (svd with a model and the torch shim, else a Ken Burns pan/zoom), fit each clip to its
-- scene's exact length, join them and put the original audio back.
--
-- Each scene's frame stays the source's: the motion source animates the scene's picture alone
-- (s.picture, when layout analysis found one), and compose puts it back inside the source's bars
-- or fill, with the source's captions and logos over it at their own frames. `--layout full`
-- animates the whole frame instead (the pipeline before composition, output for output);
-- `--overlays drop` leaves the captions out.
--
--   podcast-i2v run recipes/animate.lua INPUT.mp4 [OUTPUT.mp4] [--threshold T]
--                   [--strategy loop|pingpong|freeze|stretch|loop_xfade|chain] [--model DIR]
--                   [--device cpu|cuda] [--dtype fp32|fp16|bf16] [--steps N] [--tune FILE]
--                   [--layout auto|full] [--overlays keep|drop] [--transitions on|off] [--shard I/N]
--                   [--interpolate mci|minterpolate|blend|none] [--motion NAME | --motion-cmd 'TOOL {in} {out} {seconds}']
--                   [--motion-timeout SECONDS]
--
-- Motion: --motion NAME uses recipes/motion/NAME.lua (svd, the default with --model; kenburns,
-- the default without), --motion-cmd an external command per scene (see recipes/lib/motion.lua).
-- Clips slower than the episode (SVD's 7 fps) are up-converted by --interpolate (default mci:
-- motion-compensated, cached) before padding. --strategy chain (SVD) continues a clip with
-- further generations until the scene is covered; loop_xfade loops with a cross-faded seam.
--
-- The source's dissolves and fades are kept (--transitions off: PySceneDetect's hard cuts only):
-- detect finds them, and concat cross-fades the two scenes' clips over the very same frames.
-- The output defaults to <input stem>_animated.mp4 next to the input.
--
-- Per-scene parameters come from a Lua file next to the video, <input stem>.tune.lua (or
-- --tune FILE): SVD's (with --model) and, for any motion source, `layout` ('auto', 'full' or
-- {x=, y=, w=, h=}, the picture in source pixels) and `overlays` ('keep' or 'drop'):
--     return { all = {steps = 25}, [7] = {seed = 12}, [9] = {motion = 60, layout = 'full'} }
-- Every generated clip is cached by content, so after changing scene 7's seed a re-run
-- generates scene 7 only; the recipe says which scenes came from the cache. The model's weights
-- load at the first clip the cache does not have: a run served by the cache never loads them.
--
-- `--shard I/N` (with --model): generate only this shard's share of the scenes that are not
-- cached yet, into the cache, and make no output (recipes/lib/shard.lua says how scenes are
-- split); the same command without --shard afterwards finds every clip cached and assembles.

-- recipes/lib/ (found beside the recipe by `run` and `:load`) holds the modules recipes share.
local tune_file = require("tune_file")
local review_page = require("review_page")
local shard_lib = require("shard")
local motion_lib = require("motion")
local started = os.time()

local usage = "usage: podcast-i2v run recipes/animate.lua INPUT.mp4 [OUTPUT.mp4] [--threshold T] "
  .. "[--strategy loop|pingpong|freeze|stretch|loop_xfade|chain] [--model DIR] [--device D] [--dtype T] [--steps N] [--tune FILE] "
  .. "[--layout auto|full] [--overlays keep|drop] [--transitions on|off] [--shard I/N] [--interpolate mci|minterpolate|blend|none] "
  .. "[--motion NAME] [--motion-cmd 'TOOL {in} {out} {seconds}'] [--motion-timeout S]"

local input, output, model, tune_path
local load_opts, steps = {}, nil
local threshold, strategy = 30, "pingpong"
local layout, overlays = "auto", "keep"
local transitions = true
local shard, check_only
local interpolate, motion_name, motion_cmd_line, motion_timeout = "mci", nil, nil, 600
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
    local ok = {loop = true, pingpong = true, freeze = true, stretch = true, loop_xfade = true, chain = true}
    if not ok[strategy] then
      error("--strategy: expected loop, pingpong, freeze, stretch, loop_xfade or chain, got '" .. strategy .. "'", 0)
    end
  elseif a == "--interpolate" then
    interpolate = value()
    local ok = {mci = true, minterpolate = true, blend = true, none = true}
    if not ok[interpolate] then error("--interpolate: expected mci, minterpolate, blend or none, got '" .. interpolate .. "'", 0) end
  elseif a == "--motion" then
    motion_name = value()
  elseif a == "--motion-cmd" then
    motion_cmd_line = value()
  elseif a == "--motion-timeout" then
    local v = value()
    motion_timeout = tonumber(v) or error("--motion-timeout: expected seconds, got '" .. v .. "'", 0)
  elseif a == "--model" then
    model = value()
  elseif a == "--device" or a == "--dtype" then
    load_opts[a:sub(3)] = value()
  elseif a == "--steps" then
    local v = value()
    steps = math.tointeger(tonumber(v)) or error("--steps: expected a whole number, got '" .. v .. "'", 0)
  elseif a == "--tune" then
    tune_path = value()
  elseif a == "--layout" then
    layout = value()
    if layout ~= "auto" and layout ~= "full" then error("--layout: expected auto or full, got '" .. layout .. "'", 0) end
  elseif a == "--overlays" then
    overlays = value()
    if overlays ~= "keep" and overlays ~= "drop" then error("--overlays: expected keep or drop, got '" .. overlays .. "'", 0) end
  elseif a == "--transitions" then
    local t = value()
    if t ~= "on" and t ~= "off" then error("--transitions: expected on or off, got '" .. t .. "'", 0) end
    transitions = t == "on"
  elseif a == "--shard" then
    shard = shard_lib.parse(value())
  elseif a == "--check" then  -- batch.lua and scripts/slurm-submit: the options are checked, nothing runs
    check_only, i = true, i + 1
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
if shard and not model then error("--shard needs --model: only svd clips are cached, so there is nothing to share", 0) end
if motion_name and motion_cmd_line then error("--motion and --motion-cmd: expected one of them", 0) end
if check_only then return {checked = true} end
output = output or (input:gsub("%.[^./]*$", "") .. "_animated.mp4")

local v = open(input)
print("input   " .. tostring(v))
local scenes = detect(v, {threshold = threshold, transitions = transitions})
print(("scenes  %d (threshold %g)"):format(#scenes, threshold))
local joins = {}
for k = 2, #scenes do joins[k - 1] = scenes[k].transition_in end

-- The per-scene tune file, read before anything is generated.
local tune_at = tune_path or tune_file.path_for(input)
local tune = tune_file.read(tune_at, #scenes)
if tune then
  print("tune    " .. tune_at)
elseif tune_path then
  error("--tune: cannot open " .. tune_path, 0)
end
tune = tune or {}

-- A scene's value of a tune key that is not svd's: the scene's own, else all's, else `default`.
local function tuned(s, key, default)
  local own, all = tune[s.index] or {}, tune.all or {}
  if own[key] ~= nil then return own[key] end
  if all[key] ~= nil then return all[key] end
  return default
end

-- A scene's layout: --layout full is the pipeline before composition for every scene, whatever
-- the tune file says; otherwise the tune file's, else 'auto'.
local function scene_layout(s)
  if layout == "full" then return "full" end
  return tuned(s, "layout", layout)
end

local function motion_image(s) return tune_file.picture(s, scene_layout(s)) end

-- The motion source: --motion-cmd, else --motion NAME, else svd with --model, else kenburns.
-- The model's weights load lazily: at the first clip the cache does not have.
local motion, how
load_opts.lazy = true
if motion_cmd_line then
  motion, how = motion_lib.command(motion_cmd_line, motion_timeout), "command"
else
  how = motion_name or (model and "svd" or "kenburns")
  motion = motion_lib.load(how)
end
local stats = {generated = 0, cached = 0}
local smooth = motion_lib.smoother(v.fps, interpolate)

-- What a motion source is told about a scene (see recipes/lib/motion.lua).
local function motion_opts(s)
  local t = {}
  for k, val in pairs(tune.all or {}) do t[k] = val end
  for k, val in pairs(tune[s.index] or {}) do t[k] = val end
  t.layout, t.overlays = nil, nil
  return {image = motion_image(s), seconds = s.duration, fps = v.fps, scenes = #scenes, tune = t, model = model,
          load_opts = load_opts, steps = steps, strategy = strategy, smooth = smooth, stats = stats}
end

-- A shard generates its share into the cache and stops: the assembly is the run without --shard.
if shard and how == "svd" then
  local mine = 0
  for _, s in ipairs(scenes) do
    if shard_lib.mine(shard, input, s.index) then
      mine = mine + 1
      local c, what = motion(s, motion_opts(s))
      if not stats.svd then
        error("--shard: no usable torch shim, so no svd clips to generate (scripts/build-torch-shim makes it)", 0)
      end
      print(("scene %3d  %8.3f s → %8.3f s  (%6.2f s)  %s"):format(s.index, s.start, s.stop, s.duration, what))
    end
  end
  print(("shard   %s: %d of %d scenes · %d clips generated, %d from the cache (%s) · model loads %d · no output (run without --shard to assemble)")
    :format(shard.spec, mine, #scenes, stats.generated, stats.cached, cache.dir(), svd.stats().loads))
  return {scenes = #scenes, mine = mine, generated = stats.generated, cached = stats.cached}
elseif shard then
  error("--shard: only svd clips are cached, so there is nothing to share (--motion " .. how .. ")", 0)
end

local parts, entries = {}, {}
for _, s in ipairs(scenes) do
  local c, what, params, cached = motion(s, motion_opts(s))
  c = smooth(c)
  entries[#entries + 1] = review_page.entry(s, c, what:match("^%S+") or how, params, cached, tune[s.index])
  local part = motion_lib.fit(c, s.duration, strategy)
  local l = scene_layout(s)
  local framed = "full frame"
  if l ~= "full" then
    local o = tuned(s, "overlays", overlays)
    local composed = compose(part, s, {source = v, layout = l, overlays = o})
    if not rawequal(composed, part) then framed = "picture in frame, overlays " .. o end
    part = composed
  end
  parts[#parts + 1] = part
  local t = s.transition_in
  local into = t and t.kind ~= "cut" and (" · %s in (frames %d-%d)"):format(t.kind, t.first, t.last) or ""
  print(("scene %3d  %8.3f s → %8.3f s  (%6.2f s)  %s · %s · %s%s"):format(s.index, s.start, s.stop, s.duration, what,
    strategy, framed, into))
end
if stats.svd then
  print(("svd     %d clips generated, %d from the cache (%s) · model loads %d"):format(stats.generated, stats.cached,
    cache.dir(), svd.stats().loads))
elseif how == "command" then
  print(("motion  %d clips made by the command, %d from the cache (%s)"):format(stats.generated, stats.cached, cache.dir()))
end

local r = mux(concat(parts, {transitions = joins}), v, output)
print(("output  %s · %dx%d · %d frames · %.2f s · audio %s · %.1f s to render"):format(
  r.path, r.width, r.height, r.frames, r.duration, r.audio, r.seconds))

-- The review page: every scene's clip at a glance, with the tune line that re-rolls it.
local page = review_page.write(scenes, entries, output, {{"input", input}, {"output", r.path}, {"strategy", strategy},
  {"tune file", next(tune) and tune_at or "none"}, {"started", os.date("!%Y-%m-%d %H:%M:%S UTC", started)},
  {"run", ("%d s (render %.1f s)"):format(os.time() - started, r.seconds)}})
print(("review  %s (%d scenes, %.1f MB of previews beside it)"):format(page.path, page.cards, page.bytes / 1e6))
return {scenes = #scenes, generated = stats.generated, cached = stats.cached, output = r.path}
