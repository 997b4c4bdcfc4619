-- Many episodes, one command: recipes/animate.lua over every episode of folders or list files,
-- in one session (the model is loaded once, and only if some clip is not cached), then a
-- summary table.
--
--   podcast-i2v run recipes/batch.lua FOLDER_OR_LIST_OR_VIDEO ... [--out DIR] [--force]
--                   [--shard I/N] [animate.lua's options: --model DIR --steps N ...]
--
-- A folder gives the .mp4 files directly in it (not the *_animated.mp4 outputs); a list file
-- (any other file that is not a video) gives one path a line, relative to the list's folder,
-- '#' starts a comment. Each episode's output is <stem>_animated.mp4 beside it, or in --out DIR.
-- An episode whose output is newer than both the video and its tune file (<stem>.tune.lua) is
-- skipped (--force runs it anyway).
--
-- `--shard I/N` means "my share of all scenes of all episodes" (the split of
-- recipes/lib/shard.lua): each episode is detected and its share of the scenes that are not
-- cached is generated into the cache; nothing is muxed. The same command without --shard
-- afterwards finds every clip cached and assembles every episode without loading the model.
-- Exit status 1 when an episode failed (the others still ran).
local shard_lib = require("shard")

local usage = "usage: podcast-i2v run recipes/batch.lua FOLDER_OR_LIST_OR_VIDEO ... [--out DIR] [--force] "
  .. "[--shard I/N] [animate.lua's options, e.g. --model DIR --steps N]"

local here = (arg and arg[0] or "recipes/batch.lua"):match("^(.*)/") or "."
local animate_path = here .. "/animate.lua"

local sources, forwarded = {}, {}
local out_dir, force, shard, check_only = nil, false, nil, false
local i = 1
while i <= #arg do
  local a = arg[i]
  local function value()
    local v = arg[i + 1]
    if v == nil then error(a .. " needs a value\n" .. usage, 0) end
    i = i + 2
    return v
  end
  if a == "--out" then
    out_dir = value()
  elseif a == "--force" then
    force, i = true, i + 1
  elseif a == "--check" then  -- scripts/slurm-submit: check everything, run nothing
    check_only, i = true, i + 1
  elseif a == "--shard" then
    shard = shard_lib.parse(value())
    forwarded[#forwarded + 1] = "--shard"
    forwarded[#forwarded + 1] = shard.spec
  elseif a == "--tune" then
    error("--tune: a batch reads each episode's own tune file (<stem>.tune.lua beside it)", 0)
  elseif a == "-h" or a == "--help" then
    print(usage)
    return
  elseif a:sub(1, 2) == "--" then
    -- Every other option is animate.lua's, and all of them take a value; animate.lua checks it.
    forwarded[#forwarded + 1] = a
    forwarded[#forwarded + 1] = value()
  else
    sources[#sources + 1] = a
    i = i + 1
  end
end
if #sources == 0 then error(usage, 0) end
if out_dir then
  local st = fs.stat(out_dir)
  if not st or st.kind ~= "dir" then error(("--out: no folder '%s'; expected an existing folder"):format(out_dir), 0) end
end

local function is_video(name) return name:lower():match("%.mp4$") or name:lower():match("%.mov$") or name:lower():match("%.mkv$") end
local function is_output(name) return name:match("_animated%.[^./]*$") end

-- Episodes in the order given (a folder's in name order), each once.
local episodes, seen = {}, {}
local function add(path, from)
  local st = fs.stat(path)
  if not st or st.kind ~= "file" then
    error(("%s: no such video '%s'"):format(from, path), 0)
  end
  if not seen[path] then
    seen[path] = true
    episodes[#episodes + 1] = path
  end
end
for _, src in ipairs(sources) do
  local st = fs.stat(src)
  if not st then
    error(("no such folder, list or video '%s'"):format(src), 0)
  elseif st.kind == "dir" then
    local before = #episodes
    for _, name in ipairs(fs.list(src)) do
      if is_video(name) and not is_output(name) then add(src .. "/" .. name, src) end
    end
    if #episodes == before then error(("folder '%s' holds no .mp4, .mov or .mkv episode"):format(src), 0) end
  elseif is_video(src) then
    add(src, "arguments")
  else
    local dir = src:match("^(.*)/") or "."
    local n = 0
    for line in io.lines(src) do
      local path = line:gsub("#.*$", ""):match("^%s*(.-)%s*$")
      if path ~= "" then
        if path:sub(1, 1) ~= "/" then path = dir .. "/" .. path end
        n = n + 1
        add(path, ("list %s, line %d"):format(src, n))
      end
    end
    if n == 0 then error(("list '%s' names no episode (one video path a line)"):format(src), 0) end
  end
end

local function stem(path) return (path:gsub("%.[^./]*$", "")) end
local function output_for(path)
  local name = stem(path):match("([^/]*)$") .. "_animated.mp4"
  return out_dir and (out_dir .. "/" .. name) or (stem(path) .. "_animated.mp4")
end

-- Up to date: the output is newer than the video and than its tune file.
local function up_to_date(path, output)
  local o = fs.stat(output)
  if not o then return false end
  local newest = fs.stat(path).mtime
  local t = fs.stat(stem(path) .. ".tune.lua")
  if t then newest = math.max(newest, t.mtime) end
  return o.mtime > newest
end

local animate = assert(loadfile(animate_path))
local function run_animate(args)
  local saved = arg
  arg = args
  local result = table.pack(pcall(animate, table.unpack(args)))
  arg = saved
  return table.unpack(result, 1, result.n)
end

if check_only then
  local args = {[0] = animate_path, episodes[1], "--check"}
  for _, f in ipairs(forwarded) do args[#args + 1] = f end
  local ok, e = run_animate(args)
  if not ok then error(e, 0) end
  print(("checked: %d episodes, options accepted"):format(#episodes))
  return {episodes = #episodes}
end
local rows, failed = {}, 0
local t_all = fs.clock()
for n, path in ipairs(episodes) do
  local output = output_for(path)
  local row = {episode = path, output = output}
  rows[#rows + 1] = row
  print(("── episode %d/%d: %s"):format(n, #episodes, path))
  if not force and up_to_date(path, output) then
    row.note = "up to date"
    print("skipped: " .. output .. " is newer than the video and its tune file")
  else
    local args = {[0] = animate_path, path}
    if not shard then args[#args + 1] = output end
    for _, f in ipairs(forwarded) do args[#args + 1] = f end
    local t0 = fs.clock()
    local ok, r = run_animate(args)
    row.seconds = fs.clock() - t0
    if ok and type(r) == "table" then
      row.scenes, row.generated, row.cached = r.scenes, r.generated, r.cached
      if shard then row.note = ("shard %s: %d scenes mine"):format(shard.spec, r.mine) end
    elseif not ok then
      local kind = (type(r) == "table" or type(r) == "userdata") and r.kind or nil
      if kind == "interrupted" or tostring(r) == "interrupted" then error(r, 0) end
      failed = failed + 1
      row.note = "FAILED: " .. tostring(r):gsub("\n.*", "")
      print("failed: " .. tostring(r))
    end
  end
end

-- The summary: one row an episode.
local function cell(v, fmt) if v == nil then return "-" end return fmt and fmt:format(v) or tostring(v) end
local width = #"episode"
for _, r in ipairs(rows) do width = math.max(width, #r.episode) end
local line = "%-" .. width .. "s  %6s  %9s  %6s  %8s  %s"
print()
print(line:format("episode", "scenes", "generated", "cached", "seconds", "output"))
local total = {scenes = 0, generated = 0, cached = 0}
for _, r in ipairs(rows) do
  for k in pairs(total) do total[k] = total[k] + (r[k] or 0) end
  local what = r.note and (r.note:find("^shard") and r.note or (r.note .. (r.note == "up to date" and ": " .. r.output or "")))
    or r.output
  print(line:format(r.episode, cell(r.scenes), cell(r.generated), cell(r.cached), cell(r.seconds, "%.1f"), what))
end
print(line:format(("%d episodes"):format(#rows), total.scenes, total.generated, total.cached,
  ("%.1f"):format(fs.clock() - t_all), ("model loads %d"):format(svd.stats().loads)))
if failed > 0 then error(("%d of %d episodes failed (see above)"):format(failed, #rows), 0) end
return {episodes = #rows, failed = failed, scenes = total.scenes, generated = total.generated, cached = total.cached}
