#!/usr/bin/env bash
# The demo (the README's main command): installs the prerequisites, builds quire-ci.jar / quire-ci.hpi (and validates
# examples/ci.fnl with the command-line runner), starts Docker
# and builds the local test images, then runs the real Hudson 1.395 with the plugin installed, its home in work/
# (git-ignored), listening on 127.0.0.1 only. Creates the demo job "quire-demo" if it is missing (the pipeline from
# scripts/demo/ci.fnl in its workspace, a demo secret configured), triggers a build and prints the URLs.
# Ctrl-C stops Hudson and removes every container its builds left.
#
# Environment: QUIRE_DEMO_PORT (HTTP port, default 8080; the UDP discovery port is PORT+1),
#              QUIRE_DEMO_NO_WAIT=1 (stop after the first build, exit 0 only if it succeeded: scripts/demo-check.sh)
#              MAVEN_REPO (local Maven repository, default ~/.m2/repository)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PORT=${QUIRE_DEMO_PORT:-8080}
URL="http://127.0.0.1:$PORT"
HOME_DIR="$ROOT/work"
JOB=quire-demo
DEMO_SECRET="demo-upload-token-s3cr3t"

say() { echo "[demo] $*"; }
die() { echo "[demo] ERROR: $*" >&2; exit 1; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if port_busy "$PORT"; then
  die "port $PORT on 127.0.0.1 is in use (another demo still running?); choose another with QUIRE_DEMO_PORT=..."
fi

say "1/6 prerequisites (JDK 17, Maven, git, curl)"
bash scripts/install-prereqs.sh --no-browser

say "2/6 building the plugin: mvn -B -q package -Dmaven.test.skip=true"
mvn -B -q package -Dmaven.test.skip=true
[ -f target/quire-ci.hpi ] || die "the build did not produce target/quire-ci.hpi"
say "   java -jar target/quire-ci.jar validate --file examples/ci.fnl"
java -jar target/quire-ci.jar validate --file examples/ci.fnl | sed 's/^/   /'
java -jar target/quire-ci.jar validate --file scripts/demo/ci.fnl > /dev/null \
  || die "the demo pipeline scripts/demo/ci.fnl does not validate"

say "3/6 Docker engine and the local images (scripts/ensure-docker.sh)"
bash scripts/ensure-docker.sh

say "4/6 Hudson 1.395 with home $HOME_DIR"
# the build resolved the war as a test dependency; fall back to copying it out of Maven
WAR="${MAVEN_REPO:-$HOME/.m2/repository}/org/jvnet/hudson/main/hudson-war/1.395/hudson-war-1.395.war"
if [ ! -f "$WAR" ]; then
  mkdir -p target/demo
  mvn -B -q dependency:copy -Dartifact=org.jvnet.hudson.main:hudson-war:1.395:war -DoutputDirectory=target/demo
  WAR=$ROOT/target/demo/hudson-war-1.395.war
fi
[ -f "$WAR" ] || die "hudson-war-1.395.war not found"

mkdir -p "$HOME_DIR/plugins" "$HOME_DIR/.java-tmp" "$HOME_DIR/.vendorfix/classes"
rm -rf "$HOME_DIR/plugins/quire-ci" "$HOME_DIR/plugins/quire-ci.hpi" "$HOME_DIR/plugins/quire-ci.hpi.pinned"
cp target/quire-ci.hpi "$HOME_DIR/plugins/quire-ci.hpi"
if [ ! -f "$HOME_DIR/config.xml" ]; then
  # no JNLP agent port (it would open a random TCP port on all interfaces)
  printf "<?xml version='1.0' encoding='UTF-8'?>\n<hudson>\n  <numExecutors>2</numExecutors>\n  <slaveAgentPort>-1</slaveAgentPort>\n</hudson>\n" \
    > "$HOME_DIR/config.xml"
else
  sed -i 's#<slaveAgentPort>[^<]*</slaveAgentPort>#<slaveAgentPort>-1</slaveAgentPort>#' "$HOME_DIR/config.xml"
fi

# Hudson 1.395's XStream refuses to start unless java.vm.vendor names a vendor it knows: a one-class Java agent sets it.
AGENT="$HOME_DIR/.vendorfix/vendorfix.jar"
if [ ! -f "$AGENT" ]; then
  javac --release 8 -d "$HOME_DIR/.vendorfix/classes" src/test/java/io/jenkins/plugins/quire/e2e/VendorFixAgent.java
  printf 'Premain-Class: io.jenkins.plugins.quire.e2e.VendorFixAgent\n' > "$HOME_DIR/.vendorfix/manifest.txt"
  jar cfm "$AGENT" "$HOME_DIR/.vendorfix/manifest.txt" -C "$HOME_DIR/.vendorfix/classes" .
fi

OPENS=()
for m in java.base/java.lang java.base/java.util java.base/java.lang.reflect java.base/java.io java.base/java.text \
         java.base/java.net java.base/java.util.concurrent java.base/java.util.regex java.base/java.nio.charset \
         java.base/java.security java.base/java.lang.ref java.logging/java.util.logging java.desktop/java.awt.font \
         java.desktop/javax.swing; do
  OPENS+=(--add-opens "$m=ALL-UNNAMED")
done

LOG="$HOME_DIR/hudson.log"
HUDSON_HOME="$HOME_DIR" java -javaagent:"$AGENT" "${OPENS[@]}" --add-exports java.base/sun.util.calendar=ALL-UNNAMED \
  -Xmx768m -Djava.io.tmpdir="$HOME_DIR/.java-tmp" -Djava.awt.headless=true \
  -Dhudson.DNSMultiCast.disabled=true -Dhudson.udp=$((PORT + 1)) \
  -jar "$WAR" --httpPort="$PORT" --httpListenAddress=127.0.0.1 --httpsPort=-1 --ajp13Port=-1 \
  > "$LOG" 2>&1 &
PID=$!
OWNER="$URL/"

cleanup() {
  trap - INT TERM EXIT
  echo
  say "stopping Hudson (pid $PID)"
  kill "$PID" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$PID" 2>/dev/null || break; sleep 1; done
  kill -9 "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  local left
  left=$(docker ps -aq --filter "label=io.quire.owner=$OWNER" 2>/dev/null || true)
  if [ -n "$left" ]; then
    say "removing containers left by demo builds: $(echo $left)"
    docker rm -f $left >/dev/null || true
  fi
  say "stopped; containers labelled io.quire.owner=$OWNER: $(docker ps -aq --filter "label=io.quire.owner=$OWNER" | wc -l)"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

code=000
for _ in $(seq 1 360); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/json" || true)
  [ "$code" = 200 ] && break
  kill -0 "$PID" 2>/dev/null || { tail -30 "$LOG" >&2; die "Hudson exited during start-up (log: $LOG)"; }
  sleep 0.5
done
[ "$code" = 200 ] || { tail -30 "$LOG" >&2; die "Hudson did not answer $URL/api/json (last HTTP $code; log: $LOG)"; }
say "Hudson is up at $URL (pid $PID, log $LOG)"

# The root URL doubles as the container owner label, so this server's containers are told apart from others'.
curl -sf -o /dev/null --data-urlencode "script=hudson.tasks.Mailer.descriptor().setHudsonUrl('$OWNER')" "$URL/scriptText" \
  || die "could not set the root URL through $URL/scriptText"
curl -sf --data-urlencode "script=def p = hudson.model.Hudson.instance.pluginManager.getPlugin('quire-ci'); println(p == null ? 'MISSING' : p.shortName + ' ' + p.version + ' active=' + p.isActive())" \
  "$URL/scriptText" | sed 's/^/[demo] plugin: /'

say "5/6 demo job '$JOB'"
WS="$HOME_DIR/jobs/$JOB/workspace"
if [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/job/$JOB/api/json")" != 200 ]; then
  cat > "$HOME_DIR/.java-tmp/demo-job.xml" <<'XML'
<?xml version='1.0' encoding='UTF-8'?>
<project>
  <description>Quire CI demo: runs .quire/ci.fnl from this job's workspace in Docker (image quire-test:debian).</description>
  <keepDependencies>false</keepDependencies>
  <properties/>
  <scm class="hudson.scm.NullSCM"/>
  <canRoam>true</canRoam>
  <disabled>false</disabled>
  <blockBuildWhenUpstreamBuilding>false</blockBuildWhenUpstreamBuilding>
  <triggers class="vector"/>
  <concurrentBuild>false</concurrentBuild>
  <builders>
    <io.jenkins.plugins.quire.jenkins.QuireBuilder>
      <file>.quire/ci.fnl</file>
      <timeout>10</timeout>
      <secrets/>
    </io.jenkins.plugins.quire.jenkins.QuireBuilder>
  </builders>
  <publishers/>
  <buildWrappers/>
</project>
XML
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/xml' \
    --data-binary @"$HOME_DIR/.java-tmp/demo-job.xml" "$URL/createItem?name=$JOB")
  [ "$code" = 200 ] || die "creating the job answered HTTP $code"
  # The secret goes in through the configure form, as a user types it: config.xml then holds it encrypted.
  FORM='{"name":"'$JOB'","description":"Quire CI demo: runs .quire/ci.fnl from this job'"'"'s workspace in Docker (image quire-test:debian).","builder":{"kind":"io.jenkins.plugins.quire.jenkins.QuireBuilder$DescriptorImpl","stapler-class":"io.jenkins.plugins.quire.jenkins.QuireBuilder","file":".quire/ci.fnl","image":"","timeout":"10","secrets":[{"name":"upload_token","value":"'$DEMO_SECRET'"}]}}'
  code=$(curl -s -o /dev/null -w '%{http_code}' --data-urlencode "json=$FORM" --data-urlencode "Submit=Save" \
    "$URL/job/$JOB/configSubmit")
  [ "$code" = 302 ] || die "saving the demo secret answered HTTP $code"
  say "created job $JOB with secret upload_token (stored encrypted in work/jobs/$JOB/config.xml)"
else
  say "job $JOB exists"
fi
if [ ! -f "$WS/.quire/ci.fnl" ]; then
  mkdir -p "$WS/.quire"
  cp scripts/demo/ci.fnl "$WS/.quire/ci.fnl"
  say "wrote the demo pipeline to $WS/.quire/ci.fnl"
fi

say "6/6 triggering a build"
N=$(curl -sf "$URL/job/$JOB/api/json" | sed -n 's/.*"nextBuildNumber":\([0-9]*\).*/\1/p')
curl -s -o /dev/null -X POST "$URL/job/$JOB/build?delay=0sec"
result=""
for _ in $(seq 1 600); do
  body=$(curl -s "$URL/job/$JOB/$N/api/json" || true)
  case "$body" in
    *'"building":false'*) result=$(echo "$body" | sed -n 's/.*"result":"\([A-Z_]*\)".*/\1/p'); break ;;
  esac
  sleep 0.5
done
say "build #$N finished: ${result:-still running}"
curl -s "$URL/job/$JOB/$N/consoleText" | sed -n '/Summary:/,$p' | LC_ALL=C sed 's/^[^ -~]*//; s/^/    /'

cat <<EOF

  Quire CI demo is running at   $URL/
  the demo job:                  $URL/job/$JOB/
  this build's console:          $URL/job/$JOB/$N/console
  this build's Quire CI page:    $URL/job/$JOB/$N/quire/
  the pipeline (edit, then "Build Now"): $WS/.quire/ci.fnl
EOF

if [ "${QUIRE_DEMO_NO_WAIT:-0}" = 1 ]; then
  [ "$result" = SUCCESS ] || die "the demo build ended ${result:-unfinished}"
  exit 0
fi
echo "  Press Ctrl-C to stop Hudson (running builds are aborted, their containers removed)."
while kill -0 "$PID" 2>/dev/null; do sleep 1; done
say "Hudson exited by itself; see $LOG"
