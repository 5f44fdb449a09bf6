/* gh-test-util.h: what the core tests share
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libvirt/libvirt.h>

#include "gh-core.h"
#include "gh-core-private.h"

G_BEGIN_DECLS

/* Seconds a test waits for something that should happen at once; generous so that a
 * sanitizer or valgrind run is slow but not failed. */
#define GH_TEST_TIMEOUT_SECONDS 30
/* Reading all of osinfo-db: seconds normally, but tens of seconds per test when the
 * sanitizer build unwinds every allocation's stack and several such tests run at once. */
#define GH_TEST_OSINFO_TIMEOUT_SECONDS 300

typedef gboolean (*GhTestCondition) (gpointer user_data);

/* Removes @path and all below it; symbolic links are removed, not followed. */
void          gh_test_remove_tree          (const char     *path);

/* g_test_init, a UTF-8 locale, and gh_core_init (). */
void          gh_test_init                 (int            *argc,
                                            char         ***argv);

/* Iterates the default main context until @condition returns TRUE or the deadline
 * passes; then fails the test with a message that names @what. */
void          _gh_test_wait_for            (GhTestCondition  condition,
                                            gpointer         user_data,
                                            const char      *what,
                                            const char      *file,
                                            int              line,
                                            const char      *func);
#define gh_test_wait_for(condition, user_data, what) \
  _gh_test_wait_for ((condition), (user_data), (what), __FILE__, __LINE__, G_STRFUNC)

/* One turn of the main context that returns after at most a few milliseconds even
 * when nothing is pending; FALSE once @deadline (monotonic µs) has passed. */
gboolean      gh_test_iterate_until        (gint64           deadline);
gint64        gh_test_deadline             (void);

/* The same as gh_test_wait_for(), for any C expression, and at most @seconds. */
#define gh_test_wait_until_within(expr, seconds, what)                                    \
  G_STMT_START {                                                                          \
    gint64 gh_test_deadline_ = g_get_monotonic_time () + (gint64) (seconds) * G_USEC_PER_SEC; \
    while (!(expr))                                                                       \
      {                                                                                   \
        if (!gh_test_iterate_until (gh_test_deadline_))                                  \
          {                                                                               \
            g_autofree char *gh_test_msg_ =                                               \
              g_strdup_printf ("timed out after %d s waiting for %s (%s)",                \
                               (int) (seconds), (what), #expr);                           \
            g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC,             \
                                 gh_test_msg_);                                           \
            break;                                                                        \
          }                                                                               \
      }                                                                                   \
  } G_STMT_END
#define gh_test_wait_until(expr, what) \
  gh_test_wait_until_within ((expr), GH_TEST_TIMEOUT_SECONDS, (what))

/* Keeps the main loop running for @msec: lets late, unwanted signals show up. */
void          gh_test_settle               (guint            msec);

/* A GAsyncReadyCallback that stores a new reference to the result in
 * *(GAsyncResult **) @user_data. */
void          gh_test_store_result         (GObject         *source,
                                            GAsyncResult    *result,
                                            gpointer         user_data);
/* Waits for what gh_test_store_result() stores. */
#define gh_test_wait_result(result_ptr, what) \
  gh_test_wait_until (*(result_ptr) != NULL, (what))

char         *gh_test_data_path            (const char      *file_name);
char         *gh_test_data_uri             (const char      *file_name);
/* $GREENHOUSE_CORPUS_DIR/@relative, or NULL when the outside corpus is not there. */
char         *gh_test_corpus_path          (const char      *relative);
char         *gh_test_read_file            (const char      *path);

/* The default GhOsDb, loaded now (again, when it was: that is instant); fails the test
 * when it cannot load. */
GhOsDb       *gh_test_load_os_db           (void);
/* The OS of osinfo-db whose short id is @short_id (NULL for NULL); fails the test when
 * the database has none. */
OsinfoOs     *gh_test_lookup_os            (GhOsDb          *db,
                                            const char      *short_id);

/* Opens @uri through GhConnection and fails the test unless it connects. */
GhConnection *gh_test_open_connection      (const char      *uri);
/* Closes @connection and waits until its list is empty. */
void          gh_test_close_connection     (GhConnection    *connection);

/* Runs `virsh -c URI list --all` and returns name → state as virsh words it
 * ("running", "shut off", ...). NULL with a message in @error when virsh is missing. */
GHashTable   *gh_test_virsh_list_all       (const char      *uri,
                                            GError         **error);
/* The word virsh uses for the libvirt state a GhMachineState comes from. */
const char   *gh_test_state_to_virsh       (GhMachineState   state);
/* Turns the main loop until @machine is in @state, or fails after the usual timeout. */
void          gh_test_wait_for_state       (GhMachine       *machine,
                                            GhMachineState   state);

/* How the tests' messages name @action ("shut down"). */
const char   *gh_test_action_name          (GhMachineAction  action);
/* gh_machine_perform_async (@machine, @action), waited for; its finish's answer. */
gboolean      gh_test_perform              (GhMachine       *machine,
                                            GhMachineAction  action,
                                            GError         **error);
/* Fails unless @machine may do @action, does it without error and gets to @expected. */
void          gh_test_perform_ok           (GhMachine       *machine,
                                            GhMachineAction  action,
                                            GhMachineState   expected);
/* @machine's definition, as the settings window reads it (with @autostart and the
 * @capacities of its volumes when asked); fails the test when it cannot be read. */
GhDomainEditor *gh_test_dup_editor         (GhMachine       *machine,
                                            gboolean        *autostart,
                                            GHashTable     **capacities);

/* Natural, case-insensitive order for ASCII letters and digits ("vm2" < "vm10"). */
int           gh_test_natural_compare      (const char      *a,
                                            const char      *b);

guint         gh_test_list_index_of        (GListModel      *model,
                                            gpointer         item);
GhMachine    *gh_test_list_find            (GhMachineList   *list,
                                            const char      *name);

/* Records every items-changed of a GListModel. */
typedef struct
{
  guint position;
  guint removed;
  guint added;
} GhTestItemsChange;

typedef struct
{
  GListModel *model;
  GArray     *changes; /* GhTestItemsChange */
  GPtrArray  *mirror;  /* the model as a view sees it, rebuilt from items-changed only */
  gulong      handler;
} GhTestItemsLog;

GhTestItemsLog *gh_test_items_log_new      (GListModel      *model);
void            gh_test_items_log_clear    (GhTestItemsLog  *log);
char           *gh_test_items_log_describe (GhTestItemsLog  *log);
/* Fails unless replaying the recorded items-changed gives what the model holds now:
 * a view (GtkListView) that trusts the signal would show something else otherwise. */
#define gh_test_items_log_assert_mirror(log) \
  _gh_test_items_log_assert_mirror ((log), __FILE__, __LINE__, G_STRFUNC)
void            _gh_test_items_log_assert_mirror (GhTestItemsLog *log,
                                                  const char     *file,
                                                  int             line,
                                                  const char     *func);
void            gh_test_items_log_free     (GhTestItemsLog  *log);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhTestItemsLog, gh_test_items_log_free)

/* Counts notify emissions per property name. */
typedef struct
{
  GObject    *object;
  GHashTable *counts; /* name → GUINT_TO_POINTER (count) */
  gulong      handler;
} GhTestNotifyLog;

GhTestNotifyLog *gh_test_notify_log_new    (gpointer          object);
guint            gh_test_notify_log_count  (GhTestNotifyLog  *log,
                                            const char       *property);
guint            gh_test_notify_log_total  (GhTestNotifyLog  *log);
char            *gh_test_notify_log_describe (GhTestNotifyLog *log);
void             gh_test_notify_log_clear  (GhTestNotifyLog  *log);
void             gh_test_notify_log_free   (GhTestNotifyLog  *log);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhTestNotifyLog, gh_test_notify_log_free)

/* Plain libvirt: what a user or another manager does behind Greenhouse's back. */
virConnectPtr gh_test_virt_open            (const char      *uri);
/* Runs @func (@data) in a thread of its own and returns what it returned: the display and
 * e2e suites' guard (tests/guard) aborts on libvirt calls made on the main thread. */
gpointer      gh_test_in_thread            (GThreadFunc      func,
                                            gpointer         data);
/* virConnectOpen (@uri) in a thread of its own; NULL when it fails. */
virConnectPtr gh_test_virt_open_in_thread  (const char      *uri);
void          gh_test_virt_close_in_thread (virConnectPtr    conn);
virDomainPtr  gh_test_virt_define          (virConnectPtr    conn,
                                            const char      *name,
                                            const char      *extra_xml);
char         *gh_test_virt_last_error      (void);

G_END_DECLS
