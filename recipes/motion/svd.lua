-- Stable Video Diffusion motion (animate.lua --model DIR): a generated clip per scene, seeded by
-- the scene's index (or the tune file's seed), up-converted to the episode's rate by opts.smooth,
-- and, with --strategy chain, continued by further segments until the scene is covered. Without
-- a usable torch shim (or without --model) it says so and falls back to kenburns.
local chain = require("chain")
local kenburns_motion = dofile((debug.getinfo(1, "S").source:sub(2):gsub("svd%.lua$", "kenburns.lua")))

local model, fallback

local function load(opts)
  if model or fallback then return end
  if not opts.model then
    print("svd     no --model given: using kenburns")
    fallback = true
    return
  end
  local ok, m = pcall(svd.load, opts.model, opts.load_opts)
  if ok then
    model = m
    print("model   " .. tostring(m))
  elseif m.kind == "shim_missing" then
    print("svd     no usable torch shim (scripts/build-torch-shim makes it): using kenburns")
    fallback = true
  else
    error(tostring(m), 0)
  end
end

return function(scene, opts)
  load(opts)
  if fallback then return kenburns_motion(scene, opts) end
  local o = {seed = scene.index, steps = opts.steps, label = ("scene %d/%d"):format(scene.index, opts.scenes)}
  for k, v in pairs(opts.tune or {}) do o[k] = v end
  local stats = opts.stats or {generated = 0, cached = 0}
  stats.svd = true
  local all_cached = true
  local function generate(image, seed, label)
    local g = {}
    for k, v in pairs(o) do g[k] = v end
    g.seed, g.label = seed, label
    local ok, c, cached = pcall(model.generate, model, image, g)
    if not ok then error(("scene %d: %s"):format(scene.index, tostring(c)), 0) end
    if cached then stats.cached = stats.cached + 1 else stats.generated = stats.generated + 1; all_cached = false end
    return c
  end
  local smooth = opts.smooth or function(c) return c end
  local first = generate(opts.image, o.seed, o.label)
  local c, segments = nil, 1
  if opts.strategy == "chain" then
    c, segments = chain.extend(first, opts.seconds, function(last, k)
      return generate(last, chain.seed(o.seed, k), ("%s · segment %d"):format(o.label, k + 1))
    end, {smooth = smooth})
  else
    c = smooth(first)
  end
  local what = "svd" .. (segments > 1 and (" ×" .. segments) or "") .. (all_cached and " (cached)" or "")
  -- What made it (the review page shows it) and whether every segment came from the cache.
  return c, what, o, all_cached
end
