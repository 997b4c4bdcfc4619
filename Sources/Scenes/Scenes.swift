// Scene detection: PySceneDetect-compatible content detector (issue #4).
