// Timeline: clips, kenburns, pad, concat, render (issue #5).
