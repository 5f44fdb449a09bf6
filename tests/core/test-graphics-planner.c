/* test-graphics-planner.c: the 3D planner on the installed osinfo-db
 *
 * Table-driven: each case is a guest OS (libosinfo short id, or none), a host described
 * by XML, a connection and a preference, and what a user must see: the recommended path,
 * and for some paths whether they are feasible and words their reason must contain.
 * Then every OS of the database is planned on every kind of host and connection, and
 * each plan must keep the rules that hold everywhere.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <libxml/parser.h>

#include "gh-test-util.h"

/* What QEMU 7.2 with KVM offers for q35 on Debian 12, reduced to what the planner reads. */
static const char kvm_caps[] =
  "<domainCapabilities>"
  "<path>/usr/bin/qemu-system-x86_64</path><domain>kvm</domain>"
  "<machine>pc-q35-7.2</machine><arch>x86_64</arch>"
  "<os supported='yes'><enum name='firmware'><value>bios</value><value>efi</value></enum></os>"
  "<devices>"
  "<graphics supported='yes'><enum name='type'><value>sdl</value><value>vnc</value>"
  "<value>spice</value><value>egl-headless</value><value>dbus</value></enum></graphics>"
  "<video supported='yes'><enum name='modelType'><value>vga</value><value>cirrus</value>"
  "<value>vmvga</value><value>qxl</value><value>virtio</value><value>none</value>"
  "<value>bochs</value><value>ramfb</value></enum></video>"
  "<hostdev supported='yes'><enum name='mode'><value>subsystem</value></enum>"
  "<enum name='subsysType'><value>usb</value><value>pci</value><value>scsi</value></enum>"
  "<enum name='pciBackend'><value>default</value><value>vfio</value></enum></hostdev>"
  "</devices></domainCapabilities>";

/* An Intel iGPU that draws the host's screen, with a render node. */
static const char igpu[] =
  "<device><name>pci_0000_00_02_0</name><parent>computer</parent>"
  "<capability type='pci'><class>0x030000</class><domain>0</domain><bus>0</bus>"
  "<slot>2</slot><function>0</function>"
  "<product id='0x3e92'>CoffeeLake-S GT2 [UHD Graphics 630]</product>"
  "<vendor id='0x8086'>Intel Corporation</vendor>"
  "<iommuGroup number='0'><address domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>"
  "</iommuGroup></capability></device>";
static const char igpu_render[] =
  "<device><name>drm_renderD128</name><devnode type='dev'>/dev/dri/renderD128</devnode>"
  "<parent>pci_0000_00_02_0</parent><capability type='drm'><type>render</type>"
  "</capability></device>";
/* The same iGPU offering GVT-g shares. */
static const char igpu_gvtg[] =
  "<device><name>pci_0000_00_02_0</name><parent>computer</parent>"
  "<capability type='pci'><class>0x030000</class><domain>0</domain><bus>0</bus>"
  "<slot>2</slot><function>0</function>"
  "<product id='0x3e92'>CoffeeLake-S GT2 [UHD Graphics 630]</product>"
  "<vendor id='0x8086'>Intel Corporation</vendor>"
  "<capability type='mdev_types'>"
  "<type id='i915-GVTg_V5_4'><name>GVTg_V5_4</name><deviceAPI>vfio-pci</deviceAPI>"
  "<availableInstances>2</availableInstances></type>"
  "<type id='i915-GVTg_V5_8'><name>GVTg_V5_8</name><deviceAPI>vfio-pci</deviceAPI>"
  "<availableInstances>0</availableInstances></type></capability>"
  "<iommuGroup number='0'><address domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>"
  "</iommuGroup></capability></device>";
/* An NVIDIA card with its HDMI audio, behind a root port, all in group 1: passable. */
static const char dgpu[] =
  "<device><name>pci_0000_01_00_0</name><parent>pci_0000_00_01_0</parent>"
  "<capability type='pci'><class>0x030000</class><domain>0</domain><bus>1</bus>"
  "<slot>0</slot><function>0</function>"
  "<product id='0x2504'>GA106 [GeForce RTX 3060 Lite Hash Rate]</product>"
  "<vendor id='0x10de'>NVIDIA Corporation</vendor>"
  "<iommuGroup number='1'><address domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>"
  "<address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>"
  "<address domain='0x0000' bus='0x01' slot='0x00' function='0x1'/></iommuGroup>"
  "</capability></device>";
static const char dgpu_audio[] =
  "<device><name>pci_0000_01_00_1</name><parent>pci_0000_00_01_0</parent>"
  "<capability type='pci'><class>0x040300</class><domain>0</domain><bus>1</bus>"
  "<slot>0</slot><function>1</function>"
  "<product id='0x228e'>GA106 High Definition Audio Controller</product>"
  "<vendor id='0x10de'>NVIDIA Corporation</vendor>"
  "<iommuGroup number='1'><address domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>"
  "<address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>"
  "<address domain='0x0000' bus='0x01' slot='0x00' function='0x1'/></iommuGroup>"
  "</capability></device>";
static const char root_port[] =
  "<device><name>pci_0000_00_01_0</name><parent>computer</parent>"
  "<capability type='pci'><class>0x060400</class><domain>0</domain><bus>0</bus>"
  "<slot>1</slot><function>0</function>"
  "<product id='0x1901'>6th-10th Gen Core Processor PCIe Controller (x16)</product>"
  "<vendor id='0x8086'>Intel Corporation</vendor><capability type='pci-bridge'/>"
  "<iommuGroup number='1'><address domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>"
  "<address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>"
  "<address domain='0x0000' bus='0x01' slot='0x00' function='0x1'/></iommuGroup>"
  "</capability></device>";

typedef enum
{
  HOST_VIRGL,         /* iGPU with a render node; the probe works on it */
  HOST_NO_RENDER,     /* no GPU at all (this container, most CI) */
  HOST_TWO_GPUS,      /* HOST_VIRGL plus a passable NVIDIA card */
  HOST_ONLY_GPU,      /* one GPU, the boot VGA, nothing else */
  HOST_GVTG,          /* HOST_VIRGL whose iGPU offers GVT-g shares */
  HOST_UNKNOWN_CAPS,  /* a driver without domain capabilities */
  N_HOSTS
} HostKind;

static const char * const host_names[N_HOSTS] = {
  "virgl", "no-render-node", "two-gpus", "only-gpu", "gvt-g", "unknown-caps",
};

static GhHost *hosts[N_HOSTS];
static GhOsDb *os_db;

static GhHost *
make_host (HostKind kind)
{
  const char *devices[6] = { NULL };
  g_autoptr(GhHostInventory) host = NULL;
  g_autoptr(GError) error = NULL;
  GhVirglProbeResult probe = {
    .usable = TRUE,
    .device = (char *) "/dev/dri/renderD128",
    .renderer = (char *) "Mesa Intel(R) UHD Graphics 630 (CFL GT2)",
    .gl_version = (char *) "4.6",
  };
  GhHostVirgl virgl = {
    .checked = TRUE,
    .module_present = TRUE,
    .module_path = (char *) "/usr/lib/x86_64-linux-gnu/qemu/hw-display-virtio-gpu-gl.so",
    .probe = &probe,
    .usable = TRUE,
  };
  guint n = 0;

  switch (kind)
    {
    case HOST_VIRGL:
    case HOST_UNKNOWN_CAPS:
      devices[n++] = igpu;
      devices[n++] = igpu_render;
      break;

    case HOST_NO_RENDER:
      virgl.probe = NULL;
      virgl.usable = FALSE;
      virgl.reason = (char *) "This computer has no DRM render node (/dev/dri/renderD*), "
                              "so no GPU that OpenGL can use";
      break;

    case HOST_TWO_GPUS:
      devices[n++] = igpu;
      devices[n++] = igpu_render;
      devices[n++] = root_port;
      devices[n++] = dgpu;
      devices[n++] = dgpu_audio;
      break;

    case HOST_ONLY_GPU:
      devices[n++] = igpu;
      virgl.probe = NULL;
      virgl.usable = FALSE;
      virgl.reason = (char *) "no render node";
      break;

    case HOST_GVTG:
      devices[n++] = igpu_gvtg;
      devices[n++] = igpu_render;
      break;

    case N_HOSTS:
    default:
      g_assert_not_reached ();
    }

  host = gh_host_inventory_new_from_xml (kind == HOST_UNKNOWN_CAPS ? NULL : kvm_caps, devices,
                                         &error);
  g_assert_no_error (error);
  gh_host_inventory_set_virgl (host, &virgl);
  /* The iGPU draws the host's screen whenever there is one. */
  gh_host_inventory_set_boot_vga (host, n > 0 ? "0000:00:02.0" : NULL);

  return gh_host_inventory_dup_host (host);
}

/* ---- What holds for every plan ---------------------------------------------------- */

static void
assert_xml_fragment (const char *what,
                     const char *fragment)
{
  g_autofree char *doc = g_strconcat ("<devices>", fragment, "</devices>", NULL);
  xmlDoc *parsed = xmlReadMemory (doc, strlen (doc), "fragment.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

  if (parsed == NULL)
    g_error ("%s: the XML is not well-formed:\n%s", what, fragment);
  xmlFreeDoc (parsed);
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = haystack; p != NULL && (p = strstr (p, needle)) != NULL; p++)
    n++;

  return n;
}

/* No display of @devices takes TCP connections without a password: read as the
 * settings window reads a machine's definition. */
static void
assert_no_open_port (const char *what,
                     const char *devices)
{
  g_autofree char *xml = g_strconcat ("<domain type='kvm'><name>x</name><devices>", devices,
                                      "</devices></domain>", NULL);
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GError) error = NULL;

  editor = gh_domain_editor_new (xml, &error);
  g_assert_no_error (error);
  open = gh_domain_editor_dup_open_displays (editor);
  if (open->len > 0 || strstr (devices, "type='address'") != NULL
      || strstr (devices, "type='network'") != NULL)
    g_error ("%s: a display on a TCP port without a password:\n%s", what, devices);
}

/* Whether Greenhouse's driver facts say @os lacks @device's driver. */
static gboolean
facts_say_no (OsinfoOs       *os,
              GhDriverDevice  device)
{
  const GhOsFactsRow *row = gh_os_facts_lookup_os (gh_os_facts_get_default (), os);

  return gh_os_facts_row_answer (row, device, NULL) == GH_DRIVER_NO;
}

static void
assert_plan_invariants (GhGraphicsPlan            *plan,
                        OsinfoOs                  *os,
                        GhGraphicsConnectionFlags  connection,
                        const char                *what)
{
  const GhGraphicsPath *recommended = gh_graphics_plan_get_recommended (plan);
  guint n = gh_graphics_plan_get_n_paths (plan);
  guint last_tier = 0;

  /* virgl, virtio-2d, qxl and vga at least. */
  g_assert_cmpuint (n, >=, 4);

  for (guint i = 0; i < n; i++)
    {
      const GhGraphicsPath *path = gh_graphics_plan_get_path (plan, i);
      g_autofree char *devices = gh_graphics_path_dup_devices_xml (path);
      g_autofree char *label = g_strdup_printf ("%s: %s%s%s", what,
                                                gh_graphics_path_kind_to_string (path->kind),
                                                path->device != NULL ? " " : "",
                                                path->device != NULL ? path->device : "");
      guint path_tier = !path->feasible ? 2 : path->discouraged ? 1 : 0;

      g_assert_cmpuint (path->rank, ==, i + 1);
      /* Endorsed, then discouraged, then infeasible. */
      g_assert_cmpuint (path_tier, >=, last_tier);
      last_tier = path_tier;
      g_assert_true (!path->discouraged || path->feasible);

      if (path->reason == NULL || path->reason[0] == '\0')
        g_error ("%s has no reason", label);
      /* libosinfo's silence is no "no": a reason says a guest lacks a driver only where
       * the driver facts say so (libosinfo's own "no" is quoted as libosinfo's). */
      if ((strstr (path->reason, "has no driver for virtio-gpu's 3D") != NULL
           || strstr (path->reason, "3D with virgl needs Linux") != NULL)
          && !facts_say_no (os, GH_DRIVER_VIRGL))
        g_error ("%s says a guest lacks virgl: %s", label, path->reason);
      if ((strstr (path->reason, "has no virtio-gpu driver") != NULL
           || strstr (path->reason, "older than the virtio-gpu driver") != NULL)
          && !facts_say_no (os, GH_DRIVER_VIRTIO_GPU))
        g_error ("%s says a guest lacks virtio-gpu: %s", label, path->reason);
      if (strstr (path->reason, "has no drivers for today's GPUs") != NULL
          && !facts_say_no (os, GH_DRIVER_VENDOR_GPU))
        g_error ("%s says a guest lacks GPU drivers: %s", label, path->reason);
      if ((strstr (path->reason, "has no QXL driver") != NULL
           || strstr (path->reason, "older than the QXL driver") != NULL)
          && !facts_say_no (os, GH_DRIVER_QXL))
        g_error ("%s says a guest lacks QXL: %s", label, path->reason);

      /* Never SPICE GL remote or listening on an address: the client would be cut off. */
      if (gh_graphics_path_uses_spice_gl (path))
        {
          if (connection & GH_GRAPHICS_CONNECTION_REMOTE)
            g_error ("%s: SPICE GL on a remote connection", label);
          if (count (path->graphics_xml, "<listen type='none'/>") != 1
              || count (path->graphics_xml, "<listen") != 1)
            g_error ("%s: SPICE GL with a listen other than none:\n%s", label,
                     path->graphics_xml);
          g_assert_cmpint (path->kind, ==, GH_GRAPHICS_PATH_VIRGL);
        }
      if (!(connection & GH_GRAPHICS_CONNECTION_REMOTE))
        g_assert_nonnull (strstr (path->graphics_xml, "<listen type='none'/>"));
      else if (count (path->graphics_xml, "<listen type='socket'/>") != 1
               || count (path->graphics_xml, "<listen") != 1)
        g_error ("%s: a remote display that is not on a UNIX socket:\n%s", label,
                 path->graphics_xml);
      assert_no_open_port (label, devices);

      /* What goes with every SPICE display. */
      g_assert_cmpuint (count (devices, "<input type='tablet' bus='usb'/>"), ==, 1);
      g_assert_cmpuint (count (devices, "name='com.redhat.spice.0'"), ==, 1);
      g_assert_cmpuint (count (devices, "<redirdev bus='usb' type='spicevmc'/>"), ==, 2);
      g_assert_cmpuint (count (devices, "<video>"), ==, 1);
      assert_xml_fragment (label, devices);

      /* A host device for every GPU path, except the one that says there is no GPU. */
      if ((path->kind == GH_GRAPHICS_PATH_VFIO || path->kind == GH_GRAPHICS_PATH_MDEV)
          && path->device != NULL)
        g_assert_nonnull (path->hostdev_xml);
      else
        g_assert_null (path->hostdev_xml);
      if (path->kind == GH_GRAPHICS_PATH_MDEV)
        g_assert_nonnull (path->device);
      if (path->kind == GH_GRAPHICS_PATH_VFIO && path->device == NULL)
        g_assert_false (path->feasible);
      if (path->kind == GH_GRAPHICS_PATH_VFIO && path->device != NULL)
        g_assert_cmpstr (path->firmware, ==, "efi");
      if (path->feasible
          && (path->kind == GH_GRAPHICS_PATH_VFIO || path->kind == GH_GRAPHICS_PATH_MDEV))
        g_assert_true (connection & GH_GRAPHICS_CONNECTION_SYSTEM);
    }

  /* The recommended path is the first feasible one, and never a discouraged one while an
   * endorsed one exists. */
  if (recommended != NULL)
    {
      g_assert_true (recommended->feasible);
      for (guint i = 0; i + 1 < recommended->rank; i++)
        g_assert_false (gh_graphics_plan_get_path (plan, i)->feasible);
    }
  else
    {
      for (guint i = 0; i < n; i++)
        g_assert_false (gh_graphics_plan_get_path (plan, i)->feasible);
    }
}

static void
assert_same_plan (GhGraphicsPlan *a,
                  GhGraphicsPlan *b)
{
  g_assert_cmpuint (gh_graphics_plan_get_n_paths (a), ==, gh_graphics_plan_get_n_paths (b));
  for (guint i = 0; i < gh_graphics_plan_get_n_paths (a); i++)
    {
      const GhGraphicsPath *pa = gh_graphics_plan_get_path (a, i);
      const GhGraphicsPath *pb = gh_graphics_plan_get_path (b, i);
      g_autofree char *xa = gh_graphics_path_dup_devices_xml (pa);
      g_autofree char *xb = gh_graphics_path_dup_devices_xml (pb);

      g_assert_cmpint (pa->kind, ==, pb->kind);
      g_assert_cmpint (pa->feasible, ==, pb->feasible);
      g_assert_cmpint (pa->discouraged, ==, pb->discouraged);
      g_assert_cmpuint (pa->rank, ==, pb->rank);
      g_assert_cmpstr (pa->reason, ==, pb->reason);
      g_assert_cmpstr (pa->device, ==, pb->device);
      g_assert_cmpstr (pa->firmware, ==, pb->firmware);
      g_assert_cmpstr (xa, ==, xb);
    }
}

/* ---- The table -------------------------------------------------------------------- */

typedef struct
{
  const char *path;
  gboolean    feasible;
  const char *reason;   /* words the reason must contain; NULL: any */
} PathExpectation;

typedef struct
{
  const char                *name;
  const char                *os;          /* short id; NULL: no OS */
  HostKind                   host;
  GhGraphicsConnectionFlags  connection;
  GhGraphicsPreference       preference;
  gboolean                   confirm_boot_vga;
  const char                *recommended; /* NULL: none */
  const char                *recommended_device;
  PathExpectation            expect[4];
} PlanCase;

#define SESSION GH_GRAPHICS_CONNECTION_SESSION
#define SYSTEM  GH_GRAPHICS_CONNECTION_SYSTEM
#define REMOTE  GH_GRAPHICS_CONNECTION_REMOTE
#define BEST    GH_GRAPHICS_PREFER_BEST_3D
#define COMPAT  GH_GRAPHICS_PREFER_COMPATIBLE

static const PlanCase plan_cases[] = {
  { "fedora37-virgl", "fedora37", HOST_VIRGL, SESSION, BEST, FALSE, "virgl", NULL,
    { { "virgl", TRUE, "Mesa Intel(R) UHD Graphics 630" },
      { "vfio", FALSE, "system connection" } } },
  { "fedora37-no-render-node", "fedora37", HOST_NO_RENDER, SESSION, BEST, FALSE,
    "virtio-2d", NULL,
    { { "virgl", FALSE, "render node" },
      { "virtio-2d", TRUE, NULL } } },
  { "win11-no-gpu-session", "win11", HOST_NO_RENDER, SESSION, BEST, FALSE, "qxl", NULL,
    { { "vfio", FALSE, "system connection" } } },
  { "win11-no-gpu-system", "win11", HOST_NO_RENDER, SYSTEM, BEST, FALSE, "qxl", NULL,
    { { "vfio", FALSE, "no GPU" } } },
  { "fedora37-compatible", "fedora37", HOST_VIRGL, SESSION, COMPAT, FALSE, "virtio-2d", NULL,
    { { "virgl", TRUE, NULL } } },
  { "fedora37-unknown-caps", "fedora37", HOST_UNKNOWN_CAPS, SESSION, BEST, FALSE,
    "virtio-2d", NULL,
    { { "virgl", FALSE, "unknown" } } },
  { "fedora37-remote", "fedora37", HOST_VIRGL, REMOTE, BEST, FALSE, "virtio-2d", NULL,
    { { "virgl", FALSE, "remote" } } },
  { "fedora37-remote-system", "fedora37", HOST_TWO_GPUS, REMOTE | SYSTEM, BEST, FALSE,
    "vfio", "0000:01:00.0",
    { { "virgl", FALSE, "remote" } } },
  { "fedora37-system-two-gpus", "fedora37", HOST_TWO_GPUS, SYSTEM, BEST, FALSE, "virgl", NULL,
    { { "vfio", TRUE, "GA106" } } },
  /* Windows has neither driver in the box; virtio-win adds both, as 2D only. */
  { "win10-session", "win10", HOST_VIRGL, SESSION, BEST, FALSE, "qxl", NULL,
    { { "virgl", TRUE, "Microsoft Windows 10 has no driver for virtio-gpu's 3D (virgl)" },
      { "virtio-2d", TRUE, "Microsoft Windows 10 has no virtio-gpu driver of its own; "
                           "virtio-win viogpudo" },
      { "qxl", TRUE, "Microsoft Windows 10 has no QXL driver of its own; virtio-win qxldod" },
      { "vfio", FALSE, "system connection (qemu:///system)" } } },
  { "win11-session", "win11", HOST_VIRGL, SESSION, BEST, FALSE, "qxl", NULL,
    { { "virgl", TRUE, "Microsoft Windows 11 has no driver for virtio-gpu's 3D" },
      { "vfio", FALSE, "system connection" } } },
  { "win10-system-gpu", "win10", HOST_TWO_GPUS, SYSTEM, BEST, FALSE, "vfio", "0000:01:00.0",
    { { "virgl", TRUE, "has no driver for virtio-gpu's 3D" } } },
  { "win11-system-gpu", "win11", HOST_TWO_GPUS, SYSTEM, BEST, FALSE, "vfio", "0000:01:00.0",
    { { "virgl", TRUE, "has no driver for virtio-gpu's 3D" } } },
  /* The boot GPU of a host with another one: possible, after the other one. */
  { "win11-system-two-gpus-boot", "win11", HOST_TWO_GPUS, SYSTEM, BEST, FALSE, "vfio",
    "0000:01:00.0",
    { { "vfio", TRUE, "starts on" } } },
  { "win11-only-gpu", "win11", HOST_ONLY_GPU, SYSTEM, BEST, FALSE, "qxl", NULL,
    { { "vfio", FALSE, "loses its display" } } },
  { "win11-only-gpu-confirmed", "win11", HOST_ONLY_GPU, SYSTEM, BEST, TRUE, "vfio",
    "0000:00:02.0",
    { { "vfio", TRUE, "loses its display" } } },
  { "win11-gvtg", "win11", HOST_GVTG, SYSTEM, BEST, FALSE, "mdev", "i915-GVTg_V5_4",
    { { "mdev", TRUE, "2 more" } } },
  { "win11-gvtg-session", "win11", HOST_GVTG, SESSION, BEST, FALSE, "qxl", NULL,
    { { "mdev", FALSE, "system connection" } } },
  /* libosinfo marks virtio1.0-gpu supported="false" for Ubuntu 22.04 in this osinfo-db:
   * that "no" wins over Linux 5.15, and is quoted as libosinfo's. QXL from the facts. */
  { "ubuntu22.04", "ubuntu22.04", HOST_VIRGL, SESSION, BEST, FALSE, "qxl", NULL,
    { { "virgl", TRUE, "libosinfo marks virtio-gpu as not supported on Ubuntu 22.04 LTS" },
      { "virtio-2d", TRUE, "libosinfo marks virtio-gpu as not supported on Ubuntu 22.04" },
      { "qxl", TRUE, "Ubuntu 22.04 LTS ships Linux 5.15, which has the QXL driver" } } },
  /* libosinfo says nothing of either; the facts: Linux 4.4 and Mesa 11.2 have both. */
  { "ubuntu16.04", "ubuntu16.04", HOST_VIRGL, SESSION, BEST, FALSE, "virgl", NULL,
    { { "virgl", TRUE, "Ubuntu 16.04 ships Linux 4.4 and Mesa 11.2, which have "
                       "virtio-gpu's 3D (virgl)" },
      { "virtio-2d", TRUE, "ships Linux 4.4, which has the virtio-gpu driver" },
      { "qxl", TRUE, "ships Linux 4.4, which has the QXL driver" } } },
  { "ubuntu16.04-no-render-node", "ubuntu16.04", HOST_NO_RENDER, SESSION, BEST, FALSE,
    "virtio-2d", NULL,
    { { "virgl", FALSE, "render node" } } },
  /* libosinfo lists neither virtio-gpu nor virgl for these, Greenhouse's facts do. */
  { "debian10", "debian10", HOST_VIRGL, SESSION, BEST, FALSE, "virgl", NULL,
    { { "virgl", TRUE, "Debian 10 ships Linux 4.19 and Mesa 18.3" } } },
  { "ubuntu18.04", "ubuntu18.04", HOST_VIRGL, SESSION, BEST, FALSE, "virgl", NULL,
    { { "virgl", TRUE, "Ubuntu 18.04 LTS ships Linux 4.15 and Mesa 18.0" } } },
  { "ubuntu20.04", "ubuntu20.04", HOST_VIRGL, SESSION, BEST, FALSE, "virgl", NULL, { { 0 } } },
  /* Linux 3.2: no virtio-gpu and no QXL in the kernel, but X.Org's QXL driver. */
  { "debian7", "debian7", HOST_VIRGL, SESSION, BEST, FALSE, "qxl", NULL,
    { { "virgl", TRUE, "Debian 7 ships Linux 3.2 and Mesa 8.0; 3D with virgl needs Linux 4.4" },
      { "virtio-2d", TRUE, "Debian 7 ships Linux 3.2, older than the virtio-gpu driver" },
      { "qxl", TRUE, "Debian 7 has X.Org's QXL driver" } } },
  /* No OS: the fallback, QXL, which shows any guest. */
  { "no-os", NULL, HOST_VIRGL, SESSION, BEST, FALSE, "qxl", NULL,
    { { "virgl", TRUE, "not known" },
      { "virtio-2d", TRUE, "not known" },
      { "qxl", TRUE, "not known" } } },
  { "no-os-remote", NULL, HOST_VIRGL, REMOTE, BEST, FALSE, "qxl", NULL,
    { { "virgl", FALSE, "remote" } } },
};

static void
test_plan_case (gconstpointer data)
{
  const PlanCase *c = data;
  OsinfoOs *os = gh_test_lookup_os (os_db, c->os);
  g_autoptr(GhGraphicsPlan) plan = NULL;
  g_autoptr(GhGraphicsPlan) again = NULL;
  const GhGraphicsPath *recommended;

  plan = gh_graphics_planner_plan (os, hosts[c->host], c->connection, c->preference,
                                   c->confirm_boot_vga);
  for (guint i = 0; i < gh_graphics_plan_get_n_paths (plan); i++)
    {
      const GhGraphicsPath *path = gh_graphics_plan_get_path (plan, i);

      g_test_message ("%u. %s%s%s %s: %s", path->rank,
                      gh_graphics_path_kind_to_string (path->kind),
                      path->device != NULL ? " " : "", path->device != NULL ? path->device : "",
                      path->feasible ? (path->discouraged ? "discouraged" : "feasible")
                                     : "infeasible",
                      path->reason);
    }

  assert_plan_invariants (plan, os, c->connection, c->name);

  recommended = gh_graphics_plan_get_recommended (plan);
  if (c->recommended == NULL)
    {
      g_assert_null (recommended);
    }
  else
    {
      g_assert_nonnull (recommended);
      g_assert_cmpstr (gh_graphics_path_kind_to_string (recommended->kind), ==, c->recommended);
      if (c->recommended_device != NULL)
        g_assert_cmpstr (recommended->device, ==, c->recommended_device);
      g_assert_cmpuint (recommended->rank, ==, 1);
    }

  for (guint i = 0; i < G_N_ELEMENTS (c->expect) && c->expect[i].path != NULL; i++)
    {
      const PathExpectation *e = &c->expect[i];
      const GhGraphicsPath *path = NULL;

      /* The first path of that kind by rank; for vfio on a two-GPU host the card whose
       * words are asked for. */
      for (guint j = 0; j < gh_graphics_plan_get_n_paths (plan); j++)
        {
          const GhGraphicsPath *candidate = gh_graphics_plan_get_path (plan, j);

          if (g_strcmp0 (gh_graphics_path_kind_to_string (candidate->kind), e->path) == 0
              && (e->reason == NULL || strstr (candidate->reason, e->reason) != NULL))
            {
              path = candidate;
              break;
            }
        }
      if (path == NULL)
        g_error ("%s: no %s path whose reason says “%s”", c->name, e->path,
                 e->reason != NULL ? e->reason : "");
      g_assert_cmpint (path->feasible, ==, e->feasible);
    }

  /* Pure: the same inputs give the same plan. */
  again = gh_graphics_planner_plan (os, hosts[c->host], c->connection, c->preference,
                                    c->confirm_boot_vga);
  assert_same_plan (plan, again);
}

/* What the XML of each path says, beyond the invariants. */
static void
test_plan_xml (void)
{
  OsinfoOs *fedora = gh_test_lookup_os (os_db, "fedora37");
  g_autoptr(GhGraphicsPlan) local = gh_graphics_planner_plan (fedora, hosts[HOST_TWO_GPUS],
                                                              SYSTEM, BEST, FALSE);
  g_autoptr(GhGraphicsPlan) remote = gh_graphics_planner_plan (fedora, hosts[HOST_VIRGL],
                                                               REMOTE, BEST, FALSE);
  g_autoptr(GhGraphicsPlan) gvtg = gh_graphics_planner_plan (fedora, hosts[HOST_GVTG],
                                                             SYSTEM, BEST, FALSE);
  g_autoptr(GhGraphicsPlan) gvtg_again = gh_graphics_planner_plan (fedora, hosts[HOST_GVTG],
                                                                   SYSTEM, BEST, FALSE);
  const GhGraphicsPath *path;

  path = gh_graphics_plan_find (local, GH_GRAPHICS_PATH_VIRGL, NULL);
  g_assert_nonnull (strstr (path->video_xml, "<acceleration accel3d='yes'/>"));
  g_assert_nonnull (strstr (path->video_xml, "type='virtio'"));
  g_assert_nonnull (strstr (path->graphics_xml,
                            "<gl enable='yes' rendernode='/dev/dri/renderD128'/>"));
  g_assert_null (path->firmware);

  path = gh_graphics_plan_find (local, GH_GRAPHICS_PATH_VIRTIO_2D, NULL);
  g_assert_null (strstr (path->video_xml, "accel3d"));
  g_assert_nonnull (strstr (path->graphics_xml, "<gl enable='no'/>"));

  /* The whole card goes: its audio function with it, the root port stays. */
  path = gh_graphics_plan_find (local, GH_GRAPHICS_PATH_VFIO, "0000:01:00.0");
  g_assert_nonnull (path);
  g_assert_cmpuint (count (path->hostdev_xml, "<hostdev mode='subsystem' type='pci' "
                                              "managed='yes'>"), ==, 2);
  g_assert_nonnull (strstr (path->hostdev_xml, "bus='0x01' slot='0x00' function='0x0'"));
  g_assert_nonnull (strstr (path->hostdev_xml, "bus='0x01' slot='0x00' function='0x1'"));
  g_assert_null (strstr (path->hostdev_xml, "slot='0x01'"));
  g_assert_cmpstr (path->firmware, ==, "efi");

  /* Remote: no GL anywhere, SPICE on a UNIX socket of libvirt's choosing, no TCP port. */
  for (guint i = 0; i < gh_graphics_plan_get_n_paths (remote); i++)
    {
      path = gh_graphics_plan_get_path (remote, i);
      g_assert_false (gh_graphics_path_uses_spice_gl (path));
      g_assert_null (strstr (path->graphics_xml, "<gl"));
      g_assert_null (strstr (path->video_xml, "accel3d"));
      g_assert_nonnull (strstr (path->graphics_xml, "<listen type='socket'/>"));
      g_assert_null (strstr (path->graphics_xml, "address="));
      g_assert_null (strstr (path->graphics_xml, "port="));
    }

  /* A mediated device has a UUID that does not change from one plan to the next. */
  path = gh_graphics_plan_find (gvtg, GH_GRAPHICS_PATH_MDEV, "i915-GVTg_V5_4");
  g_assert_nonnull (path);
  g_assert_nonnull (strstr (path->hostdev_xml, "type='mdev' model='vfio-pci'"));
  g_assert_cmpstr (path->hostdev_xml, ==,
                   gh_graphics_plan_find (gvtg_again, GH_GRAPHICS_PATH_MDEV,
                                          "i915-GVTg_V5_4")->hostdev_xml);
  g_assert_cmpstr (path->hostdev_xml, !=,
                   gh_graphics_plan_find (gvtg, GH_GRAPHICS_PATH_MDEV,
                                          "i915-GVTg_V5_8")->hostdev_xml);
  g_assert_false (gh_graphics_plan_find (gvtg, GH_GRAPHICS_PATH_MDEV,
                                         "i915-GVTg_V5_8")->feasible);
}

/* A hand-made, truly unsupported-device OS object: the planner also works with OSes
 * that are not in any database. */
static void
test_os_without_db (void)
{
  g_autoptr(OsinfoOs) os = osinfo_os_new ("http://example.org/bare-os/1");
  g_autoptr(GhGraphicsPlan) plan = NULL;

  plan = gh_graphics_planner_plan (os, hosts[HOST_VIRGL], SESSION, BEST, FALSE);
  assert_plan_invariants (plan, os, SESSION, "bare OS");
  g_assert_cmpint (gh_graphics_plan_get_recommended (plan)->kind, ==, GH_GRAPHICS_PATH_QXL);
  g_assert_nonnull (strstr (gh_graphics_plan_find (plan, GH_GRAPHICS_PATH_VIRGL, NULL)->reason,
                            "libosinfo does not say whether http://example.org/bare-os/1 has"));
}

static void
test_connection_flags (void)
{
  static const struct
  {
    const char                *uri;
    GhGraphicsConnectionFlags  flags;
  } cases[] = {
    { "qemu:///session", SESSION },
    { "qemu:///system", SYSTEM },
    { "qemu+ssh://root@example.org/system", SYSTEM | REMOTE },
    { "qemu+ssh://example.org/session", REMOTE },
    { "test:///default", SESSION },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GhConnection) connection = gh_connection_new (cases[i].uri);

      g_assert_cmpint (gh_connection_get_graphics_flags (connection), ==, cases[i].flags);
    }
}

/* Every path the planner offers, on every host, connection and preference, built into a
 * whole machine as the creator would: no display takes TCP connections without a
 * password. Anyone on the host could otherwise watch and drive the guest. */
static void
test_no_open_port (void)
{
  static const GhGraphicsConnectionFlags connections[] = {
    SESSION, SYSTEM, REMOTE, REMOTE | SYSTEM,
  };
  static const GhGraphicsPreference preferences[] = { BEST, COMPAT };
  static const char * const oses[] = { "fedora37", "win11", "win7", NULL };
  guint n_built = 0;

  for (guint h = 0; h < N_HOSTS; h++)
    for (guint c = 0; c < G_N_ELEMENTS (connections); c++)
      for (guint p = 0; p < G_N_ELEMENTS (preferences); p++)
        for (guint o = 0; o < G_N_ELEMENTS (oses); o++)
          {
            OsinfoOs *os = oses[o] != NULL ? gh_test_lookup_os (os_db, oses[o]) : NULL;
            g_autoptr(GhGraphicsPlan) plan = NULL;

            plan = gh_graphics_planner_plan (os, hosts[h], connections[c], preferences[p],
                                             TRUE);
            for (guint i = 0; i < gh_graphics_plan_get_n_paths (plan); i++)
              {
                const GhGraphicsPath *path = gh_graphics_plan_get_path (plan, i);
                g_autoptr(GhDomainSpec) spec = gh_domain_spec_new ();
                g_autoptr(GhDomainEditor) editor = NULL;
                g_autoptr(GPtrArray) open = NULL;
                g_autoptr(GError) error = NULL;
                g_autofree char *xml = NULL;
                g_autofree char *what = NULL;

                what = g_strdup_printf ("%s on %s (%#x, %d): %s",
                                        oses[o] != NULL ? oses[o] : "no OS", host_names[h],
                                        connections[c], preferences[p],
                                        gh_graphics_path_kind_to_string (path->kind));

                spec->name = g_strdup ("open-port");
                spec->os = os != NULL ? g_object_ref (os) : NULL;
                spec->memory = 1024 * 1024 * 1024;
                spec->vcpus = 1;
                spec->display = gh_graphics_path_copy (path);
                xml = gh_domain_builder_build (spec,
                                               gh_host_get_domain_caps (hosts[h]),
                                               &error);
                if (xml == NULL)
                  g_error ("%s: %s", what, error->message);

                editor = gh_domain_editor_new (xml, &error);
                g_assert_no_error (error);
                open = gh_domain_editor_dup_open_displays (editor);
                if (open->len > 0)
                  g_error ("%s: a display on a TCP port without a password:\n%s", what, xml);
                n_built++;
              }
          }

  g_test_message ("%u machines built, none with an open display port", n_built);
  g_assert_cmpuint (n_built, >, 100);
}

/* Every OS osinfo-db knows, on every host and connection: a plan, and the rules hold. */
/* Plain VGA only for a guest known to have no QXL driver, with nothing to add one. */
static void
assert_vga_earned (GhGraphicsPlan *plan,
                   OsinfoOs       *os,
                   const char     *what)
{
  const GhGraphicsPath *recommended = gh_graphics_plan_get_recommended (plan);
  const GhGraphicsPath *qxl = gh_graphics_plan_find (plan, GH_GRAPHICS_PATH_QXL, NULL);

  if (recommended->kind == GH_GRAPHICS_PATH_VGA
      && strstr (qxl->reason, "marks QXL as not supported") == NULL
      && !facts_say_no (os, GH_DRIVER_QXL))
    g_error ("%s: plain VGA recommended, QXL: %s", what, qxl->reason);
}

static void
test_every_os (void)
{
  static const struct
  {
    HostKind                   host;
    GhGraphicsConnectionFlags  connection;
    GhGraphicsPreference       preference;
  } setups[] = {
    /* Every path there is, SPICE GL included: the local rules. */
    { HOST_TWO_GPUS, SYSTEM, BEST },
    /* The remote rules. Two setups only: the sanitizer build runs this with full stack
     * unwinding on every allocation (see tests/core/meson.build). */
    { HOST_VIRGL, REMOTE, COMPAT },
  };
  g_autoptr(OsinfoOsList) list = osinfo_db_get_os_list (_gh_os_db_get_db (os_db));
  int n = osinfo_list_get_length (OSINFO_LIST (list));
  guint kinds[G_N_ELEMENTS (setups)][GH_GRAPHICS_PATH_MDEV + 1] = { { 0 } };
  guint n_virgl = 0;

  g_assert_cmpint (n, >, 100);

  for (int i = 0; i < n; i++)
    {
      OsinfoOs *os = OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (list), i));

      for (guint s = 0; s < G_N_ELEMENTS (setups); s++)
        {
          g_autoptr(GhGraphicsPlan) plan = NULL;
          g_autofree char *what = g_strdup_printf ("%s on %s",
                                                   osinfo_entity_get_id (OSINFO_ENTITY (os)),
                                                   host_names[setups[s].host]);
          const GhGraphicsPath *recommended;

          plan = gh_graphics_planner_plan (os, hosts[setups[s].host], setups[s].connection,
                                           setups[s].preference, FALSE);
          g_assert_nonnull (plan);
          assert_plan_invariants (plan, os, setups[s].connection, what);

          /* Standard VGA is there for every guest, yet recommended (on these x86 hosts)
           * only to a guest known to lack a QXL driver, with nothing to add one. */
          recommended = gh_graphics_plan_get_recommended (plan);
          g_assert_nonnull (recommended);
          kinds[s][recommended->kind]++;
          if (recommended->kind == GH_GRAPHICS_PATH_VIRGL)
            n_virgl++;
          assert_vga_earned (plan, os, what);
        }
    }

  for (guint s = 0; s < G_N_ELEMENTS (setups); s++)
    g_test_message ("%d operating systems on %s: recommended virgl %u, virtio-2d %u, qxl %u, "
                    "vga %u, vfio %u, mdev %u", n, host_names[setups[s].host],
                    kinds[s][GH_GRAPHICS_PATH_VIRGL], kinds[s][GH_GRAPHICS_PATH_VIRTIO_2D],
                    kinds[s][GH_GRAPHICS_PATH_QXL], kinds[s][GH_GRAPHICS_PATH_VGA],
                    kinds[s][GH_GRAPHICS_PATH_VFIO], kinds[s][GH_GRAPHICS_PATH_MDEV]);
  g_assert_cmpuint (n_virgl, >, 0);
}

/* Off x86 a machine starts with UEFI: the last resort is a bochs display, where QEMU has
 * one, and QXL is no fallback there. */
static void
test_bochs_off_x86 (void)
{
  static const char aarch64_caps[] =
    "<domainCapabilities>"
    "<path>/usr/bin/qemu-system-aarch64</path><domain>qemu</domain>"
    "<machine>virt-7.2</machine><arch>aarch64</arch>"
    "<os supported='yes'><enum name='firmware'><value>efi</value></enum></os>"
    "<devices>"
    "<graphics supported='yes'><enum name='type'><value>vnc</value><value>spice</value>"
    "</enum></graphics>"
    "<video supported='yes'><enum name='modelType'><value>vga</value><value>qxl</value>"
    "<value>virtio</value><value>none</value><value>bochs</value><value>ramfb</value>"
    "</enum></video>"
    "</devices></domainCapabilities>";
  g_autoptr(GhHostInventory) inventory = NULL;
  g_autoptr(GhGraphicsPlan) openbsd = NULL;
  g_autoptr(GhGraphicsPlan) debian = NULL;
  g_autoptr(GhGraphicsPlan) unknown = NULL;
  g_autoptr(GError) error = NULL;
  const GhGraphicsPath *path;
  GhHost *host;

  inventory = gh_host_inventory_new_from_xml (aarch64_caps, NULL, &error);
  g_assert_no_error (error);
  host = gh_host_inventory_get_host (inventory);

  /* OpenBSD 7.0: neither virtio-gpu nor QXL; bochs, not VGA. */
  openbsd = gh_graphics_planner_plan (gh_test_lookup_os (os_db, "openbsd7.0"), host, SESSION,
                                      BEST, FALSE);
  assert_plan_invariants (openbsd, gh_test_lookup_os (os_db, "openbsd7.0"), SESSION,
                          "openbsd7.0 on aarch64");
  path = gh_graphics_plan_get_recommended (openbsd);
  g_assert_cmpint (path->kind, ==, GH_GRAPHICS_PATH_VGA);
  g_assert_nonnull (strstr (path->video_xml, "<model type='bochs'"));
  g_assert_nonnull (strstr (path->reason, "UEFI firmware draws on"));

  /* With a driver the guest gets virtio-gpu, as on x86. */
  debian = gh_graphics_planner_plan (gh_test_lookup_os (os_db, "debian10"), host, SESSION,
                                     BEST, FALSE);
  g_assert_cmpint (gh_graphics_plan_get_recommended (debian)->kind, ==,
                   GH_GRAPHICS_PATH_VIRTIO_2D);

  /* Nothing known: QXL is an x86 fallback only, so bochs. */
  unknown = gh_graphics_planner_plan (NULL, host, SESSION, BEST, FALSE);
  path = gh_graphics_plan_get_recommended (unknown);
  g_assert_cmpint (path->kind, ==, GH_GRAPHICS_PATH_VGA);
  g_assert_nonnull (strstr (path->video_xml, "<model type='bochs'"));
  g_assert_true (gh_graphics_plan_find (unknown, GH_GRAPHICS_PATH_QXL, NULL)->discouraged);
}

/* ---- Recorded hosts (tests/data/hosts, written by --host-report --json) ------------ */

typedef enum
{
  RECORDED_NO_GPU,
  RECORDED_INTEL_IGPU,
  RECORDED_AMD_DGPU,
  RECORDED_NVIDIA_DGPU,
  RECORDED_INTEL_GVT_G,
  RECORDED_REMOTE,
  N_RECORDED
} RecordedHost;

static const char * const recorded_names[N_RECORDED] = {
  "no-gpu", "intel-igpu", "amd-dgpu", "nvidia-dgpu", "intel-gvt-g", "remote",
};
static GhHost *recorded_hosts[N_RECORDED];
static GhGraphicsConnectionFlags recorded_connections[N_RECORDED];

static void
load_recorded_hosts (void)
{
  for (guint i = 0; i < N_RECORDED; i++)
    {
      g_autofree char *file = g_strconcat (recorded_names[i], ".json", NULL);
      g_autofree char *path = g_build_filename (g_getenv ("GREENHOUSE_SOURCE_DIR"), "tests",
                                                "data", "hosts", file, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GhHost) host = gh_host_file_load (path, NULL, &recorded_connections[i],
                                                  &error);

      g_assert_no_error (error);
      recorded_hosts[i] = g_steal_pointer (&host);
    }
}

/* The plan for @os on a recorded host, checked against the rules every plan keeps. */
static GhGraphicsPlan *
plan_on_recorded (OsinfoOs     *os,
                  RecordedHost  host,
                  const char   *what)
{
  GhGraphicsPlan *plan = gh_graphics_planner_plan (os, recorded_hosts[host],
                                                   recorded_connections[host], BEST, FALSE);

  assert_plan_invariants (plan, os, recorded_connections[host], what);
  if (gh_graphics_plan_get_recommended (plan) == NULL)
    g_error ("%s: nothing feasible", what);
  return plan;
}

/* Every OS of the installed osinfo-db on every recorded host: a feasible recommendation,
 * ranks 1..n, a reason for every path, and no driver said missing that the data does not
 * say is. */
static void
test_recorded_catalog (void)
{
  g_autoptr(OsinfoOsList) list = osinfo_db_get_os_list (_gh_os_db_get_db (os_db));
  int n = osinfo_list_get_length (OSINFO_LIST (list));
  guint step = 1;

#if defined(__SANITIZE_ADDRESS__)
  /* Under the sanitizers' full unwinding a plan takes a quarter of a second:
   * /core/planner/every-os already plans every OS there, so this takes every 16th OS on
   * each host; the unsanitized run plans them all. */
  step = 16;
  g_test_message ("sanitized build: every %uth OS of the catalog only", step);
#endif

  for (guint h = 0; h < N_RECORDED; h++)
    {
      guint kinds[GH_GRAPHICS_PATH_MDEV + 1] = { 0 };

      for (int i = 0; i < n; i += step)
        {
          OsinfoOs *os = OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (list), i));
          g_autofree char *what = g_strdup_printf ("%s on %s",
                                                   osinfo_entity_get_id (OSINFO_ENTITY (os)),
                                                   recorded_names[h]);
          g_autoptr(GhGraphicsPlan) plan = NULL;
          const GhGraphicsPath *recommended;

          plan = plan_on_recorded (os, h, what);
          recommended = gh_graphics_plan_get_recommended (plan);
          assert_vga_earned (plan, os, what);
          kinds[recommended->kind]++;
        }

      g_test_message ("%d operating systems (every %u) on %s: recommended virgl %u, virtio-2d %u, "
                      "qxl %u, vga %u, vfio %u, mdev %u", n, step, recorded_names[h],
                      kinds[GH_GRAPHICS_PATH_VIRGL], kinds[GH_GRAPHICS_PATH_VIRTIO_2D],
                      kinds[GH_GRAPHICS_PATH_QXL], kinds[GH_GRAPHICS_PATH_VGA],
                      kinds[GH_GRAPHICS_PATH_VFIO], kinds[GH_GRAPHICS_PATH_MDEV]);
    }
}

/* What each guest gets on each recorded host, and the gist of why. */
typedef struct
{
  const char *os;
  /* The recommended path on no-gpu, intel-igpu, amd-dgpu, nvidia-dgpu, intel-gvt-g and
   * remote. */
  const char *kinds;
  /* In the reason of each recommended path but vfio and mdev (theirs say what goes to
   * the guest); for plain VGA, in QXL's reason: why not QXL. */
  const char *gist;
  /* In virgl's reason on the Intel iGPU host: why virgl, or why not. */
  const char *virgl;
} Expectation;

static const Expectation expectations[] = {
  /* libosinfo's "no" for virtio-gpu wins over Linux 5.15. */
  { "ubuntu22.04", "qxl qxl qxl vfio mdev vfio",
    "Ubuntu 22.04 LTS ships Linux 5.15, which has the QXL driver",
    "libosinfo marks virtio-gpu as not supported on Ubuntu 22.04 LTS" },
  { "ubuntu18.04", "virtio-2d virgl virgl virgl virgl vfio",
    "Ubuntu 18.04 LTS ships Linux 4.15",
    "Ubuntu 18.04 LTS ships Linux 4.15 and Mesa 18.0, which have virtio-gpu's 3D (virgl)" },
  { "ubuntu16.04", "virtio-2d virgl virgl virgl virgl vfio",
    "Ubuntu 16.04 ships Linux 4.4", "Ubuntu 16.04 ships Linux 4.4 and Mesa 11.2" },
  { "debian10", "virtio-2d virgl virgl virgl virgl vfio",
    "Debian 10 ships Linux 4.19", "Debian 10 ships Linux 4.19 and Mesa 18.3" },
  { "debian11", "virtio-2d virgl virgl virgl virgl vfio",
    "Debian 11 ships Linux 5.10", "Debian 11 ships Linux 5.10 and Mesa 20.3" },
  /* Old: no virtio-gpu, no QXL in the kernel, X.Org's QXL driver. */
  { "debian7", "qxl qxl qxl qxl qxl qxl",
    "Debian 7 has X.Org's QXL driver",
    "Debian 7 ships Linux 3.2 and Mesa 8.0; 3D with virgl needs Linux 4.4 and Mesa 11.1" },
  { "fedora37", "virtio-2d virgl virgl virgl virgl vfio",
    "Fedora Linux 37 ships Linux 6.0", "Fedora Linux 37 ships Linux 6.0 and Mesa 22.2" },
  { "rhel9.0", "virtio-2d virgl virgl virgl virgl vfio",
    "Red Hat Enterprise Linux 9.0 ships Linux 5.14",
    "Red Hat Enterprise Linux 9.0 ships Linux 5.14 and Mesa 21.3" },
  /* A vendor kernel numbered 3.10: what it backports is not known. */
  { "rhel7.9", "qxl qxl qxl qxl qxl qxl",
    "Red Hat Enterprise Linux 7.9 ships Linux 3.10, which has the QXL driver",
    "libosinfo does not say whether Red Hat Enterprise Linux 7.9 has a virtio-gpu driver "
    "with 3D" },
  { "opensuse15.4", "virtio-2d virgl virgl virgl virgl vfio",
    "openSUSE Leap 15.4 ships Linux 5.14", "openSUSE Leap 15.4 ships Linux 5.14 and Mesa 21.2" },
  { "archlinux", "virtio-2d virgl virgl virgl virgl vfio",
    "Arch Linux ships Linux 5.4 or later",
    "Arch Linux ships Linux 5.4 or later and Mesa 20.0 or later" },
  { "alpinelinux3.17", "virtio-2d virgl virgl virgl virgl vfio",
    "Alpine Linux 3.17 ships Linux 5.15", "Alpine Linux 3.17 ships Linux 5.15 and Mesa 21.2" },
  { "mageia8", "virtio-2d virgl virgl virgl virgl vfio",
    "Mageia 8 ships Linux 5.10", "Mageia 8 ships Linux 5.10 and Mesa 20.3" },
  { "nixos-22.05", "virtio-2d virgl virgl virgl virgl vfio",
    "NixOS 22.05 ships Linux 5.15", "NixOS 22.05 ships Linux 5.15 and Mesa 22.0" },
  { "slackware14.2", "virtio-2d virgl virgl virgl virgl vfio",
    "Slackware 14.2 ships Linux 4.4", "Slackware 14.2 ships Linux 4.4 and Mesa 11.2" },
  /* Gentoo is what its user builds: only libosinfo's word. */
  { "gentoo", "qxl qxl qxl qxl qxl qxl",
    "QXL: SPICE's own 2D display",
    "libosinfo does not say whether Gentoo Linux has a virtio-gpu driver with 3D" },
  /* A kernel known, its Mesa not: no virgl, but a GPU of its own. */
  { "voidlinux", "virtio-2d virtio-2d virtio-2d vfio mdev vfio",
    "Void Linux ships Linux 5.10 or later",
    "Void Linux has a virtio-gpu driver, but whether it has virgl's 3D" },
  { "android-x86-9.0", "virtio-2d virgl virgl virgl virgl vfio",
    "Android-x86 9.0", "Android-x86 9.0 has virtio-gpu's 3D driver (virgl)" },
  { "guix-1.3", "virtio-2d virgl virgl virgl virgl vfio",
    "Guix 1.3 ships Linux 5.11", "Guix 1.3 ships Linux 5.11 and Mesa 20.2" },
  { "eos3.8", "virtio-2d virtio-2d virtio-2d vfio mdev vfio",
    "Endless OS 3.8 ships Linux 5.4",
    "Endless OS 3.8 has a virtio-gpu driver, but whether it has virgl's 3D" },
  { "popos20.04", "virtio-2d virgl virgl virgl virgl vfio",
    "Pop!_OS 20.04 ships Linux 5.4", "Pop!_OS 20.04 ships Linux 5.4 and Mesa 20.0" },
  /* The BSDs: no 3D; FreeBSD's QXL is not known, OpenBSD and NetBSD have none. */
  { "freebsd13.1", "qxl qxl qxl qxl qxl qxl",
    "libosinfo does not say whether FreeBSD 13.1 has a QXL driver",
    "FreeBSD 13.1 has no driver for virtio-gpu's 3D (virgl)" },
  { "openbsd7.0", "vga vga vga vga vga vga",
    "OpenBSD 7.0 has no QXL driver", "OpenBSD 7.0 has no driver for virtio-gpu's 3D (virgl)" },
  { "netbsd9.0", "vga vga vga vga vga vga",
    "NetBSD 9.0 has no QXL driver", "NetBSD 9.0 has no driver for virtio-gpu's 3D (virgl)" },
  /* Windows: neither driver in the box; virtio-win adds QXL's; GPU vendors' drivers from
   * Windows 10 on. */
  { "win11", "qxl qxl qxl vfio mdev vfio",
    "Microsoft Windows 11 has no QXL driver of its own; virtio-win qxldod",
    "Microsoft Windows 11 has no driver for virtio-gpu's 3D (virgl)" },
  { "win7", "qxl qxl qxl qxl qxl qxl",
    "Microsoft Windows 7 has no QXL driver of its own",
    "Microsoft Windows 7 has no driver for virtio-gpu's 3D (virgl)" },
  /* Old guests with neither driver. */
  { "win95", "vga vga vga vga vga vga",
    "Microsoft Windows 95 has no QXL driver",
    "Microsoft Windows 95 has no driver for virtio-gpu's 3D (virgl)" },
  { "msdos6.22", "qxl qxl qxl qxl qxl qxl",
    "libosinfo does not say whether Microsoft MS-DOS 6.22 has a QXL driver",
    "libosinfo does not say whether Microsoft MS-DOS 6.22 has a virtio-gpu driver with 3D" },
};

static void
assert_reason (const GhGraphicsPath *path,
               const char           *gist,
               const char           *what)
{
  if (strstr (path->reason, gist) == NULL)
    g_error ("%s: %s's reason “%s” does not say “%s”", what,
             gh_graphics_path_kind_to_string (path->kind), path->reason, gist);
}

static void
test_recorded_expectations (void)
{
  g_assert_cmpuint (G_N_ELEMENTS (expectations), >=, 20);

  for (guint e = 0; e < G_N_ELEMENTS (expectations); e++)
    {
      const Expectation *x = &expectations[e];
      OsinfoOs *os = gh_test_lookup_os (os_db, x->os);
      g_auto(GStrv) kinds = g_strsplit (x->kinds, " ", -1);

      g_assert_cmpuint (g_strv_length (kinds), ==, N_RECORDED);
      for (guint h = 0; h < N_RECORDED; h++)
        {
          g_autofree char *what = g_strdup_printf ("%s on %s", x->os, recorded_names[h]);
          g_autoptr(GhGraphicsPlan) plan = NULL;
          const GhGraphicsPath *recommended;

          plan = plan_on_recorded (os, h, what);
          recommended = gh_graphics_plan_get_recommended (plan);
          if (!g_str_equal (gh_graphics_path_kind_to_string (recommended->kind), kinds[h]))
            g_error ("%s: recommended %s (%s), expected %s", what,
                     gh_graphics_path_kind_to_string (recommended->kind), recommended->reason,
                     kinds[h]);

          switch (recommended->kind)
            {
            case GH_GRAPHICS_PATH_VFIO:
              assert_reason (recommended, "GeForce RTX 3060 Lite Hash Rate] goes to the "
                                          "machine whole", what);
              break;
            case GH_GRAPHICS_PATH_MDEV:
              assert_reason (recommended, "A GVTg_V5_4 share of GPU 0000:00:02.0", what);
              break;
            case GH_GRAPHICS_PATH_VGA:
              assert_reason (gh_graphics_plan_find (plan, GH_GRAPHICS_PATH_QXL, NULL), x->gist,
                             what);
              break;
            case GH_GRAPHICS_PATH_VIRGL:
            case GH_GRAPHICS_PATH_VIRTIO_2D:
            case GH_GRAPHICS_PATH_QXL:
            default:
              assert_reason (recommended, x->gist, what);
              break;
            }

          if (h == RECORDED_INTEL_IGPU)
            assert_reason (gh_graphics_plan_find (plan, GH_GRAPHICS_PATH_VIRGL, NULL), x->virgl,
                           what);
          if (h == RECORDED_REMOTE)
            assert_reason (gh_graphics_plan_find (plan, GH_GRAPHICS_PATH_VIRGL, NULL),
                           "this one is remote", what);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  gh_test_init (&argc, &argv);
  os_db = gh_test_load_os_db ();
  for (guint i = 0; i < N_HOSTS; i++)
    hosts[i] = make_host (i);
  load_recorded_hosts ();

  for (guint i = 0; i < G_N_ELEMENTS (plan_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/planner/%s", plan_cases[i].name);

      g_test_add_data_func (path, &plan_cases[i], test_plan_case);
    }
  g_test_add_func ("/core/planner/xml", test_plan_xml);
  g_test_add_func ("/core/planner/os-without-db", test_os_without_db);
  g_test_add_func ("/core/planner/connection-flags", test_connection_flags);
  g_test_add_func ("/core/planner/every-os", test_every_os);
  g_test_add_func ("/core/planner/no-open-port", test_no_open_port);
  g_test_add_func ("/core/planner/bochs-off-x86", test_bochs_off_x86);
  g_test_add_func ("/core/planner/recorded-hosts/catalog", test_recorded_catalog);
  g_test_add_func ("/core/planner/recorded-hosts/expectations", test_recorded_expectations);

  ret = g_test_run ();

  for (guint i = 0; i < N_HOSTS; i++)
    g_clear_pointer (&hosts[i], gh_host_unref);
  for (guint i = 0; i < N_RECORDED; i++)
    g_clear_pointer (&recorded_hosts[i], gh_host_unref);

  return ret;
}
