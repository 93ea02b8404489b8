/* The report's "elf_files" inventory, kept compact while liftcheck runs.
 *
 * json-c spends kilobytes of objects on each inventory entry, and a
 * lived-in server holds tens of thousands of ELF files: the inventory
 * alone outweighed the rest of the report.  A scan keeps each entry as one
 * line of plain JSON text in a shared buffer instead; the document holds a
 * stand-in array node that json-c serializes from those lines, so the
 * written report is the same byte for byte.
 *
 * Readers go through the accessors below, which work on both kinds of
 * document: one being built (the compact node) and one loaded from a saved
 * report (a plain array). */
#ifndef LIFTCHECK_ELF_FILES_H
#define LIFTCHECK_ELF_FILES_H

#include <json-c/json.h>
#include <stddef.h>

struct elf_files;

struct elf_files *elf_files_new(void);
/* Appends entry (not taken); -1 when out of memory. */
int elf_files_add(struct elf_files *s, json_object *entry);
/* The document node for s, which it takes over (freed with the node); NULL
 * when out of memory (s freed). */
json_object *elf_files_node(struct elf_files *s);

/* Writes doc as json_object_to_json_string_ext(doc, flags) would, through
 * put, with a compact inventory streamed entry by entry instead of held
 * whole as text.  put returns 0, or -1 with errno set.  Returns 0, or -1
 * with errno set. */
int elf_files_write_doc(json_object *doc, int flags,
                        int (*put)(const char *s, size_t n, void *ctx), void *ctx);

/* 1 when files (doc["elf_files"]) is a compact node. */
int elf_files_compact(json_object *files);
/* A compact node holding only the entries on volume idx; NULL when out of
 * memory or when files is not compact. */
json_object *elf_files_of_volume(json_object *files, int idx);

/* Readers of doc["elf_files"], whichever kind.  The objects returned are
 * new references: json_object_put() them. */
size_t elf_files_count(json_object *doc);
json_object *elf_files_at(json_object *doc, size_t i);
/* The entry whose "path" is path, or NULL. */
json_object *elf_files_find(json_object *doc, const char *path);

#endif
