/* gh-machine-list.c: the machines of one connection, sorted, as a GListModel
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "gh-machine-list-private.h"

typedef struct
{
  GhMachine *machine;
  char      *sort_key;
  gulong     notify_id;
} Entry;

struct _GhMachineList
{
  GObject parent_instance;

  /* Owned references */
  GPtrArray  *entries;  /* Entry*, sorted by (sort_key, uuid) */
  GHashTable *by_uuid;  /* uuid (borrowed from the machine) -> Entry* */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GhMachineList, gh_machine_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static char *
make_sort_key (GhMachine *machine)
{
  g_autofree char *folded = g_utf8_casefold (gh_machine_get_display_name (machine), -1);

  /* The filename collation sorts "vm2" before "vm10", as people expect. */
  return g_utf8_collate_key_for_filename (folded, -1);
}

static int
compare (const char *key_a,
         const char *uuid_a,
         const Entry *b)
{
  int ret = strcmp (key_a, b->sort_key);

  /* Two machines may have the same title; the UUID keeps the order total. */
  if (ret == 0)
    ret = strcmp (uuid_a, gh_machine_get_uuid (b->machine));

  return ret;
}

/* Where an entry with this key belongs (or is). */
static guint
bisect (GhMachineList *self,
        const char    *key,
        const char    *uuid)
{
  guint lo = 0;
  guint hi = self->entries->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare (key, uuid, g_ptr_array_index (self->entries, mid)) > 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static void
entry_free (Entry *entry)
{
  g_clear_signal_handler (&entry->notify_id, entry->machine);
  g_clear_object (&entry->machine);
  g_free (entry->sort_key);
  g_free (entry);
}

static void on_display_name_changed (GhMachine     *machine,
                                     GParamSpec    *pspec,
                                     GhMachineList *self);

static Entry *
entry_new (GhMachineList *self,
           GhMachine     *machine)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->machine = g_object_ref (machine);
  entry->sort_key = make_sort_key (machine);
  /* Entries never outlive the list, and entry_free() disconnects. */
  entry->notify_id = g_signal_connect (machine, "notify::display-name",
                                       G_CALLBACK (on_display_name_changed), self);
  return entry;
}

static void
on_display_name_changed (GhMachine     *machine,
                         GParamSpec    *pspec,
                         GhMachineList *self)
{
  Entry *entry = g_hash_table_lookup (self->by_uuid, gh_machine_get_uuid (machine));
  g_autofree char *new_key = NULL;
  guint old_pos;
  guint new_pos;

  g_return_if_fail (entry != NULL);

  old_pos = bisect (self, entry->sort_key, gh_machine_get_uuid (machine));
  g_assert (g_ptr_array_index (self->entries, old_pos) == entry);

  new_key = make_sort_key (machine);
  g_ptr_array_steal_index (self->entries, old_pos);
  new_pos = bisect (self, new_key, gh_machine_get_uuid (machine));
  g_ptr_array_insert (self->entries, new_pos, entry);
  g_free (entry->sort_key);
  entry->sort_key = g_steal_pointer (&new_key);

  /* A rename that keeps the row in place needs no items-changed: the row watches its
   * machine. One that moves it is a remove and an add. */
  if (old_pos != new_pos)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), old_pos, 1, 0);
      g_list_model_items_changed (G_LIST_MODEL (self), new_pos, 0, 1);
    }
}

static GType
gh_machine_list_get_item_type (GListModel *model)
{
  return GH_TYPE_MACHINE;
}

static guint
gh_machine_list_get_n_items (GListModel *model)
{
  return GH_MACHINE_LIST (model)->entries->len;
}

static gpointer
gh_machine_list_get_item (GListModel *model,
                          guint       position)
{
  GhMachineList *self = GH_MACHINE_LIST (model);
  Entry *entry;

  if (position >= self->entries->len)
    return NULL;

  entry = g_ptr_array_index (self->entries, position);
  return g_object_ref (entry->machine);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = gh_machine_list_get_item_type;
  iface->get_n_items = gh_machine_list_get_n_items;
  iface->get_item = gh_machine_list_get_item;
}

static void
gh_machine_list_finalize (GObject *object)
{
  GhMachineList *self = (GhMachineList *)object;

  g_clear_pointer (&self->by_uuid, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (gh_machine_list_parent_class)->finalize (object);
}

static void
gh_machine_list_class_init (GhMachineListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_machine_list_finalize;
}

static void
gh_machine_list_init (GhMachineList *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
}

GhMachineList *
_gh_machine_list_new (void)
{
  return g_object_new (GH_TYPE_MACHINE_LIST, NULL);
}

void
_gh_machine_list_add (GhMachineList *self,
                      GhMachine     *machine)
{
  Entry *entry;
  guint pos;

  g_return_if_fail (GH_IS_MACHINE_LIST (self));
  g_return_if_fail (GH_IS_MACHINE (machine));
  g_return_if_fail (!g_hash_table_contains (self->by_uuid, gh_machine_get_uuid (machine)));

  entry = entry_new (self, machine);
  pos = bisect (self, entry->sort_key, gh_machine_get_uuid (machine));
  g_ptr_array_insert (self->entries, pos, entry);
  g_hash_table_insert (self->by_uuid, (gpointer) gh_machine_get_uuid (machine), entry);

  g_list_model_items_changed (G_LIST_MODEL (self), pos, 0, 1);
}

void
_gh_machine_list_remove (GhMachineList *self,
                         GhMachine     *machine)
{
  Entry *entry;
  guint pos;

  g_return_if_fail (GH_IS_MACHINE_LIST (self));
  g_return_if_fail (GH_IS_MACHINE (machine));

  entry = g_hash_table_lookup (self->by_uuid, gh_machine_get_uuid (machine));
  if (entry == NULL)
    return;

  pos = bisect (self, entry->sort_key, gh_machine_get_uuid (machine));
  g_assert (g_ptr_array_index (self->entries, pos) == entry);

  g_hash_table_remove (self->by_uuid, gh_machine_get_uuid (machine));
  g_ptr_array_remove_index (self->entries, pos);

  g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 0);
}

static int
sort_entries (gconstpointer a,
              gconstpointer b)
{
  const Entry *ea = *(const Entry **) a;
  const Entry *eb = *(const Entry **) b;

  return compare (ea->sort_key, gh_machine_get_uuid (ea->machine), eb);
}

void
_gh_machine_list_set_all (GhMachineList *self,
                          GPtrArray     *machines)
{
  g_autoptr(GPtrArray) old_entries = NULL;
  guint old_len;

  g_return_if_fail (GH_IS_MACHINE_LIST (self));
  g_return_if_fail (machines != NULL);

  old_len = self->entries->len;
  old_entries = g_steal_pointer (&self->entries);
  g_hash_table_remove_all (self->by_uuid);

  self->entries = g_ptr_array_new_full (machines->len, (GDestroyNotify) entry_free);
  for (guint i = 0; i < machines->len; i++)
    {
      GhMachine *machine = g_ptr_array_index (machines, i);

      if (g_hash_table_contains (self->by_uuid, gh_machine_get_uuid (machine)))
        continue;

      g_ptr_array_add (self->entries, entry_new (self, machine));
      g_hash_table_insert (self->by_uuid, (gpointer) gh_machine_get_uuid (machine),
                           g_ptr_array_index (self->entries, self->entries->len - 1));
    }

  /* Sorting once is much cheaper than a thousand inserts. */
  g_ptr_array_sort (self->entries, sort_entries);

  if (old_len > 0 || self->entries->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->entries->len);
}

/**
 * gh_machine_list_lookup_by_uuid:
 *
 * Returns: (transfer none) (nullable): the machine with this UUID
 */
GhMachine *
gh_machine_list_lookup_by_uuid (GhMachineList *self,
                                const char    *uuid)
{
  Entry *entry;

  g_return_val_if_fail (GH_IS_MACHINE_LIST (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  entry = g_hash_table_lookup (self->by_uuid, uuid);
  return entry != NULL ? entry->machine : NULL;
}

/**
 * gh_machine_list_lookup_by_name:
 *
 * Returns: (transfer none) (nullable): the machine with this libvirt name
 */
GhMachine *
gh_machine_list_lookup_by_name (GhMachineList *self,
                                const char    *name)
{
  g_return_val_if_fail (GH_IS_MACHINE_LIST (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (g_strcmp0 (gh_machine_get_name (entry->machine), name) == 0)
        return entry->machine;
    }

  return NULL;
}
