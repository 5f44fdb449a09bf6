/* gh-machine-info.c: what a worker thread reads of one domain
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libxml/xpathInternals.h>

#include "gh-domain-editor.h"
#include "gh-domain-metadata.h"
#include "gh-error-private.h"
#include "gh-machine-info-private.h"
#include "gh-xml-private.h"

void
_gh_machine_info_free (GhMachineInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->uuid);
  g_free (info->name);
  g_free (info->title);
  g_free (info->description);
  g_free (info->os_id);
  g_free (info);
}

GhMachineState
_gh_machine_state_from_libvirt (int state)
{
  switch (state)
    {
    case VIR_DOMAIN_RUNNING:
    case VIR_DOMAIN_BLOCKED:
    case VIR_DOMAIN_SHUTDOWN: /* still running while it shuts down */
      return GH_MACHINE_STATE_RUNNING;

    case VIR_DOMAIN_PAUSED:
      return GH_MACHINE_STATE_PAUSED;

    case VIR_DOMAIN_SHUTOFF:
      return GH_MACHINE_STATE_SHUT_OFF;

    case VIR_DOMAIN_CRASHED:
      return GH_MACHINE_STATE_CRASHED;

    case VIR_DOMAIN_PMSUSPENDED:
      return GH_MACHINE_STATE_SUSPENDED;

    case VIR_DOMAIN_NOSTATE:
    default:
      return GH_MACHINE_STATE_UNKNOWN;
    }
}

GhMachinePauseReason
_gh_machine_pause_reason_from_libvirt (int      state,
                                       int      reason,
                                       gboolean disk_full)
{
  if (state != VIR_DOMAIN_PAUSED)
    return GH_MACHINE_PAUSE_REASON_NONE;

  switch (reason)
    {
    case VIR_DOMAIN_PAUSED_USER:
      return GH_MACHINE_PAUSE_REASON_USER;
    case VIR_DOMAIN_PAUSED_IOERROR:
      return disk_full ? GH_MACHINE_PAUSE_REASON_DISK_FULL : GH_MACHINE_PAUSE_REASON_DISK_ERROR;
    case VIR_DOMAIN_PAUSED_WATCHDOG:
      return GH_MACHINE_PAUSE_REASON_WATCHDOG;
    case VIR_DOMAIN_PAUSED_FROM_SNAPSHOT:
    case VIR_DOMAIN_PAUSED_SNAPSHOT:
      return GH_MACHINE_PAUSE_REASON_SNAPSHOT;
    case VIR_DOMAIN_PAUSED_MIGRATION:
    case VIR_DOMAIN_PAUSED_POSTCOPY:
    case VIR_DOMAIN_PAUSED_POSTCOPY_FAILED:
      return GH_MACHINE_PAUSE_REASON_MIGRATION;
    case VIR_DOMAIN_PAUSED_SAVE:
    case VIR_DOMAIN_PAUSED_DUMP:
      return GH_MACHINE_PAUSE_REASON_SAVE;
    case VIR_DOMAIN_PAUSED_STARTING_UP:
      return GH_MACHINE_PAUSE_REASON_STARTING;
    case VIR_DOMAIN_PAUSED_SHUTTING_DOWN:
      return GH_MACHINE_PAUSE_REASON_SHUTTING_DOWN;
    case VIR_DOMAIN_PAUSED_CRASHED:
      return GH_MACHINE_PAUSE_REASON_CRASHED;
    case VIR_DOMAIN_PAUSED_UNKNOWN:
    default:
      return GH_MACHINE_PAUSE_REASON_UNKNOWN;
    }
}

GhMachineInfo *
_gh_machine_info_new_from_xml (const char  *xml,
                               GError     **error)
{
  g_autoptr(GhMachineInfo) info = g_new0 (GhMachineInfo, 1);
  g_autofree char *vcpus = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *memory_unit = NULL;
  xmlXPathContext *ctx;
  xmlDoc *doc;

  g_return_val_if_fail (xml != NULL, NULL);

  doc = _gh_xml_parse (xml);
  if (doc == NULL || xmlDocGetRootElement (doc) == NULL
      || g_strcmp0 ((const char *) xmlDocGetRootElement (doc)->name, "domain") != 0)
    {
      _gh_error_set (error, GH_ERROR_FAILED, NULL,
                     _("libvirt returned a machine description that is not valid XML"));
      xmlFreeDoc (doc);
      return NULL;
    }

  ctx = xmlXPathNewContext (doc);
  xmlXPathRegisterNs (ctx, (const xmlChar *) "libosinfo", (const xmlChar *) GH_DOMAIN_LIBOSINFO_NS);
  xmlXPathRegisterNs (ctx, (const xmlChar *) "gh", (const xmlChar *) GH_DOMAIN_METADATA_NS);

  info->name = _gh_xml_xpath_dup_string (ctx, NULL, "string(/domain/name)");
  info->uuid = _gh_xml_xpath_dup_string (ctx, NULL, "string(/domain/uuid)");
  info->title = _gh_xml_xpath_dup_string (ctx, NULL, "string(/domain/title)");
  info->description = _gh_xml_xpath_dup_string (ctx, NULL, "string(/domain/description)");
  info->os_id = _gh_xml_xpath_dup_string (ctx, NULL, "string(/domain/metadata/libosinfo:libosinfo"
                                                     "/libosinfo:os/@id)");
  info->has_spice = _gh_xml_xpath_boolean (ctx, NULL,
                                           "boolean(/domain/devices/graphics[@type='spice'])");
  info->installing = _gh_xml_xpath_boolean (ctx, NULL,
                                            "boolean(/domain/metadata/gh:" GH_DOMAIN_METADATA_ROOT
                                            "/gh:" GH_DOMAIN_METADATA_EXPRESS_INSTALL ")");

  /* The vCPUs the guest has now, not the hot-plug maximum. */
  vcpus = _gh_xml_xpath_dup_string (ctx, NULL, "string(/domain/vcpu/@current)");
  if (vcpus == NULL)
    vcpus = _gh_xml_xpath_dup_string (ctx, NULL, "string(/domain/vcpu)");
  if (vcpus != NULL)
    {
      guint64 n = 0;

      if (g_ascii_string_to_unsigned (g_strstrip (vcpus), 10, 0, G_MAXUINT, &n, NULL))
        info->vcpus = (guint) n;
    }

  memory = _gh_xml_xpath_dup_string (ctx, NULL, "normalize-space(/domain/memory)");
  memory_unit = _gh_xml_xpath_dup_string (ctx, NULL, "string(/domain/memory/@unit)");
  /* A value libvirt would refuse is no size at all. */
  _gh_xml_scale_to_bytes (memory, memory_unit, 1024, &info->memory);

  xmlXPathFreeContext (ctx);
  xmlFreeDoc (doc);

  if (info->name == NULL || info->uuid == NULL)
    {
      _gh_error_set (error, GH_ERROR_FAILED, NULL,
                     _("libvirt returned a machine description without a name or UUID"));
      return NULL;
    }

  return g_steal_pointer (&info);
}

int
_gh_domain_xml_spice_graphics_index (const char *xml)
{
  xmlDoc *doc;
  xmlNode *devices;
  int index = 0;
  int found = -1;

  g_return_val_if_fail (xml != NULL, -1);

  doc = _gh_xml_parse (xml);
  devices = doc != NULL ? _gh_xml_first_child (xmlDocGetRootElement (doc), "devices") : NULL;

  /* virDomainOpenGraphicsFD() counts every <graphics>, whatever its type. */
  for (xmlNode *n = _gh_xml_first_child (devices, "graphics"); n != NULL && found < 0;
       n = _gh_xml_next_element (n->next, "graphics"))
    {
      if (_gh_xml_prop_equals (n, "type", "spice"))
        found = index;
      index++;
    }

  xmlFreeDoc (doc);
  return found;
}

gboolean
_gh_machine_read_disk_errors (virDomainPtr   domain,
                              char         **path)
{
  virDomainDiskErrorPtr errors = NULL;
  gboolean disk_full = FALSE;
  const char *target = NULL;
  int n;

  n = virDomainGetDiskErrors (domain, NULL, 0, 0);
  if (n > 0)
    {
      errors = g_new0 (virDomainDiskError, n);
      n = virDomainGetDiskErrors (domain, errors, n, 0);
    }

  for (int i = 0; i < n; i++)
    {
      if (errors[i].error == VIR_DOMAIN_DISK_ERROR_NONE)
        continue;
      if (target == NULL || (!disk_full && errors[i].error == VIR_DOMAIN_DISK_ERROR_NO_SPACE))
        target = errors[i].disk;
      if (errors[i].error == VIR_DOMAIN_DISK_ERROR_NO_SPACE)
        disk_full = TRUE;
    }

  if (path != NULL && target != NULL)
    {
      char *xml = virDomainGetXMLDesc (domain, 0);

      /* A target is a device name ("sda"): nothing that could end the literal. */
      if (xml != NULL && strchr (target, '\'') == NULL)
        {
          g_autofree char *expr = NULL;

          expr = g_strdup_printf ("string(/domain/devices/disk[target/@dev='%s']"
                                  "/source/@file | /domain/devices/disk"
                                  "[target/@dev='%s']/source/@dev)", target, target);
          *path = _gh_xml_parse_dup_string (xml, expr);
        }
      free (xml);
    }

  for (int i = 0; i < n; i++)
    free (errors[i].disk);
  g_free (errors);

  return disk_full;
}

GhMachineInfo *
_gh_machine_info_new_from_domain (virDomainPtr   domain,
                                  GError       **error)
{
  g_autoptr(GhMachineInfo) info = NULL;
  char *xml;
  int state = VIR_DOMAIN_NOSTATE;
  int reason = 0;
  int persistent;

  xml = virDomainGetXMLDesc (domain, 0);
  if (xml == NULL)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_NOT_FOUND,
                                  _("Could not read the machine’s description"));
      return NULL;
    }

  info = _gh_machine_info_new_from_xml (xml, error);
  free (xml);
  if (info == NULL)
    return NULL;

  if (virDomainGetState (domain, &state, &reason, 0) < 0)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_NOT_FOUND,
                                  _("Could not read the machine’s state"));
      return NULL;
    }
  info->state = _gh_machine_state_from_libvirt (state);
  /* Only an I/O error asks the disks which error it was. */
  info->pause_reason =
    _gh_machine_pause_reason_from_libvirt (state, reason,
                                           state == VIR_DOMAIN_PAUSED &&
                                           reason == VIR_DOMAIN_PAUSED_IOERROR &&
                                           _gh_machine_read_disk_errors (domain, NULL));
  /* The installer's last reboot: on_reboot=destroy makes QEMU stop as at a guest
   * shutdown. The user's "Force Off" is DESTROYED instead, and the phase stays. */
  info->install_done = info->installing && state == VIR_DOMAIN_SHUTOFF
                       && reason == VIR_DOMAIN_SHUTOFF_SHUTDOWN;

  persistent = virDomainIsPersistent (domain);
  info->persistent = persistent == 1;

  return g_steal_pointer (&info);
}
