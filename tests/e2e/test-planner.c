/* test-planner.c: the 3D planner's XML against a real qemu:///session daemon and QEMU.
 *
 * The planner is tested for its decisions in the core suite; here libvirt and QEMU judge
 * what it writes: every path's XML is defined with validation, the virgl path turns into
 * QEMU's virtio-vga-gl, the recommended path really starts a guest, and
 * `greenhouse --host-report` prints what the planner decided. tests/e2e/run-e2e runs it
 * with a session daemon of its own.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "gh-core.h"
#include "gh-core-private.h"
#include "gh-e2e-util.h"
#include "gh-test-util.h"

#define URI             "qemu:///session"
#define DOMAIN_PREFIX   "greenhouse-e2e-plan-"
#define OPEN_TIMEOUT_S  30
#define LOAD_TIMEOUT_S  60
#define START_TIMEOUT_S 60

static struct
{
  GhConnection    *connection;
  GhHostInventory *inventory;
  GhOsDb          *os_db;
  virConnectPtr    plain;      /* libvirt itself, used from worker threads only */
} e2e;

/* A host with every path feasible on the system connection: a GPU that works for virgl,
 * a passable NVIDIA card and GVT-g shares. Only its XML matters here. */
static const char gpu_host[] =
  "<node>"
  "<device><name>pci_0000_00_02_0</name><parent>computer</parent>"
  "<capability type='pci'><class>0x030000</class><domain>0</domain><bus>0</bus><slot>2</slot>"
  "<function>0</function><product id='0x3e92'>UHD Graphics 630</product>"
  "<vendor id='0x8086'>Intel Corporation</vendor><capability type='mdev_types'>"
  "<type id='i915-GVTg_V5_4'><name>GVTg_V5_4</name><deviceAPI>vfio-pci</deviceAPI>"
  "<availableInstances>2</availableInstances></type></capability>"
  "<iommuGroup number='0'><address domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>"
  "</iommuGroup></capability></device>"
  "<device><name>drm_renderD128</name><devnode type='dev'>/dev/dri/renderD128</devnode>"
  "<parent>pci_0000_00_02_0</parent><capability type='drm'><type>render</type></capability>"
  "</device>"
  "<device><name>pci_0000_01_00_0</name><parent>computer</parent>"
  "<capability type='pci'><class>0x030000</class><domain>0</domain><bus>1</bus><slot>0</slot>"
  "<function>0</function><product id='0x2504'>GA106 [GeForce RTX 3060]</product>"
  "<vendor id='0x10de'>NVIDIA Corporation</vendor>"
  "<iommuGroup number='1'><address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>"
  "<address domain='0x0000' bus='0x01' slot='0x00' function='0x1'/></iommuGroup>"
  "</capability></device>"
  "<device><name>pci_0000_01_00_1</name><parent>computer</parent>"
  "<capability type='pci'><class>0x040300</class><domain>0</domain><bus>1</bus><slot>0</slot>"
  "<function>1</function><product id='0x228e'>GA106 Audio</product>"
  "<vendor id='0x10de'>NVIDIA Corporation</vendor>"
  "<iommuGroup number='1'><address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>"
  "<address domain='0x0000' bus='0x01' slot='0x00' function='0x1'/></iommuGroup>"
  "</capability></device>"
  "</node>";

static char *
domain_xml (const char           *name,
            const GhGraphicsPath *path)
{
  const GhHostDomainCaps *caps = gh_host_inventory_get_domain_caps (e2e.inventory);
  g_autofree char *devices = gh_graphics_path_dup_devices_xml (path);
  g_autofree char *os_attrs = NULL;

  if (path->firmware != NULL)
    os_attrs = g_strdup_printf (" firmware='%s'", path->firmware);

  /* KVM where this user may use it, TCG otherwise: whatever the daemon said it runs. */
  return g_strdup_printf ("<domain type='%s'>\n"
                          "<name>%s</name>\n"
                          "<memory unit='MiB'>128</memory>\n"
                          "<vcpu>1</vcpu>\n"
                          "<os%s><type arch='x86_64' machine='q35'>hvm</type></os>\n"
                          /* As in every machine Greenhouse makes; UEFI needs ACPI. */
                          "<features><acpi/><apic/></features>\n"
                          "<devices>\n%s</devices>\n"
                          "</domain>\n",
                          caps != NULL && caps->domain_type != NULL ? caps->domain_type : "qemu",
                          name, os_attrs != NULL ? os_attrs : "", devices);
}

typedef struct
{
  const char *xml;
  char       *error;
  char       *defined_xml;
  gboolean    start;
  gboolean    started;
  char       *live_xml;    /* the running guest's, when it started */
} DefineJob;

static gpointer
define_and_undefine (gpointer user_data)
{
  DefineJob *job = user_data;
  virDomainPtr domain;

  /* VALIDATE: libvirt checks the XML against its schema, not only what it parses. */
  domain = virDomainDefineXMLFlags (e2e.plain, job->xml, VIR_DOMAIN_DEFINE_VALIDATE);
  if (domain == NULL)
    {
      job->error = g_strdup (virGetLastErrorMessage ());
      return NULL;
    }

  {
    char *xml = virDomainGetXMLDesc (domain, 0);

    job->defined_xml = g_strdup (xml);
    free (xml);
  }

  if (job->start)
    {
      if (virDomainCreate (domain) < 0)
        {
          job->error = g_strdup (virGetLastErrorMessage ());
        }
      else
        {
          int state = VIR_DOMAIN_NOSTATE;

          char *live;

          job->started = virDomainGetState (domain, &state, NULL, 0) == 0
                         && state == VIR_DOMAIN_RUNNING;
          live = virDomainGetXMLDesc (domain, 0);
          job->live_xml = g_strdup (live);
          free (live);
          virDomainDestroy (domain);
        }
    }

  virDomainUndefineFlags (domain, VIR_DOMAIN_UNDEFINE_NVRAM);
  virDomainFree (domain);
  virResetLastError ();
  return NULL;
}

static void
define_path (const char           *what,
             const GhGraphicsPath *path,
             gboolean              start)
{
  g_autofree char *name = g_strdup_printf (DOMAIN_PREFIX "%s%s%s",
                                           gh_graphics_path_kind_to_string (path->kind),
                                           path->device != NULL ? "-" : "",
                                           path->device != NULL ? path->device : "");
  g_autofree char *xml = NULL;
  DefineJob job = { 0 };

  g_strdelimit (name, ":.", '-');
  xml = domain_xml (name, path);
  job.xml = xml;
  job.start = start;
  gh_test_in_thread (define_and_undefine, &job);

  if (job.error != NULL)
    g_error ("%s: libvirt refused the %s path: %s\n%s", what,
             gh_graphics_path_kind_to_string (path->kind), job.error, xml);

  g_test_message ("%s: %s defined%s", what, gh_graphics_path_kind_to_string (path->kind),
                  start ? (job.started ? " and ran" : " but did not run") : "");
  g_assert_nonnull (job.defined_xml);
  g_assert_nonnull (strstr (job.defined_xml, "<graphics type='spice'"));
  g_assert_nonnull (strstr (job.defined_xml, "com.redhat.spice.0"));
  g_assert_nonnull (strstr (job.defined_xml, "<input type='tablet' bus='usb'"));
  if (start)
    g_assert_true (job.started);

  g_free (job.defined_xml);
  g_free (job.live_xml);
}

static void
test_open (void)
{
  e2e.connection = gh_e2e_open_with_os_db (URI, &e2e.os_db);

  /* The test plays "another tool" with plain libvirt, always off the main thread, which
   * the suite's guard (tests/guard) watches. */
  e2e.plain = gh_test_virt_open_in_thread (URI);
  if (e2e.plain == NULL)
    g_error ("virConnectOpen (%s) failed", URI);
}

static gboolean
has_render_node (void)
{
  g_auto(GStrv) nodes = gh_virgl_probe_dup_render_nodes ();

  return nodes[0] != NULL;
}

/* The real session daemon has domain capabilities, and this machine is checked for virgl. */
static void
test_inventory (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const GhHostDomainCaps *caps;
  const GhHostVirgl *virgl;

  e2e.inventory = g_object_ref (gh_connection_get_host_inventory (e2e.connection));
  gh_host_inventory_load_async (e2e.inventory, NULL, gh_e2e_store_result, &result);
  gh_e2e_wait_until (result != NULL, LOAD_TIMEOUT_S, "the inventory of %s", URI);
  g_assert_true (gh_host_inventory_load_finish (e2e.inventory, result, &error));
  g_assert_no_error (error);

  caps = gh_host_inventory_get_domain_caps (e2e.inventory);
  g_assert_nonnull (caps);
  g_test_message ("QEMU: %s, %s, %s", caps->domain_type, caps->machine, caps->emulator);
  g_assert_true (g_strv_contains ((const char * const *) caps->video_models, "virtio"));
  g_assert_true (g_strv_contains ((const char * const *) caps->video_models, "qxl"));
  g_assert_true (g_strv_contains ((const char * const *) caps->graphics_types, "spice"));
  g_assert_nonnull (strstr (caps->machine, "q35"));

  virgl = gh_host_inventory_get_virgl (e2e.inventory);
  g_assert_true (virgl->checked);
  g_test_message ("virgl: %s%s", virgl->usable ? "usable" : "not usable: ",
                  virgl->reason != NULL ? virgl->reason : "");
  if (!has_render_node ())
    {
      g_assert_false (virgl->usable);
      g_assert_nonnull (strstr (virgl->reason, "render node"));
    }
}

/* Every feasible path of the plans for this host is XML that libvirt accepts. */
static void
test_define_feasible (void)
{
  static const char * const oses[] = { "fedora37", "win11", "ubuntu22.04", NULL };

  for (guint i = 0; oses[i] != NULL; i++)
    {
      g_autoptr(GhGraphicsPlan) plan = NULL;
      guint n_feasible = 0;

      plan = gh_graphics_planner_plan (gh_test_lookup_os (e2e.os_db, oses[i]),
                                       gh_host_inventory_get_host (e2e.inventory),
                                       gh_connection_get_graphics_flags (e2e.connection),
                                       GH_GRAPHICS_PREFER_BEST_3D, FALSE);
      for (guint j = 0; j < gh_graphics_plan_get_n_paths (plan); j++)
        {
          const GhGraphicsPath *path = gh_graphics_plan_get_path (plan, j);

          if (!path->feasible)
            continue;
          define_path (oses[i], path, FALSE);
          n_feasible++;
        }
      g_assert_cmpuint (n_feasible, >, 0);
    }
}

/* A host that has it all, with this daemon's QEMU (VFIO as the system daemon would
 * report it): only its plans' XML matters here. */
static GhHostInventory *
make_gpu_host (void)
{
  const char *devices[] = { gpu_host, NULL };
  const GhHostDomainCaps *caps = gh_host_inventory_get_domain_caps (e2e.inventory);
  g_autoptr(GhHostInventory) host = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *caps_xml = NULL;
  GhVirglProbeResult probe = {
    .usable = TRUE,
    .device = (char *) "/dev/dri/renderD128",
    .renderer = (char *) "Mesa Intel(R) UHD Graphics 630 (CFL GT2)",
    .gl_version = (char *) "4.6",
  };
  GhHostVirgl virgl = { .checked = TRUE, .module_present = TRUE, .probe = &probe,
                        .usable = TRUE };

  caps_xml = g_strdup_printf ("<domainCapabilities><domain>%s</domain><devices>"
                              "<graphics supported='yes'><enum name='type'><value>spice</value>"
                              "</enum></graphics><video supported='yes'><enum name='modelType'>"
                              "<value>virtio</value><value>qxl</value><value>vga</value>"
                              "</enum></video><hostdev supported='yes'>"
                              "<enum name='subsysType'><value>pci</value></enum>"
                              "<enum name='pciBackend'><value>vfio</value></enum></hostdev>"
                              "</devices></domainCapabilities>", caps->domain_type);
  host = gh_host_inventory_new_from_xml (caps_xml, devices, &error);
  g_assert_no_error (error);
  gh_host_inventory_set_virgl (host, &virgl);

  return g_steal_pointer (&host);
}

/* The paths this host cannot take (virgl without a GPU, passthrough on a session) are
 * still XML that libvirt's schema accepts: planned for a host that has it all. */
static void
test_define_every_kind (void)
{
  g_autoptr(GhHostInventory) host = make_gpu_host ();
  g_autoptr(GhGraphicsPlan) plan = NULL;
  guint n_kinds = 0;

  plan = gh_graphics_planner_plan (gh_test_lookup_os (e2e.os_db, "fedora37"),
                                   gh_host_inventory_get_host (host),
                                   GH_GRAPHICS_CONNECTION_SYSTEM,
                                   GH_GRAPHICS_PREFER_BEST_3D, FALSE);
  for (guint i = 0; i < gh_graphics_plan_get_n_paths (plan); i++)
    {
      const GhGraphicsPath *path = gh_graphics_plan_get_path (plan, i);

      g_assert_true (path->feasible);
      define_path ("every kind", path, FALSE);
      n_kinds++;
    }
  /* virgl, virtio-2d, qxl, vga, one mdev, two vfio. */
  g_assert_cmpuint (n_kinds, ==, 7);
}

typedef struct
{
  const char *xml;
  char       *native;
  char       *error;
} NativeJob;

static gpointer
to_native (gpointer user_data)
{
  NativeJob *job = user_data;
  char *native = virConnectDomainXMLToNative (e2e.plain, "qemu-argv", job->xml, 0);

  if (native == NULL)
    job->error = g_strdup (virGetLastErrorMessage ());
  job->native = g_strdup (native);
  free (native);
  return NULL;
}

/* What QEMU would be told for the virgl path: the GL variant of virtio-vga, and SPICE
 * with OpenGL. */
static void
test_virgl_to_native (void)
{
  g_autoptr(GhHostInventory) host = NULL;
  g_autoptr(GhGraphicsPlan) plan = NULL;
  const GhGraphicsPath *virgl;
  g_autofree char *xml = NULL;
  NativeJob job = { 0 };

  /* This machine's own plan has virgl only where it has a render node. */
  host = has_render_node () ? g_object_ref (e2e.inventory) : make_gpu_host ();
  plan = gh_graphics_planner_plan (gh_test_lookup_os (e2e.os_db, "fedora37"),
                                   gh_host_inventory_get_host (host),
                                   gh_connection_get_graphics_flags (e2e.connection),
                                   GH_GRAPHICS_PREFER_BEST_3D, FALSE);
  virgl = gh_graphics_plan_find (plan, GH_GRAPHICS_PATH_VIRGL, NULL);
  g_assert_nonnull (virgl);
  g_assert_true (gh_graphics_path_uses_spice_gl (virgl));

  xml = domain_xml (DOMAIN_PREFIX "virgl-native", virgl);
  job.xml = xml;
  gh_test_in_thread (to_native, &job);
  if (job.native == NULL)
    g_error ("virConnectDomainXMLToNative refused the virgl path: %s\n%s", job.error, xml);

  g_test_message ("%s", job.native);
  g_assert_nonnull (strstr (job.native, "virtio-vga-gl"));
  g_assert_nonnull (strstr (job.native, "gl=on"));
  g_free (job.native);
}

/* What a remote connection's machine gets: a display on a UNIX socket that libvirt 9.0
 * accepts, places in its own directory and starts QEMU with; no TCP port. This daemon
 * stands in for the remote host. A display another tool left on TCP, moved to a socket
 * by the settings' switch, starts too. */
static void
test_remote_socket (void)
{
  static const char open_display[] =
    "<graphics type='spice' port='5931' autoport='no' listen='127.0.0.1'>"
    "<listen type='address' address='127.0.0.1'/><image compression='off'/></graphics>"
    "<video><model type='vga'/></video>";
  g_autoptr(GhGraphicsPlan) plan = NULL;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GError) error = NULL;
  const GhGraphicsPath *recommended;
  g_autofree char *xml = NULL;
  g_autofree char *switched = NULL;
  DefineJob job = { 0 };

  plan = gh_graphics_planner_plan (gh_test_lookup_os (e2e.os_db, "fedora37"),
                                   gh_host_inventory_get_host (e2e.inventory),
                                   GH_GRAPHICS_CONNECTION_REMOTE, GH_GRAPHICS_PREFER_BEST_3D,
                                   FALSE);
  for (guint i = 0; i < gh_graphics_plan_get_n_paths (plan); i++)
    {
      const GhGraphicsPath *path = gh_graphics_plan_get_path (plan, i);

      if (path->feasible)
        define_path ("remote", path, FALSE);
    }

  recommended = gh_graphics_plan_get_recommended (plan);
  g_assert_nonnull (recommended);
  g_assert_nonnull (strstr (recommended->graphics_xml, "<listen type='socket'/>"));
  xml = domain_xml (DOMAIN_PREFIX "remote-socket", recommended);
  job.xml = xml;
  job.start = TRUE;
  gh_test_in_thread (define_and_undefine, &job);
  if (job.error != NULL)
    g_error ("libvirt refused the remote display: %s\n%s", job.error, xml);
  g_assert_true (job.started);
  g_test_message ("%s", job.live_xml);
  /* libvirt chose the socket's path; QEMU listens on no port. */
  g_assert_nonnull (strstr (job.live_xml, "<listen type='socket' socket='/"));
  g_assert_null (strstr (job.live_xml, "type='address'"));
  g_assert_nonnull (strstr (job.live_xml, "<graphics type='spice'>"));
  g_clear_pointer (&job.defined_xml, g_free);
  g_clear_pointer (&job.live_xml, g_free);
  g_clear_pointer (&xml, g_free);

  xml = g_strdup_printf ("<domain type='%s'><name>" DOMAIN_PREFIX "switched-socket</name>"
                         "<memory unit='MiB'>128</memory><vcpu>1</vcpu>"
                         "<os><type arch='x86_64' machine='q35'>hvm</type></os>"
                         "<devices>%s</devices></domain>",
                         gh_host_inventory_get_domain_caps (e2e.inventory)->domain_type,
                         open_display);
  editor = gh_domain_editor_new (xml, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gh_domain_editor_close_open_displays (editor), ==, 1);
  switched = gh_domain_editor_to_xml (editor);
  job = (DefineJob) { .xml = switched, .start = TRUE };
  gh_test_in_thread (define_and_undefine, &job);
  if (job.error != NULL)
    g_error ("libvirt refused the display moved to a socket: %s\n%s", job.error, switched);
  g_assert_true (job.started);
  g_assert_nonnull (strstr (job.live_xml, "<listen type='socket' socket='/"));
  g_assert_nonnull (strstr (job.live_xml, "<image compression='off'/>"));
  g_assert_null (strstr (job.live_xml, "5931"));
  g_clear_object (&editor);
  editor = gh_domain_editor_new (job.live_xml, &error);
  g_assert_no_error (error);
  open = gh_domain_editor_dup_open_displays (editor);
  g_assert_cmpuint (open->len, ==, 0);
  g_free (job.defined_xml);
  g_free (job.live_xml);
}

/* The recommended path really runs: QEMU starts the guest with it. */
static void
test_start_recommended (void)
{
  g_autoptr(GhGraphicsPlan) plan = NULL;
  const GhGraphicsPath *recommended;

  plan = gh_graphics_planner_plan (gh_test_lookup_os (e2e.os_db, "fedora37"),
                                   gh_host_inventory_get_host (e2e.inventory),
                                   gh_connection_get_graphics_flags (e2e.connection),
                                   GH_GRAPHICS_PREFER_BEST_3D, FALSE);
  recommended = gh_graphics_plan_get_recommended (plan);
  g_assert_nonnull (recommended);
  g_test_message ("starting a guest with the recommended path, %s",
                  gh_graphics_path_kind_to_string (recommended->kind));
  define_path ("recommended", recommended, TRUE);
}

static char *
greenhouse_path (void)
{
  const char *build_dir = g_getenv ("GREENHOUSE_BUILD_DIR");

  if (build_dir == NULL)
    return NULL;
  return g_build_filename (build_dir, "src", "greenhouse", NULL);
}

/* `greenhouse --host-report --connect URI @option @value --json`, @option being --os or
 * --media; NULL unless it exits with 0. */
static JsonObject *
run_host_report (const char  *option,
                 const char  *value,
                 int         *exit_status,
                 char       **err)
{
  g_autofree char *greenhouse = greenhouse_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  const char *argv[] = { greenhouse, "--host-report", "--connect", URI, option, value,
                         "--json", NULL };
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, err, &status,
                &error);
  g_assert_no_error (error);
  *exit_status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  if (*exit_status != 0)
    return NULL;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
find_json_path (JsonObject *report,
                const char *kind)
{
  JsonArray *paths = json_object_get_array_member (report, "paths");

  for (guint i = 0; i < json_array_get_length (paths); i++)
    {
      JsonObject *path = json_array_get_object_element (paths, i);

      if (g_strcmp0 (json_object_get_string_member (path, "path"), kind) == 0)
        return path;
    }

  return NULL;
}

/* `greenhouse --host-report` says what the planner says, on this very daemon. */
static void
test_host_report (void)
{
  g_autofree char *greenhouse = greenhouse_path ();
  g_autoptr(JsonObject) fedora = NULL;
  g_autoptr(JsonObject) windows = NULL;
  g_autoptr(GhGraphicsPlan) plan = NULL;
  g_autofree char *err = NULL;
  JsonObject *virgl;
  JsonObject *vfio;
  int status;

  if (greenhouse == NULL || !g_file_test (greenhouse, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("the greenhouse executable is not reachable from this test");
      return;
    }

  plan = gh_graphics_planner_plan (gh_test_lookup_os (e2e.os_db, "fedora37"),
                                   gh_host_inventory_get_host (e2e.inventory),
                                   gh_connection_get_graphics_flags (e2e.connection),
                                   GH_GRAPHICS_PREFER_BEST_3D, FALSE);
  fedora = run_host_report ("--os", "fedora37", &status, &err);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (fedora, "recommended"), ==,
                   gh_graphics_path_kind_to_string (gh_graphics_plan_get_recommended (plan)->kind));
  virgl = find_json_path (fedora, "virgl");
  g_assert_nonnull (virgl);
  g_assert_cmpstr (json_object_get_string_member (virgl, "reason"), !=, "");
  if (!has_render_node ())
    {
      /* This machine: no GPU, so no virgl, and virtio-gpu in 2D is the best. */
      g_assert_cmpstr (json_object_get_string_member (fedora, "recommended"), ==, "virtio-2d");
      g_assert_false (json_object_get_boolean_member (virgl, "feasible"));
    }
  g_clear_pointer (&err, g_free);

  windows = run_host_report ("--os", "win11", &status, &err);
  g_assert_cmpint (status, ==, 0);
  vfio = find_json_path (windows, "vfio");
  g_assert_nonnull (vfio);
  g_assert_false (json_object_get_boolean_member (vfio, "feasible"));
  g_assert_nonnull (strstr (json_object_get_string_member (vfio, "reason"), "qemu:///system"));
  g_clear_pointer (&err, g_free);

  g_assert_null (run_host_report ("--os", "no-such-os-42", &status, &err));
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "no-such-os-42"));
}

/* `greenhouse --host-report --media FILE`: the OS comes from the media, and a file that is
 * not install media says so and fails. */
static void
test_host_report_media (void)
{
  g_autofree char *greenhouse = greenhouse_path ();
  const char *corpus = g_getenv ("GREENHOUSE_CORPUS_DIR");
  g_autofree char *iso = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  JsonObject *os;
  int status;

  if (greenhouse == NULL || !g_file_test (greenhouse, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("the greenhouse executable is not reachable from this test");
      return;
    }

  if (corpus != NULL)
    iso = g_build_filename (corpus, "virt-manager", "fakemedia", "fake-win7.iso", NULL);
  if (iso == NULL || !g_file_test (iso, G_FILE_TEST_EXISTS))
    {
      g_test_message ("virt-manager's fake media are not in $GREENHOUSE_CORPUS_DIR: "
                      "only the failures are checked");
    }
  else
    {
      report = run_host_report ("--media", iso, &status, &err);
      g_assert_cmpint (status, ==, 0);
      os = json_object_get_object_member (report, "os");
      g_assert_nonnull (os);
      g_assert_cmpstr (json_object_get_string_member (os, "short-id"), ==, "win7");
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (report,
                                                                                     "media"),
                                                      "volume-id"), ==,
                       "GSP1RMCNULXFRER_EN_DVD");
      g_clear_pointer (&err, g_free);
    }

  tmp = g_dir_make_tmp ("gh-e2e-media-XXXXXX", &error);
  g_assert_no_error (error);
  notes = g_build_filename (tmp, "notes.txt", NULL);
  g_file_set_contents (notes, "not an ISO\n", -1, &error);
  g_assert_no_error (error);

  g_assert_null (run_host_report ("--media", notes, &status, &err));
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "“notes.txt” is not install media"));
  g_clear_pointer (&err, g_free);

  /* The media say which OS they hold: a second answer is refused. */
  {
    const char *argv[] = { greenhouse, "--host-report", "--connect", URI, "--os", "win11",
                           "--media", notes, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                  &status, &error);
    g_assert_no_error (error);
    g_assert_false (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    g_assert_nonnull (strstr (err, "not both"));
  }

  g_assert_no_errno (g_unlink (notes));
  g_assert_no_errno (g_rmdir (tmp));
}

/* `greenhouse --host-report --host FILE`: a report of this very daemon, saved, plans the
 * same as the daemon; a saved host with a field missing, of the wrong type or from a
 * future format is refused, naming the field, and the command fails. */
static char *
run_saved_host_report (const char *file,
                       int        *exit_status,
                       char      **err)
{
  g_autofree char *greenhouse = greenhouse_path ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  const char *argv[] = { greenhouse, "--host-report", "--host", file, "--os", "debian10",
                         "--json", NULL };
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, err, &status,
                &error);
  g_assert_no_error (error);
  *exit_status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  return out;
}

static void
test_host_file (void)
{
  g_autofree char *greenhouse = greenhouse_path ();
  g_autoptr(JsonObject) live = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) live_node = NULL;
  static const struct
  {
    const char *member;      /* of "host" */
    const char *change;      /* "drop", "number" or "future" */
    const char *message;
  } broken[] = {
    { "render-nodes", "drop", "host.render-nodes is missing" },
    { "devices-error", "number", "host.devices-error should be text, or null" },
    { "format-version", "future", "host.format-version is 2, and this Greenhouse reads "
                                  "version 1 only" },
  };
  JsonObject *planned;
  int status;

  if (greenhouse == NULL || !g_file_test (greenhouse, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("the greenhouse executable is not reachable from this test");
      return;
    }

  live = run_host_report ("--os", "debian10", &status, &err);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&err, g_free);

  tmp = g_dir_make_tmp ("gh-e2e-host-XXXXXX", &error);
  g_assert_no_error (error);
  saved = g_build_filename (tmp, "host.json", NULL);
  live_node = json_node_init_object (json_node_alloc (), live);
  json_generator_set_root (generator, live_node);
  g_assert_true (json_generator_to_file (generator, saved, &error));
  g_assert_no_error (error);

  out = run_saved_host_report (saved, &status, &err);
  g_assert_cmpint (status, ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  planned = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (planned, "connection"), ==, URI);
  g_assert_true (json_node_equal (json_object_get_member (planned, "host"),
                                  json_object_get_member (live, "host")));
  g_assert_true (json_node_equal (json_object_get_member (planned, "paths"),
                                  json_object_get_member (live, "paths")));
  g_assert_cmpstr (json_object_get_string_member (planned, "recommended"), ==,
                   json_object_get_string_member (live, "recommended"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(JsonNode) copy = json_node_copy (live_node);
      JsonObject *host = json_object_get_object_member (json_node_get_object (copy), "host");

      if (g_str_equal (broken[i].change, "drop"))
        json_object_remove_member (host, broken[i].member);
      else if (g_str_equal (broken[i].change, "number"))
        json_object_set_int_member (host, broken[i].member, 7);
      else
        json_object_set_int_member (host, broken[i].member, 2);
      json_generator_set_root (generator, copy);
      g_assert_true (json_generator_to_file (generator, saved, &error));

      out = run_saved_host_report (saved, &status, &err);
      g_assert_cmpint (status, !=, 0);
      g_assert_cmpstr (out, ==, "");
      if (strstr (err, broken[i].message) == NULL || strstr (err, "host.json") == NULL)
        g_error ("a saved host without a sound %s: “%s”", broken[i].member, err);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }

  g_assert_no_errno (g_unlink (saved));
  g_assert_no_errno (g_rmdir (tmp));
}

static void
test_close (void)
{
  gh_test_virt_close_in_thread (g_steal_pointer (&e2e.plain));
  g_clear_object (&e2e.inventory);
  gh_connection_close (e2e.connection);
  gh_e2e_wait_until (gh_connection_get_state (e2e.connection) == GH_CONNECTION_STATE_DISCONNECTED,
                     OPEN_TIMEOUT_S, "the disconnected state after closing");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* It defines and starts machines: only ever on a private session daemon. */
  if (!gh_e2e_init (&argc, &argv, "/e2e/planner"))
    return g_test_run ();

  g_test_add_func ("/e2e/planner/open", test_open);
  g_test_add_func ("/e2e/planner/inventory", test_inventory);
  g_test_add_func ("/e2e/planner/define-feasible", test_define_feasible);
  g_test_add_func ("/e2e/planner/define-every-kind", test_define_every_kind);
  g_test_add_func ("/e2e/planner/virgl-to-native", test_virgl_to_native);
  g_test_add_func ("/e2e/planner/start-recommended", test_start_recommended);
  g_test_add_func ("/e2e/planner/remote-socket", test_remote_socket);
  g_test_add_func ("/e2e/planner/host-report", test_host_report);
  g_test_add_func ("/e2e/planner/host-report-media", test_host_report_media);
  g_test_add_func ("/e2e/planner/host-file", test_host_file);
  g_test_add_func ("/e2e/planner/close", test_close);

  ret = g_test_run ();

  g_clear_object (&e2e.connection);

  return ret;
}
