"""scripts/fuzz's parts: child processes, generated media, damage, and the case families."""
