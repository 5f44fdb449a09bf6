/* gh-e2e-util.h: what the e2e tests share
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "gh-core.h"

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

/* Iterates the main context for @ms milliseconds: for what a person would do at their own
 * pace (a key held down), never to wait for something to be ready. */
void         gh_e2e_spin             (guint            ms);

/* A GhConnection to @uri, opened, and a plain libvirt connection of the test's own beside
 * it (the "other tool"); fails the test if either cannot open. */
GhConnection *gh_e2e_open_connection (const char      *uri,
                                      virConnectPtr   *plain);

/* A GhConnection to @uri, opened while the default GhOsDb (in @os_db) loads beside it;
 * fails the test if either fails. */
GhConnection *gh_e2e_open_with_os_db (const char      *uri,
                                      GhOsDb         **os_db);

/* Closes the test's own plain connection and its domain (either may be NULL): a test
 * does so before it kills the daemon, which they would die with. */
void         gh_e2e_close_plain      (virConnectPtr   *plain,
                                      virDomainPtr    *domain);

/* What a running guest writes on its first serial port (`<serial type='pty'>`), read from
 * the pty libvirt made for it: how a test knows that the guest is ready for what it sends
 * next, rather than waiting for time to pass. */
typedef struct _GhE2eSerial GhE2eSerial;

GhE2eSerial *gh_e2e_serial_open      (virDomainPtr     domain,
                                      GError         **error);
/* Iterates the main context until @needle was printed, or @seconds have passed. */
gboolean     gh_e2e_serial_wait_for  (GhE2eSerial     *serial,
                                      const char      *needle,
                                      int              seconds);
const char  *gh_e2e_serial_get_text  (GhE2eSerial     *serial);
void         gh_e2e_serial_free      (GhE2eSerial     *serial);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhE2eSerial, gh_e2e_serial_free)

/* Types @line and Enter into a guest's shell, after Ctrl+C: whatever a lost or early key
 * left on the line (half a command, an open quote) is thrown away first. */
typedef void (*GhE2eTypeLine) (const char *line,
                               gpointer    user_data);

/* Runs @command in the guest's shell, which must print @done on the serial port (through
 * `>/dev/ttyS0`, say) when it worked. Each try first types `echo gh-ready-N >@tty` and
 * waits up to 20 s for it to come back: only a shell that answered gets @command. A try
 * whose echo or @done does not come back starts again with Ctrl+C. FALSE after @seconds. */
gboolean     gh_e2e_shell_run        (GhE2eSerial     *serial,
                                      const char      *tty,
                                      GhE2eTypeLine    type_line,
                                      gpointer         user_data,
                                      const char      *command,
                                      const char      *done,
                                      int              seconds);

/* The pid of the session libvirtd (or virtqemud) that run-e2e's private XDG_RUNTIME_DIR
 * holds, or 0: the one a test may kill. */
GPid         gh_e2e_find_session_daemon (void);
/* Kills that daemon with SIGKILL, as when it crashes; a test closes its own plain
 * connection first, which would die with it. */
void         gh_e2e_kill_session_daemon (void);
/* Waits for a killed process to be gone (a zombie counts: its sockets are closed),
 * without iterating the main loop, so that nothing in this process notices yet. */
void         gh_e2e_wait_for_death      (GPid        pid);
/* How many times @needle is in the file at @path (a guest's serial log): 0 without it. */
guint        gh_e2e_count_in_file       (const char *path,
                                         const char *needle);

G_END_DECLS
