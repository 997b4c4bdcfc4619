-- Ken Burns motion: a slow pan and zoom over the picture, varied by the scene's index. Needs
-- no GPU; the clip is made at the episode's rate and covers the whole scene. The tune file's
-- seed re-rolls the move (the review page's re-roll line).
return function(scene, opts)
  local seed = math.tointeger((opts.tune or {}).seed) or scene.index
  local c = kenburns(opts.image, {seconds = opts.seconds, seed = seed, fps = opts.fps})
  return c, tostring(c):match("kenburns[^·]*") or "kenburns", {seed = seed, seconds = opts.seconds}
end
