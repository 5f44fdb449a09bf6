/* gh-machine-edit.c: reading and changing a machine's definition, name and autostart
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>
#include <libvirt/virterror.h>

#include "gh-domain-disks.h"
#include "gh-domain-editor.h"
#include "gh-error-private.h"
#include "gh-machine-private.h"
#include "gh-text.h"

typedef struct
{
  MachineTask       base;
  GhDomainEditFunc  func;
  gpointer          func_data;
  GDestroyNotify    func_data_destroy;
  char             *part;   /* XPath of what the edit changes */
  char             *seen;   /* @part as the user saw it, or NULL */
} EditData;

static void
edit_data_free (EditData *data)
{
  _gh_machine_task_clear (&data->base);
  if (data->func_data_destroy != NULL)
    data->func_data_destroy (data->func_data);
  g_free (data->part);
  g_free (data->seen);
  g_free (data);
}

typedef struct
{
  MachineTask  base;
  char        *new_name;
} RenameData;

static void
rename_data_free (RenameData *data)
{
  _gh_machine_task_clear (&data->base);
  g_free (data->new_name);
  g_free (data);
}

typedef struct
{
  MachineTask  base;
  gboolean     autostart;
} AutostartData;

static void
autostart_data_free (AutostartData *data)
{
  _gh_machine_task_clear (&data->base);
  g_free (data);
}

/* Runs in a worker: the persistent definition of @domain, to be edited. SECURE keeps the
 * display's password, which a definition without it would lose. */
GhDomainEditor *
_gh_machine_read_editor (MachineTask   *data,
                         virDomainPtr   domain,
                         unsigned int   flags,
                         GError       **error)
{
  GhDomainEditor *editor;
  char *xml;

  /* The inactive definition is the one that lasts: a running machine's live XML holds
   * what QEMU made of it (aliases, addresses, ports) and would become its next config. */
  xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE | flags);
  if (xml == NULL)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_FAILED, data->failure);
      return NULL;
    }

  editor = gh_domain_editor_new (xml, error);
  free (xml);
  if (editor == NULL)
    g_prefix_error (error, "%s: ", data->failure);

  return editor;
}

/* Runs in a worker: defines what @editor holds, validated against libvirt's schema. */
gboolean
_gh_machine_define_editor (MachineTask     *data,
                           GhDomainEditor  *editor,
                           GError         **error)
{
  g_autofree char *edited = gh_domain_editor_to_xml (editor);
  virDomainPtr defined;

  defined = virDomainDefineXMLFlags (data->conn, edited, VIR_DOMAIN_DEFINE_VALIDATE);
  if (defined == NULL)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_FAILED, data->failure);
      return FALSE;
    }

  /* A running machine keeps its live configuration until it stops. */
  data->next_boot = virDomainIsActive (defined) == 1;
  virResetLastError ();
  virDomainFree (defined);

  return TRUE;
}

static void
set_conflict (MachineTask  *data,
              GError      **error)
{
  _gh_error_set (error, GH_ERROR_CONFLICT, data->failure,
                 _("another program changed this setting since it was shown. Look at it as "
                   "it is now, and make the change again if you still want it"));
}

/* Runs in a worker: whether @part of the definition is still @before, the text it had
 * when the edit read it. libvirt has no "define if unchanged": reading again just
 * before the define leaves another program only the time of one call to slip in. */
static gboolean
part_unchanged (EditData      *data,
                virDomainPtr   domain,
                const char    *before,
                GError       **error)
{
  g_autoptr(GhDomainEditor) now = _gh_machine_read_editor (&data->base, domain,
                                                           VIR_DOMAIN_XML_SECURE, error);
  g_autofree char *part = NULL;

  if (now == NULL)
    return FALSE;
  part = gh_domain_editor_dup_part (now, data->part);
  if (g_strcmp0 (part, before) == 0)
    return TRUE;

  set_conflict (&data->base, error);
  return FALSE;
}

/* Runs in a worker, after the define: libvirt fills in defaults, but it also quietly
 * rewrites what it does not accept (a memory size the NUMA nodes and memory modules add
 * up differently, a network card option of another model). What the user asked for must
 * be what the machine has; if it is not, the definition goes back to what it was and
 * the user learns why, rather than being told the change was made. */
static gboolean
check_kept (EditData        *data,
            virDomainPtr     domain,
            GhDomainEditor  *asked,
            const char      *original,
            GError         **error)
{
  g_autoptr(GhDomainEditor) stored = _gh_machine_read_editor (&data->base, domain,
                                                              VIR_DOMAIN_XML_SECURE, error);
  g_autofree char *lost = NULL;
  g_autofree char *detail = NULL;
  virDomainPtr restored;

  if (stored == NULL)
    return FALSE;
  lost = gh_domain_editor_dup_lost (asked, stored, data->part);
  if (lost == NULL)
    return TRUE;

  restored = virDomainDefineXMLFlags (data->base.conn, original, 0);
  if (restored != NULL)
    {
      /* Translators: %s says what libvirt changed, like "<memory> holds 1310720, not
       * 1048576" */
      detail = g_strdup_printf (_("libvirt saved it differently (%s), so the settings were "
                                  "put back as they were. Other settings of the machine "
                                  "decide this one: change them together with virsh edit"),
                                lost);
      virDomainFree (restored);
    }
  else
    {
      /* Translators: the first %s says what libvirt changed, the second why the old
       * settings could not be put back */
      detail = g_strdup_printf (_("libvirt saved it differently (%s), and the settings could "
                                  "not be put back as they were (%s). Check them with "
                                  "virsh edit"),
                                lost, virGetLastErrorMessage ());
    }
  virResetLastError ();
  _gh_error_set (error, GH_ERROR_NOT_KEPT, data->base.failure, detail);
  return FALSE;
}

/* Runs in a worker: the persistent definition, edited and defined again. */
G_LOCK_DEFINE_STATIC (edits);

static void
edit_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  EditData *data = task_data;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *original = NULL;
  g_autofree char *before = NULL;
  virDomainPtr domain;

  domain = _gh_machine_lookup_domain (&data->base, &error);
  if (domain == NULL)
    goto out;

  /* Read, change, define: one edit at a time, or two edits started together (memory and
   * processors, say) would both start from the same definition and the second define
   * would take back the first. */
  G_LOCK (edits);

  editor = _gh_machine_read_editor (&data->base, domain, VIR_DOMAIN_XML_SECURE, &error);
  if (editor == NULL)
    goto unlock;
  original = gh_domain_editor_to_xml (editor);
  before = gh_domain_editor_dup_part (editor, data->part);

  /* The edit is applied to the definition as it is now; but if another program changed
   * what it is about to change since the user saw it, the user decided on something
   * they no longer see. */
  if (data->seen != NULL && g_strcmp0 (before, data->seen) != 0)
    {
      set_conflict (&data->base, &error);
      goto unlock;
    }

  if (!data->func (editor, data->func_data, &error))
    {
      g_prefix_error (&error, "%s: ", data->base.failure);
      goto unlock;
    }

  /* Nothing has changed yet: a cancelled edit changes nothing. */
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    goto unlock;

  if (part_unchanged (data, domain, before, &error)
      && _gh_machine_define_editor (&data->base, editor, &error))
    check_kept (data, domain, editor, original, &error);

unlock:
  G_UNLOCK (edits);
out:
  g_clear_pointer (&domain, virDomainFree);
  g_clear_pointer (&editor, g_object_unref);
  _gh_machine_task_return_boolean (&data->base, task, g_steal_pointer (&error));
}

/**
 * gh_machine_edit_async:
 * @part: (nullable): an XPath expression that selects what @func changes (see
 *   gh_domain_editor_dup_part()); NULL: the whole definition
 * @seen: (nullable): @part as the user saw it when they decided on the change; NULL: no
 *   check
 * @func: changes the machine's definition, in a worker thread
 * @func_data_destroy: frees @func_data once the task is done, on any thread
 *
 * Reads the machine's persistent definition, lets @func change it through a
 * #GhDomainEditor, and defines the result, validated against libvirt's schema. What
 * @func does not touch stays as it was. The machine's properties follow through the
 * libvirt event the definition causes, as for a change made elsewhere.
 *
 * It fails with %GH_ERROR_CONFLICT, changing nothing, when @part is no longer @seen, or
 * changes between the read and the define; and with %GH_ERROR_NOT_KEPT, the definition
 * put back as it was, when libvirt did not keep all that @func made of @part.
 */
void
gh_machine_edit_async (GhMachine           *self,
                       const char          *part,
                       const char          *seen,
                       GhDomainEditFunc     func,
                       gpointer             func_data,
                       GDestroyNotify       func_data_destroy,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  EditData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (EditData, 1);
  data->func = func;
  data->func_data = func_data;
  data->func_data_destroy = func_data_destroy;
  data->part = g_strdup (part != NULL ? part : "/domain");
  data->seen = g_strdup (seen);
  task = _gh_machine_task_new (self, gh_machine_edit_async,
                               /* Translators: %s is a machine's name */
                               g_strdup_printf (_("Could not change the settings of “%s”"),
                                                gh_machine_get_display_name (self)),
                               &data->base, (GDestroyNotify) edit_data_free,
                               cancellable, callback, user_data);
  _gh_machine_hold_busy (self, task);

  if (_gh_machine_task_prepare (self, task))
    g_task_run_in_thread (task, edit_thread);
}

gboolean
_gh_machine_edit_finish_common (GhMachine     *self,
                                GAsyncResult  *result,
                                gpointer       source_tag,
                                gboolean      *next_boot,
                                GError       **error)
{
  MachineTask *data;

  g_return_val_if_fail (GH_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (next_boot != NULL)
    *next_boot = FALSE;

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  if (next_boot != NULL)
    *next_boot = data->next_boot;
  return TRUE;
}

/**
 * gh_machine_edit_finish:
 * @next_boot: (out) (optional): whether the machine runs, so that the change applies
 *   only when it starts again
 */
gboolean
gh_machine_edit_finish (GhMachine     *self,
                        GAsyncResult  *result,
                        gboolean      *next_boot,
                        GError       **error)
{
  return _gh_machine_edit_finish_common (self, result, gh_machine_edit_async, next_boot,
                                         error);
}

/* ---- What the settings window reads and changes beyond the XML ------------------- */

typedef struct
{
  GhDomainEditor *editor;
  gboolean        autostart;
  GHashTable     *capacities;
} EditorResult;

static void
editor_result_free (EditorResult *result)
{
  g_clear_object (&result->editor);
  g_clear_pointer (&result->capacities, g_hash_table_unref);
  g_free (result);
}

/* Runs in a worker: the size of each disk that is a volume of a storage pool. */
static GHashTable *
read_capacities (virConnectPtr   conn,
                 GhDomainEditor *editor)
{
  g_autoptr(GPtrArray) disks = gh_domain_editor_dup_disks (editor);
  GHashTable *capacities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < disks->len; i++)
    {
      const GhDomainEditorDisk *disk = g_ptr_array_index (disks, i);
      virStorageVolInfo info;
      virStorageVolPtr vol;

      if (disk->target == NULL)
        continue;

      vol = _gh_domain_disk_lookup_volume (disk, conn);
      if (vol != NULL && virStorageVolGetInfo (vol, &info) == 0)
        g_hash_table_insert (capacities, g_strdup (disk->target),
                             g_memdup2 (&info.capacity, sizeof (guint64)));
      g_clear_pointer (&vol, virStorageVolFree);
      /* A file outside any pool has no size libvirt can tell: the window says so. */
      virResetLastError ();
    }

  return capacities;
}

static void
dup_editor_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  MachineTask *data = task_data;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GError) error = NULL;
  EditorResult *result = NULL;
  virDomainPtr domain;
  int autostart = 0;

  /* With its secrets: only with the passwords can the window tell a display that has one
   * from a display open to anyone who reaches its port. */
  editor = _gh_machine_task_read_definition (data, &domain, &error);
  if (editor != NULL)
    {
      if (virDomainGetAutostart (domain, &autostart) < 0)
        _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->failure);

      if (error == NULL)
        {
          result = g_new0 (EditorResult, 1);
          result->autostart = autostart != 0;
          result->capacities = read_capacities (data->conn, editor);
          result->editor = g_steal_pointer (&editor);
        }
      virDomainFree (domain);
    }
  g_clear_pointer (&data->conn, virConnectClose);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, (GDestroyNotify) editor_result_free);
}

/**
 * gh_machine_dup_editor_async:
 *
 * Reads the machine's persistent definition in a worker, with whether it starts with the
 * host and the sizes of its disks: what a settings window shows before anything changes.
 */
void
gh_machine_dup_editor_async (GhMachine           *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = _gh_machine_task_new (self, gh_machine_dup_editor_async,
                               /* Translators: %s is a machine's name */
                               g_strdup_printf (_("Could not read the settings of “%s”"),
                                                gh_machine_get_display_name (self)),
                               g_new0 (MachineTask, 1), (GDestroyNotify) _gh_machine_task_free,
                               cancellable, callback, user_data);

  if (_gh_machine_task_prepare (self, task))
    g_task_run_in_thread (task, dup_editor_thread);
}

/**
 * gh_machine_dup_editor_finish:
 * @autostart: (out) (optional): whether the machine starts with the host
 * @capacities: (out) (optional) (transfer full): disk target → guint64 bytes, for the
 *   disks that are volumes of a storage pool
 *
 * Returns: (transfer full): an editor of the persistent definition, for the main thread
 *   to read; changes go through gh_machine_edit_async()
 */
GhDomainEditor *
gh_machine_dup_editor_finish (GhMachine     *self,
                              GAsyncResult  *result,
                              gboolean      *autostart,
                              GHashTable   **capacities,
                              GError       **error)
{
  EditorResult *read;
  GhDomainEditor *editor;

  g_return_val_if_fail (GH_IS_MACHINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        gh_machine_dup_editor_async, NULL);

  read = g_task_propagate_pointer (G_TASK (result), error);
  if (read == NULL)
    return NULL;

  if (autostart != NULL)
    *autostart = read->autostart;
  if (capacities != NULL)
    *capacities = g_steal_pointer (&read->capacities);
  editor = g_steal_pointer (&read->editor);
  editor_result_free (read);

  return editor;
}

static void
rename_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenameData *data = task_data;
  GError *error = NULL;
  virDomainPtr domain;

  domain = _gh_machine_lookup_domain (&data->base, &error);
  if (domain != NULL)
    {
      /* libvirt says why it refuses: a running machine, a name taken. */
      if (virDomainRename (domain, data->new_name, 0) < 0)
        _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->base.failure);
      virDomainFree (domain);
    }

  _gh_machine_task_return_boolean (&data->base, task, error);
}

/**
 * gh_machine_rename_async:
 *
 * Gives the machine a new name (the one libvirt and virsh know it by; the title is what
 * Greenhouse shows, if it has one). libvirt refuses while the machine runs, and the
 * error says so.
 */
void
gh_machine_rename_async (GhMachine           *self,
                         const char          *name,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *shown = NULL;
  GError *error = NULL;
  RenameData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  /* The message shows a name it refuses, too: as valid text. */
  shown = gh_text_dup_display (name);
  data = g_new0 (RenameData, 1);
  data->new_name = g_strdup (name);
  task = _gh_machine_task_new (self, gh_machine_rename_async,
                               /* Translators: the first %s is a machine's name, the second
                                * the name it was to get */
                               g_strdup_printf (_("Could not rename “%s” to “%s”"),
                                                gh_machine_get_display_name (self), shown),
                               &data->base, (GDestroyNotify) rename_data_free,
                               cancellable, callback, user_data);
  _gh_machine_hold_busy (self, task);

  if (*name == '\0')
    {
      g_task_return_error (task, gh_error_new (GH_ERROR_FAILED, data->base.failure,
                                               _("a machine needs a name")));
      return;
    }
  /* libvirt would write it into the XML as it is, or not at all. */
  if (!gh_text_check (name, GH_TEXT_LINE, data->base.failure, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (_gh_machine_task_prepare (self, task))
    g_task_run_in_thread (task, rename_thread);
}

gboolean
gh_machine_rename_finish (GhMachine     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return _gh_machine_task_finish_boolean (self, result, gh_machine_rename_async, error);
}

static void
set_autostart_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  AutostartData *data = task_data;
  GError *error = NULL;
  virDomainPtr domain;

  domain = _gh_machine_lookup_domain (&data->base, &error);
  if (domain != NULL)
    {
      if (virDomainSetAutostart (domain, data->autostart ? 1 : 0) < 0)
        _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->base.failure);
      virDomainFree (domain);
    }

  _gh_machine_task_return_boolean (&data->base, task, error);
}

/**
 * gh_machine_set_autostart_async:
 *
 * Whether the machine starts when the host (or, on a session connection, the user's
 * libvirt daemon) starts.
 */
void
gh_machine_set_autostart_async (GhMachine           *self,
                                gboolean             autostart,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AutostartData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (AutostartData, 1);
  data->autostart = !!autostart;
  task = _gh_machine_task_new (self, gh_machine_set_autostart_async,
                               autostart
                               /* Translators: %s is a machine's name */
                               ? g_strdup_printf (_("Could not make “%s” start with the "
                                                    "computer"),
                                                  gh_machine_get_display_name (self))
                               /* Translators: %s is a machine's name */
                               : g_strdup_printf (_("Could not stop “%s” starting with the "
                                                    "computer"),
                                                  gh_machine_get_display_name (self)),
                               &data->base, (GDestroyNotify) autostart_data_free,
                               cancellable, callback, user_data);
  _gh_machine_hold_busy (self, task);

  if (_gh_machine_task_prepare (self, task))
    g_task_run_in_thread (task, set_autostart_thread);
}

gboolean
gh_machine_set_autostart_finish (GhMachine     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _gh_machine_task_finish_boolean (self, result, gh_machine_set_autostart_async, error);
}
