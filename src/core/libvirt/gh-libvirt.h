/* gh-libvirt.h: libvirt, set up once for the whole process
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Any thread, any number of times: what libvirt needs before its first connection (its
 * events on the GLib main loop, SIGPIPE ignored, no error printing of its own). */
void gh_libvirt_init (void);

G_END_DECLS
