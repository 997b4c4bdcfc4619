-- Ken Burns motion: a slow pan and zoom over the picture, varied by the scene's index. Needs
-- no GPU; the clip is made at the episode's rate and covers the whole scene.
return function(scene, opts)
  local c = kenburns(opts.image, {seconds = opts.seconds, seed = scene.index, fps = opts.fps})
  return c, tostring(c):match("kenburns[^·]*") or "kenburns"
end
