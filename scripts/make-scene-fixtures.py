"""PySceneDetect 0.7's ContentDetector (OpenCV backend) on each video: cut frames, the frame that
save_images picks for one image per scene, and every frame's content_val. Output: JSON on stdout."""
import json, sys
import scenedetect
from scenedetect import open_video, SceneManager, ContentDetector, StatsManager
from scenedetect.output.image import _generate_timecode_list

out = {"scenedetect": scenedetect.__version__, "videos": {}}
for path in sys.argv[1:]:
    runs = {}
    for threshold, min_len, luma in [(30.0, 15, False), (27.0, 15, False), (12.0, 5, False), (30.0, 15, True)]:
        video = open_video(path, backend="opencv")
        stats = StatsManager()
        sm = SceneManager(stats_manager=stats)
        sm.add_detector(ContentDetector(threshold=threshold, min_scene_len=min_len, luma_only=luma))
        sm.detect_scenes(video)
        scenes = sm.get_scene_list(start_in_scene=True)
        cuts = [s[0].frame_num for s in scenes[1:]]
        middles = [tcs[0].frame_num for tcs in _generate_timecode_list(scenes, 1, 1)]
        n = scenes[-1][1].frame_num if scenes else 0
        scores = [0.0] + [stats.get_metrics(f, ["content_val"])[0] for f in range(1, n)]
        runs[f"t{threshold:g}-m{min_len}" + ("-luma" if luma else "")] = {
            "threshold": threshold, "min_scene_len": min_len, "luma_only": luma,
            "cuts": cuts, "frames": n, "middles": middles, "scores": scores}
    out["videos"][path.rsplit("/", 1)[-1]] = runs
json.dump(out, sys.stdout, indent=1)
