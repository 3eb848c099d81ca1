#!/bin/sh
# Entry point of the course's single-user image (deploy/k8s/Dockerfile): gives the pod's uid a
# name, then runs the server.  Run it again in the grading server's terminal before
# `nbgrader collect` to learn the uids of students who started since.
#
# - The hub runs each user's server as a uid of its own (values.yaml, 20-dlcourse-uids.py),
#   which the image's /etc/passwd does not know; nbgrader needs a name for it (its exchange
#   names the submitter after the uid's name, and `jovyan` after $JUPYTERHUB_USER).  The line
#   added is "$JUPYTERHUB_USER:x:<uid>:<gid>::$HOME:/bin/bash".
# - In the grading server, the hub's map of every user's uid (/srv/nbgrader/users/passwd) is
#   merged too, so that `nbgrader collect` can check who owns each submission.
# PASSWD and UID_MAP may name other files (tests).
set -eu
PASSWD="${PASSWD:-/etc/passwd}"
UID_MAP="${UID_MAP:-/srv/nbgrader/users/passwd}"

add_line() {  # add_line LINE: append unless its name or uid is known already
    name=${1%%:*}
    uid=$(printf '%s\n' "$1" | cut -d: -f3)
    case "$name" in ""|*[!a-z0-9._-]*) return 0 ;; esac
    case "$uid" in ""|*[!0-9]*) return 0 ;; esac
    if cut -d: -f1 "$PASSWD" | grep -qx -- "$name"; then return 0; fi
    if cut -d: -f3 "$PASSWD" | grep -qx -- "$uid"; then return 0; fi
    printf '%s\n' "$1" >> "$PASSWD"
}

if [ -w "$PASSWD" ]; then
    me=$(id -u)
    if ! cut -d: -f3 "$PASSWD" | grep -qx -- "$me"; then
        add_line "${JUPYTERHUB_USER:-jovyan}:x:$me:$(id -g)::${HOME:-/home/jovyan}:/bin/bash"
    fi
    if [ -r "$UID_MAP" ]; then
        while IFS= read -r line; do add_line "$line"; done < "$UID_MAP"
    fi
fi
[ $# -gt 0 ] || exit 0
exec "$@"
