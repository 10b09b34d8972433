#!/bin/sh
# Launcher installed as /usr/bin/opora by the .deb: the program lives in /opt/opora.
exec /opt/opora/opora "$@"
