/* gh-host-file.c: the "host" section of a report, written and read back
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "gh-host-file.h"
#include "gh-host-private.h"
#include "gh-json-private.h"
#include "gh-util-private.h"

/* ---- Writing ---------------------------------------------------------------------- */

static void
build_caps (JsonBuilder            *builder,
            const GhHostDomainCaps *caps)
{
  json_builder_set_member_name (builder, "domain-capabilities");
  if (caps == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  _gh_json_add_string (builder, "emulator", caps->emulator);
  _gh_json_add_string (builder, "domain-type", caps->domain_type);
  _gh_json_add_string (builder, "machine", caps->machine);
  _gh_json_add_string (builder, "arch", caps->arch);
  _gh_json_add_strv (builder, "video-models", (const char * const *) caps->video_models);
  _gh_json_add_strv (builder, "graphics-types", (const char * const *) caps->graphics_types);
  _gh_json_add_boolean (builder, "hostdev", caps->hostdev);
  _gh_json_add_strv (builder, "hostdev-subsys", (const char * const *) caps->hostdev_subsys);
  _gh_json_add_strv (builder, "pci-backends", (const char * const *) caps->pci_backends);
  _gh_json_add_strv (builder, "firmware", (const char * const *) caps->firmware);
  _gh_json_add_strv (builder, "tpm", (const char * const *) caps->tpm);
  json_builder_end_object (builder);
}

/* null: in no group, the IOMMU is off. */
static void
add_iommu_group (JsonBuilder           *builder,
                 const GhHostPciDevice *device)
{
  json_builder_set_member_name (builder, "iommu-group");
  if (device->iommu_group >= 0)
    json_builder_add_int_value (builder, device->iommu_group);
  else
    json_builder_add_null_value (builder);
}

static void
build_pci_device (JsonBuilder           *builder,
                  GhHost                *host,
                  const GhHostPciDevice *device)
{
  json_builder_begin_object (builder);
  _gh_json_add_string (builder, "name", device->name);
  _gh_json_add_string (builder, "address", device->address);
  _gh_json_add_int (builder, "class", device->class_code);
  _gh_json_add_int (builder, "vendor-id", device->vendor_id);
  _gh_json_add_int (builder, "product-id", device->product_id);
  _gh_json_add_string (builder, "vendor", device->vendor);
  _gh_json_add_string (builder, "product", device->product);
  _gh_json_add_string (builder, "driver", device->driver);
  add_iommu_group (builder, device);
  _gh_json_add_strv (builder, "iommu-members", (const char * const *) device->iommu_members);
  _gh_json_add_boolean (builder, "bridge", device->bridge);
  _gh_json_add_boolean (builder, "drm", g_hash_table_contains (host->drm_parents, device->name));
  _gh_json_add_boolean (builder, "boot-vga", device->boot_vga);
  _gh_json_add_string (builder, "render-node", device->render_node);
  json_builder_end_object (builder);
}

static void
build_virgl (JsonBuilder       *builder,
             const GhHostVirgl *virgl)
{
  json_builder_set_member_name (builder, "virgl");
  json_builder_begin_object (builder);
  _gh_json_add_boolean (builder, "checked", virgl->checked);
  _gh_json_add_boolean (builder, "module", virgl->module_present);
  _gh_json_add_string (builder, "module-path", virgl->module_path);
  _gh_json_add_boolean (builder, "usable", virgl->usable);
  _gh_json_add_string (builder, "reason", virgl->reason);
  json_builder_set_member_name (builder, "probe");
  if (virgl->probe == NULL)
    {
      json_builder_add_null_value (builder);
    }
  else
    {
      json_builder_begin_object (builder);
      _gh_json_add_boolean (builder, "usable", virgl->probe->usable);
      _gh_json_add_string (builder, "device", virgl->probe->device);
      _gh_json_add_string (builder, "renderer", virgl->probe->renderer);
      _gh_json_add_string (builder, "gl-version", virgl->probe->gl_version);
      _gh_json_add_string (builder, "reason", virgl->probe->reason);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

void
gh_host_file_build_host (JsonBuilder               *builder,
                         GhHost                    *host,
                         const char                *uri,
                         GhGraphicsConnectionFlags  connection)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (host != NULL);

  _gh_json_add_int (builder, "format-version", GH_HOST_FILE_VERSION);

  json_builder_set_member_name (builder, "connection");
  json_builder_begin_object (builder);
  _gh_json_add_string (builder, "uri", uri);
  _gh_json_add_boolean (builder, "system", (connection & GH_GRAPHICS_CONNECTION_SYSTEM) != 0);
  _gh_json_add_boolean (builder, "remote", (connection & GH_GRAPHICS_CONNECTION_REMOTE) != 0);
  json_builder_end_object (builder);

  build_caps (builder, host->caps);
  _gh_json_add_string (builder, "devices-error", host->devices_error);

  json_builder_set_member_name (builder, "pci-devices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < host->pci->len; i++)
    build_pci_device (builder, host, g_ptr_array_index (host->pci, i));
  json_builder_end_array (builder);

  _gh_json_add_strv (builder, "render-nodes", (const char * const *) host->render_node_list);
  build_virgl (builder, host->virgl);

  json_builder_set_member_name (builder, "mdev-types");
  json_builder_begin_array (builder);
  for (guint i = 0; i < host->mdev_types->len; i++)
    {
      const GhHostMdevType *type = g_ptr_array_index (host->mdev_types, i);

      json_builder_begin_object (builder);
      _gh_json_add_string (builder, "id", type->id);
      _gh_json_add_string (builder, "name", type->name);
      _gh_json_add_string (builder, "device-api", type->device_api);
      _gh_json_add_int (builder, "available", type->available);
      _gh_json_add_string (builder, "parent", type->parent);
      _gh_json_add_string (builder, "parent-address", type->parent_address);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "mdevs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < host->mdevs->len; i++)
    {
      const GhHostMdev *mdev = g_ptr_array_index (host->mdevs, i);

      json_builder_begin_object (builder);
      _gh_json_add_string (builder, "name", mdev->name);
      _gh_json_add_string (builder, "uuid", mdev->uuid);
      _gh_json_add_string (builder, "type", mdev->type_id);
      _gh_json_add_string (builder, "parent", mdev->parent);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  /* For people: the display controllers, and whether each could go to a guest. */
  json_builder_set_member_name (builder, "gpus");
  json_builder_begin_array (builder);
  for (guint i = 0; i < host->gpus->len; i++)
    {
      const GhHostPciDevice *gpu = g_ptr_array_index (host->gpus, i);
      g_autofree char *reason = NULL;
      gboolean passable = gh_host_gpu_is_passable (host, gpu, FALSE, &reason);

      json_builder_begin_object (builder);
      _gh_json_add_string (builder, "address", gpu->address);
      _gh_json_add_string (builder, "name", gh_host_pci_device_get_label (gpu));
      _gh_json_add_string (builder, "vendor", gpu->vendor);
      _gh_json_add_string (builder, "driver", gpu->driver);
      add_iommu_group (builder, gpu);
      _gh_json_add_strv (builder, "iommu-members", (const char * const *) gpu->iommu_members);
      _gh_json_add_boolean (builder, "boot-vga", gpu->boot_vga);
      _gh_json_add_string (builder, "render-node", gpu->render_node);
      _gh_json_add_boolean (builder, "passable", passable);
      _gh_json_add_string (builder, "reason", reason);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* ---- Reading ---------------------------------------------------------------------- */

/* What a member should be, in words for the error. */
typedef enum
{
  KIND_STRING,
  KIND_BOOLEAN,
  KIND_NUMBER,
  KIND_ARRAY,
  KIND_OBJECT,
} Kind;

static const char *
kind_words (Kind kind)
{
  switch (kind)
    {
    case KIND_STRING:
      return _("text");
    case KIND_BOOLEAN:
      return _("true or false");
    case KIND_NUMBER:
      return _("a whole number");
    case KIND_ARRAY:
      return _("a list");
    case KIND_OBJECT:
    default:
      return _("an object");
    }
}

static gboolean
node_is (JsonNode *node,
         Kind      kind)
{
  switch (kind)
    {
    case KIND_STRING:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
    case KIND_BOOLEAN:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
    case KIND_NUMBER:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
    case KIND_ARRAY:
      return JSON_NODE_HOLDS_ARRAY (node);
    case KIND_OBJECT:
    default:
      return JSON_NODE_HOLDS_OBJECT (node);
    }
}

/* The member @name of @object (which is at @where), of @kind, or (@nullable) null, in
 * which case *@node is NULL. */
static gboolean
get_member (JsonObject  *object,
            const char  *where,
            const char  *name,
            Kind         kind,
            gboolean     nullable,
            JsonNode   **node,
            GError     **error)
{
  JsonNode *member = json_object_get_member (object, name);

  *node = NULL;
  if (member == NULL)
    {
      /* Translators: %s.%s names a member of a host file, such as “host.virgl.usable” */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s.%s is missing"),
                   where, name);
      return FALSE;
    }
  if (nullable && JSON_NODE_HOLDS_NULL (member))
    return TRUE;
  if (!node_is (member, kind))
    {
      /* Translators: %s.%s names a member of a host file, the last %s what it should be
       * (“text”, “true or false”, “a whole number”, …) */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   nullable ? _("%s.%s should be %s, or null") : _("%s.%s should be %s"),
                   where, name, kind_words (kind));
      return FALSE;
    }

  *node = member;
  return TRUE;
}

static gboolean
read_string (JsonObject  *object,
             const char  *where,
             const char  *name,
             gboolean     nullable,
             char       **value,
             GError     **error)
{
  JsonNode *node;

  if (!get_member (object, where, name, KIND_STRING, nullable, &node, error))
    return FALSE;
  *value = node != NULL ? g_strdup (json_node_get_string (node)) : NULL;
  return TRUE;
}

static gboolean
read_boolean (JsonObject  *object,
              const char  *where,
              const char  *name,
              gboolean    *value,
              GError     **error)
{
  JsonNode *node;

  if (!get_member (object, where, name, KIND_BOOLEAN, FALSE, &node, error))
    return FALSE;
  *value = json_node_get_boolean (node);
  return TRUE;
}

/* A whole number from 0 to @max; @value is -1 for null where @nullable. */
static gboolean
read_number (JsonObject  *object,
             const char  *where,
             const char  *name,
             gboolean     nullable,
             gint64       max,
             gint64      *value,
             GError     **error)
{
  JsonNode *node;

  if (!get_member (object, where, name, KIND_NUMBER, nullable, &node, error))
    return FALSE;
  *value = node != NULL ? json_node_get_int (node) : -1;
  if (node != NULL && (*value < 0 || *value > max))
    {
      /* Translators: %s.%s names a member of a host file */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s.%s is out of range"), where, name);
      return FALSE;
    }
  return TRUE;
}

/* A list of strings, sorted. */
static gboolean
read_strv (JsonObject  *object,
           const char  *where,
           const char  *name,
           GStrv       *value,
           GError     **error)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  JsonNode *node;
  JsonArray *array;

  if (!get_member (object, where, name, KIND_ARRAY, FALSE, &node, error))
    return FALSE;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!node_is (element, KIND_STRING))
        {
          /* Translators: %s.%s names a member of a host file, %u a position in it */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s.%s[%u] should be text"), where, name, i);
          return FALSE;
        }
      g_ptr_array_add (strings, g_strdup (json_node_get_string (element)));
    }

  g_ptr_array_sort (strings, _gh_compare_strings);
  g_ptr_array_add (strings, NULL);
  *value = (GStrv) g_ptr_array_steal (strings, NULL);
  return TRUE;
}

static gboolean
read_caps (JsonObject        *section,
           GhHostDomainCaps **value,
           GError           **error)
{
  g_autoptr(GhHostDomainCaps) caps = NULL;
  const char *where = "host.domain-capabilities";
  JsonObject *object;
  JsonNode *node;

  *value = NULL;
  if (!get_member (section, "host", "domain-capabilities", KIND_OBJECT, TRUE, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  object = json_node_get_object (node);
  caps = g_new0 (GhHostDomainCaps, 1);
  if (!read_string (object, where, "emulator", TRUE, &caps->emulator, error)
      || !read_string (object, where, "domain-type", TRUE, &caps->domain_type, error)
      || !read_string (object, where, "machine", TRUE, &caps->machine, error)
      || !read_string (object, where, "arch", TRUE, &caps->arch, error)
      || !read_strv (object, where, "video-models", &caps->video_models, error)
      || !read_strv (object, where, "graphics-types", &caps->graphics_types, error)
      || !read_boolean (object, where, "hostdev", &caps->hostdev, error)
      || !read_strv (object, where, "hostdev-subsys", &caps->hostdev_subsys, error)
      || !read_strv (object, where, "pci-backends", &caps->pci_backends, error)
      || !read_strv (object, where, "firmware", &caps->firmware, error)
      || !read_strv (object, where, "tpm", &caps->tpm, error))
    return FALSE;

  *value = g_steal_pointer (&caps);
  return TRUE;
}

static gboolean
read_pci_device (GhHost      *host,
                 JsonObject  *object,
                 const char  *where,
                 GError     **error)
{
  g_autoptr(GhHostPciDevice) device = g_new0 (GhHostPciDevice, 1);
  gint64 class_code, vendor_id, product_id, group;
  gboolean drm;

  if (!read_string (object, where, "name", FALSE, &device->name, error)
      || !read_string (object, where, "address", FALSE, &device->address, error)
      || !read_number (object, where, "class", FALSE, 0xffffff, &class_code, error)
      || !read_number (object, where, "vendor-id", FALSE, 0xffff, &vendor_id, error)
      || !read_number (object, where, "product-id", FALSE, 0xffff, &product_id, error)
      || !read_string (object, where, "vendor", TRUE, &device->vendor, error)
      || !read_string (object, where, "product", TRUE, &device->product, error)
      || !read_string (object, where, "driver", TRUE, &device->driver, error)
      || !read_number (object, where, "iommu-group", TRUE, G_MAXINT, &group, error)
      || !read_strv (object, where, "iommu-members", &device->iommu_members, error)
      || !read_boolean (object, where, "bridge", &device->bridge, error)
      || !read_boolean (object, where, "drm", &drm, error)
      || !read_boolean (object, where, "boot-vga", &device->boot_vga, error)
      || !read_string (object, where, "render-node", TRUE, &device->render_node, error))
    return FALSE;

  if (sscanf (device->address, "%x:%x:%x.%x", &device->domain, &device->bus, &device->slot,
              &device->function) != 4)
    {
      /* Translators: %s names a member of a host file */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s.address is not a PCI address such as 0000:01:00.0"), where);
      return FALSE;
    }
  if (g_hash_table_contains (host->pci_by_name, device->name))
    {
      /* Translators: %s names a member of a host file */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s.name is the name of another device too"), where);
      return FALSE;
    }

  device->class_code = class_code;
  device->vendor_id = vendor_id;
  device->product_id = product_id;
  device->iommu_group = group;
  if (drm)
    g_hash_table_add (host->drm_parents, g_strdup (device->name));
  if (device->render_node != NULL)
    g_hash_table_insert (host->render_nodes, g_strdup (device->render_node),
                         g_strdup (device->name));
  g_hash_table_insert (host->pci_by_name, device->name, device);
  g_ptr_array_add (host->pci, g_steal_pointer (&device));
  return TRUE;
}

/* Each element of the array @name of @section is an object, given to @read. */
typedef gboolean (*ReadElement) (GhHost      *host,
                                 JsonObject  *object,
                                 const char  *where,
                                 GError     **error);

static gboolean
read_objects (GhHost       *host,
              JsonObject   *section,
              const char   *name,
              ReadElement   read,
              GError      **error)
{
  JsonNode *node;
  JsonArray *array;

  if (!get_member (section, "host", name, KIND_ARRAY, FALSE, &node, error))
    return FALSE;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("host.%s[%u]", name, i);
      JsonNode *element = json_array_get_element (array, i);

      if (!node_is (element, KIND_OBJECT))
        {
          /* Translators: %s names a member of a host file */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s should be %s"),
                       where, kind_words (KIND_OBJECT));
          return FALSE;
        }
      if (!read (host, json_node_get_object (element), where, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_mdev_type (GhHost      *host,
                JsonObject  *object,
                const char  *where,
                GError     **error)
{
  GhHostMdevType *type = g_new0 (GhHostMdevType, 1);
  gint64 available;

  g_ptr_array_add (host->mdev_types, type);
  if (!read_string (object, where, "id", FALSE, &type->id, error)
      || !read_string (object, where, "name", TRUE, &type->name, error)
      || !read_string (object, where, "device-api", TRUE, &type->device_api, error)
      || !read_number (object, where, "available", FALSE, G_MAXUINT, &available, error)
      || !read_string (object, where, "parent", FALSE, &type->parent, error)
      || !read_string (object, where, "parent-address", TRUE, &type->parent_address, error))
    return FALSE;

  type->available = available;
  return TRUE;
}

static gboolean
read_mdev (GhHost      *host,
           JsonObject  *object,
           const char  *where,
           GError     **error)
{
  GhHostMdev *mdev = g_new0 (GhHostMdev, 1);

  g_ptr_array_add (host->mdevs, mdev);
  return read_string (object, where, "name", FALSE, &mdev->name, error)
         && read_string (object, where, "uuid", TRUE, &mdev->uuid, error)
         && read_string (object, where, "type", TRUE, &mdev->type_id, error)
         && read_string (object, where, "parent", TRUE, &mdev->parent, error);
}

static gboolean
read_virgl (GhHost      *host,
            JsonObject  *section,
            GError     **error)
{
  const char *where = "host.virgl";
  GhHostVirgl *virgl = g_new0 (GhHostVirgl, 1);
  JsonObject *object;
  JsonNode *node;

  _gh_host_virgl_free (host->virgl);
  host->virgl = virgl;

  if (!get_member (section, "host", "virgl", KIND_OBJECT, FALSE, &node, error))
    return FALSE;
  object = json_node_get_object (node);
  if (!read_boolean (object, where, "checked", &virgl->checked, error)
      || !read_boolean (object, where, "module", &virgl->module_present, error)
      || !read_string (object, where, "module-path", TRUE, &virgl->module_path, error)
      || !read_boolean (object, where, "usable", &virgl->usable, error)
      || !read_string (object, where, "reason", TRUE, &virgl->reason, error)
      || !get_member (object, where, "probe", KIND_OBJECT, TRUE, &node, error))
    return FALSE;

  /* Usable or not, the planner quotes it: nothing is made up for a file that says
   * neither. */
  if (!virgl->usable && virgl->reason == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("host.virgl.reason is missing: virgl is not usable, and the file does "
                     "not say why"));
      return FALSE;
    }

  if (node != NULL)
    {
      const char *probe_where = "host.virgl.probe";

      object = json_node_get_object (node);
      virgl->probe = g_new0 (GhVirglProbeResult, 1);
      if (!read_boolean (object, probe_where, "usable", &virgl->probe->usable, error)
          || !read_string (object, probe_where, "device", TRUE, &virgl->probe->device, error)
          || !read_string (object, probe_where, "renderer", TRUE, &virgl->probe->renderer,
                           error)
          || !read_string (object, probe_where, "gl-version", TRUE, &virgl->probe->gl_version,
                           error)
          || !read_string (object, probe_where, "reason", TRUE, &virgl->probe->reason, error))
        return FALSE;
    }

  return TRUE;
}

GhHost *
gh_host_file_read (JsonNode                   *report,
                   char                      **uri,
                   GhGraphicsConnectionFlags  *connection,
                   GError                    **error)
{
  g_autoptr(GhHost) host = NULL;
  g_autofree char *connection_uri = NULL;
  g_auto(GStrv) render_nodes = NULL;
  JsonObject *section;
  JsonObject *object;
  JsonNode *node;
  gboolean system, remote;
  gint64 version;

  g_return_val_if_fail (report != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (report))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("It is not a report of greenhouse --host-report --json"));
      return NULL;
    }
  node = json_object_get_member (json_node_get_object (report), "host");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("host is missing or not an object: it is not a report of "
                     "greenhouse --host-report --json"));
      return NULL;
    }
  section = json_node_get_object (node);

  /* The version first: a file from another Greenhouse may differ in anything else. */
  if (!read_number (section, "host", "format-version", FALSE, G_MAXINT, &version, error))
    return NULL;
  if (version != GH_HOST_FILE_VERSION)
    {
      /* Translators: the first %d is a file's format version, the second the one this
       * program reads */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("host.format-version is %d, and this Greenhouse reads version %d only"),
                   (int) version, GH_HOST_FILE_VERSION);
      return NULL;
    }

  if (!get_member (section, "host", "connection", KIND_OBJECT, FALSE, &node, error))
    return NULL;
  object = json_node_get_object (node);
  if (!read_string (object, "host.connection", "uri", FALSE, &connection_uri, error)
      || !read_boolean (object, "host.connection", "system", &system, error)
      || !read_boolean (object, "host.connection", "remote", &remote, error))
    return NULL;

  host = _gh_host_new ();
  if (!read_caps (section, &host->caps, error)
      || !read_string (section, "host", "devices-error", TRUE, &host->devices_error, error)
      || !read_objects (host, section, "pci-devices", read_pci_device, error)
      || !read_strv (section, "host", "render-nodes", &render_nodes, error)
      || !read_virgl (host, section, error)
      || !read_objects (host, section, "mdev-types", read_mdev_type, error)
      || !read_objects (host, section, "mdevs", read_mdev, error))
    return NULL;

  /* Render nodes of no PCI device (a virtual GPU's) still count. */
  for (guint i = 0; render_nodes[i] != NULL; i++)
    if (!g_hash_table_contains (host->render_nodes, render_nodes[i]))
      g_hash_table_insert (host->render_nodes, g_strdup (render_nodes[i]), g_strdup (""));

  _gh_host_finish (host);

  if (uri != NULL)
    *uri = g_steal_pointer (&connection_uri);
  if (connection != NULL)
    *connection = (system ? GH_GRAPHICS_CONNECTION_SYSTEM : 0)
                  | (remote ? GH_GRAPHICS_CONNECTION_REMOTE : 0);
  return g_steal_pointer (&host);
}

GhHost *
gh_host_file_load (const char                 *path,
                   char                      **uri,
                   GhGraphicsConnectionFlags  *connection,
                   GError                    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  GhHost *host;

  g_return_val_if_fail (path != NULL, NULL);

  if (json_parser_load_from_file (parser, path, &local_error))
    {
      JsonNode *root = json_parser_get_root (parser);

      /* json-glib reads an empty file as a document without a root. */
      if (root == NULL)
        g_set_error_literal (&local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("the file is empty"));
      else if ((host = gh_host_file_read (root, uri, connection, &local_error)) != NULL)
        return host;
    }

  /* Translators: the first %s is a file name, the second why it cannot be used */
  g_set_error (error, G_IO_ERROR,
               local_error->domain == G_IO_ERROR ? local_error->code : G_IO_ERROR_INVALID_DATA,
               _("The host in “%s” cannot be used: %s"), path, local_error->message);
  return NULL;
}
