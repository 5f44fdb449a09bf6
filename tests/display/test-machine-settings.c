/* test-machine-settings.c: a machine's settings window on the test driver
 *
 * The window is driven through its "settings." actions and properties, the way a
 * person's clicks reach them. Pages are saved as screenshots for a machine of
 * virt-manager's test-driver host (../shared/corpus), which has many kinds of devices;
 * GPU passthrough runs on tests/data/host-gpus.xml, whose GPUs have IOMMU groups.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <dlfcn.h>
#include <string.h>

#include "gh-application.h"
#include "gh-display-test-util.h"
#include "gh-machine-settings.h"
#include "gh-test-util.h"

typedef struct
{
  GhApplication *app;
  GhConnection  *connection;  /* borrowed: the application holds it */
} Fixture;

static gboolean
fixture_connect (Fixture    *fixture,
                 const char *uri)
{
  fixture->app = gh_display_test_new_registered_app ("SettingsTest");
  fixture->connection = gh_display_test_add_connection (fixture->app, uri);
  return TRUE;
}

/* virt-manager's test-driver host, or NULL with the test skipped. */
static gboolean
fixture_connect_corpus (Fixture *fixture)
{
  g_autofree char *path = gh_test_corpus_path ("virt-manager/testdriver/testdriver.xml");
  g_autofree char *uri = NULL;

  if (path == NULL)
    {
      g_test_skip ("../shared/corpus/virt-manager/testdriver/testdriver.xml is missing");
      return FALSE;
    }
  uri = g_strconcat ("test://", path, NULL);
  return fixture_connect (fixture, uri);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->app == NULL)
    return;
  gh_display_test_destroy_windows (fixture->app);
  gh_test_settle (100);

  gh_application_remove_connection (fixture->app, fixture->connection, FALSE);
  gh_test_settle (100);
  g_clear_object (&fixture->app);
}

/* ---- driving the window ------------------------------------------------------------- */

static gboolean
is_busy (GhMachineSettings *settings)
{
  gboolean busy = TRUE;

  g_object_get (settings, "busy", &busy, NULL);
  return busy;
}

static gboolean
is_loaded (GhMachineSettings *settings)
{
  gboolean loaded = FALSE;

  g_object_get (settings, "loaded", &loaded, NULL);
  return loaded;
}

static char *
dup_error (GhMachineSettings *settings)
{
  char *error = NULL;

  g_object_get (settings, "error", &error, NULL);
  return error;
}

static void
wait_idle (GhMachineSettings *settings)
{
  /* Let the action start its task first. */
  gh_test_settle (20);
  gh_test_wait_until (is_loaded (settings) && !is_busy (settings), "the settings to settle");
}

static GhMachine *
find_machine (Fixture    *fixture,
              const char *name)
{
  GhMachineList *list = gh_connection_get_machines (fixture->connection);

  gh_test_wait_until (gh_machine_list_lookup_by_name (list, name) != NULL, name);
  return gh_machine_list_lookup_by_name (list, name);
}

static GhMachineSettings *
open_settings (Fixture    *fixture,
               const char *name)
{
  GhMachine *machine = find_machine (fixture, name);
  GtkWindow *window = gh_application_open_settings (fixture->app, machine);

  g_assert_true (GH_IS_MACHINE_SETTINGS (window));
  gtk_window_set_default_size (window, 680, 720);
  wait_idle (GH_MACHINE_SETTINGS (window));
  return GH_MACHINE_SETTINGS (window);
}

static void
activate (GhMachineSettings *settings,
          const char        *action,
          GVariant          *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (settings), action, parameter));
  wait_idle (settings);
}

static void
screenshot_page (GhMachineSettings *settings,
                 const char        *page,
                 const char        *file_name)
{
  g_autofree char *path = NULL;

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (settings), page);
  /* A window is drawn only once it is mapped and its first frame has come. */
  gh_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (settings)), "the window to show");
  path = gh_display_test_save_screenshot (GTK_WIDGET (settings), file_name);
  gh_display_test_assert_png (path, 4000);
}

/* The row whose title is @title, anywhere under @root. */
static AdwActionRow *
find_row (GtkWidget  *root,
          const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *found;

      if (ADW_IS_ACTION_ROW (child)
          && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return ADW_ACTION_ROW (child);
      if ((found = find_row (child, title)) != NULL)
        return found;
    }
  return NULL;
}

/* The label that says @text, anywhere under @root. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        return child;
      if ((found = find_label (child, text)) != NULL)
        return found;
    }
  return NULL;
}

static GtkButton *
find_button (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkButton *found;

      if (GTK_IS_BUTTON (child) && !GTK_IS_MENU_BUTTON (child))
        return GTK_BUTTON (child);
      if ((found = find_button (child)) != NULL)
        return found;
    }
  return NULL;
}

static guint
count_hostdevs (GhMachineSettings *settings)
{
  g_autoptr(GPtrArray) hostdevs =
    gh_domain_editor_dup_hostdevs (gh_machine_settings_get_editor (settings));

  return hostdevs->len;
}

/* The machine's definition as the core reads it now, not as the window last saw it. */
static GhDomainEditor *
read_definition (GhMachineSettings *settings)
{
  GhMachine *machine = gh_machine_settings_get_machine (settings);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GhDomainEditor *editor;

  gh_machine_dup_editor_async (machine, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the machine's definition");
  editor = gh_machine_dup_editor_finish (machine, result, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (editor);
  return editor;
}

/* The path in the CD-ROM drive @target, or NULL when it is empty. */
static char *
dup_cdrom_path (GhDomainEditor *editor,
                const char     *target)
{
  g_autoptr(GPtrArray) cdroms = gh_domain_editor_dup_cdroms (editor);

  for (guint i = 0; i < cdroms->len; i++)
    {
      const GhDomainEditorDisk *cdrom = g_ptr_array_index (cdroms, i);

      if (g_strcmp0 (cdrom->target, target) == 0)
        return g_strdup (cdrom->path);
    }
  g_assert_not_reached ();
}

/* ---- tests -------------------------------------------------------------------------- */

/* Every page, for a machine with many kinds of devices; one window per machine. */
static void
test_pages (Fixture       *fixture,
            gconstpointer  data)
{
  static const struct { const char *page; const char *file; } pages[] = {
    { "general", "machine-settings-general.png" },
    { "resources", "machine-settings-resources.png" },
    { "boot", "machine-settings-boot.png" },
    { "storage", "machine-settings-storage.png" },
    { "display", "machine-settings-display.png" },
    { "gpu", "machine-settings-gpu.png" },
    { "devices", "machine-settings-devices.png" },
  };
  GhMachineSettings *settings;

  if (!fixture_connect_corpus (fixture))
    return;

  settings = open_settings (fixture, "test-many-devices");
  g_assert_true ((GtkWindow *) settings ==
                 gh_application_open_settings (fixture->app,
                                               find_machine (fixture, "test-many-devices")));
  gh_test_wait_until_within (gh_os_db_get_loaded (gh_os_db_get_default ()),
                             GH_TEST_OSINFO_TIMEOUT_SECONDS, "the OS database");
  wait_idle (settings);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    screenshot_page (settings, pages[i].page, pages[i].file);

  /* The corpus host's only GPU is in no IOMMU group: it says so and offers nothing. */
  {
    AdwActionRow *row = find_row (GTK_WIDGET (settings), "HD Graphics 530");

    g_assert_nonnull (row);
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "IOMMU"));
    g_assert_null (find_button (GTK_WIDGET (row)));
  }

  /* Escape closes it. */
  g_object_add_weak_pointer (G_OBJECT (settings), (gpointer *) &settings);
  gtk_widget_activate_action (GTK_WIDGET (settings), "window.close", NULL);
  gh_test_wait_until (settings == NULL, "the window to close");
}

/* Memory and title of a machine that is off: the domain's definition changes, and the
 * machine's properties follow through libvirt's event. */
static void
test_memory_and_title (Fixture       *fixture,
                       gconstpointer  data)
{
  GhMachineSettings *settings;
  GhMachine *machine;
  g_autofree char *error = NULL;
  gboolean next_boot = TRUE;
  const guint64 memory = G_GUINT64_CONSTANT (768) << 20;

  if (!fixture_connect_corpus (fixture))
    return;

  machine = find_machine (fixture, "test-state-shutoff");
  settings = open_settings (fixture, "test-state-shutoff");

  activate (settings, "settings.set-memory", g_variant_new_uint64 (memory));
  error = dup_error (settings);
  g_assert_null (error);
  g_object_get (settings, "next-boot", &next_boot, NULL);
  g_assert_false (next_boot);
  g_assert_cmpuint (gh_domain_editor_get_memory (gh_machine_settings_get_editor (settings)), ==,
                    memory);
  gh_test_wait_until (gh_machine_get_memory (machine) == memory, "the machine's new memory");

  activate (settings, "settings.set-title", g_variant_new_string ("A calmer title"));
  gh_test_wait_until (g_strcmp0 (gh_machine_get_title (machine), "A calmer title") == 0,
                      "the machine's new title");

  activate (settings, "settings.set-vcpus", g_variant_new_uint32 (3));
  gh_test_wait_until (gh_machine_get_vcpus (machine) == 3, "the machine's processors");
}

static GtkSpinButton *
find_spin_button (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkSpinButton *found;

      if (GTK_IS_SPIN_BUTTON (child))
        return GTK_SPIN_BUTTON (child);
      if ((found = find_spin_button (child)) != NULL)
        return found;
    }
  return NULL;
}

/* Memory typed just before the window closes is not lost in the delay that waits for the
 * typing to end: the close applies it, and the window goes once it has landed. */
static void
test_close_applies_pending (Fixture       *fixture,
                            gconstpointer  data)
{
  GhMachineSettings *settings;
  GhMachine *machine;
  GtkSpinButton *memory_spin;
  const guint64 memory = G_GUINT64_CONSTANT (1536) << 20;

  if (!fixture_connect_corpus (fixture))
    return;

  machine = find_machine (fixture, "test-state-shutoff");
  settings = open_settings (fixture, "test-state-shutoff");
  wait_idle (settings);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (settings), "resources");

  /* The first spin button of the Resources page is the memory, in GiB. */
  memory_spin = find_spin_button (GTK_WIDGET (adw_preferences_window_get_visible_page (
                                    ADW_PREFERENCES_WINDOW (settings))));
  g_assert_nonnull (memory_spin);
  g_assert_cmpuint (gh_machine_get_memory (machine), !=, memory);
  gtk_spin_button_set_value (memory_spin, (double) memory / (1 << 30));

  g_object_add_weak_pointer (G_OBJECT (settings), (gpointer *) &settings);
  gtk_window_close (GTK_WINDOW (settings));
  gh_test_wait_until (settings == NULL, "the window to close after its change");
  gh_test_wait_until (gh_machine_get_memory (machine) == memory, "the machine's new memory");
}

static gboolean
set_memory_elsewhere (GhDomainEditor  *editor,
                      gpointer         data,
                      GError         **error)
{
  return gh_domain_editor_set_memory (editor, *(const guint64 *) data, error);
}

/* Another program changes the memory while the window shows the old value: the window's
 * change would silently take that back, so it is refused with why, and the window then
 * shows the memory as the other program left it. Other settings still change. */
static void
test_edit_conflict (Fixture       *fixture,
                    gconstpointer  data)
{
  GhMachineSettings *settings;
  GhMachine *machine;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *error = NULL;
  const guint64 theirs = G_GUINT64_CONSTANT (640) << 20;
  const guint64 mine = G_GUINT64_CONSTANT (896) << 20;

  if (!fixture_connect_corpus (fixture))
    return;

  machine = find_machine (fixture, "test-state-shutoff");
  settings = open_settings (fixture, "test-state-shutoff");

  gh_machine_edit_async (machine, NULL, NULL, set_memory_elsewhere, (gpointer) &theirs, NULL, NULL,
                         gh_test_store_result, &result);
  gh_test_wait_result (&result, "the other program's change");
  g_assert_true (gh_machine_edit_finish (machine, result, NULL, &local_error));
  g_assert_no_error (local_error);
  g_assert_cmpuint (gh_domain_editor_get_memory (gh_machine_settings_get_editor (settings)), !=,
                    theirs);

  activate (settings, "settings.set-memory", g_variant_new_uint64 (mine));
  error = dup_error (settings);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "another program changed this setting"));
  g_assert_cmpuint (gh_domain_editor_get_memory (gh_machine_settings_get_editor (settings)), ==,
                    theirs);
  gh_test_wait_until (gh_machine_get_memory (machine) == theirs, "the other program's memory");

  /* Now that the window shows it, the user's next change is theirs to make. */
  activate (settings, "settings.set-memory", g_variant_new_uint64 (mine));
  g_clear_pointer (&error, g_free);
  error = dup_error (settings);
  g_assert_null (error);
  gh_test_wait_until (gh_machine_get_memory (machine) == mine, "the user's memory");
}

/* A running machine keeps what it has until its next boot, and says so; it cannot be
 * renamed, and libvirt's reason is shown. */
static void
test_running (Fixture       *fixture,
              gconstpointer  data)
{
  GhMachineSettings *settings;
  g_autofree char *error = NULL;
  gboolean next_boot = FALSE;

  if (!fixture_connect_corpus (fixture))
    return;

  settings = open_settings (fixture, "test");
  g_assert_cmpint (gh_machine_get_state (gh_machine_settings_get_machine (settings)), ==,
                   GH_MACHINE_STATE_RUNNING);

  activate (settings, "settings.set-memory", g_variant_new_uint64 (G_GUINT64_CONSTANT (1) << 30));
  g_object_get (settings, "next-boot", &next_boot, NULL);
  g_assert_true (next_boot);

  activate (settings, "settings.rename", g_variant_new_string ("test-renamed"));
  error = dup_error (settings);
  g_assert_nonnull (error);
  g_test_message ("rename refused: %s", error);
  g_assert_nonnull (strstr (error, "active"));
}

/* Removing a disk asks first; Cancel keeps it, Keep Volume removes only the disk. */
static void
test_remove_disk_asks (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *uri = gh_test_data_uri ("storage.xml");
  GhMachineSettings *settings;
  AdwMessageDialog *dialog;
  g_autoptr(GPtrArray) disks = NULL;
  g_autofree char *path = NULL;

  fixture_connect (fixture, uri);
  settings = open_settings (fixture, "owner");

  gtk_widget_activate_action (GTK_WIDGET (settings), "settings.remove-disk", "s", "vda");
  gh_test_wait_until (gh_display_test_find_message_dialog () != NULL, "the question");
  dialog = gh_display_test_find_message_dialog ();
  /* Mapped is not drawn: its first frame comes after. */
  gh_test_settle (500);
  path = gh_display_test_save_screenshot (GTK_WIDGET (dialog), "machine-settings-remove-disk.png");
  gh_display_test_assert_png (path, 2000);
  g_assert_true (adw_message_dialog_has_response (dialog, "delete"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "delete"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_response (dialog, "cancel");
  wait_idle (settings);
  disks = gh_domain_editor_dup_disks (gh_machine_settings_get_editor (settings));
  g_assert_cmpuint (disks->len, ==, 4);
  g_clear_pointer (&disks, g_ptr_array_unref);

  gtk_widget_activate_action (GTK_WIDGET (settings), "settings.remove-disk", "s", "vda");
  gh_test_wait_until (gh_display_test_find_message_dialog () != NULL, "the question");
  adw_message_dialog_response (gh_display_test_find_message_dialog (), "keep");
  wait_idle (settings);
  disks = gh_domain_editor_dup_disks (gh_machine_settings_get_editor (settings));
  g_assert_cmpuint (disks->len, ==, 3);
}

/* ---- GPUs: tests/data/host-gpus.xml ------------------------------------------------- */

static void
guard_allow (gboolean allow)
{
  void (*allow_fn) (int) = (void (*) (int)) dlsym (RTLD_DEFAULT, "gh_libvirt_guard_allow");

  if (allow_fn != NULL)
    allow_fn (allow);
}

/* Plays another tool: a shut-off machine with @devices_xml. */
static void
define_machine_with (Fixture    *fixture,
                     const char *name,
                     const char *devices_xml)
{
  g_autoptr(GError) error = NULL;
  virConnectPtr conn;

  guard_allow (TRUE);
  conn = _gh_connection_dup_virconnect (fixture->connection, &error);
  g_assert_no_error (error);
  virDomainFree (gh_test_virt_define (conn, name, devices_xml));
  virConnectClose (conn);
  guard_allow (FALSE);
}

/* A shut-off machine on the GPU host. */
static void
define_machine (Fixture    *fixture,
                const char *name)
{
  define_machine_with (fixture, name, "<devices/>");
}

/* The NVIDIA card (01:00.0) goes with its HDMI audio; the AMD card shares IOMMU group 13
 * with the USB controller: its reason shows and it has no Attach. */
static void
test_gpu (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  GhMachineSettings *settings;
  GhHostInventory *host;
  AdwActionRow *amd_row = NULL;
  g_autofree char *path = NULL;
  GPtrArray *gpus;

  fixture_connect (fixture, uri);
  define_machine (fixture, "gpu-guest");
  settings = open_settings (fixture, "gpu-guest");
  host = gh_machine_settings_get_host (settings);
  gh_test_wait_until (gh_host_inventory_get_loaded (host), "the host inventory");
  wait_idle (settings);

  gpus = gh_host_inventory_get_gpus (host);
  for (guint i = 0; i < gpus->len; i++)
    {
      const GhHostPciDevice *gpu = g_ptr_array_index (gpus, i);

      if (g_strcmp0 (gpu->address, "0000:02:00.0") == 0)
        amd_row = find_row (GTK_WIDGET (settings), gh_host_pci_device_get_label (gpu));
    }
  g_assert_nonnull (amd_row);
  g_test_message ("AMD: %s", adw_action_row_get_subtitle (amd_row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (amd_row), "IOMMU group 13"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (amd_row), "0000:00:14.0"));
  g_assert_null (find_button (GTK_WIDGET (amd_row)));

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (settings), "gpu");
  path = gh_display_test_save_screenshot (GTK_WIDGET (settings),
                                          "machine-settings-gpu-host-gpus.png");
  gh_display_test_assert_png (path, 4000);

  activate (settings, "settings.attach-gpu", g_variant_new_string ("0000:01:00.0"));
  g_assert_cmpuint (count_hostdevs (settings), ==, 2);
  g_clear_pointer (&path, g_free);
  path = gh_display_test_save_screenshot (GTK_WIDGET (settings),
                                          "machine-settings-gpu-attached.png");
  activate (settings, "settings.detach-gpu", g_variant_new_string ("0000:01:00.0"));
  g_assert_cmpuint (count_hostdevs (settings), ==, 0);

  /* USB: the host's receiver, by what it is. */
  {
    GPtrArray *usb = gh_host_inventory_get_usb_devices (host);

    if (usb->len > 0)
      {
        const GhHostUsbDevice *device = g_ptr_array_index (usb, 0);

        activate (settings, "settings.attach-usb",
                  g_variant_new ("(uu)", device->vendor_id, device->product_id));
        g_assert_cmpuint (count_hostdevs (settings), ==, 1);
        activate (settings, "settings.detach-usb",
                  g_variant_new ("(uu)", device->vendor_id, device->product_id));
        g_assert_cmpuint (count_hostdevs (settings), ==, 0);
      }
  }
}

/* When the NVIDIA card is the boot VGA of a host with no other GPU the window asks, and
 * says the host will lose its display. */
static void
test_boot_vga_asks (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *uri = gh_test_data_uri ("host-one-gpu.xml");
  GhMachineSettings *settings;
  GhHostInventory *host;
  AdwMessageDialog *dialog;
  g_autofree char *path = NULL;
  g_autofree char *reason = NULL;
  const GhHostPciDevice *gpu;

  fixture_connect (fixture, uri);
  define_machine (fixture, "vga-guest");
  settings = open_settings (fixture, "vga-guest");
  host = gh_machine_settings_get_host (settings);
  gh_test_wait_until (gh_host_inventory_get_loaded (host), "the host inventory");
  gh_host_inventory_set_boot_vga (host, "0000:01:00.0");
  wait_idle (settings);

  /* The host's only GPU, and its screen: not without a confirmation. */
  gpu = gh_host_inventory_lookup_pci (host, "0000:01:00.0");
  g_assert_nonnull (gpu);
  g_assert_false (gh_host_inventory_gpu_is_passable (host, gpu, FALSE, &reason));
  g_assert_true (gh_host_inventory_gpu_is_passable (host, gpu, TRUE, NULL));

  gtk_widget_activate_action (GTK_WIDGET (settings), "settings.attach-gpu", "s", "0000:01:00.0");
  gh_test_wait_until (gh_display_test_find_message_dialog () != NULL, "the question");
  dialog = gh_display_test_find_message_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "no display"));
  gh_test_settle (500);
  path = gh_display_test_save_screenshot (GTK_WIDGET (dialog), "machine-settings-boot-vga.png");
  gh_display_test_assert_png (path, 2000);
  /* adw_message_dialog_response() answers as a button would, but leaves closing to it. */
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_idle (settings);
  g_assert_cmpuint (count_hostdevs (settings), ==, 0);

  /* Said yes to: the GPU goes, with its HDMI audio. */
  gtk_widget_activate_action (GTK_WIDGET (settings), "settings.attach-gpu", "s", "0000:01:00.0");
  gh_test_wait_until (gh_display_test_find_message_dialog () != NULL, "the question again");
  dialog = gh_display_test_find_message_dialog ();
  adw_message_dialog_response (dialog, "attach");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gh_test_wait_until (count_hostdevs (settings) == 2, "the GPU and its audio to be attached");
}

/* Detach takes a virtual GPU that Greenhouse did not make from the machine, and leaves
 * it on the host: whoever made it may still want it. */
static void
test_detach_mdev_not_made (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  GhMachineSettings *settings;
  g_autofree char *error = NULL;
  g_autoptr(GError) gerror = NULL;
  virNodeDevicePtr device;
  virConnectPtr conn;

  fixture_connect (fixture, uri);
  define_machine_with (fixture, "mdev-guest",
                       "<devices><hostdev mode='subsystem' type='mdev' model='vfio-pci'>"
                       "<source><address uuid='3a1f7c52-7e0b-4c4e-9a7e-52d4c1b0e6a1'/></source>"
                       "</hostdev></devices>");
  settings = open_settings (fixture, "mdev-guest");
  g_assert_cmpuint (count_hostdevs (settings), ==, 1);

  activate (settings, "settings.detach-mdev",
            g_variant_new_string ("3a1f7c52-7e0b-4c4e-9a7e-52d4c1b0e6a1"));
  error = dup_error (settings);
  g_assert_cmpstr (error, ==, NULL);
  g_assert_cmpuint (count_hostdevs (settings), ==, 0);

  guard_allow (TRUE);
  conn = _gh_connection_dup_virconnect (fixture->connection, &gerror);
  g_assert_no_error (gerror);
  device = virNodeDeviceLookupByName (conn,
                                      "mdev_3a1f7c52_7e0b_4c4e_9a7e_52d4c1b0e6a1_0000_00_02_0");
  g_assert_nonnull (device);
  virNodeDeviceFree (device);
  virConnectClose (conn);
  guard_allow (FALSE);
}

/* A machine whose definition turns USB off: libvirt would refuse any USB device, so the
 * Devices page offers none and says why, and the Display page says that a new display
 * comes without the USB tablet. Asked anyway, the core refuses with the reason. */
static void
test_usb_off (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  GhMachineSettings *settings;
  GhHostInventory *host;
  AdwActionRow *row;
  g_autofree char *error = NULL;

  fixture_connect (fixture, uri);
  define_machine_with (fixture, "no-usb-guest",
                       "<devices><controller type='usb' model='none'/></devices>");
  settings = open_settings (fixture, "no-usb-guest");
  host = gh_machine_settings_get_host (settings);
  gh_test_wait_until (gh_host_inventory_get_loaded (host), "the host inventory");
  wait_idle (settings);

  row = find_row (GTK_WIDGET (settings), "USB is turned off for this machine");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "virsh edit"));
  g_assert_null (find_button (GTK_WIDGET (row)));
  g_assert_null (find_row (GTK_WIDGET (settings), "No USB devices"));
  g_assert_null (find_label (GTK_WIDGET (settings),
                             "Devices plugged into this computer that the machine can have."));
  g_assert_nonnull (find_label (GTK_WIDGET (settings),
                                "USB is turned off for this machine: a new display comes "
                                "without the pointer tablet and USB redirection"));

  activate (settings, "settings.attach-usb", g_variant_new ("(uu)", 0x046d, 0xc52b));
  error = dup_error (settings);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "turn USB on with virsh edit"));
  g_assert_cmpuint (count_hostdevs (settings), ==, 0);
}

/* A virtual GPU shows its screen through the machine's display: on a machine without
 * one (libvirt refuses display='on' there), the GPU page says it is attached with its
 * screen off; with a display it does not. */
static void
test_mdev_without_display (Fixture       *fixture,
                           gconstpointer  data)
{
  static const char *no_display = "Shares of a host GPU that the GPU’s driver can create. "
                                  "This machine has no display, so a virtual GPU is attached "
                                  "with its screen off; choose a display on the Display page "
                                  "to see it.";
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  GhMachineSettings *settings;
  GhMachineSettings *shown;

  fixture_connect (fixture, uri);
  define_machine (fixture, "headless-guest");
  define_machine_with (fixture, "shown-guest",
                       "<devices><graphics type='spice'><listen type='none'/></graphics>"
                       "</devices>");

  settings = open_settings (fixture, "headless-guest");
  gh_test_wait_until (gh_host_inventory_get_loaded (gh_machine_settings_get_host (settings)),
                      "the host inventory");
  wait_idle (settings);
  g_assert_nonnull (find_label (GTK_WIDGET (settings), no_display));

  shown = open_settings (fixture, "shown-guest");
  gh_test_wait_until (gh_host_inventory_get_loaded (gh_machine_settings_get_host (shown)),
                      "the host inventory");
  wait_idle (shown);
  g_assert_null (find_label (GTK_WIDGET (shown), no_display));
  g_assert_nonnull (find_label (GTK_WIDGET (shown),
                                "Shares of a host GPU that the GPU’s driver can create."));
}

/* ---- what the other pages change ---------------------------------------------------- */

#define DEVICES_XML \
  "<devices>" \
  "<disk type='file' device='cdrom'>" \
  "<driver name='qemu' type='raw'/><source file='/srv/iso/first.iso'/>" \
  "<target dev='sda' bus='sata'/><readonly/>" \
  "</disk>" \
  "<interface type='user'><mac address='52:54:00:12:34:56'/><model type='e1000e'/></interface>" \
  "<controller type='usb' model='qemu-xhci'/>" \
  "<video><model type='vga'/></video>" \
  "</devices>"

/* Eject empties the drive; Insert, as the file chooser's answer calls it, fills it. */
static void
test_cdrom (Fixture       *fixture,
            gconstpointer  data)
{
  GhMachineSettings *settings;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autofree char *path = NULL;
  g_autofree char *error = NULL;

  fixture_connect (fixture, "test:///default");
  define_machine_with (fixture, "cdrom-guest", DEVICES_XML);
  settings = open_settings (fixture, "cdrom-guest");

  activate (settings, "settings.eject-cdrom", g_variant_new_string ("sda"));
  error = dup_error (settings);
  g_assert_cmpstr (error, ==, NULL);
  editor = read_definition (settings);
  path = dup_cdrom_path (editor, "sda");
  g_assert_null (path);
  g_clear_object (&editor);

  activate (settings, "settings.insert-cdrom",
            g_variant_new ("(ss)", "sda", "/srv/iso/second.iso"));
  error = dup_error (settings);
  g_assert_cmpstr (error, ==, NULL);
  editor = read_definition (settings);
  path = dup_cdrom_path (editor, "sda");
  g_assert_cmpstr (path, ==, "/srv/iso/second.iso");
}

/* The network card's model, chosen by its MAC address. */
static void
test_nic_model (Fixture       *fixture,
                gconstpointer  data)
{
  GhMachineSettings *settings;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GPtrArray) interfaces = NULL;
  g_autofree char *error = NULL;
  const GhDomainInterface *iface;

  fixture_connect (fixture, "test:///default");
  define_machine_with (fixture, "nic-guest", DEVICES_XML);
  settings = open_settings (fixture, "nic-guest");

  activate (settings, "settings.set-nic-model",
            g_variant_new ("(ss)", "52:54:00:12:34:56", "virtio"));
  error = dup_error (settings);
  g_assert_cmpstr (error, ==, NULL);
  editor = read_definition (settings);
  interfaces = gh_domain_editor_dup_interfaces (editor);
  g_assert_cmpuint (interfaces->len, ==, 1);
  iface = g_ptr_array_index (interfaces, 0);
  g_assert_cmpstr (iface->mac, ==, "52:54:00:12:34:56");
  g_assert_cmpstr (iface->model, ==, "virtio");
}

static char *
dup_video_model (GhMachineSettings *settings,
                 gboolean          *gl)
{
  g_autoptr(GhDomainEditor) editor = read_definition (settings);

  return gh_domain_editor_dup_video_model (editor, gl);
}

/* A display path picked on the Display page changes the machine's video device. */
static void
test_display_path (Fixture       *fixture,
                   gconstpointer  data)
{
  GhMachineSettings *settings;
  g_autofree char *model = NULL;
  g_autofree char *error = NULL;
  gboolean gl = TRUE;

  fixture_connect (fixture, "test:///default");
  define_machine_with (fixture, "display-guest", DEVICES_XML);
  settings = open_settings (fixture, "display-guest");
  gh_test_wait_until (gh_host_inventory_get_loaded (gh_machine_settings_get_host (settings)),
                      "the host inventory");
  wait_idle (settings);

  activate (settings, "settings.set-display-path", g_variant_new_string ("virtio-2d"));
  error = dup_error (settings);
  g_assert_cmpstr (error, ==, NULL);
  model = dup_video_model (settings, &gl);
  g_assert_cmpstr (model, ==, "virtio");
  g_assert_false (gl);
  g_clear_pointer (&model, g_free);

  activate (settings, "settings.set-display-path", g_variant_new_string ("qxl"));
  model = dup_video_model (settings, &gl);
  g_assert_cmpstr (model, ==, "qxl");
}

/* A SPICE display another tool left on a TCP port, with no password. */
#define OPEN_PORT_XML \
  "<devices>" \
  "<graphics type='spice' port='5901' autoport='no' listen='0.0.0.0'>" \
  "<listen type='address' address='0.0.0.0'/><image compression='off'/>" \
  "</graphics>" \
  "<video><model type='vga'/></video>" \
  "</devices>"

/* The Display page says, in words, who can take the machine, and one click moves its
 * display to a private socket without losing the rest of it. */
static void
test_open_display_port (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char warning[] = "Anyone who can reach port 5901 on this computer can see and "
                                "control this machine";
  GhMachineSettings *settings;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autofree char *error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *path = NULL;
  AdwActionRow *row;
  GtkWidget *group;
  GtkButton *button;

  fixture_connect (fixture, "test:///default");
  define_machine_with (fixture, "open-port-guest", OPEN_PORT_XML);
  settings = open_settings (fixture, "open-port-guest");

  row = find_row (GTK_WIDGET (settings), warning);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "SPICE display, no password");
  group = gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_PREFERENCES_GROUP);
  g_assert_true (gtk_widget_get_visible (group));
  button = find_button (group);
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==,
                   "settings.close-display-ports");
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (settings), "display");
  gh_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (settings)), "the window to show");
  path = gh_display_test_save_screenshot (GTK_WIDGET (settings), "settings-open-port.png");
  gh_display_test_assert_png (path, 4000);

  /* The console says the same, and its banner's button leads to these settings. */
  {
    GhMachine *machine = gh_machine_settings_get_machine (settings);
    GtkWindow *console = GTK_WINDOW (gh_application_open_console (fixture->app, machine));
    GtkWidget *label = NULL;
    GtkWidget *revealer;
    GtkWidget *banner_button;

    gh_test_wait_until ((label = find_label (GTK_WIDGET (console), warning)) != NULL
                        && gtk_revealer_get_reveal_child (GTK_REVEALER (
                             gtk_widget_get_ancestor (label, GTK_TYPE_REVEALER))),
                        "the console's banner");
    revealer = gtk_widget_get_ancestor (label, GTK_TYPE_REVEALER);
    banner_button = GTK_WIDGET (find_button (revealer));
    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (banner_button)), ==,
                     "console.settings");
    gtk_window_destroy (console);
  }

  g_signal_emit_by_name (button, "clicked");
  wait_idle (settings);
  error = dup_error (settings);
  g_assert_cmpstr (error, ==, NULL);

  editor = read_definition (settings);
  open = gh_domain_editor_dup_open_displays (editor);
  g_assert_cmpuint (open->len, ==, 0);
  xml = gh_domain_editor_to_xml (editor);
  g_assert_nonnull (strstr (xml, "<listen type=\"socket\""));
  g_assert_nonnull (strstr (xml, "<image compression=\"off\"/>"));
  g_assert_null (strstr (xml, "0.0.0.0"));

  /* The window reads the definition again: the warning is gone. */
  g_assert_null (find_row (GTK_WIDGET (settings), warning));
  g_assert_false (gtk_widget_get_visible (group));
}

/* Add Disk makes a volume and gives it to the machine beside its other disks. */
static void
test_add_disk (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *uri = gh_test_data_uri ("storage.xml");
  GhMachineSettings *settings;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GPtrArray) disks = NULL;
  g_autofree char *error = NULL;
  gboolean found = FALSE;

  fixture_connect (fixture, uri);
  settings = open_settings (fixture, "owner");
  editor = read_definition (settings);
  disks = gh_domain_editor_dup_disks (editor);
  g_assert_cmpuint (disks->len, ==, 4);
  g_clear_pointer (&disks, g_ptr_array_unref);
  g_clear_object (&editor);

  activate (settings, "settings.add-disk", g_variant_new_uint64 (G_GUINT64_CONSTANT (1) << 30));
  error = dup_error (settings);
  g_assert_cmpstr (error, ==, NULL);
  editor = read_definition (settings);
  disks = gh_domain_editor_dup_disks (editor);
  g_assert_cmpuint (disks->len, ==, 5);
  for (guint i = 0; i < disks->len; i++)
    {
      const GhDomainEditorDisk *disk = g_ptr_array_index (disks, i);

      found |= g_strcmp0 (disk->target, "vdd") == 0;
    }
  g_assert_true (found);
}

int
main (int   argc,
      char *argv[])
{
  if (!gh_display_test_init (&argc, &argv))
    return 1;

  g_test_add ("/display/machine-settings/pages", Fixture, NULL, NULL, test_pages,
              fixture_tear_down);
  g_test_add ("/display/machine-settings/memory-and-title", Fixture, NULL, NULL,
              test_memory_and_title, fixture_tear_down);
  g_test_add ("/display/machine-settings/close-applies-pending", Fixture, NULL, NULL,
              test_close_applies_pending, fixture_tear_down);
  g_test_add ("/display/machine-settings/edit-conflict", Fixture, NULL, NULL,
              test_edit_conflict, fixture_tear_down);
  g_test_add ("/display/machine-settings/running", Fixture, NULL, NULL, test_running,
              fixture_tear_down);
  g_test_add ("/display/machine-settings/remove-disk-asks", Fixture, NULL, NULL,
              test_remove_disk_asks, fixture_tear_down);
  g_test_add ("/display/machine-settings/gpu", Fixture, NULL, NULL, test_gpu,
              fixture_tear_down);
  g_test_add ("/display/machine-settings/boot-vga-asks", Fixture, NULL, NULL,
              test_boot_vga_asks, fixture_tear_down);
  g_test_add ("/display/machine-settings/usb-off", Fixture, NULL, NULL, test_usb_off,
              fixture_tear_down);
  g_test_add ("/display/machine-settings/mdev-without-display", Fixture, NULL, NULL,
              test_mdev_without_display, fixture_tear_down);
  g_test_add ("/display/machine-settings/detach-mdev-not-made", Fixture, NULL, NULL,
              test_detach_mdev_not_made, fixture_tear_down);
  g_test_add ("/display/machine-settings/cdrom", Fixture, NULL, NULL, test_cdrom,
              fixture_tear_down);
  g_test_add ("/display/machine-settings/nic-model", Fixture, NULL, NULL, test_nic_model,
              fixture_tear_down);
  g_test_add ("/display/machine-settings/display-path", Fixture, NULL, NULL,
              test_display_path, fixture_tear_down);
  g_test_add ("/display/machine-settings/add-disk", Fixture, NULL, NULL, test_add_disk,
              fixture_tear_down);
  g_test_add ("/display/machine-settings/open-display-port", Fixture, NULL, NULL,
              test_open_display_port, fixture_tear_down);

  return g_test_run ();
}
