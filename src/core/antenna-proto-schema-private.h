/* antenna-proto-schema-private.h: the descriptors a schema holds
 *
 * What the protobuf decoder walks (antenna-decoder-protobuf.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-proto-schema.h"

G_BEGIN_DECLS

typedef enum {
  PROTO_TYPE_DOUBLE,
  PROTO_TYPE_FLOAT,
  PROTO_TYPE_INT64,
  PROTO_TYPE_UINT64,
  PROTO_TYPE_INT32,
  PROTO_TYPE_FIXED64,
  PROTO_TYPE_FIXED32,
  PROTO_TYPE_BOOL,
  PROTO_TYPE_STRING,
  PROTO_TYPE_BYTES,
  PROTO_TYPE_UINT32,
  PROTO_TYPE_SFIXED32,
  PROTO_TYPE_SFIXED64,
  PROTO_TYPE_SINT32,
  PROTO_TYPE_SINT64,
  PROTO_TYPE_ENUM,
  PROTO_TYPE_MESSAGE,
} ProtoType;

typedef struct _ProtoMessage ProtoMessage;
typedef struct _ProtoEnum    ProtoEnum;

typedef struct {
  char          *name;
  guint32        number;
  gboolean       repeated;
  ProtoType      type;
  char          *type_name;     /* as written, for ENUM and MESSAGE until resolved */
  ProtoMessage  *message;       /* resolved (borrowed from the schema) */
  ProtoEnum     *enumeration;   /* resolved (borrowed) */
} ProtoField;

struct _ProtoMessage
{
  char        *full_name;
  char        *file;           /* where it was declared, for errors */
  GPtrArray   *fields;         /* of ProtoField *, in declaration order */
  GHashTable  *by_number;      /* guint32 → ProtoField * */
  gboolean     map_entry;      /* a map<K, V>'s entry: key = 1, value = 2 */
};

struct _ProtoEnum
{
  char        *full_name;
  GHashTable  *names;          /* gint32 → char * (first name of a number) */
};

/* (transfer none) (nullable) */
ProtoMessage *_antenna_proto_schema_find_message (AntennaProtoSchema *self,
                                                  const char         *full_name);

/* A wire type's name for errors: "varint", "64-bit", "length-delimited"… */
const char   *_antenna_proto_type_name          (ProtoType           type);

G_END_DECLS
