/* gh-json-private.h: writing the members of a JSON object
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Members of the object a JsonBuilder is in: NULL strings are null. */
void            _gh_json_add_string              (JsonBuilder          *builder,
                                                  const char           *name,
                                                  const char           *value);
void            _gh_json_add_boolean             (JsonBuilder          *builder,
                                                  const char           *name,
                                                  gboolean              value);
void            _gh_json_add_int                 (JsonBuilder          *builder,
                                                  const char           *name,
                                                  gint64                value);
void            _gh_json_add_strv                (JsonBuilder          *builder,
                                                  const char           *name,
                                                  const char * const   *values);

G_END_DECLS
