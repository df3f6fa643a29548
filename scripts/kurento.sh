# Kurento Media Server for the Kurento adapter's integration test (KurentoProxiedCallIT). Sourced by
# ./vclick after scripts/lib.sh; never run alone. Only ./vclick test starts it.
#
# KMS is the Kurento 7.3.1 build for Debian 12 beside the checkout: $VCLICK_ROOT/../shared/tools/kurento
# (its README.md; kms.sh installs the GStreamer packages KMS needs, unpacks it into our state folder and
# starts it on loopback). On another system kms.sh exits with status 4: the Kurento tests do not run
# then, and the run says so loudly (here and at its end; the test itself reports itself skipped).
#
# Inputs (set by the caller): VCLICK_STATE, VCLICK_ROOT
# Optional:
#   VCLICK_KURENTO_TOOL        folder holding kms.sh (default $VCLICK_ROOT/../shared/tools/kurento)
#   VCLICK_KMS_PORT            control WebSocket port (default 18888)
#   VCLICK_KMS_RTP_PORTS       its RTP/ICE UDP ports (default 41000-41999)
# Exported by kurento_wait when KMS is up (read by KurentoProxiedCallIT):
#   KMS_URL                    ws://127.0.0.1:<port>/kurento
#   KMS_MEDIA_URI              a VP8/Opus file (made with ffmpeg) KMS plays into the test's stand-in browsers
#   KMS_RECORDINGS_DIR         where KMS writes the test's recordings ($VCLICK_STATE/kms/recordings)

_kurento_tool() { echo "${VCLICK_KURENTO_TOOL:-$VCLICK_ROOT/../shared/tools/kurento}"; }
_kurento_dir() { echo "$VCLICK_STATE/kms"; }
KURENTO_NOT_RUN=""

# _kurento_media FILE : 60 s of a test picture and a tone, VP8 + Opus in WebM (KMS plays it).
_kurento_media() {
  mkdir -p "$(dirname "$1")"
  ffmpeg -v error -y -f lavfi -i testsrc2=size=320x240:rate=15 -f lavfi -i sine=frequency=440:sample_rate=48000 \
    -t 60 -c:v libvpx -b:v 300k -deadline realtime -cpu-used 8 -g 30 -c:a libopus -ac 2 "$1.tmp.webm" &&
    mv "$1.tmp.webm" "$1"
}

# kurento_start : starts KMS in the background (kms.sh may install packages first) and makes the test
# media; kurento_wait collects the outcome.
kurento_start() {
  local dir tool ports=${VCLICK_KMS_RTP_PORTS:-41000-41999}
  dir=$(_kurento_dir)
  tool=$(_kurento_tool)
  # Another KMS on the port would answer for this run's and vanish with its owner.
  port_free "${VCLICK_KMS_PORT:-18888}" || die "port ${VCLICK_KMS_PORT:-18888} is in use (another Kurento Media Server?)"
  mkdir -p "$dir" "$VCLICK_STATE/logs"
  rm -rf "$dir/start.rc" "$dir/url" "$dir/recordings"
  mkdir -p "$dir/recordings"
  (
    rc=0
    if [[ ! -x $tool/kms.sh ]]; then
      rc=127
    else
      # shellcheck disable=SC2046 # env_for (scripts/lib.sh): no secret of ours reaches KMS
      env $(env_for kurento) "$tool/kms.sh" start --state "$dir" --port "${VCLICK_KMS_PORT:-18888}" --address 127.0.0.1 \
        --min-port "${ports%-*}" --max-port "${ports#*-}" >"$dir/url" 2>"$VCLICK_STATE/logs/kms-start.log" || rc=$?
      if ((rc == 0)) && [[ ! -s $dir/media/av.webm ]]; then
        _kurento_media "$dir/media/av.webm" 2>>"$VCLICK_STATE/logs/kms-start.log" || rc=5
      fi
    fi
    echo "$rc" >"$dir/start.rc"
  ) &
  KURENTO_STARTER=$!
}

# kurento_wait : waits for kurento_start. KMS up: exports KMS_URL, KMS_MEDIA_URI, KMS_RECORDINGS_DIR.
# No tool, or not Debian 12 (kms.sh status 4): a loud banner, the Kurento tests will not run. Any other
# failure of a KMS that should run stops the run.
kurento_wait() {
  local dir rc t0=$SECONDS
  dir=$(_kurento_dir)
  if [[ -n ${KURENTO_STARTER:-} ]]; then wait "$KURENTO_STARTER" || true; fi
  KURENTO_STARTER=""
  rc=$(cat "$dir/start.rc" 2>/dev/null || echo 1)
  case "$rc" in
    0)
      export KMS_URL KMS_MEDIA_URI="file://$dir/media/av.webm" KMS_RECORDINGS_DIR="$dir/recordings"
      KMS_URL=$(tail -n 1 "$dir/url")
      log "kurento: KMS ready on $KMS_URL (log: $dir/kms.log; waited $((SECONDS - t0)) s)"
      ;;
    127 | 4)
      unset KMS_URL KMS_MEDIA_URI KMS_RECORDINGS_DIR
      if ((rc == 127)); then
        KURENTO_NOT_RUN="no Kurento Media Server tool at $(_kurento_tool) (kms.sh)"
      else
        KURENTO_NOT_RUN="$(tail -n 1 "$VCLICK_STATE/logs/kms-start.log" 2>/dev/null)"
      fi
      kurento_report
      ;;
    *)
      tail -n 20 "$VCLICK_STATE/logs/kms-start.log" >&2 || true
      die "Kurento Media Server did not start (status $rc; logs: $VCLICK_STATE/logs/kms-start.log, $dir/kms.log)"
      ;;
  esac
}

# kurento_report : the loud banner, when the Kurento tests could not run in this run.
kurento_report() {
  [[ -n $KURENTO_NOT_RUN ]] || return 0
  local line
  line=$(printf '%.0s*' {1..96})
  warn "$line"
  warn "*** THE KURENTO INTEGRATION TESTS DID NOT RUN (KurentoProxiedCallIT is skipped): no KMS"
  warn "*** $KURENTO_NOT_RUN"
  warn "$line"
}

# kurento_stop : stops the KMS of this profile (its state folder's pid only), if any.
kurento_stop() {
  local dir tool
  dir=$(_kurento_dir)
  tool=$(_kurento_tool)
  if [[ -n ${KURENTO_STARTER:-} ]]; then wait "$KURENTO_STARTER" 2>/dev/null || true; fi
  KURENTO_STARTER=""
  # Also the lab's KMS (e2e/lib/lab-kurento.js), should an interrupted run have left it.
  for dir in "$dir" "$VCLICK_STATE/kms-lab"; do
    if [[ -f $dir/kms.pid && -x $tool/kms.sh ]]; then
      "$tool/kms.sh" stop --state "$dir" || true
      log "kurento: stopped (${dir#"$VCLICK_STATE"/})"
    fi
  done
}
