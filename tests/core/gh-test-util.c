/* gh-test-util.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "gh-test-util.h"
#include "../guard/gh-libvirt-guard-check.h"

static void
drop_log_cb (const char     *log_domain,
             GLogLevelFlags  log_level,
             const char     *message,
             gpointer        user_data)
{
}

void
gh_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        gh_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
gh_test_init (int    *argc,
              char ***argv)
{
  /* Names are UTF-8 whatever the environment says; the app runs in a UTF-8 locale too. */
  gh_libvirt_guard_check_loaded ();

  if (setlocale (LC_ALL, "") == NULL || !g_get_charset (NULL))
    setlocale (LC_ALL, "C.UTF-8");

  g_test_init (argc, argv, NULL);

  /* libvirt-glib logs every event-loop timer at debug level, with no log domain; the
   * TAP log would drown in it. */
  if (g_getenv ("G_MESSAGES_DEBUG") == NULL)
    g_log_set_handler (NULL, G_LOG_LEVEL_DEBUG, drop_log_cb, NULL);

  gh_core_init ();
}

gint64
gh_test_deadline (void)
{
  return g_get_monotonic_time () + GH_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC;
}

static gboolean
wake_up_cb (gpointer user_data)
{
  gboolean *fired = user_data;

  *fired = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
gh_test_iterate_until (gint64 deadline)
{
  gboolean fired = FALSE;
  guint id;

  if (g_get_monotonic_time () >= deadline)
    return FALSE;

  /* A blocking iteration wakes up for events from worker threads; the timeout only
   * bounds the wait when nothing at all happens. */
  id = g_timeout_add (10, wake_up_cb, &fired);
  g_main_context_iteration (NULL, TRUE);
  if (!fired)
    g_source_remove (id);

  return TRUE;
}

void
_gh_test_wait_for (GhTestCondition  condition,
                   gpointer         user_data,
                   const char      *what,
                   const char      *file,
                   int              line,
                   const char      *func)
{
  gint64 deadline = gh_test_deadline ();

  while (!condition (user_data))
    {
      if (!gh_test_iterate_until (deadline))
        {
          g_autofree char *msg = g_strdup_printf ("timed out after %d s waiting for %s",
                                                  GH_TEST_TIMEOUT_SECONDS, what);

          g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
          return;
        }
    }
}

void
gh_test_settle (guint msec)
{
  gint64 until = g_get_monotonic_time () + (gint64) msec * 1000;

  while (gh_test_iterate_until (until))
    ;
}

void
gh_test_store_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

char *
gh_test_data_path (const char *file_name)
{
  const char *source_dir = g_getenv ("GREENHOUSE_SOURCE_DIR");
  g_autofree char *path = NULL;

  g_assert_nonnull (source_dir);
  path = g_build_filename (source_dir, "tests", "data", file_name, NULL);

  /* libvirt wants an absolute path after test://. */
  return g_canonicalize_filename (path, NULL);
}

/* $GREENHOUSE_CORPUS_DIR/@relative, absolute, or NULL when the outside corpus is not
 * there (the caller skips and says so). */
char *
gh_test_corpus_path (const char *relative)
{
  const char *corpus = g_getenv ("GREENHOUSE_CORPUS_DIR");
  g_autofree char *path = NULL;

  if (corpus == NULL)
    return NULL;

  path = g_build_filename (corpus, relative, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;

  return g_canonicalize_filename (path, NULL);
}

/* The contents of @path; fails the test when it cannot be read. */
char *
gh_test_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

char *
gh_test_data_uri (const char *file_name)
{
  g_autofree char *path = gh_test_data_path (file_name);

  return g_strconcat ("test://", path, NULL);
}

GhOsDb *
gh_test_load_os_db (void)
{
  GhOsDb *db = gh_os_db_get_default ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gh_os_db_load_async (db, NULL, gh_test_store_result, &result);
  gh_test_wait_until_within (result != NULL, GH_TEST_OSINFO_TIMEOUT_SECONDS,
                             "the OS database to load");
  g_assert_true (gh_os_db_load_finish (db, result, &error));
  g_assert_no_error (error);

  return db;
}

OsinfoOs *
gh_test_lookup_os (GhOsDb     *db,
                   const char *short_id)
{
  OsinfoOs *os;

  if (short_id == NULL)
    return NULL;

  os = gh_os_db_lookup_os (db, short_id);
  if (os == NULL)
    g_error ("osinfo-db has no OS “%s”", short_id);
  return os;
}

GhConnection *
gh_test_open_connection (const char *uri)
{
  g_autoptr(GhConnection) connection = gh_connection_new (uri);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_assert_cmpstr (gh_connection_get_uri (connection), ==, uri);

  gh_connection_open_async (connection, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the connection to open");
  ok = gh_connection_open_finish (connection, result, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (gh_connection_get_state (connection), ==, GH_CONNECTION_STATE_CONNECTED);
  g_assert_null (gh_connection_get_error (connection));

  return g_steal_pointer (&connection);
}

void
gh_test_close_connection (GhConnection *connection)
{
  GListModel *machines = G_LIST_MODEL (gh_connection_get_machines (connection));

  gh_connection_close (connection);
  gh_test_wait_until (gh_connection_get_state (connection)
                        == GH_CONNECTION_STATE_DISCONNECTED,
                      "the connection to close");
  gh_test_wait_until (g_list_model_get_n_items (machines) == 0,
                      "a closed connection's list to empty");
}

static const char * const virsh_states[] = {
  "running", "idle", "paused", "in shutdown", "shut off", "crashed", "pmsuspended",
};

GHashTable *
gh_test_virsh_list_all (const char  *uri,
                        GError     **error)
{
  g_autoptr(GHashTable) result = NULL;
  g_autofree char *virsh = g_find_program_in_path ("virsh");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) env = NULL;
  g_auto(GStrv) lines = NULL;
  int status;
  const char *argv[] = { NULL, "-q", "-c", uri, "list", "--all", NULL };

  if (virsh == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "virsh is not installed (Debian package libvirt-clients)");
      return NULL;
    }
  argv[0] = virsh;

  /* virsh escapes what its locale cannot print, and translates the state words. */
  env = g_get_environ ();
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_unsetenv (env, "LANGUAGE");

  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &status, error))
    return NULL;
  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "virsh -c %s list --all: %s: ", uri, err);
      return NULL;
    }

  result = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      const char *state = NULL;
      const char *rest;
      g_autofree char *name = NULL;

      if (*line == '\0')
        continue;

      /* "ID   NAME   STATE": the id is one word, the state one of a few known phrases,
       * and the name everything between (it may hold spaces). */
      rest = line + strcspn (line, " \t");
      for (guint j = 0; j < G_N_ELEMENTS (virsh_states); j++)
        if (g_str_has_suffix (rest, virsh_states[j]))
          state = virsh_states[j];
      if (state == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "cannot read virsh's line “%s”", line);
          return NULL;
        }

      name = g_strndup (rest, strlen (rest) - strlen (state));
      g_strstrip (name);
      g_hash_table_insert (result, g_steal_pointer (&name), (gpointer) state);
    }

  return g_steal_pointer (&result);
}

const char *
gh_test_state_to_virsh (GhMachineState state)
{
  switch (state)
    {
    case GH_MACHINE_STATE_SHUT_OFF:
      return "shut off";
    case GH_MACHINE_STATE_RUNNING:
      return "running";
    case GH_MACHINE_STATE_PAUSED:
      return "paused";
    case GH_MACHINE_STATE_SUSPENDED:
      return "pmsuspended";
    case GH_MACHINE_STATE_CRASHED:
      return "crashed";
    case GH_MACHINE_STATE_UNKNOWN:
    default:
      return "unknown";
    }
}

int
gh_test_natural_compare (const char *a,
                         const char *b)
{
  while (*a != '\0' && *b != '\0')
    {
      if (g_ascii_isdigit (*a) && g_ascii_isdigit (*b))
        {
          const char *a_end;
          const char *b_end;
          gsize a_len;
          gsize b_len;
          int cmp;

          while (*a == '0' && g_ascii_isdigit (a[1]))
            a++;
          while (*b == '0' && g_ascii_isdigit (b[1]))
            b++;
          for (a_end = a; g_ascii_isdigit (*a_end); a_end++)
            ;
          for (b_end = b; g_ascii_isdigit (*b_end); b_end++)
            ;
          a_len = a_end - a;
          b_len = b_end - b;
          if (a_len != b_len)
            return a_len < b_len ? -1 : 1;
          cmp = strncmp (a, b, a_len);
          if (cmp != 0)
            return cmp;
          a = a_end;
          b = b_end;
        }
      else
        {
          int ca = g_ascii_tolower (*a);
          int cb = g_ascii_tolower (*b);

          if (ca != cb)
            return ca < cb ? -1 : 1;
          a++;
          b++;
        }
    }

  if (*a == *b)
    return 0;
  return *a == '\0' ? -1 : 1;
}

guint
gh_test_list_index_of (GListModel *model,
                       gpointer    item)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) other = g_list_model_get_item (model, i);

      if ((gpointer) other == item)
        return i;
    }

  return G_MAXUINT;
}

GhMachine *
gh_test_list_find (GhMachineList *list,
                   const char    *name)
{
  GListModel *model = G_LIST_MODEL (list);
  guint n = g_list_model_get_n_items (model);

  /* Walks the model itself rather than trusting lookup_by_name, which is under test. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhMachine) machine = g_list_model_get_item (model, i);

      if (g_strcmp0 (gh_machine_get_name (machine), name) == 0)
        return machine;
    }

  return NULL;
}

static void
items_changed_cb (GListModel     *model,
                  guint           position,
                  guint           removed,
                  guint           added,
                  GhTestItemsLog *log)
{
  GhTestItemsChange change = { position, removed, added };

  g_array_append_val (log->changes, change);

  if (position + removed > log->mirror->len)
    {
      g_autofree char *msg = g_strdup_printf ("items-changed (%u, -%u, +%u) removes rows "
                                              "beyond the %u the model had",
                                              position, removed, added, log->mirror->len);

      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
      return;
    }
  g_ptr_array_remove_range (log->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (log->mirror, position + i, g_list_model_get_item (model, position + i));
}

void
_gh_test_items_log_assert_mirror (GhTestItemsLog *log,
                                  const char     *file,
                                  int             line,
                                  const char     *func)
{
  guint n = g_list_model_get_n_items (log->model);
  g_autofree char *msg = NULL;

  if (n != log->mirror->len)
    msg = g_strdup_printf ("the model has %u items but its items-changed signals "
                           "account for %u", n, log->mirror->len);

  for (guint i = 0; msg == NULL && i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (log->model, i);

      if ((gpointer) item != g_ptr_array_index (log->mirror, i))
        msg = g_strdup_printf ("row %u changed without an items-changed for it", i);
    }

  if (msg != NULL)
    g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
}

GhTestItemsLog *
gh_test_items_log_new (GListModel *model)
{
  GhTestItemsLog *log = g_new0 (GhTestItemsLog, 1);

  log->model = g_object_ref (model);
  log->changes = g_array_new (FALSE, FALSE, sizeof (GhTestItemsChange));
  log->mirror = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (log->mirror, g_list_model_get_item (model, i));
  log->handler = g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), log);

  return log;
}

void
gh_test_items_log_clear (GhTestItemsLog *log)
{
  g_array_set_size (log->changes, 0);
}

char *
gh_test_items_log_describe (GhTestItemsLog *log)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < log->changes->len; i++)
    {
      const GhTestItemsChange *c = &g_array_index (log->changes, GhTestItemsChange, i);

      g_string_append_printf (s, "%s(%u, -%u, +%u)", i ? ", " : "",
                              c->position, c->removed, c->added);
    }
  g_string_append_c (s, ']');

  return g_string_free (s, FALSE);
}

void
gh_test_items_log_free (GhTestItemsLog *log)
{
  g_clear_signal_handler (&log->handler, log->model);
  g_clear_object (&log->model);
  g_array_unref (log->changes);
  g_ptr_array_unref (log->mirror);
  g_free (log);
}

static void
notify_cb (GObject         *object,
           GParamSpec      *pspec,
           GhTestNotifyLog *log)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, pspec->name));

  g_hash_table_insert (log->counts, g_strdup (pspec->name), GUINT_TO_POINTER (count + 1));
}

GhTestNotifyLog *
gh_test_notify_log_new (gpointer object)
{
  GhTestNotifyLog *log = g_new0 (GhTestNotifyLog, 1);

  log->object = g_object_ref (object);
  log->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  log->handler = g_signal_connect (object, "notify", G_CALLBACK (notify_cb), log);

  return log;
}

guint
gh_test_notify_log_count (GhTestNotifyLog *log,
                          const char      *property)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, property));
}

guint
gh_test_notify_log_total (GhTestNotifyLog *log)
{
  GHashTableIter iter;
  gpointer value;
  guint total = 0;

  g_hash_table_iter_init (&iter, log->counts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    total += GPOINTER_TO_UINT (value);

  return total;
}

char *
gh_test_notify_log_describe (GhTestNotifyLog *log)
{
  GString *s = g_string_new ("{");
  GHashTableIter iter;
  gpointer key;
  gpointer value;
  gboolean first = TRUE;

  g_hash_table_iter_init (&iter, log->counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_string_append_printf (s, "%s%s: %u", first ? "" : ", ", (const char *) key,
                              GPOINTER_TO_UINT (value));
      first = FALSE;
    }
  g_string_append_c (s, '}');

  return g_string_free (s, FALSE);
}

void
gh_test_notify_log_clear (GhTestNotifyLog *log)
{
  g_hash_table_remove_all (log->counts);
}

void
gh_test_notify_log_free (GhTestNotifyLog *log)
{
  g_clear_signal_handler (&log->handler, log->object);
  g_clear_object (&log->object);
  g_hash_table_unref (log->counts);
  g_free (log);
}

char *
gh_test_virt_last_error (void)
{
  const char *message = virGetLastErrorMessage ();

  return g_strdup (message != NULL ? message : "no libvirt error");
}

virConnectPtr
gh_test_virt_open (const char *uri)
{
  virConnectPtr conn = virConnectOpen (uri);

  if (conn == NULL)
    {
      g_autofree char *msg = gh_test_virt_last_error ();

      g_error ("virConnectOpen (%s) failed: %s", uri, msg);
    }

  return conn;
}

gpointer
gh_test_in_thread (GThreadFunc func,
                   gpointer    data)
{
  GThread *thread = g_thread_new ("test-libvirt", func, data);

  return g_thread_join (thread);
}

static gpointer
virt_open_thread (gpointer data)
{
  return virConnectOpen (data);
}

virConnectPtr
gh_test_virt_open_in_thread (const char *uri)
{
  return gh_test_in_thread (virt_open_thread, (gpointer) uri);
}

static gpointer
virt_close_thread (gpointer data)
{
  virConnectClose (data);
  return NULL;
}

void
gh_test_virt_close_in_thread (virConnectPtr conn)
{
  gh_test_in_thread (virt_close_thread, conn);
}

virDomainPtr
gh_test_virt_define (virConnectPtr  conn,
                     const char    *name,
                     const char    *extra_xml)
{
  g_autofree char *escaped = g_markup_escape_text (name, -1);
  g_autofree char *xml = NULL;
  virDomainPtr domain;

  xml = g_strdup_printf ("<domain type='test'>"
                         "<name>%s</name>"
                         "<memory unit='MiB'>256</memory>"
                         "<vcpu>1</vcpu>"
                         "<os><type arch='x86_64'>hvm</type></os>"
                         "%s"
                         "</domain>",
                         escaped, extra_xml ? extra_xml : "");
  domain = virDomainDefineXML (conn, xml);
  if (domain == NULL)
    {
      g_autofree char *msg = gh_test_virt_last_error ();

      g_error ("virDomainDefineXML (%s) failed: %s", name, msg);
    }

  return domain;
}

typedef struct
{
  GhMachine      *machine;
  GhMachineState  state;
} StateWait;

static gboolean
machine_in_state (gpointer user_data)
{
  StateWait *wait = user_data;

  return gh_machine_get_state (wait->machine) == wait->state;
}

void
gh_test_wait_for_state (GhMachine      *machine,
                        GhMachineState  state)
{
  StateWait wait = { machine, state };
  g_autofree char *what = g_strdup_printf ("“%s” to become %s",
                                           gh_machine_get_name (machine),
                                           gh_test_state_to_virsh (state));

  gh_test_wait_for (machine_in_state, &wait, what);
}

const char *
gh_test_action_name (GhMachineAction action)
{
  switch (action)
    {
    case GH_MACHINE_ACTION_START: return "start";
    case GH_MACHINE_ACTION_SHUT_DOWN: return "shut down";
    case GH_MACHINE_ACTION_FORCE_OFF: return "force off";
    case GH_MACHINE_ACTION_REBOOT: return "reboot";
    case GH_MACHINE_ACTION_PAUSE: return "pause";
    case GH_MACHINE_ACTION_RESUME: return "resume";
    default: return "?";
    }
}

gboolean
gh_test_perform (GhMachine        *machine,
                 GhMachineAction   action,
                 GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *what = g_strdup_printf ("“%s” to %s", gh_machine_get_name (machine),
                                           gh_test_action_name (action));

  gh_machine_perform_async (machine, action, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, what);
  return gh_machine_perform_finish (machine, result, error);
}

void
gh_test_perform_ok (GhMachine       *machine,
                    GhMachineAction  action,
                    GhMachineState   expected)
{
  g_autoptr(GError) error = NULL;

  g_test_message ("%s: %s", gh_machine_get_name (machine), gh_test_action_name (action));
  g_assert_true (gh_machine_can_perform (machine, action));
  g_assert_true (gh_test_perform (machine, action, &error));
  g_assert_no_error (error);
  gh_test_wait_for_state (machine, expected);
}

GhDomainEditor *
gh_test_dup_editor (GhMachine   *machine,
                    gboolean    *autostart,
                    GHashTable **capacities)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GhDomainEditor *editor;

  gh_machine_dup_editor_async (machine, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the machine's definition");
  editor = gh_machine_dup_editor_finish (machine, result, autostart, capacities, &error);
  g_assert_no_error (error);
  g_assert_nonnull (editor);

  return editor;
}
