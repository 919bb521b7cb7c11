# Sourced by ./mvnw and ./flowfleet. Flowfleet needs JDK 25+ while a machine's default java may be
# older (17 on the build machines): keep JAVA_HOME when it already is 25+, otherwise take the newest
# JDK 25+ under /usr/lib/jvm (or $FLOWFLEET_JDK_SEARCH_DIR), and fail with a clear message if none.
flowfleet_java_feature() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1
}
flowfleet_select_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(flowfleet_java_feature "$JAVA_HOME")
    [ "${v:-0}" -ge 25 ] 2>/dev/null && return 0
  fi
  best=""; best_v=0
  search_dir="${FLOWFLEET_JDK_SEARCH_DIR:-/usr/lib/jvm}"
  # ls rather than a glob: mvnw runs with globbing off (set -f).
  for name in $(ls "$search_dir" 2>/dev/null); do
    home="$search_dir/$name"
    [ -x "$home/bin/javac" ] || continue
    v=$(flowfleet_java_feature "$home")
    if [ "${v:-0}" -ge 25 ] 2>/dev/null && [ "$v" -gt "$best_v" ]; then best="$home" best_v="$v"; fi
  done
  if [ -z "$best" ]; then
    echo "Flowfleet needs a JDK 25 or newer: set JAVA_HOME to one (none found under ${FLOWFLEET_JDK_SEARCH_DIR:-/usr/lib/jvm})." >&2
    exit 1
  fi
  JAVA_HOME="$best"
  export JAVA_HOME
}
flowfleet_select_jdk
