/* test-host-file.c: hosts saved as JSON, written and read back, and what is refused
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gstdio.h>

#include "gh-test-util.h"

static const char * const recorded[] = {
  "no-gpu", "intel-igpu", "amd-dgpu", "nvidia-dgpu", "intel-gvt-g", "remote",
};

static char *
recorded_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".json", NULL);

  return g_build_filename (g_getenv ("GREENHOUSE_SOURCE_DIR"), "tests", "data", "hosts", file,
                           NULL);
}

/* The "host" member as the writer writes it. */
static char *
write_host (GhHost                    *host,
            const char                *uri,
            GhGraphicsConnectionFlags  connection)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "host");
  json_builder_begin_object (builder);
  gh_host_file_build_host (builder, host, uri, connection);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Every recorded host reads, and writing what was read gives the same host again:
 * nothing the planner reads is lost on the way. */
static void
test_round_trip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (recorded); i++)
    {
      g_autofree char *path = recorded_path (recorded[i]);
      g_autofree char *uri = NULL;
      g_autofree char *again_uri = NULL;
      g_autofree char *written = NULL;
      g_autofree char *rewritten = NULL;
      g_autoptr(GhHost) host = NULL;
      g_autoptr(GhHost) again = NULL;
      g_autoptr(JsonNode) original = NULL;
      g_autoptr(JsonNode) first = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      GhGraphicsConnectionFlags connection = 0;
      GhGraphicsConnectionFlags again_connection = 0;
      JsonObject *original_host;

      g_test_message ("%s", path);
      host = gh_host_file_load (path, &uri, &connection, &error);
      g_assert_no_error (error);
      g_assert_nonnull (uri);

      written = write_host (host, uri, connection);
      first = parse (written);
      again = gh_host_file_read (first, &again_uri, &again_connection, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (again_uri, ==, uri);
      g_assert_cmpint (again_connection, ==, connection);
      rewritten = write_host (again, again_uri, again_connection);
      g_assert_cmpstr (rewritten, ==, written);

      /* The recorded file holds what the writer writes, and nothing else but "about". */
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      original = parse (contents);
      original_host = json_object_get_object_member (json_node_get_object (original), "host");
      g_assert_true (json_node_equal (json_object_get_member (json_node_get_object (first),
                                                              "host"),
                                      json_object_get_member (json_node_get_object (original),
                                                              "host")));
      g_assert_cmpint (json_object_get_int_member (original_host, "format-version"), ==,
                       GH_HOST_FILE_VERSION);
    }
}

/* What each recorded host is, read back: the planner gets these. */
static void
test_recorded_hosts (void)
{
  static const struct
  {
    const char                *name;
    GhGraphicsConnectionFlags  connection;
    guint                      n_gpus;
    guint                      n_mdev_types;
    gboolean                   virgl;
  } expected[] = {
    { "no-gpu", GH_GRAPHICS_CONNECTION_SESSION, 0, 0, FALSE },
    { "intel-igpu", GH_GRAPHICS_CONNECTION_SESSION, 1, 0, TRUE },
    { "amd-dgpu", GH_GRAPHICS_CONNECTION_SYSTEM, 1, 0, TRUE },
    { "nvidia-dgpu", GH_GRAPHICS_CONNECTION_SYSTEM, 2, 0, TRUE },
    { "intel-gvt-g", GH_GRAPHICS_CONNECTION_SYSTEM, 1, 2, TRUE },
    { "remote", GH_GRAPHICS_CONNECTION_SYSTEM | GH_GRAPHICS_CONNECTION_REMOTE, 1, 0, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *path = recorded_path (expected[i].name);
      g_autoptr(GhHost) host = NULL;
      g_autoptr(GError) error = NULL;
      GhGraphicsConnectionFlags connection = 0;

      host = gh_host_file_load (path, NULL, &connection, &error);
      g_assert_no_error (error);
      g_assert_cmpint (connection, ==, expected[i].connection);
      g_assert_nonnull (gh_host_get_domain_caps (host));
      g_assert_cmpuint (gh_host_get_gpus (host)->len, ==, expected[i].n_gpus);
      g_assert_cmpuint (gh_host_get_mdev_types (host)->len, ==, expected[i].n_mdev_types);
      g_assert_cmpint (gh_host_get_virgl (host)->usable, ==, expected[i].virgl);
      g_assert_cmpint (gh_host_get_virgl (host)->checked, ==,
                       !(expected[i].connection & GH_GRAPHICS_CONNECTION_REMOTE));
    }

  /* The NVIDIA card: alone in its group with its audio and root port, not the boot VGA,
   * and so passable; the iGPU draws the host. */
  {
    g_autofree char *path = recorded_path ("nvidia-dgpu");
    g_autoptr(GhHost) host = gh_host_file_load (path, NULL, NULL, NULL);
    const GhHostPciDevice *nvidia = gh_host_lookup_pci (host, "0000:01:00.0");
    const GhHostPciDevice *igpu = gh_host_lookup_pci (host, "0000:00:02.0");
    g_autoptr(GPtrArray) functions = NULL;

    g_assert_nonnull (nvidia);
    g_assert_cmpuint (nvidia->class_code, ==, 0x030000);
    g_assert_cmpint (nvidia->iommu_group, ==, 1);
    g_assert_false (nvidia->boot_vga);
    g_assert_true (gh_host_gpu_is_passable (host, nvidia, FALSE, NULL));
    functions = gh_host_dup_gpu_functions (host, nvidia);
    g_assert_cmpuint (functions->len, ==, 1);
    g_assert_true (igpu->boot_vga);
    g_assert_cmpstr (igpu->render_node, ==, "/dev/dri/renderD128");
  }
}

typedef void (*Mutate) (JsonObject *host);

static void
drop_virgl_usable (JsonObject *host)
{
  json_object_remove_member (json_object_get_object_member (host, "virgl"), "usable");
}

static void
drop_class (JsonObject *host)
{
  JsonArray *devices = json_object_get_array_member (host, "pci-devices");

  json_object_remove_member (json_array_get_object_element (devices, 1), "class");
}

static void
drop_remote (JsonObject *host)
{
  json_object_remove_member (json_object_get_object_member (host, "connection"), "remote");
}

static void
drop_video_models (JsonObject *host)
{
  json_object_remove_member (json_object_get_object_member (host, "domain-capabilities"),
                             "video-models");
}

static void
drop_mdev_types (JsonObject *host)
{
  json_object_remove_member (host, "mdev-types");
}

static void
drop_version (JsonObject *host)
{
  json_object_remove_member (host, "format-version");
}

static void
group_as_text (JsonObject *host)
{
  JsonArray *devices = json_object_get_array_member (host, "pci-devices");

  json_object_set_string_member (json_array_get_object_element (devices, 1), "iommu-group",
                                 "1");
}

static void
checked_as_number (JsonObject *host)
{
  json_object_set_int_member (json_object_get_object_member (host, "virgl"), "checked", 1);
}

static void
render_node_as_number (JsonObject *host)
{
  JsonArray *nodes = json_array_new ();

  json_array_add_int_element (nodes, 128);
  json_object_set_array_member (host, "render-nodes", nodes);
}

static void
caps_as_list (JsonObject *host)
{
  json_object_set_array_member (host, "domain-capabilities", json_array_new ());
}

static void
future_version (JsonObject *host)
{
  json_object_set_int_member (host, "format-version", GH_HOST_FILE_VERSION + 1);
}

static void
negative_available (JsonObject *host)
{
  JsonArray *types = json_object_get_array_member (host, "mdev-types");

  json_object_set_int_member (json_array_get_object_element (types, 0), "available", -1);
}

static void
bad_address (JsonObject *host)
{
  JsonArray *devices = json_object_get_array_member (host, "pci-devices");

  json_object_set_string_member (json_array_get_object_element (devices, 0), "address",
                                 "the first slot");
}

static void
same_name (JsonObject *host)
{
  JsonArray *devices = json_object_get_array_member (host, "pci-devices");
  const char *first = json_object_get_string_member (json_array_get_object_element (devices, 0),
                                                     "name");

  json_object_set_string_member (json_array_get_object_element (devices, 1), "name", first);
}

static void
unusable_without_reason (JsonObject *host)
{
  JsonObject *virgl = json_object_get_object_member (host, "virgl");

  json_object_set_boolean_member (virgl, "usable", FALSE);
  json_object_set_null_member (virgl, "reason");
}

/* A file from another Greenhouse, or edited by hand, is refused with the member named;
 * nothing is made up in its place. */
static void
test_refused (void)
{
  static const struct
  {
    Mutate      mutate;
    const char *message;
  } cases[] = {
    { drop_virgl_usable, "host.virgl.usable is missing" },
    { drop_class, "host.pci-devices[1].class is missing" },
    { drop_remote, "host.connection.remote is missing" },
    { drop_video_models, "host.domain-capabilities.video-models is missing" },
    { drop_mdev_types, "host.mdev-types is missing" },
    { drop_version, "host.format-version is missing" },
    { group_as_text, "host.pci-devices[1].iommu-group should be a whole number, or null" },
    { checked_as_number, "host.virgl.checked should be true or false" },
    { render_node_as_number, "host.render-nodes[0] should be text" },
    { caps_as_list, "host.domain-capabilities should be an object, or null" },
    { future_version, "host.format-version is 2, and this Greenhouse reads version 1 only" },
    { negative_available, "host.mdev-types[0].available is out of range" },
    { bad_address, "host.pci-devices[0].address is not a PCI address" },
    { same_name, "host.pci-devices[1].name is the name of another device too" },
    { unusable_without_reason, "host.virgl.reason is missing" },
  };
  g_autofree char *path = recorded_path ("intel-gvt-g");
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) report = parse (contents);
      g_autoptr(GError) error = NULL;
      g_autoptr(GhHost) host = NULL;

      cases[i].mutate (json_object_get_object_member (json_node_get_object (report), "host"));
      host = gh_host_file_read (report, NULL, NULL, &error);
      g_assert_null (host);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].message);
    }
}

/* Files that are no report at all. */
static void
test_not_a_report (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gh-host-file-XXXXXX", NULL);
  g_autofree char *not_json = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *no_host = g_build_filename (dir, "no-host.json", NULL);
  g_autofree char *absent = g_build_filename (dir, "absent.json", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhHost) host = NULL;

  g_assert_true (g_file_set_contents (not_json, "host: mine\n", -1, NULL));
  g_assert_true (g_file_set_contents (no_host, "{ \"connection\": \"qemu:///system\" }", -1,
                                      NULL));

  host = gh_host_file_load (not_json, NULL, NULL, &error);
  g_assert_null (host);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, "The host in “"));
  g_assert_nonnull (strstr (error->message, "notes.txt"));
  g_clear_error (&error);

  host = gh_host_file_load (no_host, NULL, NULL, &error);
  g_assert_null (host);
  g_assert_nonnull (strstr (error->message, "host is missing or not an object"));
  g_clear_error (&error);

  host = gh_host_file_load (absent, NULL, NULL, &error);
  g_assert_null (host);
  g_assert_nonnull (strstr (error->message, "absent.json"));
  g_clear_error (&error);

  /* json-glib reads it without error, as a document with no root. */
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  host = gh_host_file_load (empty, NULL, NULL, &error);
  g_assert_null (host);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "the file is empty"));

  g_assert_no_errno (g_unlink (not_json));
  g_assert_no_errno (g_unlink (no_host));
  g_assert_no_errno (g_unlink (empty));
  g_assert_no_errno (g_rmdir (dir));
}

int
main (int    argc,
      char **argv)
{
  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/host-file/round-trip", test_round_trip);
  g_test_add_func ("/core/host-file/recorded-hosts", test_recorded_hosts);
  g_test_add_func ("/core/host-file/refused", test_refused);
  g_test_add_func ("/core/host-file/not-a-report", test_not_a_report);

  return g_test_run ();
}
