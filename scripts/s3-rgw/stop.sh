#!/usr/bin/env bash
# Stops what start.sh started, by the PIDs in $RGW_DIR/run/*.pid (radosgw, then osd, then mon),
# then removes $RGW_DIR (RGW_KEEP_DIR=1 keeps it, logs included).
set -u
: "${RGW_DIR:?set RGW_DIR}"
for name in client.rgw.a osd.0 mon.a; do
  f=$RGW_DIR/run/$name.pid
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  kill -0 "$pid" 2>/dev/null || continue
  kill -TERM "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
done
[ "${RGW_KEEP_DIR:-0}" = 1 ] || rm -rf "$RGW_DIR"
