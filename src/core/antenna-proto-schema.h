/* antenna-proto-schema.h: .proto files, read by Antenna itself
 *
 * Why a parser of our own rather than protoc: the Flatpak runs on the GNOME
 * runtime, which has neither protoc nor libprotobuf(-c); building protobuf
 * (C++, and abseil for current releases) as a Flatpak module costs more than
 * the whole application, and running protoc at import time would need it at
 * run time. The .proto grammar that messages are written in is small; this
 * reads the part of proto2 and proto3 that describes a payload:
 *   syntax, package, import (public, weak), message (nested), enum (nested),
 *   fields with optional/required/repeated labels, every scalar type,
 *   oneof, map<K, V>, and — read and ignored — option, reserved,
 *   extensions, extend, service, field options other than packed.
 * Not supported: groups (deprecated since proto2) and extensions' fields.
 * google/protobuf/{timestamp,duration,empty,wrappers,any}.proto are built
 * in, so that files importing them load without protobuf installed.
 *
 * Errors say which file, line and column, and what was expected; a missing
 * import names the file and every folder searched; a type that does not
 * resolve names the message it was used in. Tests compare what this reads
 * with what protoc encodes from the same files (tests/test-decoders.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ANTENNA_SCHEMA_ERROR (antenna_schema_error_quark ())

typedef enum {
  ANTENNA_SCHEMA_ERROR_SYNTAX,          /* file:line:column: what was expected */
  ANTENNA_SCHEMA_ERROR_MISSING_IMPORT,  /* an import found in no folder */
  ANTENNA_SCHEMA_ERROR_UNKNOWN_TYPE,    /* a field's type that resolves to nothing */
  ANTENNA_SCHEMA_ERROR_UNSUPPORTED,     /* groups */
  ANTENNA_SCHEMA_ERROR_IO,              /* a file that cannot be read */
  ANTENNA_SCHEMA_ERROR_NO_MESSAGE,      /* a message type the schema does not have */
} AntennaSchemaError;

GQuark antenna_schema_error_quark (void);

typedef struct _AntennaProtoSchema AntennaProtoSchema;

#define ANTENNA_TYPE_PROTO_SCHEMA (antenna_proto_schema_get_type ())
GType               antenna_proto_schema_get_type          (void) G_GNUC_CONST;
AntennaProtoSchema *antenna_proto_schema_ref               (AntennaProtoSchema  *self);
void                antenna_proto_schema_unref             (AntennaProtoSchema  *self);

/* Reads @files and what they import. An import "a/b.proto" is looked for
 * in each of @import_paths in order, then in the folder of the file that
 * imports it. @files (paths) may be relative to the current folder. */
AntennaProtoSchema *antenna_proto_schema_load              (const char * const  *files,
                                                            const char * const  *import_paths,
                                                            GError             **error);
/* One file's text (@name for messages), without imports other than the
 * built-in ones. */
AntennaProtoSchema *antenna_proto_schema_new_from_text     (const char          *name,
                                                            const char          *text,
                                                            GError             **error);
/* The full names of every message ("acme.sensors.Reading"), sorted, for a
 * picker; map entries left out. */
GStrv               antenna_proto_schema_list_messages     (AntennaProtoSchema  *self);
gboolean            antenna_proto_schema_has_message       (AntennaProtoSchema  *self,
                                                            const char          *full_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaProtoSchema, antenna_proto_schema_unref)

G_END_DECLS
