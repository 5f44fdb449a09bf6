/* gh-host-report.c: `greenhouse --host-report`, without a window
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "gh-connection.h"
#include "gh-error-private.h"
#include "gh-graphics-planner-private.h"
#include "gh-host-file.h"
#include "gh-host-report.h"
#include "gh-json-private.h"
#include "gh-libvirt.h"

/* Everything libvirt is asked happens in the core's worker threads: the report runs on
 * the main thread of an application like any other part of Greenhouse. */

typedef struct
{
  char               *uri;
  char               *os_id;
  char               *media_path;
  char               *host_path;    /* plan for the host saved here, not uri's */
  GhHostReportFormat  format;
  GhRendererChoice   *renderer;     /* the application's, if it gave one */
  GhGraphicsConnectionFlags flags;  /* of host_path's connection */
  OsinfoOs           *os;           /* owned by the OS database */
  GhMediaInfo        *media;        /* what is at media_path, once read */
  GhConnection       *connection;
  GhHostInventory    *inventory;
  GError             *connection_error;
} ReportData;

static void
report_data_free (ReportData *data)
{
  /* A report is read once: the connection goes right after. */
  if (data->connection != NULL)
    gh_connection_close (data->connection);
  g_clear_object (&data->inventory);
  g_clear_object (&data->connection);
  g_clear_error (&data->connection_error);
  g_free (data->uri);
  g_free (data->os_id);
  g_free (data->media_path);
  g_free (data->host_path);
  g_clear_pointer (&data->media, gh_media_info_free);
  g_clear_pointer (&data->renderer, gh_renderer_choice_free);
  g_free (data);
}

/* ---- JSON ------------------------------------------------------------------------ */

static void
build_os (JsonBuilder *builder,
          OsinfoOs    *os)
{
  json_builder_set_member_name (builder, "os");
  if (os == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  _gh_json_add_string (builder, "id", osinfo_entity_get_id (OSINFO_ENTITY (os)));
  _gh_json_add_string (builder, "short-id", osinfo_product_get_short_id (OSINFO_PRODUCT (os)));
  _gh_json_add_string (builder, "name", osinfo_product_get_name (OSINFO_PRODUCT (os)));
  json_builder_end_object (builder);
}

/* Only in reports made for media: the shape of the others stays as it was. */
static void
build_media (JsonBuilder       *builder,
             const GhMediaInfo *media)
{
  /* JSON is UTF-8; a file name need not be. */
  g_autofree char *path = g_filename_display_name (media->path);

  json_builder_set_member_name (builder, "media");
  json_builder_begin_object (builder);
  _gh_json_add_string (builder, "path", path);
  _gh_json_add_string (builder, "volume-id", media->volume_id);
  _gh_json_add_boolean (builder, "installer", media->installer);
  _gh_json_add_boolean (builder, "live", media->live);
  json_builder_end_object (builder);
}

/* Only the application knows its display, and gives this (saying "not-known" when it has
 * none): a report made by the core alone leaves it out. */
static void
build_renderer (JsonBuilder            *builder,
                const GhRendererChoice *renderer)
{
  json_builder_set_member_name (builder, "renderer");
  json_builder_begin_object (builder);
  _gh_json_add_string (builder, "name", renderer->renderer);
  _gh_json_add_string (builder, "reason", gh_renderer_reason_to_string (renderer->reason));
  _gh_json_add_string (builder, "gl-renderer", renderer->gl_renderer);
  _gh_json_add_string (builder, "gl-error", renderer->gl_error);
  json_builder_end_object (builder);
}

/* Fills the object that describes one item of an array. */
typedef void (*BuildItem) (JsonBuilder   *builder,
                           gconstpointer  item,
                           gpointer       user_data);

/* "name": [ {…}, {…} ], one object per item of @items. */
static void
add_objects (JsonBuilder *builder,
             const char  *name,
             GPtrArray   *items,
             BuildItem    build,
             gpointer     user_data)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    {
      json_builder_begin_object (builder);
      build (builder, g_ptr_array_index (items, i), user_data);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
build_path (JsonBuilder   *builder,
            gconstpointer  item,
            gpointer       user_data)
{
  const GhGraphicsPath *path = item;

  _gh_json_add_string (builder, "path", gh_graphics_path_kind_to_string (path->kind));
  _gh_json_add_boolean (builder, "feasible", path->feasible);
  _gh_json_add_boolean (builder, "discouraged", path->discouraged);
  _gh_json_add_string (builder, "reason", path->reason);
  _gh_json_add_int (builder, "rank", path->rank);
  _gh_json_add_string (builder, "device", path->device);
  _gh_json_add_string (builder, "firmware", path->firmware);
}

static void
build_host (JsonBuilder               *builder,
            GhHostInventory           *inventory,
            const char                *uri,
            GhGraphicsConnectionFlags  connection)
{
  g_autoptr(GhHost) host = gh_host_inventory_dup_host (inventory);

  json_builder_set_member_name (builder, "host");
  json_builder_begin_object (builder);
  gh_host_file_build_host (builder, host, uri, connection);
  json_builder_end_object (builder);
}

static char *
format_json (const GhRendererChoice    *renderer,
             const char                *uri,
             const GError              *connection_error,
             OsinfoOs                  *os,
             const GhMediaInfo         *media,
             GhHostInventory           *host,
             GhGraphicsConnectionFlags  connection,
             GhGraphicsPlan            *plan)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  const GhGraphicsPath *recommended = gh_graphics_plan_get_recommended (plan);

  json_builder_begin_object (builder);
  _gh_json_add_string (builder, "connection", uri);
  _gh_json_add_string (builder, "connection-error",
              connection_error != NULL ? connection_error->message : NULL);
  build_os (builder, os);
  if (media != NULL)
    build_media (builder, media);
  if (renderer != NULL)
    build_renderer (builder, renderer);
  build_host (builder, host, uri, connection);

  add_objects (builder, "paths", _gh_graphics_plan_get_paths (plan), build_path, NULL);

  _gh_json_add_string (builder, "recommended",
              recommended != NULL ? gh_graphics_path_kind_to_string (recommended->kind) : NULL);
  if (recommended != NULL)
    {
      g_autofree char *xml = gh_graphics_path_dup_devices_xml (recommended);

      _gh_json_add_string (builder, "recommended-device", recommended->device);
      _gh_json_add_string (builder, "recommended-xml", xml);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);

  return json_generator_to_data (generator, NULL);
}

/* ---- Text ------------------------------------------------------------------------ */

static const char *
yes_no (gboolean value)
{
  return value ? _("yes") : _("no");
}

static void
append_host_text (GString         *text,
                  GhHostInventory *host)
{
  const GhHostDomainCaps *caps = gh_host_inventory_get_domain_caps (host);
  const GhHostVirgl *virgl = gh_host_inventory_get_virgl (host);
  const char * const *nodes = gh_host_inventory_get_render_nodes (host);
  GPtrArray *gpus = gh_host_inventory_get_gpus (host);
  GPtrArray *types = gh_host_inventory_get_mdev_types (host);

  g_string_append_printf (text, "%s\n", _("Host"));

  if (caps == NULL)
    {
      g_string_append_printf (text, "  %s\n", _("Domain capabilities: unknown"));
    }
  else
    {
      g_autofree char *video = g_strjoinv (", ", caps->video_models);
      g_autofree char *graphics = g_strjoinv (", ", caps->graphics_types);

      /* Translators: QEMU's virtualization type (kvm), machine type and program */
      g_string_append_printf (text, _("  Emulator: %s, %s, %s\n"),
                              caps->domain_type != NULL ? caps->domain_type : "?",
                              caps->machine != NULL ? caps->machine : "?",
                              caps->emulator != NULL ? caps->emulator : "?");
      g_string_append_printf (text, _("  Video models: %s\n"), video);
      g_string_append_printf (text, _("  Displays: %s\n"), graphics);
      g_string_append_printf (text, _("  PCI passthrough (VFIO): %s\n"),
                              yes_no (caps->hostdev
                                      && g_strv_contains ((const char * const *) caps->pci_backends,
                                                          "vfio")));
    }

  if (gh_host_inventory_get_devices_error (host) != NULL)
    g_string_append_printf (text, _("  Host devices: unknown (%s)\n"),
                            gh_host_inventory_get_devices_error (host));

  if (nodes[0] == NULL)
    g_string_append_printf (text, "  %s\n", _("Render nodes: none"));
  else
    {
      g_autofree char *list = g_strjoinv (", ", (char **) nodes);

      g_string_append_printf (text, _("  Render nodes: %s\n"), list);
    }

  if (virgl->usable)
    g_string_append_printf (text, _("  virgl: usable (%s, OpenGL %s)\n"),
                            virgl->probe != NULL && virgl->probe->renderer != NULL
                              ? virgl->probe->renderer : "?",
                            virgl->probe != NULL && virgl->probe->gl_version != NULL
                              ? virgl->probe->gl_version : "?");
  else
    g_string_append_printf (text, _("  virgl: not usable: %s\n"), virgl->reason);

  if (gpus->len == 0)
    g_string_append_printf (text, "  %s\n", _("GPUs: none found"));
  for (guint i = 0; i < gpus->len; i++)
    {
      const GhHostPciDevice *gpu = g_ptr_array_index (gpus, i);
      g_autofree char *reason = NULL;
      gboolean passable = gh_host_inventory_gpu_is_passable (host, gpu, FALSE, &reason);

      /* Translators: GPU 0000:01:00.0: GeForce RTX 3060 (NVIDIA Corporation) */
      g_string_append_printf (text, _("  GPU %s: %s (%s)\n"), gpu->address,
                              gh_host_pci_device_get_label (gpu),
                              gpu->vendor != NULL ? gpu->vendor : "?");
      if (gpu->iommu_group >= 0)
        g_string_append_printf (text, _("    IOMMU group %d, boot VGA: %s, render node: %s\n"),
                                gpu->iommu_group, yes_no (gpu->boot_vga),
                                gpu->render_node != NULL ? gpu->render_node : _("none"));
      else
        g_string_append_printf (text, _("    no IOMMU group, boot VGA: %s, render node: %s\n"),
                                yes_no (gpu->boot_vga),
                                gpu->render_node != NULL ? gpu->render_node : _("none"));
      g_string_append_printf (text, _("    passable: %s: %s\n"), yes_no (passable), reason);
    }

  if (types->len == 0)
    g_string_append_printf (text, "  %s\n", _("Mediated device types: none"));
  for (guint i = 0; i < types->len; i++)
    {
      const GhHostMdevType *type = g_ptr_array_index (types, i);

      /* Translators: mediated device type i915-GVTg_V5_4 (vfio-pci) of 0000:00:02.0: 2 free */
      g_string_append_printf (text, _("  Mediated device type %s (%s) of %s: %u free\n"),
                              type->id, type->device_api != NULL ? type->device_api : "?",
                              type->parent_address != NULL ? type->parent_address
                                                           : type->parent,
                              type->available);
    }
}

static void
append_media_text (GString           *text,
                   const GhMediaInfo *media)
{
  g_autofree char *path = g_filename_display_name (media->path);

  g_string_append_printf (text, _("Install media: %s\n"), path);
  g_string_append_printf (text, _("  Volume: %s\n"),
                          media->volume_id != NULL ? media->volume_id : _("no label"));
  /* Translators: whether the media installs an OS, and whether it runs one without
   * installing it; each %s is "yes" or "no" */
  g_string_append_printf (text, _("  Installer: %s, live: %s\n"), yes_no (media->installer),
                          yes_no (media->live));
}

static char *
format_text (const GhRendererChoice *renderer,
             const char        *uri,
             const GError      *connection_error,
             OsinfoOs          *os,
             const GhMediaInfo *media,
             GhHostInventory   *host,
             GhGraphicsPlan    *plan)
{
  GString *text = g_string_new (NULL);
  const GhGraphicsPath *recommended = gh_graphics_plan_get_recommended (plan);

  g_string_append_printf (text, _("Connection: %s\n"), uri);
  if (connection_error != NULL)
    g_string_append_printf (text, _("  Not connected: %s\n"
                                    "  The plan below uses only what is known without it.\n"),
                            connection_error->message);
  if (media != NULL)
    append_media_text (text, media);
  if (os != NULL)
    g_string_append_printf (text, _("Operating system: %s (%s)\n"),
                            osinfo_product_get_name (OSINFO_PRODUCT (os)),
                            osinfo_entity_get_id (OSINFO_ENTITY (os)));
  else if (media != NULL)
    g_string_append_printf (text, "%s\n", _("Operating system: unknown to libosinfo"));
  else
    g_string_append_printf (text, "%s\n", _("Operating system: not given"));
  if (renderer != NULL)
    {
      g_autofree char *description = gh_renderer_choice_dup_description (renderer);

      /* Translators: %s is a GTK renderer and why, such as “cairo (GL would run in
       * software: llvmpipe (LLVM 15.0.6, 256 bits))” */
      g_string_append_printf (text, _("Renderer: %s\n"), description);
    }
  g_string_append_c (text, '\n');

  append_host_text (text, host);
  g_string_append_c (text, '\n');

  g_string_append_printf (text, "%s\n", _("Display paths, best first"));
  for (guint i = 0; i < gh_graphics_plan_get_n_paths (plan); i++)
    {
      const GhGraphicsPath *path = gh_graphics_plan_get_path (plan, i);
      g_autofree char *name = g_strdup_printf ("%s%s%s",
                                               gh_graphics_path_kind_to_string (path->kind),
                                               path->device != NULL ? " " : "",
                                               path->device != NULL ? path->device : "");
      const char *verdict = !path->feasible ? _("not possible")
                            : path->discouraged ? _("possible, not advised")
                            : _("possible");

      g_string_append_printf (text, "  %u. %s: %s\n     %s\n", path->rank, name, verdict,
                              path->reason);
    }
  g_string_append_c (text, '\n');

  if (recommended != NULL)
    g_string_append_printf (text, _("Recommended: %s%s%s\n"),
                            gh_graphics_path_kind_to_string (recommended->kind),
                            recommended->device != NULL ? " " : "",
                            recommended->device != NULL ? recommended->device : "");
  else
    g_string_append_printf (text, "%s\n", _("Recommended: nothing is possible"));

  return g_string_free (text, FALSE);
}

char *
gh_host_report_format (GhHostReportFormat         format,
                       const GhRendererChoice    *renderer,
                       const char                *uri,
                       const GError              *connection_error,
                       OsinfoOs                  *os,
                       const GhMediaInfo         *media,
                       GhHostInventory           *host,
                       GhGraphicsConnectionFlags  connection,
                       GhGraphicsPlan            *plan)
{
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (host), NULL);
  g_return_val_if_fail (GH_IS_GRAPHICS_PLAN (plan), NULL);

  if (format == GH_HOST_REPORT_JSON)
    return format_json (renderer, uri, connection_error, os, media, host, connection, plan);

  return format_text (renderer, uri, connection_error, os, media, host, plan);
}

/* ---- Making it ---------------------------------------------------------------------- */

static void
finish_report (GTask *task)
{
  ReportData *data = g_task_get_task_data (task);
  g_autoptr(GhGraphicsPlan) plan = NULL;
  GhGraphicsConnectionFlags flags = data->flags;

  if (data->connection != NULL)
    flags = gh_connection_get_graphics_flags (data->connection);

  plan = gh_graphics_planner_plan (data->os, gh_host_inventory_get_host (data->inventory), flags,
                                   GH_GRAPHICS_PREFER_BEST_3D, FALSE);
  g_task_return_pointer (task,
                         gh_host_report_format (data->format, data->renderer, data->uri,
                                                data->connection_error, data->os, data->media,
                                                data->inventory, flags, plan),
                         g_free);
}

/* Without its daemon a host is known only by what needs none: nothing, here. The report
 * says so rather than inventing a host. */
static void
use_empty_inventory (ReportData *data)
{
  GhHostVirgl virgl = { 0 };
  g_autofree char *reason = NULL;

  g_clear_object (&data->inventory);
  data->inventory = gh_host_inventory_new_from_xml (NULL, NULL, NULL);
  /* Translators: %s says why the connection failed */
  reason = g_strdup_printf (_("Not checked, since the connection failed: %s"),
                            gh_error_get_detail (data->connection_error));
  virgl.reason = reason;
  gh_host_inventory_set_virgl (data->inventory, &virgl);
}

static void
inventory_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReportData *data = g_task_get_task_data (task);

  if (!gh_host_inventory_load_finish (GH_HOST_INVENTORY (object), result,
                                      &data->connection_error))
    use_empty_inventory (data);

  finish_report (task);
}

static void
connection_opened_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReportData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (!gh_connection_open_finish (data->connection, result, &data->connection_error))
    {
      use_empty_inventory (data);
      finish_report (task);
      return;
    }

  data->inventory = g_object_ref (gh_connection_get_host_inventory (data->connection));
  gh_host_inventory_ensure_async (data->inventory, cancellable, inventory_loaded_cb,
                                  g_steal_pointer (&task));
}

/* The host: a saved one, read here (a small file, for a command line), or the
 * connection's, read by the inventory's worker. */
static void
find_host (GTask *task)
{
  ReportData *data = g_task_get_task_data (task);
  g_autoptr(GhHost) host = NULL;
  GError *error = NULL;

  if (data->host_path == NULL)
    {
      data->connection = gh_connection_new (data->uri);
      gh_connection_open_async (data->connection, g_task_get_cancellable (task),
                                connection_opened_cb, task);
      return;
    }

  g_clear_pointer (&data->uri, g_free);
  host = gh_host_file_load (data->host_path, &data->uri, &data->flags, &error);
  if (host == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  data->inventory = gh_host_inventory_new_from_host (host);
  finish_report (task);
  g_object_unref (task);
}

static void
media_identified_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReportData *data = g_task_get_task_data (task);
  GhOsDb *db = GH_OS_DB (object);
  GError *error = NULL;

  data->media = gh_os_db_identify_media_finish (db, result, &error);
  if (data->media == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Media of an OS libosinfo does not know get the plan for no OS, as a new machine
   * made from them would. */
  if (data->media->os_id != NULL)
    data->os = gh_os_db_lookup_os (db, data->media->os_id);

  find_host (g_steal_pointer (&task));
}

static void
os_db_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReportData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GhOsDb *db = GH_OS_DB (object);
  GError *error = NULL;

  if (!gh_os_db_load_finish (db, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (data->os_id != NULL)
    {
      data->os = gh_os_db_lookup_os (db, data->os_id);
      if (data->os == NULL)
        {
          g_autofree char *detail = NULL;

          /* Translators: %s is what the user typed after --os */
          detail = g_strdup_printf (_("Unknown operating system “%s”: give a libosinfo id "
                                      "or short id, as `osinfo-query os` lists them"),
                                    data->os_id);
          _gh_error_set (&error, GH_ERROR_UNKNOWN_OS, NULL, detail);
          g_task_return_error (task, error);
          return;
        }
    }

  if (data->media_path != NULL)
    {
      gh_os_db_identify_media_async (db, data->media_path, cancellable, media_identified_cb,
                                     g_steal_pointer (&task));
      return;
    }

  find_host (g_steal_pointer (&task));
}

void
gh_host_report_async (const char          *uri,
                      const char          *os_id,
                      const char          *media_path,
                      const char          *host_path,
                      GhHostReportFormat   format,
                      const GhRendererChoice *renderer,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReportData *data;

  g_return_if_fail ((uri == NULL) != (host_path == NULL));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_host_report_async);

  data = g_new0 (ReportData, 1);
  data->uri = g_strdup (uri);
  data->os_id = g_strdup (os_id);
  data->media_path = g_strdup (media_path);
  data->host_path = g_strdup (host_path);
  data->format = format;
  data->renderer = gh_renderer_choice_copy (renderer);
  g_task_set_task_data (task, data, (GDestroyNotify) report_data_free);

  /* The media say which OS they hold: a second answer could only disagree. */
  if (os_id != NULL && media_path != NULL)
    {
      GError *error = NULL;

      _gh_error_set (&error, GH_ERROR_FAILED, NULL,
                     _("Give an operating system (--os) or install media (--media), not "
                       "both: the media say which operating system they hold"));
      g_task_return_error (task, error);
      return;
    }

  /* The OS first: an id nobody knows fails at once, before any daemon is started. */
  gh_os_db_load_async (gh_os_db_get_default (), cancellable, os_db_loaded_cb,
                       g_steal_pointer (&task));
}

char *
gh_host_report_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gh_host_report_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

int
gh_host_report_run (const char         *uri,
                    const char         *os_id,
                    const char         *media_path,
                    const char         *host_path,
                    GhHostReportFormat  format,
                    const GhRendererChoice *renderer)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;

  g_return_val_if_fail ((uri == NULL) != (host_path == NULL), EXIT_FAILURE);

  gh_libvirt_init ();
  gh_host_report_async (uri, os_id, media_path, host_path, format, renderer, NULL,
                        store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  report = gh_host_report_finish (result, &error);
  if (report == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  fputs (report, stdout);
  if (!g_str_has_suffix (report, "\n"))
    fputc ('\n', stdout);
  fflush (stdout);

  return EXIT_SUCCESS;
}
