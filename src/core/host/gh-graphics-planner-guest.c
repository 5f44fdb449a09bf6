/* gh-graphics-planner-guest.c: what a guest OS has for each display path, and the words
 * that say how that is known
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include "gh-graphics-planner-private.h"

/* ---- What the guest OS supports -------------------------------------------------- */

static gboolean
device_list_contains (OsinfoDeviceList *devices,
                      const char       *id)
{
  return osinfo_list_find_by_id (OSINFO_LIST (devices), id) != NULL;
}

/* Whether an OS @os derives from (or clones), however far up, lists @id as supported. */
static gboolean
ancestor_lists (OsinfoOs   *os,
                const char *id,
                GHashTable *visited)
{
  static const OsinfoProductRelationship relations[] = {
    OSINFO_PRODUCT_RELATIONSHIP_DERIVES_FROM,
    OSINFO_PRODUCT_RELATIONSHIP_CLONES,
  };

  for (guint r = 0; r < G_N_ELEMENTS (relations); r++)
    {
      g_autoptr(OsinfoProductList) related =
        osinfo_product_get_related (OSINFO_PRODUCT (os), relations[r]);
      int n = osinfo_list_get_length (OSINFO_LIST (related));

      for (int i = 0; i < n; i++)
        {
          OsinfoOs *ancestor = OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (related), i));
          g_autoptr(OsinfoDeviceList) devices = NULL;

          if (!g_hash_table_add (visited, ancestor))
            continue;

          devices = osinfo_os_get_devices (ancestor, NULL);
          if (device_list_contains (devices, id) || ancestor_lists (ancestor, id, visited))
            return TRUE;
        }
    }

  return FALSE;
}

/* Whether @os itself marks @id supported="false". */
static gboolean
os_marks_no (OsinfoOs   *os,
             const char *id)
{
  g_autoptr(OsinfoDeviceLinkList) links = osinfo_os_get_device_links (os, NULL);
  int n = osinfo_list_get_length (OSINFO_LIST (links));

  for (int i = 0; i < n; i++)
    {
      OsinfoDeviceLink *link = OSINFO_DEVICELINK (osinfo_list_get_nth (OSINFO_LIST (links), i));
      OsinfoDevice *target = osinfo_devicelink_get_target (link);

      if (target != NULL && g_strcmp0 (osinfo_entity_get_id (OSINFO_ENTITY (target)), id) == 0
          && !osinfo_entity_get_param_value_boolean_with_default (OSINFO_ENTITY (link),
                                                                   OSINFO_DEVICELINK_PROP_SUPPORTED,
                                                                   TRUE))
        return TRUE;
    }

  return FALSE;
}

OsSupport
_gh_graphics_planner_os_support (OsinfoOs         *os,
            OsinfoDeviceList *all_devices,
            const char       *id)
{
  g_autoptr(GHashTable) visited = NULL;

  if (os == NULL)
    return OS_UNKNOWN;

  /* osinfo_os_get_all_devices (os, NULL) already dropped what @os marks unsupported. */
  if (device_list_contains (all_devices, id))
    return OS_SUPPORTED;

  if (os_marks_no (os, id))
    return OS_MARKED_NO;

  /* Listed by an OS it derives from, yet gone: an OS between said no. */
  visited = g_hash_table_new (NULL, NULL);
  if (ancestor_lists (os, id, visited))
    return OS_MARKED_NO;

  return OS_NOT_SAID;
}

gboolean
_gh_graphics_planner_os_refuses_efi (OsinfoOs *os)
{
  g_autoptr(OsinfoFirmwareList) firmwares = NULL;
  int n;

  if (os == NULL)
    return FALSE;

  firmwares = osinfo_os_get_complete_firmware_list (os, NULL);
  n = osinfo_list_get_length (OSINFO_LIST (firmwares));
  for (int i = 0; i < n; i++)
    {
      OsinfoFirmware *firmware = OSINFO_FIRMWARE (osinfo_list_get_nth (OSINFO_LIST (firmwares), i));

      if (g_strcmp0 (osinfo_firmware_get_firmware_type (firmware), "efi") == 0
          && !osinfo_firmware_is_supported (firmware))
        return TRUE;
    }

  return FALSE;
}

/* ---- What is known of the guest's drivers, in words -------------------------------- */

/* The answer that counts: libosinfo's "no", else a fact, else libosinfo's "yes". */
static GhDriverAnswer
support_answer (const Support *support)
{
  if (support->osinfo == OS_MARKED_NO)
    return GH_DRIVER_NO;
  if (support->fact != GH_DRIVER_UNKNOWN)
    return support->fact;
  if (support->osinfo == OS_SUPPORTED)
    return GH_DRIVER_YES;
  return GH_DRIVER_UNKNOWN;
}

/* "Linux 4.19", or "Linux 5.4 or later" for a rolling distribution's floor. */
static char *
linux_version (const GhOsFactsRow *facts)
{
  g_autofree char *version = gh_os_facts_version_to_string (facts->kernel);

  if (facts->rolling)
    /* Translators: %s is a Linux version, such as “5.4” */
    return g_strdup_printf (_("Linux %s or later"), version);
  /* Translators: %s is a Linux version, such as “4.19” */
  return g_strdup_printf (_("Linux %s"), version);
}

static char *
mesa_version (const GhOsFactsRow *facts)
{
  g_autofree char *version = gh_os_facts_version_to_string (facts->mesa);

  if (facts->rolling)
    /* Translators: %s is a version of Mesa, such as “20.0” */
    return g_strdup_printf (_("Mesa %s or later"), version);
  /* Translators: %s is a version of Mesa, such as “18.3” */
  return g_strdup_printf (_("Mesa %s"), version);
}

/* What the driver facts say of @device for the guest, as a sentence; NULL when they
 * decide nothing (the answer then comes from libosinfo). */
char *
_gh_graphics_planner_fact_sentence (const Inputs   *in,
               GhDriverDevice  device)
{
  const Support *support = device == GH_DRIVER_VIRTIO_GPU ? &in->virtio_gpu
                           : device == GH_DRIVER_VIRGL ? &in->virgl_3d
                           : device == GH_DRIVER_QXL ? &in->qxl : &in->vendor_gpu;
  const char *addon = in->facts != NULL ? in->facts->addon[device] : NULL;
  g_autofree char *kernel = NULL;
  g_autofree char *mesa = NULL;
  gboolean yes = support->fact == GH_DRIVER_YES;

  if (support->fact == GH_DRIVER_UNKNOWN)
    return NULL;

  if (support->because == GH_DRIVER_BECAUSE_X_DRIVER)
    /* Translators: %s is an operating system */
    return g_strdup_printf (_("%s has X.Org's QXL driver"), in->os_name);

  if (support->because == GH_DRIVER_BECAUSE_STATED)
    {
      switch (device)
        {
        case GH_DRIVER_VIRTIO_GPU:
          if (yes)
            /* Translators: %s is an operating system */
            return g_strdup_printf (_("%s has a virtio-gpu driver"), in->os_name);
          if (addon != NULL)
            /* Translators: the first %s is an operating system, the second a driver
             * package, such as “virtio-win viogpudo (WDDM display-only)” */
            return g_strdup_printf (_("%s has no virtio-gpu driver of its own; %s adds "
                                      "one"), in->os_name, addon);
          /* Translators: %s is an operating system */
          return g_strdup_printf (_("%s has no virtio-gpu driver"), in->os_name);

        case GH_DRIVER_VIRGL:
          if (yes)
            /* Translators: %s is an operating system */
            return g_strdup_printf (_("%s has virtio-gpu's 3D driver (virgl)"), in->os_name);
          /* Translators: %s is an operating system */
          return g_strdup_printf (_("%s has no driver for virtio-gpu's 3D (virgl)"),
                                  in->os_name);

        case GH_DRIVER_QXL:
          if (yes)
            /* Translators: %s is an operating system */
            return g_strdup_printf (_("%s has a QXL driver"), in->os_name);
          if (addon != NULL)
            /* Translators: the first %s is an operating system, the second a driver
             * package, such as “virtio-win qxldod (WDDM display-only)” */
            return g_strdup_printf (_("%s has no QXL driver of its own; %s adds one"),
                                    in->os_name, addon);
          /* Translators: %s is an operating system */
          return g_strdup_printf (_("%s has no QXL driver"), in->os_name);

        case GH_DRIVER_VENDOR_GPU:
          if (yes)
            /* Translators: %s is an operating system */
            return g_strdup_printf (_("%s has drivers for today's GPUs from Intel, AMD and "
                                      "NVIDIA"), in->os_name);
          /* Translators: %s is an operating system */
          return g_strdup_printf (_("%s has no drivers for today's GPUs"), in->os_name);

        case GH_DRIVER_N_DEVICES:
        default:
          g_return_val_if_reached (NULL);
        }
    }

  /* Derived from the Linux (and Mesa) it ships. */
  kernel = linux_version (in->facts);
  switch (device)
    {
    case GH_DRIVER_VIRTIO_GPU:
      if (yes)
        /* Translators: the first %s is an operating system, the second “Linux 4.19” */
        return g_strdup_printf (_("%s ships %s, which has the virtio-gpu driver"),
                                in->os_name, kernel);
      /* Translators: the first %s is an operating system, the second “Linux 3.16” */
      return g_strdup_printf (_("%s ships %s, older than the virtio-gpu driver (Linux 4.2)"),
                              in->os_name, kernel);

    case GH_DRIVER_VIRGL:
      if (in->facts->mesa == 0)
        /* Translators: the first %s is an operating system, the second “Linux 4.2” */
        return g_strdup_printf (_("%s ships %s; 3D with virgl needs Linux 4.4 and Mesa 11.1"),
                                in->os_name, kernel);
      mesa = mesa_version (in->facts);
      if (yes)
        /* Translators: the first %s is an operating system, then “Linux 4.19” and
         * “Mesa 18.3” */
        return g_strdup_printf (_("%s ships %s and %s, which have virtio-gpu's 3D (virgl)"),
                                in->os_name, kernel, mesa);
      /* Translators: the first %s is an operating system, then “Linux 4.2” and
       * “Mesa 11.0” */
      return g_strdup_printf (_("%s ships %s and %s; 3D with virgl needs Linux 4.4 and "
                                "Mesa 11.1"), in->os_name, kernel, mesa);

    case GH_DRIVER_QXL:
      if (yes)
        /* Translators: the first %s is an operating system, the second “Linux 4.19” */
        return g_strdup_printf (_("%s ships %s, which has the QXL driver"),
                                in->os_name, kernel);
      /* Translators: the first %s is an operating system, the second “Linux 3.2” */
      return g_strdup_printf (_("%s ships %s, older than the QXL driver (Linux 3.10), and "
                                "not X.Org's QXL driver"), in->os_name, kernel);

    case GH_DRIVER_VENDOR_GPU:
      /* Derived only as a "yes". */
      /* Translators: the first %s is an operating system, the second “Linux 4.19” */
      return g_strdup_printf (_("%s ships %s, which drives today's GPUs from Intel, AMD and "
                                "NVIDIA"), in->os_name, kernel);

    case GH_DRIVER_N_DEVICES:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Shared by virgl and virtio-2d: the verdict of the guest OS on virtio-gpu, or NULL when
 * it has the driver. Every objection discourages; none forbids. */
char *
_gh_graphics_planner_virtio_gpu_objection (const Inputs *in,
                         gboolean      accel3d)
{
  char *fact;

  switch (in->virtio_gpu.osinfo)
    {
    case OS_UNKNOWN:
      return g_strdup (_("The guest's operating system is not known: virtio-gpu needs a "
                         "guest with its driver, such as a recent Linux"));

    case OS_MARKED_NO:
      /* libosinfo's "no" wins over any fact, and is quoted as its own. */
      /* Translators: %s is an operating system, such as “Ubuntu 22.04 LTS” */
      return g_strdup_printf (_("libosinfo marks virtio-gpu as not supported on %s: pick it "
                                "only if you know the guest's driver works"), in->os_name);

    case OS_SUPPORTED:
    case OS_NOT_SAID:
    default:
      break;
    }

  if (in->virtio_gpu.fact == GH_DRIVER_NO && (fact = _gh_graphics_planner_fact_sentence (in, GH_DRIVER_VIRTIO_GPU)))
    return fact;
  if (support_answer (&in->virtio_gpu) == GH_DRIVER_YES)
    return NULL;

  /* Not a "no": pick-able, never recommended. */
  if (accel3d)
    /* Translators: %s is an operating system, such as “Ubuntu 16.04 LTS” */
    return g_strdup_printf (_("libosinfo does not say whether %s has a virtio-gpu driver "
                              "with 3D (virgl): pick it only if you know it does"),
                            in->os_name);
  /* Translators: %s is an operating system */
  return g_strdup_printf (_("libosinfo does not say whether %s has a virtio-gpu driver: "
                            "pick it only if you know it does"), in->os_name);
}

/* The guest's side of virgl: NULL when its kernel and Mesa are known to carry it, and
 * then @evidence says how that is known. */
char *
_gh_graphics_planner_virgl_objection (const Inputs  *in,
                    char         **evidence)
{
  char *objection;

  *evidence = NULL;

  /* libosinfo's "no" first, then a fact's "no" about 3D itself. */
  if (in->virtio_gpu.osinfo == OS_MARKED_NO || in->virtio_gpu.osinfo == OS_UNKNOWN)
    return _gh_graphics_planner_virtio_gpu_objection (in, TRUE);
  if (in->virgl_3d.fact == GH_DRIVER_NO)
    return _gh_graphics_planner_fact_sentence (in, GH_DRIVER_VIRGL);
  if ((objection = _gh_graphics_planner_virtio_gpu_objection (in, TRUE)) != NULL
      && support_answer (&in->virtio_gpu) == GH_DRIVER_NO)
    return objection;

  if (in->virgl_3d.fact == GH_DRIVER_YES)
    {
      g_free (objection);
      *evidence = _gh_graphics_planner_fact_sentence (in, GH_DRIVER_VIRGL);
      return NULL;
    }

  if (objection != NULL)
    return objection;

  /* It has virtio-gpu, but 3D needs the kernel's virgl and Mesa's: not known. */
  /* Translators: %s is an operating system */
  return g_strdup_printf (_("%s has a virtio-gpu driver, but whether it has virgl's 3D "
                            "(Linux 4.4 and Mesa 11.1) is not known: pick it only if you "
                            "know it does"), in->os_name);
}

/* What the guest needs for a GPU of its own, whole or a share: its vendor's driver.
 * NULL when it is known to have one; otherwise the path is discouraged, never
 * forbidden. */
char *
_gh_graphics_planner_vendor_gpu_objection (const Inputs *in)
{
  if (in->os == NULL)
    return g_strdup (_("The guest's operating system is not known: a GPU of its own needs "
                       "a guest with the GPU's driver, such as a recent Linux or Windows"));
  if (in->vendor_gpu.fact == GH_DRIVER_YES)
    return NULL;
  if (in->vendor_gpu.fact == GH_DRIVER_NO)
    return _gh_graphics_planner_fact_sentence (in, GH_DRIVER_VENDOR_GPU);
  /* Translators: %s is an operating system */
  return g_strdup_printf (_("It is not known whether %s has a driver for this GPU: pick it "
                            "only if you know it does"), in->os_name);
}

