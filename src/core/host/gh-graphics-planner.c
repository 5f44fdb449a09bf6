/* gh-graphics-planner.c: (OS, host, connection, preference) → ranked display paths
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gh-graphics-planner-private.h"

/* How a plan is made:
 *
 * 1. Every path is described: virgl, virtio-2d, qxl, vga, one vfio per GPU (passable or
 *    not: the user should see why not; one that says why when there is no GPU) and one
 *    mdev per GPU mediated-device type.
 * 2. Each gets a verdict from the rules, checked from the most fundamental down
 *    (connection, QEMU's capabilities, the guest OS, the host's hardware): the first rule
 *    that says no gives the reason. A path the host can do but the guest's OS advises
 *    against (libosinfo marks the device unsupported or does not say whether the OS
 *    has its driver, or the OS is unknown) stays
 *    feasible but "discouraged": the user may pick it, it is never recommended over a
 *    path that is not. A reason says what is known and where from; libosinfo's silence
 *    is never told as "has no driver". Where nothing is known QXL (x86) is endorsed:
 *    it shows any guest.
 * 3. Paths sort by (endorsed, discouraged, infeasible), then by the preference's own
 *    order; ties cannot happen, so the plan is the same for the same inputs.
 *
 * What the guest has (libosinfo's word and the driver facts) and the sentences that say
 * so are in gh-graphics-planner-guest.c; the paths, their XML and the ranking are here.
 */


struct _GhGraphicsPlan
{
  GObject parent_instance;

  /* Owned references */
  GPtrArray *paths;   /* GhGraphicsPath*, by rank */
};

G_DEFINE_FINAL_TYPE (GhGraphicsPlan, gh_graphics_plan, G_TYPE_OBJECT)

static void
gh_graphics_plan_finalize (GObject *object)
{
  GhGraphicsPlan *self = (GhGraphicsPlan *)object;

  g_clear_pointer (&self->paths, g_ptr_array_unref);

  G_OBJECT_CLASS (gh_graphics_plan_parent_class)->finalize (object);
}

static void
gh_graphics_plan_class_init (GhGraphicsPlanClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gh_graphics_plan_finalize;
}

static void
gh_graphics_plan_init (GhGraphicsPlan *self)
{
  self->paths = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_graphics_path_free);
}

const char *
gh_graphics_path_kind_to_string (GhGraphicsPathKind kind)
{
  switch (kind)
    {
    case GH_GRAPHICS_PATH_VIRGL:
      return "virgl";
    case GH_GRAPHICS_PATH_VIRTIO_2D:
      return "virtio-2d";
    case GH_GRAPHICS_PATH_QXL:
      return "qxl";
    case GH_GRAPHICS_PATH_VGA:
      return "vga";
    case GH_GRAPHICS_PATH_VFIO:
      return "vfio";
    case GH_GRAPHICS_PATH_MDEV:
      return "mdev";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- QEMU's capabilities ----------------------------------------------------------- */

static gboolean
caps_has (GStrv       values,
          const char *value)
{
  return values != NULL && g_strv_contains ((const char * const *) values, value);
}

/* ---- XML fragments ---------------------------------------------------------------- */

static char *
video_xml (const char *model,
           gboolean    accel3d)
{
  if (accel3d)
    return g_strdup_printf ("<video>\n"
                            "  <model type='%s' heads='1' primary='yes'>\n"
                            "    <acceleration accel3d='yes'/>\n"
                            "  </model>\n"
                            "</video>\n", model);

  return g_strdup_printf ("<video>\n"
                          "  <model type='%s' heads='1' primary='yes'/>\n"
                          "</video>\n", model);
}

/* SPICE, reached through a file descriptor on this computer (listen none), or on a
 * remote host through a UNIX socket in libvirt's own directory there (no path: libvirt
 * picks one), which only the daemon's user can open and SSH can carry. Never a TCP port:
 * one without a password gives every user of the host the guest's screen, keyboard and
 * USB. OpenGL only ever with listen none: a SPICE client that cannot take GL scanouts is
 * disconnected. */
static char *
graphics_xml (const Inputs *in,
              gboolean      gl,
              const char   *render_node)
{
  gboolean remote = (in->connection & GH_GRAPHICS_CONNECTION_REMOTE) != 0;
  GString *xml = g_string_new ("<graphics type='spice'>\n");

  if (remote)
    g_string_append (xml, "  <listen type='socket'/>\n");
  else
    g_string_append (xml, "  <listen type='none'/>\n");

  if (gl && !remote && render_node != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (render_node, -1);

      g_string_append_printf (xml, "  <gl enable='yes' rendernode='%s'/>\n", escaped);
    }
  else if (gl && !remote)
    {
      g_string_append (xml, "  <gl enable='yes'/>\n");
    }
  else if (!remote)
    {
      /* Said out loud, so that nothing turns it on behind our back. */
      g_string_append (xml, "  <gl enable='no'/>\n");
    }

  g_string_append (xml, "</graphics>\n");
  return g_string_free (xml, FALSE);
}

/* What every SPICE display needs beside it: the tablet for client mouse mode, the agent
 * channel for resizing and the clipboard, and two USB redirection channels. */
static char *
companions_xml (void)
{
  return g_strdup ("<input type='tablet' bus='usb'/>\n"
                   "<channel type='spicevmc'>\n"
                   "  <target type='virtio' name='com.redhat.spice.0'/>\n"
                   "</channel>\n"
                   "<redirdev bus='usb' type='spicevmc'/>\n"
                   "<redirdev bus='usb' type='spicevmc'/>\n");
}

static void
append_pci_hostdev (GString               *xml,
                    const GhHostPciDevice *device)
{
  g_string_append_printf (xml,
                          "<hostdev mode='subsystem' type='pci' managed='yes'>\n"
                          "  <source>\n"
                          "    <address domain='0x%04x' bus='0x%02x' slot='0x%02x' "
                          "function='0x%x'/>\n"
                          "  </source>\n"
                          "</hostdev>\n",
                          device->domain, device->bus, device->slot, device->function);
}

/* A stable UUID for the mediated device a plan creates: the same host and type give the
 * same one, so planning twice never asks for two devices. */
static char *
mdev_uuid (const GhHostMdevType *type)
{
  g_autofree char *key = g_strdup_printf ("greenhouse-mdev:%s:%s", type->parent, type->id);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA1, key, -1);

  /* A name-based UUID: version 5, RFC 4122 variant. */
  return g_strdup_printf ("%.8s-%.4s-5%.3s-%x%.3s-%.12s",
                          sha, sha + 8, sha + 13,
                          (guint) ((g_ascii_xdigit_value (sha[16]) & 0x3) | 0x8), sha + 17,
                          sha + 20);
}

/* ---- Verdicts ---------------------------------------------------------------------- */

static GhGraphicsPath *
path_new (GhGraphicsPathKind kind)
{
  GhGraphicsPath *path = g_new0 (GhGraphicsPath, 1);

  path->kind = kind;
  return path;
}

static void
set_verdict (GhGraphicsPath *path,
             gboolean        feasible,
             gboolean        discouraged,
             char           *reason)
{
  path->feasible = feasible;
  path->discouraged = feasible && discouraged;
  g_free (path->reason);
  path->reason = reason;
}

static char *
caps_unknown_reason (void)
{
  return g_strdup (_("The host's capabilities are unknown (its libvirt driver does not "
                     "say), so this cannot be confirmed"));
}

static GhGraphicsPath *
plan_virgl (const Inputs *in)
{
  GhGraphicsPath *path = path_new (GH_GRAPHICS_PATH_VIRGL);
  gboolean remote = (in->connection & GH_GRAPHICS_CONNECTION_REMOTE) != 0;
  const char * const *nodes = gh_host_get_render_nodes (in->host);
  const char *node = nodes[0];
  g_autofree char *objection = NULL;
  g_autofree char *evidence = NULL;
  g_autofree char *host = NULL;

  /* The node the probe tried, so that QEMU uses the GPU that was found to work. */
  if (in->virgl->probe != NULL && in->virgl->probe->device != NULL)
    node = in->virgl->probe->device;

  /* The XML is there for whoever picks the path anyway. Remote, it cannot have GL at
   * all: it is virtio-2d then, and says so. */
  path->video_xml = video_xml ("virtio", !remote);
  path->graphics_xml = graphics_xml (in, !remote, node);
  path->companions_xml = companions_xml ();

  if (remote)
    {
      set_verdict (path, FALSE, FALSE,
                   g_strdup (_("3D with virgl needs SPICE with OpenGL, which works only on "
                               "this computer's own connections; this one is remote")));
      return path;
    }

  objection = _gh_graphics_planner_virgl_objection (in, &evidence);
  if (in->caps == NULL)
    set_verdict (path, FALSE, FALSE, caps_unknown_reason ());
  else if (!caps_has (in->caps->video_models, "virtio"))
    set_verdict (path, FALSE, FALSE, g_strdup (_("QEMU on this host has no virtio-gpu")));
  else if (!caps_has (in->caps->graphics_types, "spice"))
    set_verdict (path, FALSE, FALSE, g_strdup (_("QEMU on this host has no SPICE display")));
  else if (!in->virgl->usable)
    set_verdict (path, FALSE, FALSE, g_strdup (in->virgl->reason));
  else if (objection != NULL)
    set_verdict (path, TRUE, TRUE, g_steal_pointer (&objection));
  else
    {
      if (in->virgl->probe != NULL && in->virgl->probe->renderer != NULL)
        /* Translators: the first %s is an OpenGL version, the second a GPU's renderer name */
        host = g_strdup_printf (_("3D with virgl: OpenGL %s in the guest, drawn by %s"),
                                in->virgl->probe->gl_version != NULL
                                  ? in->virgl->probe->gl_version : "",
                                in->virgl->probe->renderer);
      else
        host = g_strdup (_("3D with virgl: OpenGL in the guest, drawn by the host's GPU"));

      if (evidence != NULL)
        /* Translators: the first %s says what the host draws with, the second what the
         * guest has: “Debian 10 ships Linux 4.19 and Mesa 18.3, which have …” */
        set_verdict (path, TRUE, FALSE, g_strdup_printf (_("%s. %s"), host, evidence));
      else
        set_verdict (path, TRUE, FALSE, g_steal_pointer (&host));
    }

  return path;
}

static GhGraphicsPath *
plan_virtio_2d (const Inputs *in)
{
  GhGraphicsPath *path = path_new (GH_GRAPHICS_PATH_VIRTIO_2D);
  g_autofree char *fact = NULL;
  char *objection;

  path->video_xml = video_xml ("virtio", FALSE);
  path->graphics_xml = graphics_xml (in, FALSE, NULL);
  path->companions_xml = companions_xml ();

  if (in->caps != NULL && !caps_has (in->caps->video_models, "virtio"))
    set_verdict (path, FALSE, FALSE, g_strdup (_("QEMU on this host has no virtio-gpu")));
  else if ((objection = _gh_graphics_planner_virtio_gpu_objection (in, FALSE)) != NULL)
    set_verdict (path, TRUE, TRUE, objection);
  else if ((fact = _gh_graphics_planner_fact_sentence (in, GH_DRIVER_VIRTIO_GPU)) != NULL)
    /* Translators: %s is what the guest has: “Debian 10 ships Linux 4.19, which has the
     * virtio-gpu driver” */
    set_verdict (path, TRUE, FALSE,
                 g_strdup_printf (_("%s: a 2D display that follows the size of its window"),
                                  fact));
  else
    set_verdict (path, TRUE, FALSE,
                 g_strdup (_("virtio-gpu without 3D: a 2D display that follows the size "
                             "of its window")));

  return path;
}

static GhGraphicsPath *
plan_qxl (const Inputs *in)
{
  GhGraphicsPath *path = path_new (GH_GRAPHICS_PATH_QXL);
  g_autofree char *fact = _gh_graphics_planner_fact_sentence (in, GH_DRIVER_QXL);

  path->video_xml = video_xml ("qxl", FALSE);
  path->graphics_xml = graphics_xml (in, FALSE, NULL);
  path->companions_xml = companions_xml ();

  /* Where nothing is known, QXL is the fallback on x86, as in virt-manager and GNOME
   * Boxes: its VGA side shows any guest, and a guest with the driver gets a display that
   * follows its window. Elsewhere it is no fallback. So it is also for a guest that has
   * no driver of its own but can be given one (Windows and virtio-win). */
  if (in->caps != NULL && !caps_has (in->caps->video_models, "qxl"))
    set_verdict (path, FALSE, FALSE, g_strdup (_("QEMU on this host has no QXL device")));
  else if (in->qxl.osinfo == OS_MARKED_NO)
    /* Translators: %s is an operating system */
    set_verdict (path, TRUE, TRUE,
                 g_strdup_printf (_("libosinfo marks QXL as not supported on %s"),
                                  in->os_name));
  else if (in->qxl.fact == GH_DRIVER_NO && in->facts->addon[GH_DRIVER_QXL] != NULL)
    /* Translators: %s says what the guest lacks and what adds it: “Microsoft Windows 11
     * has no QXL driver of its own; virtio-win qxldod (WDDM display-only) adds one” */
    set_verdict (path, TRUE, !in->x86,
                 g_strdup_printf (_("%s. QXL shows it as a VGA display would until then"),
                                  fact));
  else if (in->qxl.fact == GH_DRIVER_NO)
    set_verdict (path, TRUE, TRUE, g_steal_pointer (&fact));
  else if (fact != NULL)
    /* Translators: %s is what the guest has: “Debian 10 ships Linux 4.19, which has the
     * QXL driver” */
    set_verdict (path, TRUE, FALSE,
                 g_strdup_printf (_("%s: SPICE's 2D display, which follows the size of its "
                                    "window"), fact));
  else if (in->qxl.osinfo == OS_UNKNOWN)
    set_verdict (path, TRUE, !in->x86,
                 g_strdup (_("The guest's operating system is not known: QXL shows any "
                             "guest as a VGA display would, and follows the window's size "
                             "where the guest has its driver")));
  else if (in->qxl.osinfo == OS_NOT_SAID)
    /* Translators: %s is an operating system */
    set_verdict (path, TRUE, !in->x86,
                 g_strdup_printf (_("libosinfo does not say whether %s has a QXL driver: "
                                    "QXL shows it as a VGA display would, and follows the "
                                    "window's size if it has one"), in->os_name));
  else
    set_verdict (path, TRUE, FALSE,
                 g_strdup (_("QXL: SPICE's own 2D display, for guests without virtio-gpu")));

  return path;
}

static GhGraphicsPath *
plan_vga (const Inputs *in)
{
  GhGraphicsPath *path = path_new (GH_GRAPHICS_PATH_VGA);
  const char *model = "vga";

  /* bochs-display is VGA without the legacy ports, the display UEFI firmware draws on.
   * Machines other than x86 start with UEFI, so off x86 it is the last resort where QEMU
   * offers it (as in virt-manager), and anywhere it stands in for a missing VGA. */
  if (in->caps != NULL && caps_has (in->caps->video_models, "bochs")
      && (!in->x86 || !caps_has (in->caps->video_models, "vga")))
    model = "bochs";

  path->video_xml = video_xml (model, FALSE);
  path->graphics_xml = graphics_xml (in, FALSE, NULL);
  path->companions_xml = companions_xml ();

  if (in->caps != NULL && !caps_has (in->caps->video_models, model))
    set_verdict (path, FALSE, FALSE,
                 g_strdup (_("QEMU on this host has neither a VGA nor a bochs display")));
  else if (g_str_equal (model, "bochs"))
    set_verdict (path, TRUE, FALSE,
                 g_strdup (_("A bochs display, which UEFI firmware draws on: every guest "
                             "that starts with UEFI can show it, without 3D and at fixed "
                             "sizes")));
  else
    set_verdict (path, TRUE, FALSE,
                 g_strdup (_("A standard VGA display: every guest can show it, without 3D "
                             "and at fixed sizes")));

  return path;
}

/* What vfio and mdev both need: the system connection and QEMU's VFIO. NULL when met. */
static char *
passthrough_objection (const Inputs *in)
{
  if (!(in->connection & GH_GRAPHICS_CONNECTION_SYSTEM))
    return g_strdup (_("Giving a host GPU to a machine needs the system connection "
                       "(qemu:///system); this is a session connection"));
  if (in->caps == NULL)
    return caps_unknown_reason ();
  if (!in->caps->hostdev || !caps_has (in->caps->hostdev_subsys, "pci")
      || !caps_has (in->caps->pci_backends, "vfio"))
    return g_strdup (_("QEMU on this host cannot give PCI devices to machines (VFIO)"));

  return NULL;
}

/* A passed-through GPU shows on the monitors plugged into it; the SPICE display keeps a
 * plain VGA so that the console window still shows the machine's boot. */
static void
add_passthrough_display (const Inputs   *in,
                         GhGraphicsPath *path)
{
  path->video_xml = video_xml ("vga", FALSE);
  path->graphics_xml = graphics_xml (in, FALSE, NULL);
  path->companions_xml = companions_xml ();
}

static GhGraphicsPath *
plan_vfio (const Inputs          *in,
           const GhHostPciDevice *gpu)
{
  GhGraphicsPath *path = path_new (GH_GRAPHICS_PATH_VFIO);
  g_autoptr(GPtrArray) functions = gh_host_dup_gpu_functions (in->host, gpu);
  g_autofree char *passable_reason = NULL;
  GString *hostdevs = g_string_new (NULL);
  gboolean passable;
  char *objection;

  path->device = g_strdup (gpu->address);
  /* The GPU with its other functions (its HDMI audio): a group goes whole. */
  append_pci_hostdev (hostdevs, gpu);
  for (guint i = 0; i < functions->len; i++)
    append_pci_hostdev (hostdevs, g_ptr_array_index (functions, i));
  path->hostdev_xml = g_string_free (hostdevs, FALSE);
  add_passthrough_display (in, path);
  /* Today's GPUs bring their firmware for UEFI; their legacy ROMs are a gamble. */
  path->firmware = g_strdup ("efi");

  passable = gh_host_gpu_is_passable (in->host, gpu, in->confirm_boot_vga,
                                                &passable_reason);

  if ((objection = passthrough_objection (in)) != NULL)
    set_verdict (path, FALSE, FALSE, objection);
  else if (!passable)
    set_verdict (path, FALSE, FALSE, g_steal_pointer (&passable_reason));
  else if (in->os_refuses_efi)
    /* Translators: %s is an operating system */
    set_verdict (path, FALSE, FALSE,
                 g_strdup_printf (_("%s cannot start with UEFI, which passing a GPU "
                                    "through needs"), in->os_name));
  else if (in->caps->firmware[0] != NULL && !caps_has (in->caps->firmware, "efi"))
    set_verdict (path, FALSE, FALSE,
                 g_strdup (_("QEMU on this host has no UEFI firmware (Debian: ovmf), which "
                             "passing a GPU through needs")));
  else if ((objection = _gh_graphics_planner_vendor_gpu_objection (in)) != NULL)
    {
      if (gpu->boot_vga)
        {
          /* Translators: the first %s says what is not known of the guest, the second
           * what giving the GPU away costs */
          char *both = g_strdup_printf (_("%s. %s"), objection, passable_reason);

          g_free (objection);
          objection = both;
        }
      set_verdict (path, TRUE, TRUE, objection);
    }
  else if (gpu->boot_vga)
    /* Translators: the first %s is a GPU's name, the second what giving it away costs */
    set_verdict (path, TRUE, FALSE,
                 g_strdup_printf (_("%s goes to the machine whole, for native 3D with the "
                                    "guest's own driver. %s"),
                                  gh_host_pci_device_get_label (gpu), passable_reason));
  else
    /* Translators: %s is a GPU's name */
    set_verdict (path, TRUE, FALSE,
                 g_strdup_printf (_("%s goes to the machine whole, for native 3D with the "
                                    "guest's own driver on the monitors plugged into it"),
                                  gh_host_pci_device_get_label (gpu)));

  return path;
}

/* Without a GPU there is nothing to pass, but the user still learns what passthrough
 * would take. */
static GhGraphicsPath *
plan_no_gpu (const Inputs *in)
{
  GhGraphicsPath *path = path_new (GH_GRAPHICS_PATH_VFIO);
  char *objection = passthrough_objection (in);

  add_passthrough_display (in, path);
  if (objection == NULL && gh_host_get_devices_error (in->host) != NULL)
    /* Translators: %s says why the host's devices could not be listed */
    objection = g_strdup_printf (_("The host's GPUs are unknown: %s"),
                                 gh_host_get_devices_error (in->host));
  if (objection == NULL)
    objection = g_strdup (_("This host has no GPU that could be given to a machine"));
  set_verdict (path, FALSE, FALSE, objection);

  return path;
}

static GhGraphicsPath *
plan_mdev (const Inputs         *in,
           const GhHostMdevType *type)
{
  GhGraphicsPath *path = path_new (GH_GRAPHICS_PATH_MDEV);
  g_autofree char *uuid = mdev_uuid (type);
  const char *name = type->name != NULL ? type->name : type->id;
  char *objection;

  path->device = g_strdup (type->id);
  path->hostdev_xml = g_strdup_printf ("<hostdev mode='subsystem' type='mdev' "
                                       "model='vfio-pci' display='off'>\n"
                                       "  <source>\n"
                                       "    <address uuid='%s'/>\n"
                                       "  </source>\n"
                                       "</hostdev>\n", uuid);
  add_passthrough_display (in, path);

  if ((objection = passthrough_objection (in)) != NULL)
    set_verdict (path, FALSE, FALSE, objection);
  else if (type->available == 0)
    /* Translators: the first %s is a mediated device type's name, the second a PCI address */
    set_verdict (path, FALSE, FALSE,
                 g_strdup_printf (_("No free %s devices are left on GPU %s"),
                                  name, type->parent_address));
  else if ((objection = _gh_graphics_planner_vendor_gpu_objection (in)) != NULL)
    set_verdict (path, TRUE, TRUE, objection);
  else
    /* Translators: the first %s is a mediated device type's name, the second a PCI
     * address, %u how many more can be made */
    set_verdict (path, TRUE, FALSE,
                 g_strdup_printf (ngettext ("A %s share of GPU %s (%u more can be made): 3D "
                                            "with the guest's vendor driver, and the host "
                                            "keeps its display",
                                            "A %s share of GPU %s (%u more can be made): 3D "
                                            "with the guest's vendor driver, and the host "
                                            "keeps its display",
                                            type->available),
                                  name, type->parent_address, type->available));

  return path;
}

/* ---- Ranking ---------------------------------------------------------------------- */

typedef struct
{
  GhGraphicsPath *path;
  guint           order;   /* the preference's own order */
} Ranked;

static guint
tier (const GhGraphicsPath *path)
{
  if (!path->feasible)
    return 2;
  return path->discouraged ? 1 : 0;
}

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *ra = a;
  const Ranked *rb = b;
  guint ta = tier (ra->path);
  guint tb = tier (rb->path);

  if (ta != tb)
    return ta < tb ? -1 : 1;
  if (ra->order != rb->order)
    return ra->order < rb->order ? -1 : 1;
  return 0;
}

/* Where a kind goes in each preference's order; GPUs and mdev types keep their order
 * within their kind (the inventory sorts them). */
static guint
kind_order (GhGraphicsPathKind   kind,
            GhGraphicsPreference preference)
{
  static const GhGraphicsPathKind best_3d[] = {
    GH_GRAPHICS_PATH_VIRGL,
    GH_GRAPHICS_PATH_MDEV,     /* 3D, and the host keeps its GPU */
    GH_GRAPHICS_PATH_VFIO,
    GH_GRAPHICS_PATH_VIRTIO_2D,
    GH_GRAPHICS_PATH_QXL,
    GH_GRAPHICS_PATH_VGA,
  };
  static const GhGraphicsPathKind compatible[] = {
    GH_GRAPHICS_PATH_VIRTIO_2D,
    GH_GRAPHICS_PATH_QXL,
    GH_GRAPHICS_PATH_VGA,
    GH_GRAPHICS_PATH_VIRGL,
    GH_GRAPHICS_PATH_MDEV,
    GH_GRAPHICS_PATH_VFIO,
  };
  const GhGraphicsPathKind *order = preference == GH_GRAPHICS_PREFER_COMPATIBLE ? compatible
                                                                                : best_3d;

  for (guint i = 0; i < G_N_ELEMENTS (best_3d); i++)
    if (order[i] == kind)
      return i;

  g_return_val_if_reached (G_N_ELEMENTS (best_3d));
}

GhGraphicsPlan *
gh_graphics_planner_plan (OsinfoOs                  *os,
                          const GhHost              *host,
                          GhGraphicsConnectionFlags  connection,
                          GhGraphicsPreference       preference,
                          gboolean                   confirm_boot_vga)
{
  g_autoptr(GhGraphicsPlan) plan = NULL;
  g_autoptr(OsinfoDeviceList) devices = NULL;
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  GPtrArray *gpus;
  GPtrArray *types;
  Inputs in = { 0 };
  guint n_gpus;

  g_return_val_if_fail (os == NULL || OSINFO_IS_OS (os), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  in.os = os;
  in.os_name = os != NULL ? osinfo_product_get_name (OSINFO_PRODUCT (os)) : NULL;
  if (os != NULL && in.os_name == NULL)
    in.os_name = osinfo_entity_get_id (OSINFO_ENTITY (os));
  in.host = host;
  in.caps = gh_host_get_domain_caps (host);
  in.virgl = gh_host_get_virgl (host);
  in.connection = connection;
  in.confirm_boot_vga = confirm_boot_vga;
  if (os != NULL)
    devices = osinfo_os_get_all_devices (os, NULL);
  in.virtio_gpu.osinfo = _gh_graphics_planner_os_support (os, devices, VIRTIO_GPU_ID);
  in.qxl.osinfo = _gh_graphics_planner_os_support (os, devices, QXL_ID);
  in.facts = gh_os_facts_lookup_os (gh_os_facts_get_default (), os);
  in.virtio_gpu.fact = gh_os_facts_row_answer (in.facts, GH_DRIVER_VIRTIO_GPU,
                                               &in.virtio_gpu.because);
  in.virgl_3d.fact = gh_os_facts_row_answer (in.facts, GH_DRIVER_VIRGL, &in.virgl_3d.because);
  in.qxl.fact = gh_os_facts_row_answer (in.facts, GH_DRIVER_QXL, &in.qxl.because);
  in.vendor_gpu.fact = gh_os_facts_row_answer (in.facts, GH_DRIVER_VENDOR_GPU,
                                               &in.vendor_gpu.because);
  in.os_refuses_efi = _gh_graphics_planner_os_refuses_efi (os);
  in.x86 = in.caps == NULL || in.caps->arch == NULL
           || g_str_equal (in.caps->arch, "x86_64") || g_str_equal (in.caps->arch, "i686");

  g_ptr_array_add (paths, plan_virgl (&in));
  g_ptr_array_add (paths, plan_virtio_2d (&in));
  g_ptr_array_add (paths, plan_qxl (&in));
  g_ptr_array_add (paths, plan_vga (&in));

  /* Mediated devices of GPUs only: s390's vfio-ccw and vfio-ap types are no display. */
  types = gh_host_get_mdev_types (host);
  for (guint i = 0; i < types->len; i++)
    {
      const GhHostMdevType *type = g_ptr_array_index (types, i);

      if (g_strcmp0 (type->device_api, "vfio-pci") == 0 && type->parent_address != NULL)
        g_ptr_array_add (paths, plan_mdev (&in, type));
    }

  /* GPUs other than the one the host starts on come first: they cost it no screen. */
  gpus = gh_host_get_gpus (host);
  n_gpus = 0;
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < gpus->len; i++)
      {
        const GhHostPciDevice *gpu = g_ptr_array_index (gpus, i);

        if (gpu->boot_vga == (pass == 1))
          {
            g_ptr_array_add (paths, plan_vfio (&in, gpu));
            n_gpus++;
          }
      }
  g_assert (n_gpus == gpus->len);
  if (n_gpus == 0)
    g_ptr_array_add (paths, plan_no_gpu (&in));

  for (guint i = 0; i < paths->len; i++)
    {
      GhGraphicsPath *path = g_ptr_array_index (paths, i);
      /* Kind first, then the order the path was added in within its kind. */
      Ranked entry = { path, kind_order (path->kind, preference) * 10000 + i };

      g_array_append_val (ranked, entry);
    }
  g_array_sort (ranked, compare_ranked);

  plan = g_object_new (GH_TYPE_GRAPHICS_PLAN, NULL);
  for (guint i = 0; i < ranked->len; i++)
    {
      GhGraphicsPath *path = g_array_index (ranked, Ranked, i).path;

      path->rank = i + 1;
      g_ptr_array_add (plan->paths, path);
    }

  return g_steal_pointer (&plan);
}

guint
gh_graphics_plan_get_n_paths (GhGraphicsPlan *self)
{
  g_return_val_if_fail (GH_IS_GRAPHICS_PLAN (self), 0);
  return self->paths->len;
}

const GhGraphicsPath *
gh_graphics_plan_get_path (GhGraphicsPlan *self,
                           guint           index)
{
  g_return_val_if_fail (GH_IS_GRAPHICS_PLAN (self), NULL);
  g_return_val_if_fail (index < self->paths->len, NULL);

  return g_ptr_array_index (self->paths, index);
}

GPtrArray *
_gh_graphics_plan_get_paths (GhGraphicsPlan *self)
{
  g_return_val_if_fail (GH_IS_GRAPHICS_PLAN (self), NULL);
  return self->paths;
}

const GhGraphicsPath *
gh_graphics_plan_get_recommended (GhGraphicsPlan *self)
{
  g_return_val_if_fail (GH_IS_GRAPHICS_PLAN (self), NULL);

  for (guint i = 0; i < self->paths->len; i++)
    {
      const GhGraphicsPath *path = g_ptr_array_index (self->paths, i);

      if (path->feasible)
        return path;
    }

  return NULL;
}

const GhGraphicsPath *
gh_graphics_plan_find (GhGraphicsPlan     *self,
                       GhGraphicsPathKind  kind,
                       const char         *device)
{
  g_return_val_if_fail (GH_IS_GRAPHICS_PLAN (self), NULL);

  for (guint i = 0; i < self->paths->len; i++)
    {
      const GhGraphicsPath *path = g_ptr_array_index (self->paths, i);

      if (path->kind == kind && (device == NULL || g_strcmp0 (path->device, device) == 0))
        return path;
    }

  return NULL;
}

GhGraphicsPath *
gh_graphics_path_copy (const GhGraphicsPath *path)
{
  GhGraphicsPath *copy;

  g_return_val_if_fail (path != NULL, NULL);

  copy = g_new0 (GhGraphicsPath, 1);
  *copy = *path;
  copy->reason = g_strdup (path->reason);
  copy->device = g_strdup (path->device);
  copy->video_xml = g_strdup (path->video_xml);
  copy->graphics_xml = g_strdup (path->graphics_xml);
  copy->hostdev_xml = g_strdup (path->hostdev_xml);
  copy->companions_xml = g_strdup (path->companions_xml);
  copy->firmware = g_strdup (path->firmware);
  return copy;
}

void
gh_graphics_path_free (GhGraphicsPath *path)
{
  if (path == NULL)
    return;

  g_free (path->reason);
  g_free (path->device);
  g_free (path->video_xml);
  g_free (path->graphics_xml);
  g_free (path->hostdev_xml);
  g_free (path->companions_xml);
  g_free (path->firmware);
  g_free (path);
}

char *
gh_graphics_path_dup_devices_xml (const GhGraphicsPath *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_strconcat (path->video_xml != NULL ? path->video_xml : "",
                      path->graphics_xml != NULL ? path->graphics_xml : "",
                      path->hostdev_xml != NULL ? path->hostdev_xml : "",
                      path->companions_xml != NULL ? path->companions_xml : "",
                      NULL);
}

gboolean
gh_graphics_path_apply (const GhGraphicsPath  *path,
                        GhDomainEditor        *editor,
                        GError               **error)
{
  g_return_val_if_fail (path != NULL, FALSE);

  return gh_domain_editor_set_display (editor, path->video_xml, path->graphics_xml,
                                       path->hostdev_xml, path->companions_xml, error);
}

gboolean
gh_graphics_path_uses_spice_gl (const GhGraphicsPath *path)
{
  g_return_val_if_fail (path != NULL, FALSE);

  return path->graphics_xml != NULL && strstr (path->graphics_xml, "<gl enable='yes'") != NULL;
}

/* What a display path is called wherever one is offered: the wizard, the settings. */
const char *
gh_graphics_path_kind_get_title (GhGraphicsPathKind kind)
{
  switch (kind)
    {
    case GH_GRAPHICS_PATH_VIRGL:
      return _("3D Acceleration (virtio-gpu with virgl)");
    case GH_GRAPHICS_PATH_VIRTIO_2D:
      return _("Virtio GPU, Without 3D");
    case GH_GRAPHICS_PATH_QXL:
      return _("QXL");
    case GH_GRAPHICS_PATH_VGA:
      return _("Standard VGA");
    case GH_GRAPHICS_PATH_VFIO:
      return _("A Whole Host GPU (passthrough)");
    case GH_GRAPHICS_PATH_MDEV:
      return _("A Share of a Host GPU (mediated device)");
    default:
      g_return_val_if_reached (NULL);
    }
}
