-- The whole pipeline: find the scenes of a static-image podcast video, give each scene's still
-- motion (svd with a model and the torch shim, else a Ken Burns pan/zoom), fit each clip to its
-- scene's exact length, join them and put the original audio back.
--
--   podcast-i2v run recipes/animate.lua INPUT.mp4 [OUTPUT.mp4] [--threshold T]
--                   [--strategy loop|pingpong|freeze|stretch] [--model DIR]
--
-- The output defaults to <input stem>_animated.mp4 next to the input.

local usage = "usage: podcast-i2v run recipes/animate.lua INPUT.mp4 [OUTPUT.mp4] [--threshold T] "
  .. "[--strategy loop|pingpong|freeze|stretch] [--model DIR]"

local input, output, model
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

-- The motion source: svd when asked for and available, else kenburns.
local motion, how = nil, "kenburns"
if model then
  if svd and svd.load then
    local ok, m = pcall(svd.load, model)
    if ok then
      motion, how = function(s) return m:generate(s.image, {seed = s.index}) end, "svd"
    else
      print("svd     not available (" .. tostring(m) .. "): using kenburns")
    end
  else
    print("svd     not in this build: using kenburns")
  end
end
motion = motion or function(s)
  return kenburns(s.image, {seconds = s.duration, seed = s.index, fps = v.fps})
end

local parts = {}
for _, s in ipairs(scenes) do
  local c = motion(s)
  parts[#parts + 1] = pad(c, s.duration, strategy)
  print(("scene %3d  %8.3f s → %8.3f s  (%6.2f s)  %s · %s"):format(s.index, s.start, s.stop, s.duration,
    how == "svd" and "svd" or tostring(c):match("kenburns[^·]*") or how, strategy))
end

local r = mux(concat(parts), v, output)
print(("output  %s · %dx%d · %d frames · %.2f s · audio %s · %.1f s to render"):format(
  r.path, r.width, r.height, r.frames, r.duration, r.audio, r.seconds))
