#!/usr/bin/env bash
# Starts a throw-away Ceph RADOS Gateway (the S3 API with real conditional writes) on 127.0.0.1:
# one mon, one in-memory OSD (memstore) and radosgw, no mgr, no systemd, auth off inside the
# cluster. Used by the tests that need compare-and-swap on S3 (test/helpers/rgw.ts) and by hand.
# Needs the Debian packages from scripts/ci/install-deps.sh (radosgw ceph-mon ceph-osd
# ceph-common uuid-runtime curl). About 15 s on a 2-core machine, ~100 MiB resident.
#
# Env:  RGW_DIR       state directory, wiped first (required: no shared default)
#       RGW_PORT      S3 port (default 17480)      MON_PORT  mon msgr2 port (default 13300)
#       OSD_PORT_MIN  first of 4 OSD ports (default 6800)
#       S3_ACCESS_KEY / S3_SECRET_KEY  the S3 user's keys (default testaccesskey / testsecretkey)
# Writes $RGW_DIR/env (S3_ENDPOINT, AWS_* exports) when ready; stop with stop.sh (by PID).
set -euo pipefail

: "${RGW_DIR:?set RGW_DIR to a fresh directory}"
RGW_PORT=${RGW_PORT:-17480}
MON_PORT=${MON_PORT:-13300}
OSD_PORT_MIN=${OSD_PORT_MIN:-6800}
S3_ACCESS_KEY=${S3_ACCESS_KEY:-testaccesskey}
S3_SECRET_KEY=${S3_SECRET_KEY:-testsecretkey}
CONF=$RGW_DIR/ceph.conf
log() { echo "[s3-rgw] $(date +%T) $*" >&2; }

for tool in radosgw ceph-mon ceph-osd ceph monmaptool ceph-authtool radosgw-admin uuidgen curl; do
  command -v "$tool" >/dev/null || { log "$tool is missing: run scripts/ci/install-deps.sh"; exit 2; }
done

# Never clobber a running instance.
for p in "$RGW_DIR"/run/*.pid; do
  [ -e "$p" ] || continue
  if kill -0 "$(cat "$p")" 2>/dev/null; then log "already running ($p): run stop.sh first"; exit 1; fi
done
rm -rf "$RGW_DIR"
mkdir -p "$RGW_DIR"/{run,log,mon.a,osd.0,rgw.a}

FSID=$(uuidgen)
cat >"$CONF" <<EOF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_PORT]
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
ms bind ipv6 = false
ms bind port min = $OSD_PORT_MIN
ms bind port max = $((OSD_PORT_MIN + 15))
auth cluster required = none
auth service required = none
auth client required = none
auth allow insecure global id reclaim = false
keyring = $RGW_DIR/keyring
run dir = $RGW_DIR/run
pid file = $RGW_DIR/run/\$name.pid
admin socket = $RGW_DIR/run/\$name.asok
log file = $RGW_DIR/log/\$name.log
crash dir = $RGW_DIR/crash
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0
mon max pg per osd = 1000
debug ms = 0
debug rgw = 0
debug osd = 0
debug mon = 0

[mon.a]
mon data = $RGW_DIR/mon.a

[osd.0]
osd data = $RGW_DIR/osd.0
osd objectstore = memstore
memstore device bytes = 1073741824
osd op num shards = 1
osd op num threads per shard = 2

[client.rgw.a]
rgw data = $RGW_DIR/rgw.a
# tcp_nodelay: without it every keep-alive request after the first waits ~45 ms (Nagle + delayed ACK)
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT tcp_nodelay=1
rgw thread pool size = 32
rgw dns name = localhost
# radosgw forces ms_mon_client_mode=secure, which cannot work with auth=none
ms mon client mode = crc secure
EOF

log "mon"
ceph-authtool --create-keyring "$RGW_DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$RGW_DIR/monmap" >/dev/null
ceph-mon -c "$CONF" -i a --mkfs --monmap "$RGW_DIR/monmap" --keyring "$RGW_DIR/keyring"
ceph-mon -c "$CONF" -i a
C="ceph -c $CONF --connect-timeout 30"
$C mon stat >/dev/null

log "osd"
OSD_UUID=$(uuidgen)
OSD_ID=$($C osd new "$OSD_UUID")
[ "$OSD_ID" = 0 ] || { log "unexpected osd id $OSD_ID"; exit 1; }
ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" 2>>"$RGW_DIR/log/osd-mkfs.log"
ceph-osd -c "$CONF" -i 0
for _ in $(seq 1 120); do
  $C osd dump 2>/dev/null | grep -q '^osd.0 up' && break
  sleep 0.25
done
$C osd dump | grep -q '^osd.0 up' || { log "osd did not come up"; tail -30 "$RGW_DIR/log/osd.0.log" >&2; exit 1; }

log "radosgw on 127.0.0.1:$RGW_PORT"
radosgw -c "$CONF" -n client.rgw.a
code=000
for _ in $(seq 1 240); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$RGW_PORT/" || true)
  [ "$code" = 200 ] && break
  sleep 0.25
done
[ "$code" = 200 ] || { log "radosgw did not answer (last HTTP $code)"; tail -30 "$RGW_DIR/log/client.rgw.a.log" >&2; exit 1; }

radosgw-admin -c "$CONF" -n client.admin user create --uid=test --display-name=test \
  --access-key="$S3_ACCESS_KEY" --secret-key="$S3_SECRET_KEY" >/dev/null

cat >"$RGW_DIR/env.tmp" <<EOF
export S3_ENDPOINT=http://127.0.0.1:$RGW_PORT
export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY
export AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY
export AWS_REGION=us-east-1
EOF
mv "$RGW_DIR/env.tmp" "$RGW_DIR/env"
log "ready; pids $(cat "$RGW_DIR"/run/*.pid | tr '\n' ' ')"
