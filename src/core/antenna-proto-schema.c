/* antenna-proto-schema.c: .proto files, read by Antenna itself
 *
 * A tokenizer, a recursive-descent reader of the statements that describe
 * messages (everything else is skipped as a balanced statement or block),
 * then type resolution with protobuf's scoping rules: a name is looked up
 * in the message that uses it, then in each enclosing scope out to the
 * package and the root; a leading "." makes it absolute.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-proto"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <string.h>

#include "antenna-proto-schema-private.h"

/* A file importing itself through others: no schema needs more. */
#define MAX_FILES 1000

struct _AntennaProtoSchema
{
  gatomicrefcount  ref_count;
  GHashTable      *messages;   /* full name → ProtoMessage * (owned) */
  GHashTable      *enums;      /* full name → ProtoEnum * (owned) */
};

G_DEFINE_BOXED_TYPE (AntennaProtoSchema, antenna_proto_schema,
                     antenna_proto_schema_ref, antenna_proto_schema_unref)

G_DEFINE_QUARK (antenna-schema-error-quark, antenna_schema_error)

/* The well-known types that payloads use most, as their layouts are
 * published; built in so that files importing them load anywhere. */
static const struct {
  const char *name;
  const char *text;
} builtin_files[] = {
  { "google/protobuf/timestamp.proto",
    "syntax = \"proto3\"; package google.protobuf;\n"
    "message Timestamp { int64 seconds = 1; int32 nanos = 2; }\n" },
  { "google/protobuf/duration.proto",
    "syntax = \"proto3\"; package google.protobuf;\n"
    "message Duration { int64 seconds = 1; int32 nanos = 2; }\n" },
  { "google/protobuf/empty.proto",
    "syntax = \"proto3\"; package google.protobuf;\n"
    "message Empty { }\n" },
  { "google/protobuf/any.proto",
    "syntax = \"proto3\"; package google.protobuf;\n"
    "message Any { string type_url = 1; bytes value = 2; }\n" },
  { "google/protobuf/wrappers.proto",
    "syntax = \"proto3\"; package google.protobuf;\n"
    "message DoubleValue { double value = 1; }\n"
    "message FloatValue { float value = 1; }\n"
    "message Int64Value { int64 value = 1; }\n"
    "message UInt64Value { uint64 value = 1; }\n"
    "message Int32Value { int32 value = 1; }\n"
    "message UInt32Value { uint32 value = 1; }\n"
    "message BoolValue { bool value = 1; }\n"
    "message StringValue { string value = 1; }\n"
    "message BytesValue { bytes value = 1; }\n" },
};

static const struct {
  const char *keyword;
  ProtoType   type;
} scalar_types[] = {
  { "double", PROTO_TYPE_DOUBLE },
  { "float", PROTO_TYPE_FLOAT },
  { "int64", PROTO_TYPE_INT64 },
  { "uint64", PROTO_TYPE_UINT64 },
  { "int32", PROTO_TYPE_INT32 },
  { "fixed64", PROTO_TYPE_FIXED64 },
  { "fixed32", PROTO_TYPE_FIXED32 },
  { "bool", PROTO_TYPE_BOOL },
  { "string", PROTO_TYPE_STRING },
  { "bytes", PROTO_TYPE_BYTES },
  { "uint32", PROTO_TYPE_UINT32 },
  { "sfixed32", PROTO_TYPE_SFIXED32 },
  { "sfixed64", PROTO_TYPE_SFIXED64 },
  { "sint32", PROTO_TYPE_SINT32 },
  { "sint64", PROTO_TYPE_SINT64 },
};

const char *
_antenna_proto_type_name (ProtoType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (scalar_types); i++)
    if (scalar_types[i].type == type)
      return scalar_types[i].keyword;
  return type == PROTO_TYPE_ENUM ? "enum" : "message";
}

static void
field_free (ProtoField *field)
{
  g_free (field->name);
  g_free (field->type_name);
  g_free (field);
}

static void
message_free (ProtoMessage *message)
{
  g_free (message->full_name);
  g_free (message->file);
  g_ptr_array_unref (message->fields);
  g_hash_table_unref (message->by_number);
  g_free (message);
}

static void
enum_free (ProtoEnum *enumeration)
{
  g_free (enumeration->full_name);
  g_hash_table_unref (enumeration->names);
  g_free (enumeration);
}

static AntennaProtoSchema *
schema_new (void)
{
  AntennaProtoSchema *self = g_new0 (AntennaProtoSchema, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->messages = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) message_free);
  self->enums = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) enum_free);
  return self;
}

AntennaProtoSchema *
antenna_proto_schema_ref (AntennaProtoSchema *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
antenna_proto_schema_unref (AntennaProtoSchema *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_hash_table_unref (self->messages);
  g_hash_table_unref (self->enums);
  g_free (self);
}

/* Tokens */

typedef enum {
  TOK_EOF,
  TOK_IDENT,    /* letters, digits, '_' and '.': "acme.Reading", ".x.Y" */
  TOK_NUMBER,
  TOK_STRING,
  TOK_SYMBOL,
} TokenKind;

typedef struct {
  AntennaProtoSchema *schema;
  const char         *file;       /* as shown in errors */
  const char         *p;
  const char         *end;
  guint               line;
  const char         *line_start;
  /* The current token. */
  TokenKind           kind;
  GString            *text;
  guint               tok_line;
  guint               tok_column;
  char               *package;
  GPtrArray          *imports;    /* of char *: as written */
  GPtrArray          *import_lines;
  GError             *error;
} Parser;

static void
syntax_error (Parser     *parser,
              const char *format,
              ...) G_GNUC_PRINTF (2, 3);

static void
syntax_error (Parser     *parser,
              const char *format,
              ...)
{
  g_autofree char *what = NULL;
  va_list args;

  if (parser->error != NULL)
    return;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: "reading.proto:12:5: expected “=” after the field name" */
  g_set_error (&parser->error, ANTENNA_SCHEMA_ERROR, ANTENNA_SCHEMA_ERROR_SYNTAX,
               _("%s:%u:%u: %s."), parser->file, parser->tok_line, parser->tok_column, what);
}

static void
skip_space (Parser *parser)
{
  while (parser->p < parser->end)
    {
      char c = *parser->p;

      if (c == '\n')
        {
          parser->line++;
          parser->line_start = ++parser->p;
        }
      else if (g_ascii_isspace (c))
        {
          parser->p++;
        }
      else if (c == '/' && parser->p + 1 < parser->end && parser->p[1] == '/')
        {
          while (parser->p < parser->end && *parser->p != '\n')
            parser->p++;
        }
      else if (c == '/' && parser->p + 1 < parser->end && parser->p[1] == '*')
        {
          parser->p += 2;
          while (parser->p + 1 < parser->end && !(parser->p[0] == '*' && parser->p[1] == '/'))
            {
              if (*parser->p == '\n')
                {
                  parser->line++;
                  parser->line_start = parser->p + 1;
                }
              parser->p++;
            }
          parser->p = MIN (parser->p + 2, parser->end);
        }
      else
        {
          break;
        }
    }
}

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.';
}

/* Reads the next token into the parser. */
static void
next (Parser *parser)
{
  char c;

  skip_space (parser);
  g_string_truncate (parser->text, 0);
  parser->tok_line = parser->line;
  parser->tok_column = (guint) g_utf8_strlen (parser->line_start, parser->p - parser->line_start) + 1;

  if (parser->p >= parser->end)
    {
      parser->kind = TOK_EOF;
      return;
    }

  c = *parser->p;
  if (g_ascii_isalpha (c) || c == '_' || (c == '.' && parser->p + 1 < parser->end && g_ascii_isalpha (parser->p[1])))
    {
      parser->kind = TOK_IDENT;
      while (parser->p < parser->end && is_ident_char (*parser->p))
        g_string_append_c (parser->text, *parser->p++);
    }
  else if (g_ascii_isdigit (c) || c == '-' || c == '+' || c == '.')
    {
      parser->kind = TOK_NUMBER;
      g_string_append_c (parser->text, *parser->p++);
      while (parser->p < parser->end &&
             (g_ascii_isalnum (*parser->p) || *parser->p == '.' ||
              ((*parser->p == '-' || *parser->p == '+') && g_ascii_tolower (parser->p[-1]) == 'e')))
        g_string_append_c (parser->text, *parser->p++);
    }
  else if (c == '"' || c == '\'')
    {
      char quote = c;

      parser->kind = TOK_STRING;
      parser->p++;
      while (parser->p < parser->end && *parser->p != quote && *parser->p != '\n')
        {
          if (*parser->p == '\\' && parser->p + 1 < parser->end && (guchar) parser->p[1] < 0x80)
            {
              char e = parser->p[1];

              parser->p += 2;
              switch (e)
                {
                case 'n': g_string_append_c (parser->text, '\n'); break;
                case 't': g_string_append_c (parser->text, '\t'); break;
                case 'r': g_string_append_c (parser->text, '\r'); break;
                default: g_string_append_c (parser->text, e); break;
                }
              continue;
            }
          g_string_append_c (parser->text, *parser->p++);
        }
      if (parser->p >= parser->end || *parser->p != quote)
        {
          syntax_error (parser, _("a string that is not closed"));
          parser->kind = TOK_EOF;
          return;
        }
      parser->p++;
    }
  else
    {
      /* One character, whole: it may be quoted in an error. */
      const char *next_char = g_utf8_find_next_char (parser->p, parser->end);

      if (next_char == NULL)
        next_char = parser->end;
      parser->kind = TOK_SYMBOL;
      g_string_append_len (parser->text, parser->p, next_char - parser->p);
      parser->p = next_char;
    }
}

static gboolean
is_symbol (Parser *parser,
           char    symbol)
{
  return parser->kind == TOK_SYMBOL && parser->text->str[0] == symbol;
}

static gboolean
is_word (Parser     *parser,
         const char *word)
{
  return parser->kind == TOK_IDENT && g_str_equal (parser->text->str, word);
}

static const char *
describe_token (Parser *parser)
{
  if (parser->kind == TOK_EOF)
    return _("the end of the file");
  return parser->text->str;
}

static gboolean
expect_symbol (Parser     *parser,
               char        symbol,
               const char *after)
{
  if (!is_symbol (parser, symbol))
    {
      /* Translators: "expected “;” after the field, found “}”" */
      syntax_error (parser, _("expected “%c” %s, found “%s”"), symbol, after, describe_token (parser));
      return FALSE;
    }
  next (parser);
  return TRUE;
}

typedef enum {
  NAME_SIMPLE,   /* a message, field, enum… name: no dots */
  NAME_DOTTED,   /* a package: "acme.sensors" */
  NAME_TYPE,     /* a type as a field uses it: "Reading", "acme.Unit", ".acme.Unit" */
} NameKind;

/* Whether @text is a name of @kind: identifiers joined by single dots,
 * an identifier not starting with a digit. */
static gboolean
is_valid_name (const char *text,
               NameKind    kind)
{
  const char *p = text;

  if (kind == NAME_TYPE && *p == '.')
    p++;
  for (;;)
    {
      if (!g_ascii_isalpha (*p) && *p != '_')
        return FALSE;
      while (g_ascii_isalnum (*p) || *p == '_')
        p++;
      if (*p == '\0')
        return TRUE;
      if (*p != '.' || kind == NAME_SIMPLE)
        return FALSE;
      p++;
    }
}

/* An identifier of @kind, stolen from the token. */
static char *
expect_ident (Parser     *parser,
              const char *what,
              NameKind    kind)
{
  char *ident;

  if (parser->kind != TOK_IDENT)
    {
      /* Translators: "expected a message name, found “{”" */
      syntax_error (parser, _("expected %s, found “%s”"), what, describe_token (parser));
      return NULL;
    }
  if (!is_valid_name (parser->text->str, kind))
    {
      /* Translators: "“a..b” is not a valid package name" */
      syntax_error (parser, _("“%s” is not valid as %s"), parser->text->str, what);
      return NULL;
    }
  ident = g_strdup (parser->text->str);
  next (parser);
  return ident;
}

/* Skips to the end of a statement (past its ';') or a block (past its
 * '}'), whichever ends it first at this level. */
static void
skip_statement (Parser *parser)
{
  guint depth = 0;

  while (parser->kind != TOK_EOF && parser->error == NULL)
    {
      if (is_symbol (parser, '{') || is_symbol (parser, '[') || is_symbol (parser, '('))
        depth++;
      else if (is_symbol (parser, '}') || is_symbol (parser, ']') || is_symbol (parser, ')'))
        {
          if (depth == 0)
            return;   /* the enclosing block's end: not ours */
          if (--depth == 0 && is_symbol (parser, '}'))
            {
              next (parser);
              return;
            }
        }
      else if (is_symbol (parser, ';') && depth == 0)
        {
          next (parser);
          return;
        }
      next (parser);
    }
}

static char *
join_name (const char *scope,
           const char *name)
{
  if (scope == NULL || scope[0] == '\0')
    return g_strdup (name);
  return g_strconcat (scope, ".", name, NULL);
}

static ProtoMessage *
message_new (Parser     *parser,
             const char *full_name)
{
  ProtoMessage *message = g_new0 (ProtoMessage, 1);

  message->full_name = g_strdup (full_name);
  message->file = g_strdup (parser->file);
  message->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  message->by_number = g_hash_table_new (NULL, NULL);
  return message;
}

static gboolean
register_message (Parser       *parser,
                  ProtoMessage *message)
{
  if (g_hash_table_contains (parser->schema->messages, message->full_name) ||
      g_hash_table_contains (parser->schema->enums, message->full_name))
    {
      syntax_error (parser, _("“%s” is defined twice"), message->full_name);
      message_free (message);
      return FALSE;
    }
  g_hash_table_insert (parser->schema->messages, message->full_name, message);
  return TRUE;
}

static void
set_field_type (ProtoField *field,
                const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (scalar_types); i++)
    {
      if (g_str_equal (type, scalar_types[i].keyword))
        {
          field->type = scalar_types[i].type;
          return;
        }
    }
  field->type = PROTO_TYPE_MESSAGE;   /* or an enum: resolved later */
  field->type_name = g_strdup (type);
}

static gboolean
add_field (Parser       *parser,
           ProtoMessage *message,
           ProtoField   *field)
{
  if (g_hash_table_contains (message->by_number, GUINT_TO_POINTER (field->number)))
    {
      syntax_error (parser, _("field number %u is used twice in “%s”"), field->number, message->full_name);
      field_free (field);
      return FALSE;
    }
  g_ptr_array_add (message->fields, field);
  g_hash_table_insert (message->by_number, GUINT_TO_POINTER (field->number), field);
  return TRUE;
}

/* "= 3 [packed = true];" after a field's name. */
static gboolean
parse_field_number (Parser     *parser,
                    ProtoField *field)
{
  gint64 number;
  char *end = NULL;

  if (!expect_symbol (parser, '=', _("after the field name")))
    return FALSE;
  if (parser->kind != TOK_NUMBER)
    {
      syntax_error (parser, _("expected a field number, found “%s”"), describe_token (parser));
      return FALSE;
    }
  number = g_ascii_strtoll (parser->text->str, &end, 0);
  if (*end != '\0' || number < 1 || number > 536870911)
    {
      syntax_error (parser, _("“%s” is not a field number (1 to 536870911)"), parser->text->str);
      return FALSE;
    }
  field->number = (guint32) number;
  next (parser);

  if (is_symbol (parser, '['))
    {
      /* Field options: none changes how a payload reads (packed or not,
       * both are accepted). */
      guint depth = 0;

      do
        {
          if (is_symbol (parser, '['))
            depth++;
          else if (is_symbol (parser, ']'))
            depth--;
          next (parser);
        }
      while (depth > 0 && parser->kind != TOK_EOF);
    }

  return expect_symbol (parser, ';', _("after the field"));
}

static gboolean parse_message (Parser *parser, const char *scope);
static gboolean parse_enum (Parser *parser, const char *scope);

/* "map<string, Reading> readings = 4;" */
static gboolean
parse_map_field (Parser       *parser,
                 ProtoMessage *message)
{
  g_autofree char *key_type = NULL;
  g_autofree char *value_type = NULL;
  g_autofree char *name = NULL;
  g_autofree char *entry_name = NULL;
  g_autofree char *entry_full_name = NULL;
  ProtoMessage *entry;
  ProtoField *field;
  ProtoField *key;
  ProtoField *value;

  next (parser);   /* map */
  if (!expect_symbol (parser, '<', _("after “map”")) ||
      (key_type = expect_ident (parser, _("a key type"), NAME_TYPE)) == NULL ||
      !expect_symbol (parser, ',', _("after the key type")) ||
      (value_type = expect_ident (parser, _("a value type"), NAME_TYPE)) == NULL ||
      !expect_symbol (parser, '>', _("after the value type")) ||
      (name = expect_ident (parser, _("a field name"), NAME_SIMPLE)) == NULL)
    return FALSE;

  /* The entry message protoc makes: "readings" → "ReadingsEntry". */
  {
    GString *camel = g_string_new (NULL);
    gboolean upper = TRUE;

    for (const char *p = name; *p != '\0'; p++)
      {
        if (*p == '_')
          {
            upper = TRUE;
            continue;
          }
        g_string_append_c (camel, upper ? g_ascii_toupper (*p) : *p);
        upper = FALSE;
      }
    g_string_append (camel, "Entry");
    entry_name = g_string_free (camel, FALSE);
  }
  entry_full_name = join_name (message->full_name, entry_name);
  entry = message_new (parser, entry_full_name);
  entry->map_entry = TRUE;

  key = g_new0 (ProtoField, 1);
  key->name = g_strdup ("key");
  key->number = 1;
  set_field_type (key, key_type);
  value = g_new0 (ProtoField, 1);
  value->name = g_strdup ("value");
  value->number = 2;
  set_field_type (value, value_type);
  add_field (parser, entry, key);
  add_field (parser, entry, value);
  if (!register_message (parser, entry))
    return FALSE;

  field = g_new0 (ProtoField, 1);
  field->name = g_steal_pointer (&name);
  field->repeated = TRUE;
  field->type = PROTO_TYPE_MESSAGE;
  field->type_name = g_strconcat (".", entry_full_name, NULL);
  if (!parse_field_number (parser, field))
    {
      field_free (field);
      return FALSE;
    }
  return add_field (parser, message, field);
}

/* "[label] type name = number [options];" */
static gboolean
parse_field (Parser       *parser,
             ProtoMessage *message,
             gboolean      in_oneof)
{
  ProtoField *field;
  gboolean repeated = FALSE;
  g_autofree char *type = NULL;
  g_autofree char *name = NULL;

  if (!in_oneof && (is_word (parser, "optional") || is_word (parser, "required") || is_word (parser, "repeated")))
    {
      repeated = is_word (parser, "repeated");
      next (parser);
    }

  if (is_word (parser, "group"))
    {
      g_set_error (&parser->error, ANTENNA_SCHEMA_ERROR, ANTENNA_SCHEMA_ERROR_UNSUPPORTED,
                   _("%s:%u:%u: groups are not supported (they are deprecated since proto2)."),
                   parser->file, parser->tok_line, parser->tok_column);
      return FALSE;
    }

  if ((type = expect_ident (parser, _("a field type"), NAME_TYPE)) == NULL ||
      (name = expect_ident (parser, _("a field name"), NAME_SIMPLE)) == NULL)
    return FALSE;

  field = g_new0 (ProtoField, 1);
  field->name = g_steal_pointer (&name);
  field->repeated = repeated;
  set_field_type (field, type);
  if (!parse_field_number (parser, field))
    {
      field_free (field);
      return FALSE;
    }
  return add_field (parser, message, field);
}

static gboolean
parse_oneof (Parser       *parser,
             ProtoMessage *message)
{
  g_autofree char *name = NULL;

  next (parser);   /* oneof */
  if ((name = expect_ident (parser, _("a oneof name"), NAME_SIMPLE)) == NULL ||
      !expect_symbol (parser, '{', _("after the oneof name")))
    return FALSE;

  while (!is_symbol (parser, '}') && parser->error == NULL)
    {
      if (parser->kind == TOK_EOF)
        {
          syntax_error (parser, _("the oneof “%s” is not closed"), name);
          return FALSE;
        }
      if (is_word (parser, "option"))
        skip_statement (parser);
      else if (is_symbol (parser, ';'))
        next (parser);
      else if (!parse_field (parser, message, TRUE))
        return FALSE;
    }
  next (parser);
  return parser->error == NULL;
}

static gboolean
parse_message (Parser     *parser,
               const char *scope)
{
  g_autofree char *name = NULL;
  g_autofree char *full_name = NULL;
  ProtoMessage *message;

  next (parser);   /* message */
  if ((name = expect_ident (parser, _("a message name"), NAME_SIMPLE)) == NULL)
    return FALSE;
  full_name = join_name (scope, name);
  if (!expect_symbol (parser, '{', _("after the message name")))
    return FALSE;

  message = message_new (parser, full_name);
  if (!register_message (parser, message))
    return FALSE;

  while (!is_symbol (parser, '}') && parser->error == NULL)
    {
      if (parser->kind == TOK_EOF)
        {
          syntax_error (parser, _("the message “%s” is not closed"), full_name);
          return FALSE;
        }
      if (is_word (parser, "message"))
        parse_message (parser, full_name);
      else if (is_word (parser, "enum"))
        parse_enum (parser, full_name);
      else if (is_word (parser, "oneof"))
        parse_oneof (parser, message);
      else if (is_word (parser, "map") && parser->p < parser->end)
        {
          /* "map" may also be a type or field name: "map<" is a map field. */
          skip_space (parser);
          if (parser->p < parser->end && *parser->p == '<')
            parse_map_field (parser, message);
          else
            parse_field (parser, message, FALSE);
        }
      else if (is_word (parser, "option") || is_word (parser, "reserved") ||
               is_word (parser, "extensions") || is_word (parser, "extend"))
        skip_statement (parser);
      else if (is_symbol (parser, ';'))
        next (parser);
      else
        parse_field (parser, message, FALSE);
    }
  next (parser);
  return parser->error == NULL;
}

static gboolean
parse_enum (Parser     *parser,
            const char *scope)
{
  g_autofree char *name = NULL;
  ProtoEnum *enumeration;

  next (parser);   /* enum */
  if ((name = expect_ident (parser, _("an enum name"), NAME_SIMPLE)) == NULL ||
      !expect_symbol (parser, '{', _("after the enum name")))
    return FALSE;

  enumeration = g_new0 (ProtoEnum, 1);
  enumeration->full_name = join_name (scope, name);
  enumeration->names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  if (g_hash_table_contains (parser->schema->messages, enumeration->full_name) ||
      g_hash_table_contains (parser->schema->enums, enumeration->full_name))
    {
      syntax_error (parser, _("“%s” is defined twice"), enumeration->full_name);
      enum_free (enumeration);
      return FALSE;
    }
  g_hash_table_insert (parser->schema->enums, enumeration->full_name, enumeration);

  while (!is_symbol (parser, '}') && parser->error == NULL)
    {
      g_autofree char *value_name = NULL;
      gint64 number;
      char *end = NULL;

      if (parser->kind == TOK_EOF)
        {
          syntax_error (parser, _("the enum “%s” is not closed"), enumeration->full_name);
          return FALSE;
        }
      if (is_word (parser, "option") || is_word (parser, "reserved"))
        {
          skip_statement (parser);
          continue;
        }
      if (is_symbol (parser, ';'))
        {
          next (parser);
          continue;
        }

      if ((value_name = expect_ident (parser, _("an enum value name"), NAME_SIMPLE)) == NULL ||
          !expect_symbol (parser, '=', _("after the enum value name")))
        return FALSE;
      if (parser->kind != TOK_NUMBER)
        {
          syntax_error (parser, _("expected a number, found “%s”"), describe_token (parser));
          return FALSE;
        }
      number = g_ascii_strtoll (parser->text->str, &end, 0);
      if (*end != '\0' || number < G_MININT32 || number > G_MAXINT32)
        {
          syntax_error (parser, _("“%s” is not an enum value"), parser->text->str);
          return FALSE;
        }
      next (parser);
      if (!g_hash_table_contains (enumeration->names, GINT_TO_POINTER ((gint32) number)))
        g_hash_table_insert (enumeration->names, GINT_TO_POINTER ((gint32) number), g_steal_pointer (&value_name));
      skip_statement (parser);   /* options, up to the ';' */
    }
  next (parser);
  return parser->error == NULL;
}

static gboolean
parse_file (Parser *parser)
{
  next (parser);

  while (parser->kind != TOK_EOF && parser->error == NULL)
    {
      if (is_word (parser, "syntax") || is_word (parser, "edition"))
        {
          next (parser);
          if (!expect_symbol (parser, '=', _("after “syntax”")))
            break;
          if (parser->kind != TOK_STRING ||
              (!g_str_equal (parser->text->str, "proto2") && !g_str_equal (parser->text->str, "proto3")))
            {
              syntax_error (parser, _("expected “proto2” or “proto3”, found “%s”"), describe_token (parser));
              break;
            }
          next (parser);
          expect_symbol (parser, ';', _("after the syntax"));
        }
      else if (is_word (parser, "package"))
        {
          next (parser);
          g_free (parser->package);
          if ((parser->package = expect_ident (parser, _("a package name"), NAME_DOTTED)) == NULL)
            break;
          expect_symbol (parser, ';', _("after the package name"));
        }
      else if (is_word (parser, "import"))
        {
          next (parser);
          if (is_word (parser, "public") || is_word (parser, "weak"))
            next (parser);
          if (parser->kind != TOK_STRING)
            {
              syntax_error (parser, _("expected the file to import, in quotes, found “%s”"), describe_token (parser));
              break;
            }
          g_ptr_array_add (parser->imports, g_strdup (parser->text->str));
          g_ptr_array_add (parser->import_lines, GUINT_TO_POINTER (parser->tok_line));
          next (parser);
          expect_symbol (parser, ';', _("after the import"));
        }
      else if (is_word (parser, "message"))
        parse_message (parser, parser->package);
      else if (is_word (parser, "enum"))
        parse_enum (parser, parser->package);
      else if (is_word (parser, "option") || is_word (parser, "service") || is_word (parser, "extend"))
        skip_statement (parser);
      else if (is_symbol (parser, ';'))
        next (parser);
      else
        syntax_error (parser, _("expected “message”, “enum”, “import” or “package”, found “%s”"),
                      describe_token (parser));
    }

  return parser->error == NULL;
}

/* Parses @text into @schema; the imports it names go to @imports (with
 * their lines in @import_lines). */
static gboolean
parse_text (AntennaProtoSchema  *schema,
            const char          *file,
            const char          *text,
            gsize                length,
            GPtrArray           *imports,
            GPtrArray           *import_lines,
            GError             **error)
{
  Parser parser = { 0 };
  gboolean ok;

  parser.schema = schema;
  parser.file = file;
  parser.p = text;
  parser.end = text + length;
  parser.line = 1;
  parser.line_start = text;
  parser.text = g_string_new (NULL);
  parser.imports = imports;
  parser.import_lines = import_lines;

  if (!g_utf8_validate_len (text, length, NULL))
    {
      g_set_error (error, ANTENNA_SCHEMA_ERROR, ANTENNA_SCHEMA_ERROR_SYNTAX,
                   _("%s is not a text file (not valid UTF-8)."), file);
      g_string_free (parser.text, TRUE);
      return FALSE;
    }

  ok = parse_file (&parser);
  if (!ok)
    g_propagate_error (error, parser.error);
  g_string_free (parser.text, TRUE);
  g_free (parser.package);
  return ok;
}

/* Type resolution */

static gboolean
resolve_name (AntennaProtoSchema  *schema,
              const char          *scope,
              const char          *name,
              ProtoMessage       **message,
              ProtoEnum          **enumeration)
{
  g_autofree char *prefix = g_strdup (scope);

  if (name[0] == '.')
    {
      *message = g_hash_table_lookup (schema->messages, name + 1);
      *enumeration = g_hash_table_lookup (schema->enums, name + 1);
      return *message != NULL || *enumeration != NULL;
    }

  for (;;)
    {
      g_autofree char *candidate = join_name (prefix, name);
      char *dot;

      *message = g_hash_table_lookup (schema->messages, candidate);
      *enumeration = g_hash_table_lookup (schema->enums, candidate);
      if (*message != NULL || *enumeration != NULL)
        return TRUE;
      if (prefix == NULL || prefix[0] == '\0')
        return FALSE;
      dot = strrchr (prefix, '.');
      if (dot != NULL)
        *dot = '\0';
      else
        prefix[0] = '\0';
    }
}

static gboolean
resolve_types (AntennaProtoSchema  *schema,
               GError             **error)
{
  GHashTableIter iter;
  ProtoMessage *message;

  g_hash_table_iter_init (&iter, schema->messages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &message))
    {
      for (guint i = 0; i < message->fields->len; i++)
        {
          ProtoField *field = g_ptr_array_index (message->fields, i);
          ProtoMessage *found_message = NULL;
          ProtoEnum *found_enum = NULL;

          if (field->type_name == NULL || field->message != NULL || field->enumeration != NULL)
            continue;

          if (!resolve_name (schema, message->full_name, field->type_name, &found_message, &found_enum))
            {
              /* Translators: "reading.proto: unknown type “Unit” for the field “unit” of acme.Reading." */
              g_set_error (error, ANTENNA_SCHEMA_ERROR, ANTENNA_SCHEMA_ERROR_UNKNOWN_TYPE,
                           _("%s: unknown type “%s” for the field “%s” of %s (is an import missing?)."),
                           message->file, field->type_name, field->name, message->full_name);
              return FALSE;
            }
          if (found_message != NULL)
            {
              field->type = PROTO_TYPE_MESSAGE;
              field->message = found_message;
            }
          else
            {
              field->type = PROTO_TYPE_ENUM;
              field->enumeration = found_enum;
            }
        }
    }
  return TRUE;
}

/* Loading files */

static const char *
builtin_text (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (builtin_files); i++)
    if (g_str_equal (builtin_files[i].name, name))
      return builtin_files[i].text;
  return NULL;
}

typedef struct {
  char  *name;        /* as imported, or as given */
  char  *path;        /* on disk; NULL for a built-in file */
  char  *importer;    /* for errors: the file that imports it */
  guint  line;
} PendingFile;

static void
pending_file_free (PendingFile *file)
{
  g_free (file->name);
  g_free (file->path);
  g_free (file->importer);
  g_free (file);
}

static gboolean
load_file (AntennaProtoSchema  *schema,
           PendingFile         *file,
           GPtrArray           *imports,
           GPtrArray           *import_lines,
           GError             **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  if (file->path == NULL)
    {
      const char *text = builtin_text (file->name);

      return parse_text (schema, file->name, text, strlen (text), imports, import_lines, error);
    }

  if (!g_file_get_contents (file->path, &contents, &length, &local_error))
    {
      g_set_error (error, ANTENNA_SCHEMA_ERROR, ANTENNA_SCHEMA_ERROR_IO,
                   _("Could not read %s: %s"), file->path, local_error->message);
      return FALSE;
    }
  return parse_text (schema, file->path, contents, length, imports, import_lines, error);
}

/* Where an import is: a built-in file, the first import path that has it,
 * or the folder of the file importing it. */
static char *
find_import (const char         *name,
             const char         *importer,
             const char * const *import_paths,
             GString            *searched)
{
  g_autofree char *importer_dir = g_path_get_dirname (importer);

  for (guint i = 0; import_paths != NULL && import_paths[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (import_paths[i], name, NULL);

      if (searched->len > 0)
        g_string_append (searched, ", ");
      g_string_append (searched, import_paths[i]);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }

  {
    g_autofree char *path = g_build_filename (importer_dir, name, NULL);

    if (searched->len > 0)
      g_string_append (searched, ", ");
    g_string_append (searched, importer_dir);
    if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
      return g_steal_pointer (&path);
  }

  return NULL;
}

static AntennaProtoSchema *
load_all (GPtrArray           *queue,
          const char * const  *import_paths,
          GError             **error)
{
  g_autoptr(AntennaProtoSchema) schema = schema_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < queue->len; i++)
    {
      PendingFile *file = g_ptr_array_index (queue, i);
      g_autoptr(GPtrArray) imports = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) import_lines = g_ptr_array_new ();
      g_autofree char *key = NULL;

      /* One file once, whether named as given or through an import. */
      key = file->path != NULL ? g_canonicalize_filename (file->path, NULL) : g_strdup (file->name);
      if (g_hash_table_contains (seen, key))
        continue;
      g_hash_table_add (seen, g_steal_pointer (&key));

      if (queue->len > MAX_FILES)
        {
          g_set_error (error, ANTENNA_SCHEMA_ERROR, ANTENNA_SCHEMA_ERROR_IO,
                       _("More than %u .proto files are imported."), MAX_FILES);
          return NULL;
        }

      if (!load_file (schema, file, imports, import_lines, error))
        return NULL;

      for (guint j = 0; j < imports->len; j++)
        {
          const char *name = g_ptr_array_index (imports, j);
          PendingFile *import = g_new0 (PendingFile, 1);

          import->name = g_strdup (name);
          import->importer = g_strdup (file->path != NULL ? file->path : file->name);
          import->line = GPOINTER_TO_UINT (g_ptr_array_index (import_lines, j));

          if (builtin_text (name) == NULL)
            {
              g_autoptr(GString) searched = g_string_new (NULL);

              import->path = find_import (name, import->importer, import_paths, searched);
              if (import->path == NULL)
                {
                  /* Translators: "reading.proto:3: the import “units.proto” is in none of these folders: /a, /b." */
                  g_set_error (error, ANTENNA_SCHEMA_ERROR, ANTENNA_SCHEMA_ERROR_MISSING_IMPORT,
                               _("%s:%u: the import “%s” is in none of these folders: %s."),
                               import->importer, import->line, name, searched->str);
                  pending_file_free (import);
                  return NULL;
                }
            }
          g_ptr_array_add (queue, import);
        }
    }

  if (!resolve_types (schema, error))
    return NULL;

  return g_steal_pointer (&schema);
}

AntennaProtoSchema *
antenna_proto_schema_load (const char * const  *files,
                           const char * const  *import_paths,
                           GError             **error)
{
  g_autoptr(GPtrArray) queue = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_file_free);

  g_return_val_if_fail (files != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; files[i] != NULL; i++)
    {
      PendingFile *file = g_new0 (PendingFile, 1);

      file->name = g_strdup (files[i]);
      file->path = g_strdup (files[i]);
      g_ptr_array_add (queue, file);
    }

  return load_all (queue, import_paths, error);
}

AntennaProtoSchema *
antenna_proto_schema_new_from_text (const char  *name,
                                    const char  *text,
                                    GError     **error)
{
  g_autoptr(AntennaProtoSchema) schema = schema_new ();
  g_autoptr(GPtrArray) imports = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) import_lines = g_ptr_array_new ();

  g_return_val_if_fail (name != NULL && text != NULL, NULL);

  if (!parse_text (schema, name, text, strlen (text), imports, import_lines, error))
    return NULL;

  for (guint i = 0; i < imports->len; i++)
    {
      const char *import = g_ptr_array_index (imports, i);
      const char *builtin = builtin_text (import);
      gboolean again = FALSE;

      for (guint j = 0; j < i; j++)
        again = again || g_str_equal (import, g_ptr_array_index (imports, j));
      if (again)
        continue;

      if (builtin == NULL)
        {
          g_set_error (error, ANTENNA_SCHEMA_ERROR, ANTENNA_SCHEMA_ERROR_MISSING_IMPORT,
                       _("%s:%u: the import “%s” is in none of these folders: %s."),
                       name, GPOINTER_TO_UINT (g_ptr_array_index (import_lines, i)), import, "");
          return NULL;
        }
      if (!parse_text (schema, import, builtin, strlen (builtin), imports, import_lines, error))
        return NULL;
    }

  if (!resolve_types (schema, error))
    return NULL;

  return g_steal_pointer (&schema);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
antenna_proto_schema_list_messages (AntennaProtoSchema *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  ProtoMessage *message;

  g_return_val_if_fail (self != NULL, NULL);

  g_hash_table_iter_init (&iter, self->messages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &message))
    if (!message->map_entry)
      g_ptr_array_add (names, g_strdup (message->full_name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

gboolean
antenna_proto_schema_has_message (AntennaProtoSchema *self,
                                  const char         *full_name)
{
  g_return_val_if_fail (self != NULL && full_name != NULL, FALSE);

  return _antenna_proto_schema_find_message (self, full_name) != NULL;
}

ProtoMessage *
_antenna_proto_schema_find_message (AntennaProtoSchema *self,
                                    const char         *full_name)
{
  if (full_name[0] == '.')
    full_name++;
  return g_hash_table_lookup (self->messages, full_name);
}
