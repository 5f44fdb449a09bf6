/* test-host-report.c: what `greenhouse --host-report` prints, on test-driver hosts
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "gh-test-util.h"

static char *
make_report_with_renderer (const char              *uri,
                           const char              *os_id,
                           const char              *media_path,
                           const GhRendererChoice  *renderer,
                           GhHostReportFormat       format,
                           GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  /* The first report loads osinfo-db. */
  gh_host_report_async (uri, os_id, media_path, NULL, format, renderer, NULL,
                        gh_test_store_result, &result);
  gh_test_wait_until_within (result != NULL, GH_TEST_OSINFO_TIMEOUT_SECONDS, "the host report");
  return gh_host_report_finish (result, error);
}

static char *
make_report_for (const char          *uri,
                 const char          *os_id,
                 const char          *media_path,
                 GhHostReportFormat   format,
                 GError             **error)
{
  return make_report_with_renderer (uri, os_id, media_path, NULL, format, error);
}

static char *
make_report (const char          *uri,
             const char          *os_id,
             GhHostReportFormat   format,
             GError             **error)
{
  return make_report_for (uri, os_id, NULL, format, error);
}

/* virt-manager's fake install media, or NULL when the corpus is not there. */
static char *
fake_media_path (const char *file_name)
{
  g_autofree char *relative = g_build_filename ("virt-manager", "fakemedia", file_name, NULL);

  return gh_test_corpus_path (relative);
}

static JsonObject *
parse_report (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
}

static void
assert_member_type (JsonObject *object,
                    const char *name,
                    GType       type)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    g_error ("the report has no “%s”", name);
  if (type == JSON_TYPE_OBJECT)
    g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  else if (type == JSON_TYPE_ARRAY)
    g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  else if (JSON_NODE_HOLDS_VALUE (node))
    g_assert_cmpstr (g_type_name (json_node_get_value_type (node)), ==, g_type_name (type));
  else
    g_error ("“%s” is neither %s nor a value", name, g_type_name (type));
}

/* The shape the issue promises scripts, key by key. */
static void
assert_report_shape (JsonObject *report)
{
  static const char * const kinds[] = { "virgl", "virtio-2d", "qxl", "vga", "vfio", "mdev", NULL };
  JsonObject *host;
  JsonArray *gpus;
  JsonArray *paths;
  const char *first_feasible = NULL;

  assert_member_type (report, "connection", G_TYPE_STRING);
  assert_member_type (report, "host", JSON_TYPE_OBJECT);
  assert_member_type (report, "paths", JSON_TYPE_ARRAY);

  host = json_object_get_object_member (report, "host");
  assert_member_type (host, "render-nodes", JSON_TYPE_ARRAY);
  assert_member_type (host, "virgl", JSON_TYPE_OBJECT);
  assert_member_type (json_object_get_object_member (host, "virgl"), "usable", G_TYPE_BOOLEAN);
  assert_member_type (host, "gpus", JSON_TYPE_ARRAY);
  assert_member_type (host, "mdev-types", JSON_TYPE_ARRAY);

  gpus = json_object_get_array_member (host, "gpus");
  for (guint i = 0; i < json_array_get_length (gpus); i++)
    {
      JsonObject *gpu = json_array_get_object_element (gpus, i);

      assert_member_type (gpu, "address", G_TYPE_STRING);
      assert_member_type (gpu, "name", G_TYPE_STRING);
      assert_member_type (gpu, "passable", G_TYPE_BOOLEAN);
      assert_member_type (gpu, "reason", G_TYPE_STRING);
      g_assert_true (json_object_has_member (gpu, "iommu-group"));
    }

  paths = json_object_get_array_member (report, "paths");
  g_assert_cmpuint (json_array_get_length (paths), >=, 4);
  for (guint i = 0; i < json_array_get_length (paths); i++)
    {
      JsonObject *path = json_array_get_object_element (paths, i);

      assert_member_type (path, "path", G_TYPE_STRING);
      assert_member_type (path, "feasible", G_TYPE_BOOLEAN);
      assert_member_type (path, "reason", G_TYPE_STRING);
      assert_member_type (path, "rank", G_TYPE_INT64);
      g_assert_true (json_object_has_member (path, "device"));
      g_assert_true (g_strv_contains (kinds, json_object_get_string_member (path, "path")));
      g_assert_cmpint (json_object_get_int_member (path, "rank"), ==, i + 1);
      if (first_feasible == NULL && json_object_get_boolean_member (path, "feasible"))
        first_feasible = json_object_get_string_member (path, "path");
    }

  /* "recommended" is the first feasible path. */
  g_assert_true (json_object_has_member (report, "recommended"));
  g_assert_cmpstr (json_object_get_string_member_with_default (report, "recommended", NULL), ==,
                   first_feasible);
}

static JsonObject *
find_path (JsonObject *report,
           const char *kind,
           const char *device)
{
  JsonArray *paths = json_object_get_array_member (report, "paths");

  for (guint i = 0; i < json_array_get_length (paths); i++)
    {
      JsonObject *path = json_array_get_object_element (paths, i);

      if (g_strcmp0 (json_object_get_string_member (path, "path"), kind) == 0
          && (device == NULL
              || g_strcmp0 (json_object_get_string_member_with_default (path, "device", NULL),
                            device) == 0))
        return path;
    }

  g_error ("the report has no %s path%s%s", kind, device != NULL ? " for " : "",
           device != NULL ? device : "");
}

/* Windows 11 on our three-GPU test host, over a connection that is not the system one. */
static void
test_json_win11 (void)
{
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = make_report (uri, "win11", GH_HOST_REPORT_JSON, &error);
  g_autoptr(JsonObject) report = NULL;
  JsonObject *os;
  JsonObject *vfio;
  JsonArray *gpus;

  g_assert_no_error (error);
  report = parse_report (text);
  assert_report_shape (report);

  g_assert_cmpstr (json_object_get_string_member (report, "connection"), ==, uri);
  g_assert_true (json_object_get_null_member (report, "connection-error"));
  os = json_object_get_object_member (report, "os");
  g_assert_cmpstr (json_object_get_string_member (os, "id"), ==, "http://microsoft.com/win/11");
  g_assert_cmpstr (json_object_get_string_member (os, "short-id"), ==, "win11");
  g_assert_cmpstr (json_object_get_string_member (os, "name"), ==, "Microsoft Windows 11");

  gpus = json_object_get_array_member (json_object_get_object_member (report, "host"), "gpus");
  g_assert_cmpuint (json_array_get_length (gpus), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (gpus, 2),
                                                  "address"), ==, "0000:02:00.0");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (gpus, 2),
                                               "iommu-group"), ==, 13);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (gpus, 2),
                                                  "passable"));
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (gpus, 2),
                                                           "reason"), "0000:00:14.0"));

  /* Not qemu:///system: no GPU goes to the machine, and the reason says which connection
   * would. */
  vfio = find_path (report, "vfio", "0000:01:00.0");
  g_assert_false (json_object_get_boolean_member (vfio, "feasible"));
  g_assert_nonnull (strstr (json_object_get_string_member (vfio, "reason"), "qemu:///system"));
  /* libosinfo does not say whether Windows 11 has virtio-gpu (and the test driver has no
   * capabilities to say whether QEMU has it): never recommended. */
  g_assert_true (!json_object_get_boolean_member (find_path (report, "virgl", NULL), "feasible")
                 || json_object_get_boolean_member (find_path (report, "virgl", NULL),
                                                    "discouraged"));
  g_assert_cmpstr (json_object_get_string_member (report, "recommended"), !=, "virgl");
}

static void
test_no_os (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = make_report ("test:///default", NULL, GH_HOST_REPORT_JSON, &error);
  g_autoptr(JsonObject) report = NULL;

  g_assert_no_error (error);
  report = parse_report (text);
  assert_report_shape (report);
  g_assert_true (json_object_get_null_member (report, "os"));
  g_assert_cmpstr (json_object_get_string_member (report, "recommended"), ==, "qxl");
}

static void
test_unknown_os (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = make_report ("test:///default", "windows-3000", GH_HOST_REPORT_TEXT,
                                       &error);

  g_assert_null (text);
  g_assert_error (error, GH_ERROR, GH_ERROR_UNKNOWN_OS);
  g_assert_nonnull (strstr (error->message, "“windows-3000”"));
}

/* A connection that cannot be opened still gives a report, which says why. */
static void
test_connection_fails (void)
{
  g_autofree char *missing = gh_test_data_uri ("no-such-host.xml");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = make_report (missing, "fedora37", GH_HOST_REPORT_JSON, &error);
  g_autoptr(JsonObject) report = NULL;
  JsonObject *virgl;

  g_assert_no_error (error);
  report = parse_report (text);
  assert_report_shape (report);
  g_assert_nonnull (json_object_get_string_member (report, "connection-error"));
  g_assert_cmpstr (json_object_get_string_member (report, "recommended"), ==, "virtio-2d");
  virgl = json_object_get_object_member (json_object_get_object_member (report, "host"), "virgl");
  g_assert_false (json_object_get_boolean_member (virgl, "usable"));
  g_assert_nonnull (strstr (json_object_get_string_member (virgl, "reason"), "connection failed"));
}

static void
test_text (void)
{
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = make_report (uri, "fedora37", GH_HOST_REPORT_TEXT, &error);

  g_assert_no_error (error);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Fedora Linux 37"));
  g_assert_nonnull (strstr (text, "GPU 0000:01:00.0: GA106 [GeForce RTX 3060 Lite Hash Rate]"));
  g_assert_nonnull (strstr (text, "Render nodes: /dev/dri/renderD128, /dev/dri/renderD129"));
  g_assert_nonnull (strstr (text, "Mediated device type i915-GVTg_V5_4 (vfio-pci) of "
                                  "0000:00:02.0: 2 free"));
  g_assert_nonnull (strstr (text, "Domain capabilities: unknown"));
  g_assert_nonnull (strstr (text, "\nRecommended: "));
  /* Only the application knows its display. */
  g_assert_null (strstr (text, "Renderer:"));
}

/* The renderer the application found for its windows: one line of text, one object of
 * JSON. */
static void
test_renderer (void)
{
  g_autoptr(GhRendererChoice) software = gh_renderer_choice_new (NULL, "llvmpipe (LLVM 15.0.6, "
                                                                 "256 bits)", NULL);
  g_autoptr(GhRendererChoice) not_known = gh_renderer_choice_new_not_known ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  g_autofree char *bare = NULL;
  g_autofree char *headless = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JsonObject) bare_report = NULL;
  JsonObject *renderer;

  text = make_report_with_renderer ("test:///default", NULL, NULL, software,
                                    GH_HOST_REPORT_TEXT, &error);
  g_assert_no_error (error);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Operating system: not given\n"
                                  "Renderer: cairo (GL would run in software: llvmpipe "
                                  "(LLVM 15.0.6, 256 bits))\n"));

  headless = make_report_with_renderer ("test:///default", NULL, NULL, not_known,
                                        GH_HOST_REPORT_TEXT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (headless, "\nRenderer: not known (no display)\n"));

  json = make_report_with_renderer ("test:///default", NULL, NULL, software,
                                    GH_HOST_REPORT_JSON, &error);
  g_assert_no_error (error);
  report = parse_report (json);
  assert_report_shape (report);
  renderer = json_object_get_object_member (report, "renderer");
  g_assert_nonnull (renderer);
  g_assert_cmpstr (json_object_get_string_member (renderer, "name"), ==, "cairo");
  g_assert_cmpstr (json_object_get_string_member (renderer, "reason"), ==, "software");
  g_assert_cmpstr (json_object_get_string_member (renderer, "gl-renderer"), ==,
                   "llvmpipe (LLVM 15.0.6, 256 bits)");
  g_assert_true (json_object_get_null_member (renderer, "gl-error"));

  /* Without one the shape stays as it was. */
  bare = make_report ("test:///default", NULL, GH_HOST_REPORT_JSON, &error);
  g_assert_no_error (error);
  bare_report = parse_report (bare);
  g_assert_false (json_object_has_member (bare_report, "renderer"));
}

/* `--host-report --media FILE`: the plan for the OS on the media, and what the media are. */
static void
test_media_json (void)
{
  g_autofree char *iso = fake_media_path ("fake-win7.iso");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) report = NULL;
  JsonObject *os;
  JsonObject *media;

  if (iso == NULL)
    {
      g_test_skip ("virt-manager's fake media are not in $GREENHOUSE_CORPUS_DIR "
                   "(../shared/corpus/virt-manager/fakemedia)");
      return;
    }

  text = make_report_for ("test:///default", NULL, iso, GH_HOST_REPORT_JSON, &error);
  g_assert_no_error (error);
  report = parse_report (text);
  assert_report_shape (report);

  os = json_object_get_object_member (report, "os");
  g_assert_cmpstr (json_object_get_string_member (os, "id"), ==, "http://microsoft.com/win/7");
  g_assert_cmpstr (json_object_get_string_member (os, "short-id"), ==, "win7");

  media = json_object_get_object_member (report, "media");
  g_assert_nonnull (media);
  g_assert_cmpstr (json_object_get_string_member (media, "path"), ==, iso);
  g_assert_cmpstr (json_object_get_string_member (media, "volume-id"), ==,
                   "GSP1RMCNULXFRER_EN_DVD");
  g_assert_true (json_object_get_boolean_member (media, "installer"));
  g_assert_false (json_object_get_boolean_member (media, "live"));

  /* The plan is Windows 7's, not the one for no OS. */
  g_assert_nonnull (strstr (json_object_get_string_member (find_path (report, "virtio-2d", NULL),
                                                           "reason"),
                            "Microsoft Windows 7"));
}

/* Bootable media of an OS nobody knows: the plan for no OS, and the media still shown. */
static void
test_media_unknown_os (void)
{
  const char *iso = "/usr/lib/memtest86+/memtest86+x64.iso";
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(JsonObject) report = NULL;
  JsonObject *media;

  if (!g_file_test (iso, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("memtest86+ is not installed (build-aux/packages-test.txt lists it)");
      return;
    }

  text = make_report_for ("test:///default", NULL, iso, GH_HOST_REPORT_JSON, &error);
  g_assert_no_error (error);
  report = parse_report (text);
  assert_report_shape (report);
  g_assert_true (json_object_get_null_member (report, "os"));
  g_assert_cmpstr (json_object_get_string_member (report, "recommended"), ==, "qxl");
  media = json_object_get_object_member (report, "media");
  g_assert_cmpstr (json_object_get_string_member (media, "volume-id"), ==, "MT86PLUS_64");

  plain = make_report_for ("test:///default", NULL, iso, GH_HOST_REPORT_TEXT, &error);
  g_assert_no_error (error);
  g_test_message ("%s", plain);
  g_assert_nonnull (strstr (plain, "Install media: /usr/lib/memtest86+/memtest86+x64.iso\n"
                                   "  Volume: MT86PLUS_64\n"));
  g_assert_nonnull (strstr (plain, "Operating system: unknown to libosinfo\n"));
}

/* A file that is not install media fails the report, which says why. */
static void
test_media_not_media (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("gh-report-XXXXXX", &error);
  g_autofree char *notes = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  notes = g_build_filename (tmp, "notes.txt", NULL);
  g_file_set_contents (notes, "not an ISO\n", -1, &error);
  g_assert_no_error (error);

  text = make_report_for ("test:///default", NULL, notes, GH_HOST_REPORT_JSON, &error);
  g_assert_null (text);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==,
                   "“notes.txt” is not install media: it is not a CD or DVD image (ISO 9660)");
  g_clear_error (&error);

  missing = g_build_filename (tmp, "missing.iso", NULL);
  text = make_report_for ("test:///default", NULL, missing, GH_HOST_REPORT_TEXT, &error);
  g_assert_null (text);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Cannot read “missing.iso”: No such file or directory");
  g_clear_error (&error);

  g_assert_no_errno (g_unlink (notes));
  g_assert_no_errno (g_rmdir (tmp));
}

static void
test_media_and_os (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = make_report_for ("test:///default", "win11",
                                           "/usr/lib/memtest86+/memtest86+x64.iso",
                                           GH_HOST_REPORT_JSON, &error);

  g_assert_null (text);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "not both"));
}

int
main (int   argc,
      char *argv[])
{
  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/host-report/json-win11", test_json_win11);
  g_test_add_func ("/core/host-report/no-os", test_no_os);
  g_test_add_func ("/core/host-report/unknown-os", test_unknown_os);
  g_test_add_func ("/core/host-report/connection-fails", test_connection_fails);
  g_test_add_func ("/core/host-report/text", test_text);
  g_test_add_func ("/core/host-report/renderer", test_renderer);
  g_test_add_func ("/core/host-report/media-json", test_media_json);
  g_test_add_func ("/core/host-report/media-unknown-os", test_media_unknown_os);
  g_test_add_func ("/core/host-report/media-not-media", test_media_not_media);
  g_test_add_func ("/core/host-report/media-and-os", test_media_and_os);

  return g_test_run ();
}
