#!/bin/sh
# An example external motion source for animate.lua --motion-cmd: FFmpeg's zoompan filter, a
# slow zoom into the picture's centre, run as a command (any tool that turns a PNG into a
# video file works the same way).
#   podcast-i2v run recipes/animate.lua ep.mp4 --motion-cmd 'sh recipes/motion/zoompan.sh {in} {out} {seconds}'
# $1 the still (PNG), $2 the video to write, $3 the scene's length in seconds.
set -eu
in=$1 out=$2 seconds=$3
fps=25
frames=$(awk -v s="$seconds" -v f="$fps" 'BEGIN { n = int(s * f + 0.999); print (n < 1 ? 1 : n) }')
# zoompan moves in whole pixels: working at twice the size and scaling back halves the jitter.
size=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=s=x:p=0 "$in")
w=${size%x*} h=${size#*x}
w=$((w / 2 * 2)) h=$((h / 2 * 2))
exec ffmpeg -v error -nostdin -y -loop 1 -i "$in" \
  -vf "scale=$((w * 2)):$((h * 2)),zoompan=z='min(1+0.12*on/$frames,1.12)':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=$frames:s=${w}x${h}:fps=$fps,format=yuv420p" \
  -frames:v "$frames" -c:v libx264 -preset veryfast -crf 18 "$out"
