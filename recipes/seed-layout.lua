-- The original pipeline's three steps and folders, so people can mix in clips made elsewhere:
--   1_extracted_images/image_NNN.png + timestamps.csv   (step 1: detect + export)
--   2_animated_clips/image_NNN.mp4                       (step 2: any tool; missing ones made here)
--   <stem>_animated_v2.mp4                               (step 3: pad, concat, mux)
--
--   podcast-i2v run recipes/seed-layout.lua INPUT.mp4 [WORKDIR] [--threshold T] [--strategy S]
--
-- WORKDIR defaults to the input's folder. Step 1 is skipped when timestamps.csv is there
-- (delete it to detect again); step 2 makes only the clips that are missing (kenburns).

local usage = "usage: podcast-i2v run recipes/seed-layout.lua INPUT.mp4 [WORKDIR] [--threshold T] [--strategy S]"
local input, dir
local threshold, strategy = 30, "loop"
local i = 1
while i <= #arg do
  local a = arg[i]
  if a == "--threshold" then
    threshold = tonumber(arg[i + 1]) or error("--threshold: expected a number", 0); i = i + 2
  elseif a == "--strategy" then
    strategy = arg[i + 1] or error("--strategy needs a value", 0); i = i + 2
  elseif a:sub(1, 2) == "--" then
    error("unknown option " .. a .. "\n" .. usage, 0)
  elseif not input then input, i = a, i + 1
  elseif not dir then dir, i = a, i + 1
  else error(usage, 0) end
end
if not input then error(usage, 0) end
dir = dir or (input:match("^(.*)/[^/]*$") or ".")
local stem = input:match("([^/]*)%.[^./]*$") or input:match("[^/]*$")

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

local v = open(input)
print("input   " .. tostring(v))
local images = dir .. "/1_extracted_images"
local clips = dir .. "/2_animated_clips"
os.execute(("mkdir -p '%s' '%s'"):format(images, clips))

-- Step 1: scenes and stills.
local scenes
if exists(images .. "/timestamps.csv") then
  scenes = import(images)
  print(("step 1  %d scenes from %s/timestamps.csv"):format(#scenes, images))
else
  scenes = detect(v, {threshold = threshold})
  export(scenes, images)
  print(("step 1  %d scenes → %s"):format(#scenes, images))
end

-- Step 2: a clip per scene; those already there (from any tool) are used as they are.
local function clipName(n) return ("%s/image_%03d.mp4"):format(clips, n) end
local parts, made, reused = {}, 0, 0
for _, s in ipairs(scenes) do
  local path = clipName(s.index)
  if exists(path) then
    reused = reused + 1
  else
    kenburns(s.image, {seconds = math.min(s.duration, 6), seed = s.index, fps = v.fps}):save(path)
    made = made + 1
  end
  parts[#parts + 1] = pad(clip(path), s.duration, strategy)
  print(("scene %3d  %8.3f s  %6.2f s  %s"):format(s.index, s.start, s.duration, path))
end
print(("step 2  %d clips made, %d found in %s"):format(made, reused, clips))

-- Step 3: fit, join, put the audio back.
local out = ("%s/%s_animated_v2.mp4"):format(dir, stem)
local r = mux(concat(parts), v, out)
print(("step 3  %s · %d frames · %.2f s · audio %s"):format(r.path, r.frames, r.duration, r.audio))
