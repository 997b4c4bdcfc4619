-- recipes/lib/motion.lua: motion sources for animate.lua, and fitting their clips to a scene.
--
-- A motion source is a Lua function (scene, opts) -> clip [, what, params, cached]: `scene` is a scene table
-- (index, start, stop, duration, image, picture...), `opts` what the recipe knows:
--   image      the picture to animate (the scene's picture under its layout)
--   seconds    the scene's length; fps the episode's frame rate
--   scenes     how many scenes there are
--   tune       the scene's tune-file options (all + its own; layout/overlays removed)
--   model, load_opts, steps   animate.lua's --model, --device/--dtype, --steps
--   strategy   how the clip will be padded ('chain': the source may cover the scene itself)
--   smooth     function(clip) -> clip at the episode's rate (--interpolate's method)
--   stats      a table the source may count in: generated, cached
-- `what` is the word printed for the scene ("svd (cached)"); `params` what made the clip and
-- `cached` whether it came from the cache, both shown on the review page. A shorter clip is padded by the
-- recipe's --strategy, a longer one cut. `animate.lua --motion NAME` loads
-- recipes/motion/NAME.lua, which returns such a function; `--motion-cmd` makes one from a
-- command line (see M.command).
local M = {}

-- The recipes folder: the parent of this file's lib/.
local function recipes_dir()
  local src = debug.getinfo(1, "S").source
  return (src:sub(2):gsub("/?lib/motion%.lua$", ""))
end

-- The motion source recipes/motion/NAME.lua returns.
function M.load(name)
  if not name:match("^[%w_%-]+$") then
    error(("--motion: expected a name such as svd or kenburns, got '%s'"):format(name), 0)
  end
  local dir = recipes_dir()
  local path = (dir == "" and "." or dir) .. "/motion/" .. name .. ".lua"
  local chunk, err = loadfile(path)
  if not chunk then
    local f = io.open(path, "r")
    if f then f:close(); error("--motion " .. name .. ": " .. err, 0) end
    error(("--motion: no motion source '%s' (expected %s)"):format(name, path), 0)
  end
  local source = chunk()
  if type(source) ~= "function" then
    error(("--motion %s: %s must return a function (scene, opts) -> clip"):format(name, path), 0)
  end
  return source
end

-- A motion source that runs `template` per scene: {in} the picture as PNG, {out} the video
-- to write, {seconds} the scene's length. Results are cached by command, picture and length.
function M.command(template, timeout)
  return function(scene, opts)
    local ok, c, cached = pcall(motion_cmd, template, opts.image, opts.seconds,
      {timeout = timeout, label = ("scene %d/%d"):format(scene.index, opts.scenes)})
    -- The error names the scene already (its label).
    if not ok then error(tostring(c), 0) end
    if opts.stats then
      if cached then opts.stats.cached = opts.stats.cached + 1 else opts.stats.generated = opts.stats.generated + 1 end
    end
    return c, cached and "command (cached)" or "command", {command = template, seconds = opts.seconds}, cached == true
  end
end

-- `clip` at `fps` by `method` ('mci', 'minterpolate', 'blend', 'none'); clips at that rate or faster as they are.
function M.smoother(fps, method)
  return function(c)
    if method == "none" or c.fps >= fps - 1e-9 then return c end
    return (c:at_fps(fps, {method = method}))
  end
end

-- The clip fitted to the scene: pad by `strategy`; 'chain' (the source covered the scene, or
-- could not) cuts, or loops with a cross-faded seam what is still short.
function M.fit(c, seconds, strategy)
  if strategy == "chain" then
    if c.duration + 1e-6 >= seconds then return pad(c, seconds, "freeze") end
    return pad(c, seconds, "loop_xfade")
  end
  return pad(c, seconds, strategy)
end

return M
