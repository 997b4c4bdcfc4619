"""Inputs made with the ffmpeg command line (lavfi sources): a small episode in several containers
and odd-but-valid videos. Only inputs: the product itself never runs ffmpeg."""
import os
import subprocess

# Three scenes (two cuts) so that detect finds stills to export and draw.
SCENES = ("color=c=0x3050a0:s={s}:r={r}:d={d}[a];testsrc2=s={s}:r={r}:d={d}[b];"
          "color=c=0xc08020:s={s}:r={r}:d={d},noise=alls=20:allf=t[c];[a][b][c]concat=n=3:v=1:a=0[v]")


def ffmpeg(args, out):
    """Runs ffmpeg; returns the output path, or None when this ffmpeg cannot make it."""
    cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"] + args + [out]
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode != 0 or not os.path.exists(out) or os.path.getsize(out) == 0:
        if os.path.exists(out):
            os.unlink(out)
        return None
    return out


def scenes_video(out, size="160x90", rate=25, seconds=1.2, vcodec=("-c:v", "libx264", "-preset", "ultrafast"),
                 audio=("-c:a", "aac"), extra=()):
    args = ["-f", "lavfi", "-i", "sine=f=330:d=%g" % (3 * seconds),
            "-filter_complex", SCENES.format(s=size, r=rate, d=seconds), "-map", "[v]"]
    if audio:
        args += ["-map", "0:a"] + list(audio)
    args += list(vcodec) + list(extra)
    return ffmpeg(args, out)


def rotated(out, degrees):
    """A display matrix (as phones write): FFmpeg 5.1 writes one from `rotate` only when copying."""
    plain = out + ".plain" + os.path.splitext(out)[1]
    if not scenes_video(plain):
        return None
    made = ffmpeg(["-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=%d" % degrees], out)
    os.unlink(plain)
    return made


def base_inputs(folder):
    """The episode that gets damaged: MP4 with its index first and last, Matroska, MOV."""
    made = {}
    made["faststart.mp4"] = scenes_video(os.path.join(folder, "faststart.mp4"), extra=("-movflags", "+faststart"))
    made["moovlast.mp4"] = scenes_video(os.path.join(folder, "moovlast.mp4"))
    made["episode.mkv"] = scenes_video(os.path.join(folder, "episode.mkv"))
    made["episode.mov"] = scenes_video(os.path.join(folder, "episode.mov"), audio=("-c:a", "pcm_s16le"))
    return {k: v for k, v in made.items() if v}


def lavfi(src, seconds, size="96x64", rate=25):
    sep = ":" if "=" in src else "="
    return ["-f", "lavfi", "-i", "%s%ss=%s:r=%s:d=%g" % (src, sep, size, rate, seconds)]


def sine(seconds, rate=44100):
    return ["-f", "lavfi", "-i", "sine=f=440:sample_rate=%d:d=%g" % (rate, seconds)]


X264 = ["-c:v", "libx264", "-preset", "ultrafast"]


def odd_inputs(folder, full, only=None):
    """Odd but valid media: (name, path) for each this ffmpeg could make."""
    def p(name):
        return os.path.join(folder, name)
    recipes = {
        "vp9-opus.webm": lambda o: scenes_video(o, vcodec=("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"), audio=("-c:a", "libopus")),
        "av1.mkv": lambda o: ffmpeg(lavfi("testsrc2", 0.6, "64x48") + ["-c:v", "libaom-av1", "-cpu-used", "8", "-row-mt", "1"], o)
                              or ffmpeg(lavfi("testsrc2", 0.6, "64x48") + ["-c:v", "libsvtav1", "-preset", "12"], o),
        "mpeg4-mp3.avi": lambda o: scenes_video(o, vcodec=("-c:v", "mpeg4"), audio=("-c:a", "libmp3lame")),
        "mjpeg-pcm.avi": lambda o: scenes_video(o, vcodec=("-c:v", "mjpeg"), audio=("-c:a", "pcm_s16le")),
        "prores-pcm.mov": lambda o: scenes_video(o, vcodec=("-c:v", "prores_ks", "-profile:v", "0"), audio=("-c:a", "pcm_s16le")),
        "interlaced.mp4": lambda o: scenes_video(o, size="160x96", vcodec=X264 + ["-flags", "+ildct+ilme", "-x264opts", "interlaced=1"]),
        "interlaced-mpeg2.ts": lambda o: scenes_video(o, size="160x96", vcodec=("-c:v", "mpeg2video", "-flags", "+ildct+ilme", "-top", "1"), audio=("-c:a", "mp2")),
        "10bit.mp4": lambda o: scenes_video(o, vcodec=X264 + ["-pix_fmt", "yuv420p10le"]),
        "444.mp4": lambda o: scenes_video(o, vcodec=X264 + ["-pix_fmt", "yuv444p"]),
        "422-10bit-prores.mov": lambda o: scenes_video(o, vcodec=("-c:v", "prores_ks", "-profile:v", "2", "-pix_fmt", "yuv422p10le"), audio=None),
        "rotate90.mp4": lambda o: rotated(o, 90),
        "rotate270.mov": lambda o: rotated(o, 270),
        "rotate180.mp4": lambda o: rotated(o, 180),
        "odd-161x91.mp4": lambda o: scenes_video(o, size="161x91", vcodec=X264 + ["-pix_fmt", "yuv444p"]),
        "odd-161x91-420.mkv": lambda o: scenes_video(o, size="161x91", vcodec=("-c:v", "ffv1")),
        "1x1.mkv": lambda o: ffmpeg(lavfi("testsrc", 1, "2x2") + ["-vf", "scale=1:1", "-c:v", "ffv1"], o),
        "2x2.mp4": lambda o: ffmpeg(lavfi("testsrc", 1, "2x2") + X264 + ["-pix_fmt", "yuv444p"], o),
        "tall-16x1024.mp4": lambda o: ffmpeg(lavfi("testsrc2", 0.4, "16x1024") + X264, o),
        "wide-4096x16.mp4": lambda o: ffmpeg(lavfi("testsrc2", 0.4, "4096x16") + X264, o),
        "8k.mp4": lambda o: ffmpeg(lavfi("color=c=red", 0.12, "7680x4320") + X264 + ["-frames:v", "3"], o),
        "1frame.mp4": lambda o: ffmpeg(lavfi("testsrc2", 1) + X264 + ["-frames:v", "1"], o),
        "1frame-long-audio.mp4": lambda o: ffmpeg(lavfi("testsrc2", 1) + sine(3) + X264 + ["-frames:v", "1", "-c:a", "aac"], o),
        "vfr.mkv": lambda o: ffmpeg(lavfi("testsrc2", 3) + ["-vf", r"select='not(mod(n\,3))+between(n\,20\,30)',setpts=N/FRAME_RATE/TB+if(gt(N\,10)\,0.7\,0)/TB",
                                                            "-fps_mode", "vfr"] + X264, o),
        "vfr.mp4": lambda o: ffmpeg(lavfi("testsrc2", 3) + ["-vf", r"select='not(mod(n\,4))+between(n\,30\,40)'", "-fps_mode", "vfr"] + X264, o),
        "3-audio.mkv": lambda o: ffmpeg(lavfi("testsrc2", 2) + sine(2) + sine(2, 22050) + sine(2, 8000) +
                                        ["-map", "0", "-map", "1", "-map", "2", "-map", "3"] + X264 + ["-c:a:0", "aac", "-c:a:1", "libmp3lame", "-c:a:2", "libopus"], o),
        "audio-first.mp4": lambda o: ffmpeg(sine(2) + lavfi("testsrc2", 2) + ["-map", "0", "-map", "1"] + X264 + ["-c:a", "aac"], o),
        "audio-only.m4a": lambda o: ffmpeg(sine(2) + ["-c:a", "aac"], o),
        "audio-only.mp3": lambda o: ffmpeg(sine(2) + ["-c:a", "libmp3lame"], o),
        "no-audio.mp4": lambda o: scenes_video(o, audio=None),
        "opus.mkv": lambda o: scenes_video(o, audio=("-c:a", "libopus")),
        "mp3.mp4": lambda o: scenes_video(o, audio=("-c:a", "libmp3lame")),
        "pcm.mkv": lambda o: scenes_video(o, audio=("-c:a", "pcm_s16le")),
        "mono-8k.mp4": lambda o: ffmpeg(lavfi("testsrc2", 2) + sine(2, 8000) + X264 + ["-c:a", "aac", "-ac", "1"], o),
        "surround51.mp4": lambda o: ffmpeg(lavfi("testsrc2", 2) + ["-f", "lavfi", "-i", "sine=d=2"] + X264 + ["-c:a", "aac", "-ac", "6"], o),
        "fps-30000-1001.mp4": lambda o: scenes_video(o, rate="30000/1001"),
        "fps-1.mp4": lambda o: scenes_video(o, rate=1, seconds=3),
        "fps-120.mp4": lambda o: scenes_video(o, rate=120, seconds=0.5),
        "sar-4-3.mp4": lambda o: scenes_video(o, extra=("-aspect", "16:9")),
        "start-offset.mp4": lambda o: scenes_video(o, extra=("-output_ts_offset", "7.5")),
        "full-range.mp4": lambda o: scenes_video(o, vcodec=X264 + ["-pix_fmt", "yuvj420p"]),
        "rgb-png.mov": lambda o: scenes_video(o, vcodec=("-c:v", "png"), audio=None),
        "alpha-vp9.webm": lambda o: ffmpeg(lavfi("testsrc2", 1) + ["-vf", "format=yuva420p", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"], o),
        "gray.mkv": lambda o: ffmpeg(lavfi("testsrc2", 1) + ["-vf", "format=gray", "-c:v", "ffv1"], o),
        "hevc.mp4": lambda o: ffmpeg(lavfi("testsrc2", 1) + ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=none"], o),
        "gif.gif": lambda o: ffmpeg(lavfi("testsrc2", 1), o),
        "theora.ogv": lambda o: ffmpeg(lavfi("testsrc2", 1) + sine(1) + ["-c:v", "libtheora", "-c:a", "libvorbis"], o),
        "edit-list.mp4": None,  # made from faststart.mp4 below
        "long-gop-1-keyframe.mp4": lambda o: scenes_video(o, vcodec=X264 + ["-g", "1000", "-bf", "3"]),
        "h264-bframes-mkv.mkv": lambda o: scenes_video(o, vcodec=("-c:v", "libx264", "-preset", "medium", "-bf", "4")),
        "mpegts.ts": lambda o: scenes_video(o),
        "flv.flv": lambda o: scenes_video(o, vcodec=X264, audio=("-c:a", "aac")),
    }
    made = {}
    for name, make in recipes.items():
        if make is None or (only is not None and name not in only):
            continue
        out = make(p(name))
        if out:
            made[name] = out
    src = made.get("fps-30000-1001.mp4")  # MP4 to MP4, cut by stream copy: an edit list
    if src and (only is None or "edit-list.mp4" in only):
        out = ffmpeg(["-ss", "0.5", "-i", src, "-c", "copy"], p("edit-list.mp4"))
        if out:
            made["edit-list.mp4"] = out
    if full:
        # Two hours cheaply: 32x18 at 1 fps, 8 kHz mono; memory must stay as flat as for 2 minutes.
        for name, seconds in (("episode-2min.mp4", 120), ("episode-2h.mp4", 7200)):
            out = ffmpeg(lavfi("testsrc2", seconds, "32x18", 1) + sine(seconds, 8000) +
                         X264 + ["-c:a", "aac", "-ac", "1", "-b:a", "16k"], p(name))
            if out:
                made[name] = out
    return made


def stills(folder):
    """Pictures to damage: PNG (RGB, RGBA, gray, palette, 16-bit), JPEG (baseline, progressive)."""
    made = {}
    def still(name, args):
        out = ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=64x48:d=1", "-frames:v", "1"] + args, os.path.join(folder, name))
        if out:
            made[name] = out
    still("rgb.png", [])
    still("rgba.png", ["-pix_fmt", "rgba"])
    still("gray.png", ["-pix_fmt", "gray"])
    still("pal.png", ["-pix_fmt", "pal8"])
    still("rgb48.png", ["-pix_fmt", "rgb48be"])
    still("baseline.jpg", [])
    still("progressive.jpg", ["-c:v", "mjpeg", "-pix_fmt", "yuvj444p"])
    still("still.webp", [])
    still("still.bmp", [])
    still("still.tiff", [])
    return made
