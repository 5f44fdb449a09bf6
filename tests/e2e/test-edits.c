/* test-edits.c: settings edits through a real define on a qemu:///session daemon.
 *
 * libvirt rewrites some definitions as it stores them (memory on a NUMA machine, a
 * network card's virtio options, pins of vCPUs that are gone): the XML tests of the
 * domain editor cannot show what it keeps. Here each edit goes through
 * gh_machine_edit_async(), as the settings window sends it, and the test reads back
 * what libvirt stored, on a plain connection of its own that also plays "another
 * program" defining the machine between Greenhouse's read and its define. The machine
 * is never started: a defined, shut-off machine is all a define and a read-back need.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "gh-core.h"
#include "gh-e2e-util.h"

#define URI          "qemu:///session"
#define DOMAIN_NAME  "greenhouse-e2e-edits"
#define DIMM_NAME    "greenhouse-e2e-edits-dimm"
#define NIC_MAC      "52:54:00:e2:ed:01"
#define MIB          (G_GUINT64_CONSTANT (1) << 20)

#define EVENT_TIMEOUT_S 30
#define EDIT_TIMEOUT_S  60
#define LOAD_TIMEOUT_S  60

/* One NUMA node, pins of the first and last vCPU, a multiqueue virtio card, and a SPICE
 * display whose guest may not share the clipboard or receive files, with two monitors. */
#define DOMAIN_XML \
  "<domain type='qemu'>\n" \
  "  <name>" DOMAIN_NAME "</name>\n" \
  "  <memory unit='KiB'>524288</memory>\n" \
  "  <currentMemory unit='KiB'>524288</currentMemory>\n" \
  "  <vcpu placement='static'>4</vcpu>\n" \
  "  <cputune>\n" \
  "    <vcpupin vcpu='0' cpuset='0'/>\n" \
  "    <vcpupin vcpu='3' cpuset='0'/>\n" \
  "  </cputune>\n" \
  "  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n" \
  "  <cpu>\n" \
  "    <numa><cell id='0' cpus='0-3' memory='524288' unit='KiB'/></numa>\n" \
  "  </cpu>\n" \
  "  <devices>\n" \
  "    <interface type='user'>\n" \
  "      <mac address='" NIC_MAC "'/>\n" \
  "      <model type='virtio'/>\n" \
  "      <driver queues='4'/>\n" \
  "    </interface>\n" \
  "    <graphics type='spice'>\n" \
  "      <listen type='none'/>\n" \
  "      <clipboard copypaste='no'/>\n" \
  "      <filetransfer enable='no'/>\n" \
  "    </graphics>\n" \
  "    <video><model type='virtio' heads='2' primary='yes'/></video>\n" \
  "  </devices>\n" \
  "</domain>\n"

/* A NUMA node and a 256 MiB memory module: libvirt makes <memory> the node's memory and
 * the module's together, whatever the definition says. */
#define DIMM_XML \
  "<domain type='qemu'>\n" \
  "  <name>" DIMM_NAME "</name>\n" \
  "  <maxMemory slots='4' unit='KiB'>4194304</maxMemory>\n" \
  "  <memory unit='KiB'>1048576</memory>\n" \
  "  <currentMemory unit='KiB'>1048576</currentMemory>\n" \
  "  <vcpu>2</vcpu>\n" \
  "  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n" \
  "  <cpu><numa><cell id='0' cpus='0-1' memory='786432' unit='KiB'/></numa></cpu>\n" \
  "  <devices>\n" \
  "    <memory model='dimm'>\n" \
  "      <target><size unit='KiB'>262144</size><node>0</node></target>\n" \
  "    </memory>\n" \
  "  </devices>\n" \
  "</domain>\n"

static struct
{
  GhConnection    *connection;
  /* Plays the part of virsh or another manager. */
  virConnectPtr    plain;
  char            *uuid;
  char            *dimm_uuid;
  GhHostInventory *inventory;
} e2e;

static const char *
describe (void)
{
  static char *text;

  g_free (text);
  text = g_strdup_printf ("connection %s, %u machines",
                          e2e.connection != NULL && gh_connection_get_state (e2e.connection)
                            == GH_CONNECTION_STATE_CONNECTED ? "connected" : "not connected",
                          e2e.connection != NULL
                            ? g_list_model_get_n_items (G_LIST_MODEL (
                                gh_connection_get_machines (e2e.connection)))
                            : 0);
  return text;
}

static GhMachine *
lookup (const char *uuid)
{
  return gh_machine_list_lookup_by_uuid (gh_connection_get_machines (e2e.connection), uuid);
}

/* Defines @xml on the plain connection, as another program would; returns its UUID. */
static char *
define_outside (const char *xml)
{
  char uuid[VIR_UUID_STRING_BUFLEN];
  virDomainPtr domain;

  gh_e2e_allow_outside_calls (TRUE);
  domain = virDomainDefineXML (e2e.plain, xml);
  if (domain == NULL)
    g_error ("virDomainDefineXML: %s", virGetLastErrorMessage ());
  g_assert_cmpint (virDomainGetUUIDString (domain, uuid), ==, 0);
  virDomainFree (domain);
  gh_e2e_allow_outside_calls (FALSE);

  return g_strdup (uuid);
}

/* What libvirt stored: the inactive definition, read on the plain connection. */
static GhDomainEditor *
read_stored (const char *uuid)
{
  g_autoptr(GError) error = NULL;
  GhDomainEditor *editor;
  virDomainPtr domain;
  char *xml;

  gh_e2e_allow_outside_calls (TRUE);
  domain = virDomainLookupByUUIDString (e2e.plain, uuid);
  if (domain == NULL)
    g_error ("virDomainLookupByUUIDString: %s", virGetLastErrorMessage ());
  xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  if (xml == NULL)
    g_error ("virDomainGetXMLDesc: %s", virGetLastErrorMessage ());
  virDomainFree (domain);
  gh_e2e_allow_outside_calls (FALSE);

  editor = gh_domain_editor_new (xml, &error);
  free (xml);
  g_assert_no_error (error);
  return editor;
}

static char *
dup_stored_part (const char *uuid,
                 const char *xpath)
{
  g_autoptr(GhDomainEditor) stored = read_stored (uuid);

  return gh_domain_editor_dup_part (stored, xpath);
}

/* Another program sets the memory: what the plain connection reads, changed, defined. */
static void
set_memory_outside (const char *uuid,
                    guint64     bytes)
{
  g_autoptr(GhDomainEditor) stored = read_stored (uuid);
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *defined = NULL;

  g_assert_true (gh_domain_editor_set_memory (stored, bytes, &error));
  g_assert_no_error (error);
  xml = gh_domain_editor_to_xml (stored);
  defined = define_outside (xml);
  g_assert_cmpstr (defined, ==, uuid);
}

/* ---- edits as the settings window makes them ------------------------------------------ */

typedef struct
{
  guint64               memory;
  guint                 vcpus;
  const char           *model;
  const GhGraphicsPath *path;
} EditArgs;

static gboolean
set_memory_edit (GhDomainEditor  *editor,
                 gpointer         user_data,
                 GError         **error)
{
  return gh_domain_editor_set_memory (editor, ((EditArgs *) user_data)->memory, error);
}

static gboolean
set_vcpus_edit (GhDomainEditor  *editor,
                gpointer         user_data,
                GError         **error)
{
  return gh_domain_editor_set_vcpus (editor, ((EditArgs *) user_data)->vcpus, error);
}

static gboolean
set_nic_model_edit (GhDomainEditor  *editor,
                    gpointer         user_data,
                    GError         **error)
{
  return gh_domain_editor_set_interface_model (editor, NIC_MAC, ((EditArgs *) user_data)->model,
                                               error);
}

static gboolean
set_display_path_edit (GhDomainEditor  *editor,
                       gpointer         user_data,
                       GError         **error)
{
  return gh_graphics_path_apply (((EditArgs *) user_data)->path, editor, error);
}

/* Runs one edit of @uuid's machine to its end. */
static gboolean
edit (const char        *uuid,
      const char        *part,
      const char        *seen,
      GhDomainEditFunc   func,
      gpointer           func_data,
      GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GhMachine *machine = lookup (uuid);

  g_assert_nonnull (machine);
  gh_machine_edit_async (machine, part, seen, func, func_data, NULL, NULL,
                         gh_e2e_store_result, &result);
  gh_e2e_wait_until (result != NULL, EDIT_TIMEOUT_S, "the end of an edit of %s",
                     gh_machine_get_name (machine));
  return gh_machine_edit_finish (machine, result, NULL, error);
}

/* What a settings window reads when it opens: the definition through Greenhouse. */
static GhDomainEditor *
dup_editor (const char *uuid)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GhMachine *machine = lookup (uuid);
  GhDomainEditor *editor;

  gh_machine_dup_editor_async (machine, NULL, gh_e2e_store_result, &result);
  gh_e2e_wait_until (result != NULL, EDIT_TIMEOUT_S, "the definition of %s",
                     gh_machine_get_name (machine));
  editor = gh_machine_dup_editor_finish (machine, result, NULL, NULL, &error);
  g_assert_no_error (error);
  return editor;
}

/* ---- tests ------------------------------------------------------------------------- */

static void
test_define (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  e2e.connection = gh_e2e_open_connection (URI, &e2e.plain);

  e2e.uuid = define_outside (DOMAIN_XML);
  gh_e2e_wait_until (lookup (e2e.uuid) != NULL, EVENT_TIMEOUT_S, "the define event of %s",
                     DOMAIN_NAME);
  g_assert_cmpint (gh_machine_get_state (lookup (e2e.uuid)), ==, GH_MACHINE_STATE_SHUT_OFF);

  /* The display paths come from the host's own capabilities, as in the window. */
  e2e.inventory = g_object_ref (gh_connection_get_host_inventory (e2e.connection));
  gh_host_inventory_load_async (e2e.inventory, NULL, gh_e2e_store_result, &result);
  gh_e2e_wait_until (result != NULL, LOAD_TIMEOUT_S, "the inventory of %s", URI);
  g_assert_true (gh_host_inventory_load_finish (e2e.inventory, result, &error));
  g_assert_no_error (error);
}

/* More memory, fewer processors: the one NUMA node follows both, and the pin of the vCPU
 * that is gone goes, in what libvirt stores. */
static void
test_memory_and_vcpus (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *cell = NULL;
  g_autofree char *pins = NULL;
  g_autofree char *vcpu = NULL;
  EditArgs args = { .memory = 768 * MIB, .vcpus = 2 };

  g_assert_true (edit (e2e.uuid, GH_DOMAIN_PART_MEMORY, NULL, set_memory_edit, &args, &error));
  g_assert_no_error (error);
  g_assert_true (edit (e2e.uuid, GH_DOMAIN_PART_VCPUS, NULL, set_vcpus_edit, &args, &error));
  g_assert_no_error (error);

  memory = dup_stored_part (e2e.uuid, "/domain/memory | /domain/currentMemory");
  g_assert_cmpstr (memory, ==, "<memory unit=\"KiB\">786432</memory>\n"
                               "<currentMemory unit=\"KiB\">786432</currentMemory>\n");
  cell = dup_stored_part (e2e.uuid, "/domain/cpu/numa/cell");
  g_assert_cmpstr (cell, ==, "<cell id=\"0\" cpus=\"0-1\" memory=\"786432\" unit=\"KiB\"/>\n");
  pins = dup_stored_part (e2e.uuid, "/domain/cputune/vcpupin");
  g_assert_cmpstr (pins, ==, "<vcpupin vcpu=\"0\" cpuset=\"0\"/>\n");
  vcpu = dup_stored_part (e2e.uuid, "/domain/vcpu");
  g_assert_cmpstr (vcpu, ==, "<vcpu placement=\"static\">2</vcpu>\n");

  gh_e2e_wait_until (gh_machine_get_memory (lookup (e2e.uuid)) == 768 * MIB
                     && gh_machine_get_vcpus (lookup (e2e.uuid)) == 2,
                     EVENT_TIMEOUT_S, "the machine's new memory and processors");
}

/* A card that is no longer virtio loses virtio's queues before the define, so what
 * libvirt stores is what was defined; back on virtio it stays a plain virtio card. */
static void
test_nic_model (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *e1000e = NULL;
  g_autofree char *virtio = NULL;
  EditArgs args = { .model = "e1000e" };

  g_assert_true (edit (e2e.uuid, GH_DOMAIN_PART_INTERFACES, NULL, set_nic_model_edit, &args,
                       &error));
  g_assert_no_error (error);
  e1000e = dup_stored_part (e2e.uuid, "/domain/devices/interface/model"
                                      " | /domain/devices/interface/driver");
  g_assert_cmpstr (e1000e, ==, "<model type=\"e1000e\"/>\n");

  args.model = "virtio";
  g_assert_true (edit (e2e.uuid, GH_DOMAIN_PART_INTERFACES, NULL, set_nic_model_edit, &args,
                       &error));
  g_assert_no_error (error);
  virtio = dup_stored_part (e2e.uuid, "/domain/devices/interface/model"
                                      " | /domain/devices/interface/driver");
  g_assert_cmpstr (virtio, ==, "<model type=\"virtio\"/>\n");
}

static void
assert_display_choices (const char *model)
{
  g_autoptr(GhDomainEditor) stored = read_stored (e2e.uuid);
  g_autofree char *choices = gh_domain_editor_dup_part (stored,
                                                        "/domain/devices/graphics/clipboard"
                                                        " | /domain/devices/graphics/filetransfer");
  g_autofree char *video = gh_domain_editor_dup_part (stored, "/domain/devices/video/model");
  g_autofree char *heads = g_strdup_printf ("<model type=\"%s\"", model);

  g_assert_cmpstr (choices, ==, "<clipboard copypaste=\"no\"/>\n"
                                "<filetransfer enable=\"no\"/>\n");
  g_assert_true (g_str_has_prefix (video, heads));
  g_assert_nonnull (strstr (video, "heads=\"2\""));
}

/* A new display path, from the planner as the Display page offers it: the guest still
 * may not share the clipboard or receive files, and keeps its two monitors. */
static void
test_display_path (void)
{
  g_autoptr(GhGraphicsPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  const GhGraphicsPathKind kinds[] = { GH_GRAPHICS_PATH_QXL, GH_GRAPHICS_PATH_VIRTIO_2D };
  const char *models[] = { "qxl", "virtio" };

  plan = gh_graphics_planner_plan (NULL, gh_host_inventory_get_host (e2e.inventory),
                                   gh_connection_get_graphics_flags (e2e.connection),
                                   GH_GRAPHICS_PREFER_BEST_3D, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const GhGraphicsPath *path = gh_graphics_plan_find (plan, kinds[i], NULL);
      EditArgs args = { .path = path };

      g_assert_nonnull (path);
      if (!path->feasible)
        g_error ("the %s display path is not feasible here: %s",
                 gh_graphics_path_kind_to_string (kinds[i]), path->reason);
      g_assert_true (edit (e2e.uuid, GH_DOMAIN_PART_DISPLAY, NULL, set_display_path_edit,
                           &args, &error));
      g_assert_no_error (error);
      assert_display_choices (models[i]);
    }
}

/* Another program changed the memory after the window read the definition: the user's
 * change is refused, and libvirt keeps the other program's. */
static void
test_conflict_since_shown (void)
{
  g_autoptr(GhDomainEditor) shown = dup_editor (e2e.uuid);
  g_autofree char *seen = gh_domain_editor_dup_part (shown, GH_DOMAIN_PART_MEMORY);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDomainEditor) stored = NULL;
  EditArgs args = { .memory = 896 * MIB };

  set_memory_outside (e2e.uuid, 640 * MIB);

  g_assert_false (edit (e2e.uuid, GH_DOMAIN_PART_MEMORY, seen, set_memory_edit, &args, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_CONFLICT);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, "another program changed this setting"));

  stored = read_stored (e2e.uuid);
  g_assert_cmpuint (gh_domain_editor_get_memory (stored), ==, 640 * MIB);
}

/* A define of another program that lands while Greenhouse's worker holds the definition
 * it read: the edit waits in the worker until the other define is done. */
typedef struct
{
  GMutex   lock;
  GCond    cond;
  gboolean reading;   /* the worker has read the definition and waits */
  gboolean go;        /* the other program has defined */
  guint64  memory;
} Race;

static gboolean
set_memory_after_outside_define (GhDomainEditor  *editor,
                                 gpointer         user_data,
                                 GError         **error)
{
  Race *race = user_data;

  g_mutex_lock (&race->lock);
  race->reading = TRUE;
  g_main_context_wakeup (NULL);
  while (!race->go)
    g_cond_wait (&race->cond, &race->lock);
  g_mutex_unlock (&race->lock);

  return gh_domain_editor_set_memory (editor, race->memory, error);
}

static gboolean
race_reading (Race *race)
{
  gboolean reading;

  g_mutex_lock (&race->lock);
  reading = race->reading;
  g_mutex_unlock (&race->lock);
  return reading;
}

static void
test_conflict_before_define (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhDomainEditor) stored = NULL;
  GhMachine *machine = lookup (e2e.uuid);
  Race race = { .memory = 1024 * MIB };

  g_mutex_init (&race.lock);
  g_cond_init (&race.cond);

  gh_machine_edit_async (machine, GH_DOMAIN_PART_MEMORY, NULL, set_memory_after_outside_define,
                         &race, NULL, NULL, gh_e2e_store_result, &result);
  gh_e2e_wait_until (race_reading (&race), EDIT_TIMEOUT_S, "the edit to read the definition");

  set_memory_outside (e2e.uuid, 576 * MIB);
  g_mutex_lock (&race.lock);
  race.go = TRUE;
  g_cond_signal (&race.cond);
  g_mutex_unlock (&race.lock);

  gh_e2e_wait_until (result != NULL, EDIT_TIMEOUT_S, "the end of the edit");
  g_assert_false (gh_machine_edit_finish (machine, result, NULL, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_CONFLICT);
  g_test_message ("refused: %s", error->message);

  stored = read_stored (e2e.uuid);
  g_assert_cmpuint (gh_domain_editor_get_memory (stored), ==, 576 * MIB);

  g_mutex_clear (&race.lock);
  g_cond_clear (&race.cond);
}

/* libvirt adds a memory module to the NUMA node's memory: asked for 1 GiB, it would
 * store 1.25 GiB. The read-back sees it, the definition goes back to what it was, and
 * the error says what libvirt changed and what to do instead. */
static void
test_not_kept (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  EditArgs args = { .memory = 1024 * MIB };

  e2e.dimm_uuid = define_outside (DIMM_XML);
  gh_e2e_wait_until (lookup (e2e.dimm_uuid) != NULL, EVENT_TIMEOUT_S, "the define event of %s",
                     DIMM_NAME);
  before = dup_stored_part (e2e.dimm_uuid, "/domain");

  g_assert_false (edit (e2e.dimm_uuid, GH_DOMAIN_PART_MEMORY, NULL, set_memory_edit, &args,
                        &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_KEPT);
  g_test_message ("not kept: %s", error->message);
  g_assert_nonnull (strstr (error->message, "<memory> holds 1310720, not 1048576"));
  g_assert_nonnull (strstr (error->message, "put back"));
  g_assert_nonnull (strstr (error->message, "virsh edit"));

  after = dup_stored_part (e2e.dimm_uuid, "/domain");
  g_assert_cmpstr (after, ==, before);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!gh_e2e_init (&argc, &argv, "/e2e/edits"))
    return g_test_run ();
  gh_e2e_set_describe (describe);

  g_test_add_func ("/e2e/edits/define", test_define);
  g_test_add_func ("/e2e/edits/memory-and-vcpus", test_memory_and_vcpus);
  g_test_add_func ("/e2e/edits/nic-model", test_nic_model);
  g_test_add_func ("/e2e/edits/display-path", test_display_path);
  g_test_add_func ("/e2e/edits/conflict-since-shown", test_conflict_since_shown);
  g_test_add_func ("/e2e/edits/conflict-before-define", test_conflict_before_define);
  g_test_add_func ("/e2e/edits/not-kept", test_not_kept);

  ret = g_test_run ();

  gh_e2e_allow_outside_calls (TRUE);
  g_clear_pointer (&e2e.plain, virConnectClose);
  gh_e2e_allow_outside_calls (FALSE);
  g_clear_object (&e2e.inventory);
  g_clear_object (&e2e.connection);
  g_clear_pointer (&e2e.uuid, g_free);
  g_clear_pointer (&e2e.dimm_uuid, g_free);

  return ret;
}
