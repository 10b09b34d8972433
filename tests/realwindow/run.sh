#!/bin/sh
# run inside xvfb-run: a window manager, then the tests on the xcb platform
openbox >/dev/null 2>&1 &
WM=$!
sleep 1
QT_QPA_PLATFORM=xcb "$@"
RC=$?
kill $WM 2>/dev/null
exit $RC
