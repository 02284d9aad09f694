# Sourced by ./mvnw: Purser builds for Java 21, but a machine's default java may be older (17 here).
# Keep JAVA_HOME when it is a JDK >= 21; otherwise pick the newest JDK >= 21 from the usual places.
# The JDK's `release` file names its version; starting a JVM to ask costs 0.1-0.5 s a probe.
purser_java_major() {
  v=$(sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' "$1/release" 2>/dev/null | head -n 1)
  if [ -n "$v" ]; then echo "$v"; return 0; fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
purser_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(purser_java_major "$JAVA_HOME")
    [ "${v:-0}" -ge 21 ] 2>/dev/null && return 0
  fi
  best="" best_v=0
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$d/bin/javac" ] || continue
    v=$(purser_java_major "$d")
    if [ "${v:-0}" -ge 21 ] 2>/dev/null && [ "$v" -gt "$best_v" ]; then best="$d" best_v="$v"; fi
  done
  if [ -n "$best" ]; then
    JAVA_HOME="$best"; export JAVA_HOME
  else
    echo "Purser needs a JDK 21 or newer: set JAVA_HOME to one." >&2
    exit 1
  fi
}
purser_find_jdk
