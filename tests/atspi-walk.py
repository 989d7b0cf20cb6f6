#!/usr/bin/env python3
# tests/atspi-walk.py: what a screen reader hears from a running Antenna.
#
#   atspi-walk.py PID [WINDOW-TITLE...]
#
# Finds the application of process PID on the AT-SPI bus and walks the
# accessibility tree of each of its windows that is showing (or only those
# whose title is given), as Orca would. Every control a person can operate
# (buttons, toggles, entries, drop-downs, menu items, rows, expanders…) must
# have a name that says what it is:
#   - not empty;
#   - not a GTK class name (GtkImage, AdwSplitButton…): what GTK 4.8 falls
#     back to when nothing names the widget;
#   - no mnemonic read aloud: no underscore, no word said twice in a row
#     ("_Subscribe Subscribe": GTK 4.8 reads a button's label with its
#     underscore, then the label's text).
# One line per control that fails, then a count; exit status 1 when any
# failed, 2 when the application was not found.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import sys
import time

import faulthandler
import gi

faulthandler.enable()

gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

R = Atspi.Role
# The controls a person operates or reads as an item.
INTERACTIVE = {
    getattr(R, name) for name in (
        'PUSH_BUTTON', 'TOGGLE_BUTTON', 'CHECK_BOX', 'RADIO_BUTTON', 'MENU_ITEM',
        'CHECK_MENU_ITEM', 'RADIO_MENU_ITEM', 'COMBO_BOX', 'ENTRY', 'PASSWORD_TEXT',
        'SPIN_BUTTON', 'SLIDER', 'LINK', 'PAGE_TAB', 'LIST_ITEM', 'TREE_ITEM',
        'TABLE_ROW', 'MENU', 'TEXT', 'EDITBAR', 'SWITCH')
    if hasattr(R, name)
}
CLASS_NAME = re.compile(r'^(Gtk|Adw|Gsk|Gdk|GtkSource|Antenna)[A-Z][A-Za-z]*$')
DOUBLED_WORD = re.compile(r'\b([^\W\d_]{2,})\s+\1\b', re.IGNORECASE)
DOUBLED_PHRASE = re.compile(r'^(.+?)\s+\1$')
DUMP = bool(os.environ.get('ANTENNA_ATSPI_DUMP'))
WINDOW_ROLES = {R.FRAME, R.WINDOW, R.DIALOG, R.ALERT, R.FILE_CHOOSER}


def find_app(pid, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            try:
                if app is not None and app.get_process_id() == pid:
                    return app
            except gi.repository.GLib.Error:
                continue
        time.sleep(0.2)
    return None


def states(acc):
    try:
        return acc.get_state_set()
    except Exception:
        return None


def has_size(acc):
    try:
        ext = acc.get_extents(Atspi.CoordType.WINDOW)
    except Exception:
        return True
    return ext.width > 0 and ext.height > 0


def problem(name):
    if not name or not name.strip():
        return 'no name'
    if CLASS_NAME.match(name.strip()):
        return 'a class name'
    if '_' in name:
        return 'an underscore (mnemonic read aloud)'
    m = DOUBLED_PHRASE.match(name.strip()) or DOUBLED_WORD.search(name)
    if m:
        return f'"{m.group(1)}" twice'
    return None


def describe(acc):
    try:
        role = acc.get_role_name()
    except Exception:
        role = '?'
    try:
        name = acc.get_name()
    except Exception:
        name = ''
    return f'{role} "{name}"'


def walk(acc, path, offenders, depth=0):
    if depth > 80:
        return
    try:
        n = acc.get_child_count()
    except Exception:
        return
    for i in range(n):
        try:
            child = acc.get_child_at_index(i)
        except Exception:
            continue
        if child is None:
            continue
        st = states(child)
        role = child.get_role()
        name = child.get_name() or ''
        if DUMP:
            print('  ' * depth + describe(child) + ' ' + ','.join(
                s.value_nick for s in (st.get_states() if st else [])))
        if st is not None and not st.contains(Atspi.StateType.VISIBLE):
            continue
        # GTK 4.8 sets no SHOWING state: what was never laid out (a stack's
        # other pages, a closed popover) has no size, and is not on screen.
        if not has_size(child):
            continue
        here = path + [describe(child)]
        if role in INTERACTIVE:
            # A read-only text (a label drawn as text) is not a control.
            editable = st is not None and st.contains(Atspi.StateType.EDITABLE)
            if role != R.TEXT or editable:
                why = problem(name)
                if why:
                    offenders.append((why, here))
        walk(child, here, offenders, depth + 1)


def main():
    if len(sys.argv) < 2:
        sys.stderr.write('usage: atspi-walk.py PID [WINDOW-TITLE...]\n')
        return 2
    pid = int(sys.argv[1])
    titles = set(sys.argv[2:])
    Atspi.init()
    app = find_app(pid)
    if app is None:
        print(f'no application of process {pid} on the accessibility bus')
        return 2
    offenders = []
    windows = 0
    for i in range(app.get_child_count()):
        win = app.get_child_at_index(i)
        if win is None:
            continue
        title = win.get_name() or ''
        st = states(win)
        if titles and title not in titles:
            continue
        if not titles and st is not None and not st.contains(Atspi.StateType.SHOWING) \
                and not st.contains(Atspi.StateType.VISIBLE):
            continue
        windows += 1
        walk(win, [describe(win)], offenders)
    for why, path in offenders:
        print(f'{why}: ' + ' > '.join(path[-4:]))
    print(f'{len(offenders)} control(s) without a usable name in {windows} window(s)')
    return 1 if offenders else 0


if __name__ == '__main__':
    sys.exit(main())
