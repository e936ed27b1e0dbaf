#!/usr/bin/env bash
# The flat JEPA agent in the desktop app: trains a small level-1 model with `hjepa train`, loads it
# through the HJEPA_GUI_MODEL test hook (which selects the flat agent), renders 60 frames under Xvfb
# and checks the PNG. Usage: run_gui_smoke_flat.sh HJEPA CHECK_SCREENSHOT OUTPUT.png
set -u
hjepa=$1 checker=$2 shot=$3
if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "gui_smoke_flat: xvfb-run not found; install it (Debian/Ubuntu: apt-get install xvfb)" >&2
  exit 1
fi
model="${shot%.png}.hjepa"
rm -f "$shot" "$model"
if ! "$hjepa" train --map-seed 3 --steps 300 --sequences 100 --out "$model" >/dev/null 2>&1; then
  echo "gui_smoke_flat: 'hjepa train' failed" >&2
  exit 1
fi
HJEPA_GUI_MODEL="$model" LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1600x900x24" \
  "$hjepa" gui --map-seed 3 --frames 60 --screenshot "$shot"
status=$?
if [ "$status" -ne 0 ]; then
  echo "gui_smoke_flat: 'hjepa gui --frames 60' with the flat agent exited with status $status, expected 0" >&2
  exit 1
fi
exec "$checker" "$shot"
