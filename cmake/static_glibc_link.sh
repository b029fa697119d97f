#!/bin/sh
# The linker launcher of the fully static drover-agent (CXX_LINKER_LAUNCHER in CMakeLists.txt):
# runs the link command given as arguments and drops glibc's notices that dlopen (libcrypto's
# DSO loader), getaddrinfo (hiredis' TCP connect) and gethostbyname (libcrypto's BIO) need
# glibc's shared libraries at run time. The agent never loads a DSO or resolves a name (the
# Redis probe takes an IP address, see the README), so the notices are expected on every link
# and say nothing new. Anything else the linker prints (errors, other warnings) passes through
# unchanged, and the exit status is the link's.
set -u
log=$(mktemp) || exit 1
"$@" 2>"$log"
status=$?
# A notice is two lines: "ld: <archive member>: in function `f':" then "(.text+0x11): warning:
# Using 'dlopen' in statically linked applications requires at runtime …".
awk '
  /: in function `/ { if (held != "") print held; held = $0; next }
  /warning: Using .(dlopen|getaddrinfo|gethostbyname). in statically linked applications/ {
    held = ""; next
  }
  { if (held != "") { print held; held = "" } print }
  END { if (held != "") print held }
' "$log" >&2
rm -f "$log"
exit "$status"
