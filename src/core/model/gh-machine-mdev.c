/* gh-machine-mdev.c: giving a machine a new mediated device (a share of a GPU), and
 * taking one away
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>
#include <libvirt/virterror.h>

#include "gh-domain-editor.h"
#include "gh-error-private.h"
#include "gh-machine-private.h"

typedef struct
{
  MachineTask  base;
  char        *parent;   /* the node device name of the GPU that makes it */
  char        *type_id;
  gboolean     display;  /* the guest's display goes through it */
} AttachMdevData;

static void
attach_mdev_data_free (AttachMdevData *data)
{
  _gh_machine_task_clear (&data->base);
  g_free (data->parent);
  g_free (data->type_id);
  g_free (data);
}

typedef struct
{
  MachineTask  base;
  char        *mdev_uuid;
} DetachMdevData;

static void
detach_mdev_data_free (DetachMdevData *data)
{
  _gh_machine_task_clear (&data->base);
  g_free (data->mdev_uuid);
  g_free (data);
}

static void
attach_new_mdev_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  AttachMdevData *data = task_data;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *xml = NULL;
  GError *error = NULL;
  virNodeDevicePtr device = NULL;
  gboolean created = FALSE;

  editor = _gh_machine_task_read_definition (&data->base, NULL, &error);
  if (editor == NULL)
    goto out;

  {
    g_autofree char *parent = g_markup_escape_text (data->parent, -1);
    g_autofree char *type = g_markup_escape_text (data->type_id, -1);

    xml = g_strdup_printf ("<device>\n"
                           "  <parent>%s</parent>\n"
                           "  <capability type='mdev'>\n"
                           "    <type id='%s'/>\n"
                           "    <uuid>%s</uuid>\n"
                           "  </capability>\n"
                           "</device>\n", parent, type, uuid);
  }

  /* Persistent and started with the host: the machine needs it at every boot. */
  device = virNodeDeviceDefineXML (data->base.conn, xml, 0);
  if (device == NULL)
    {
      _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->base.failure);
      goto out;
    }
  if (virNodeDeviceCreate (device, 0) < 0 || virNodeDeviceSetAutostart (device, 1) < 0)
    {
      _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->base.failure);
      goto out;
    }
  created = TRUE;

  if (!gh_domain_editor_attach_mdev (editor, uuid, NULL, data->display, &error))
    {
      g_prefix_error (&error, "%s: ", data->base.failure);
      goto out;
    }
  /* So that Detach can take it off the host again, and knows it may. */
  gh_domain_editor_mark_mdev_made (editor, uuid, virNodeDeviceGetName (device));
  _gh_machine_define_editor (&data->base, editor, &error);

out:
  /* An mediated device no machine got would hold a share of the GPU for nothing. */
  if (error != NULL && device != NULL)
    {
      if (created)
        virNodeDeviceDestroy (device);
      virNodeDeviceUndefine (device, 0);
      virResetLastError ();
    }
  g_clear_pointer (&device, virNodeDeviceFree);
  _gh_machine_task_return_boolean (&data->base, task, error);
}

/**
 * gh_machine_attach_new_mdev_async:
 * @parent: the node device name of the GPU that makes it ("pci_0000_00_02_0")
 * @type_id: the mediated device type ("i915-GVTg_V5_4")
 * @display: let the guest's display go through the mediated device (display='on')
 *
 * Defines a persistent mediated device of @type_id on @parent, starts it, makes it start
 * with the host and gives it to the machine. Needs a system connection; on failure the
 * device is removed again.
 */
void
gh_machine_attach_new_mdev_async (GhMachine           *self,
                                  const char          *parent,
                                  const char          *type_id,
                                  gboolean             display,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AttachMdevData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (parent != NULL);
  g_return_if_fail (type_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (AttachMdevData, 1);
  data->parent = g_strdup (parent);
  data->type_id = g_strdup (type_id);
  data->display = !!display;
  task = _gh_machine_task_new (self, gh_machine_attach_new_mdev_async,
                               /* Translators: %s is a mediated GPU type, like "GVTg_V5_4" */
                               g_strdup_printf (_("Could not create a virtual GPU of type “%s”"),
                                                type_id),
                               &data->base, (GDestroyNotify) attach_mdev_data_free,
                               cancellable, callback, user_data);
  _gh_machine_hold_busy (self, task);

  if (_gh_machine_task_prepare (self, task))
    g_task_run_in_thread (task, attach_new_mdev_thread);
}

gboolean
gh_machine_attach_new_mdev_finish (GhMachine     *self,
                                   GAsyncResult  *result,
                                   gboolean      *next_boot,
                                   GError       **error)
{
  return _gh_machine_edit_finish_common (self, result, gh_machine_attach_new_mdev_async,
                                        next_boot, error);
}

/* Runs in a worker: whether a persistent domain other than @uuid's names the mediated
 * device @mdev_uuid. When that cannot be read, it counts as used: a device left on the
 * host costs a share of a GPU, one taken from a machine stops it from booting. */
static gboolean
mdev_used_elsewhere (virConnectPtr  conn,
                     const char    *uuid,
                     const char    *mdev_uuid)
{
  virDomainPtr *domains = NULL;
  gboolean used = FALSE;
  int n;

  n = virConnectListAllDomains (conn, &domains, VIR_CONNECT_LIST_DOMAINS_PERSISTENT);
  if (n < 0)
    {
      virResetLastError ();
      return TRUE;
    }

  for (int i = 0; i < n; i++)
    {
      char other_uuid[VIR_UUID_STRING_BUFLEN];
      g_autoptr(GhDomainEditor) editor = NULL;
      g_autoptr(GPtrArray) hostdevs = NULL;
      char *xml;

      if (used
          || (virDomainGetUUIDString (domains[i], other_uuid) == 0
              && g_ascii_strcasecmp (other_uuid, uuid) == 0))
        goto next;

      xml = virDomainGetXMLDesc (domains[i], VIR_DOMAIN_XML_INACTIVE);
      editor = xml != NULL ? gh_domain_editor_new (xml, NULL) : NULL;
      free (xml);
      if (editor == NULL)
        {
          /* Undefined meanwhile: it uses nothing. Unreadable: it may. */
          used = virGetLastErrorCode () != VIR_ERR_NO_DOMAIN;
          virResetLastError ();
          goto next;
        }

      hostdevs = gh_domain_editor_dup_hostdevs (editor);
      for (guint j = 0; j < hostdevs->len && !used; j++)
        {
          const GhDomainHostdev *hostdev = g_ptr_array_index (hostdevs, j);

          used = hostdev->kind == GH_DOMAIN_HOSTDEV_MDEV && hostdev->uuid != NULL
                 && g_ascii_strcasecmp (hostdev->uuid, mdev_uuid) == 0;
        }

    next:
      virDomainFree (domains[i]);
    }
  free (domains);

  return used;
}

static void
detach_mdev_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  DetachMdevData *data = task_data;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autofree char *node_device = NULL;
  GError *error = NULL;
  virNodeDevicePtr device = NULL;

  editor = _gh_machine_task_read_definition (&data->base, NULL, &error);
  if (editor == NULL)
    goto out;

  node_device = gh_domain_editor_dup_mdev_made (editor, data->mdev_uuid);
  if (!gh_domain_editor_detach_mdev (editor, data->mdev_uuid, &error))
    {
      g_prefix_error (&error, "%s: ", data->base.failure);
      goto out;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, &error)
      || !_gh_machine_define_editor (&data->base, editor, &error))
    goto out;

  /* Only what Greenhouse made, and only once no machine needs it. */
  if (node_device == NULL
      || mdev_used_elsewhere (data->base.conn, data->base.uuid, data->mdev_uuid))
    goto out;

  device = virNodeDeviceLookupByName (data->base.conn, node_device);
  if (device == NULL)
    {
      /* Someone removed it already: what Detach was to do is done. */
      virResetLastError ();
      goto out;
    }

  /* A running machine still has it until it stops: it stays active until then (or
   * the host's next boot), but is no longer defined, so it does not come back. */
  if (!data->base.next_boot && virNodeDeviceIsActive (device) == 1
      && virNodeDeviceDestroy (device) < 0)
    goto failed;
  if (virNodeDeviceUndefine (device, 0) < 0)
    goto failed;
  goto out;

failed:
  {
    /* Translators: %s is a machine's name */
    g_autofree char *what = g_strdup_printf (_("The virtual GPU was taken from “%s” but "
                                               "stays on this computer"),
                                             data->base.display_name);

    _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, what);
  }

out:
  g_clear_pointer (&device, virNodeDeviceFree);
  _gh_machine_task_return_boolean (&data->base, task, error);
}

/**
 * gh_machine_detach_mdev_async:
 * @uuid: the mediated device's UUID
 *
 * Takes the mediated device @uuid away from the machine. When Greenhouse made it for
 * this machine (gh_machine_attach_new_mdev_async()) and no other defined machine uses
 * it, it is also stopped and removed from the host, undoing "Create and Attach"; a
 * device made by anyone else stays as it is.
 */
void
gh_machine_detach_mdev_async (GhMachine           *self,
                              const char          *uuid,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DetachMdevData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (uuid != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (DetachMdevData, 1);
  data->mdev_uuid = g_strdup (uuid);
  task = _gh_machine_task_new (self, gh_machine_detach_mdev_async,
                               /* Translators: %s is a machine's name */
                               g_strdup_printf (_("Could not take the virtual GPU from “%s”"),
                                                gh_machine_get_display_name (self)),
                               &data->base, (GDestroyNotify) detach_mdev_data_free,
                               cancellable, callback, user_data);
  _gh_machine_hold_busy (self, task);

  if (_gh_machine_task_prepare (self, task))
    g_task_run_in_thread (task, detach_mdev_thread);
}

gboolean
gh_machine_detach_mdev_finish (GhMachine     *self,
                               GAsyncResult  *result,
                               gboolean      *next_boot,
                               GError       **error)
{
  return _gh_machine_edit_finish_common (self, result, gh_machine_detach_mdev_async,
                                        next_boot, error);
}
