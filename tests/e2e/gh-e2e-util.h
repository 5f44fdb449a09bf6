/* gh-e2e-util.h: what the e2e tests share
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* g_test_init() and the rest every e2e test needs. Returns FALSE when the test does not
 * run under tests/e2e/run-e2e, which gives it a session daemon of its own: then it has
 * registered @suite/not-isolated, which skips, and main() only calls g_test_run(). */
gboolean     gh_e2e_init             (int             *argc,
                                      char          ***argv,
                                      const char      *suite);

/* What a test adds to the message of a wait that timed out: the state of things. */
typedef const char *(*GhE2eDescribe) (void);
void         gh_e2e_set_describe     (GhE2eDescribe    describe);

/* A GAsyncReadyCallback that stores a new reference to the result in
 * *(GAsyncResult **) @user_data. */
/* The test's own plain libvirt calls on the main thread play "another tool": the suite's
 * main-thread guard (tests/guard) lets them through between TRUE and FALSE. */
void         gh_e2e_allow_outside_calls (gboolean      allow);

void         gh_e2e_store_result     (GObject         *object,
                                      GAsyncResult    *result,
                                      gpointer         user_data);

/* One turn of the main context, woken at least every 100 ms; FALSE once @deadline
 * (monotonic µs) has passed. */
gboolean     gh_e2e_iterate_until    (gint64           deadline);
G_NORETURN
void         gh_e2e_fail_waiting     (const char      *what,
                                      int              seconds);

/* Iterates the main context until COND holds; fails the test naming what it waited for
 * (a printf format and its arguments) otherwise. */
#define gh_e2e_wait_until(cond, seconds, ...)                                          \
  G_STMT_START {                                                                       \
    gint64 gh_e2e_deadline_ = g_get_monotonic_time () + (gint64) (seconds) * G_USEC_PER_SEC; \
    while (!(cond))                                                                    \
      if (!gh_e2e_iterate_until (gh_e2e_deadline_))                                    \
        {                                                                              \
          g_autofree char *gh_e2e_what_ = g_strdup_printf (__VA_ARGS__);               \
          gh_e2e_fail_waiting (gh_e2e_what_, (int) (seconds));                         \
        }                                                                              \
  } G_STMT_END

G_END_DECLS
