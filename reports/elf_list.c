/* --elf-list FILE: the ELF inventory as JSON Lines, one elf_files entry
 * per line, for tools that stream a large inventory instead of loading the
 * whole report.  The report keeps its elf_files too. */
#include "reports.h"

#include <string.h>

#include "model/elf_files.h"
#include "model/jdoc.h"
#include "util/xalloc.h"

int write_elf_list(json_object *doc, const char *path)
{
    struct strbuf sb;
    int rc = -1;

    sb_init(&sb);
    for (size_t i = 0; i < elf_files_count(doc); i++) {
        /* Plain: no newline inside a record, whatever the names hold. */
        json_object *f = elf_files_at(doc, i);
        const char *line = json_object_to_json_string_ext(f, JSON_C_TO_STRING_PLAIN |
                                                          JSON_C_TO_STRING_NOSLASHESCAPE);
        sb_puts(&sb, oom_check((void *)line));
        sb_puts(&sb, "\n");
        json_object_put(f);
    }
    rc = write_file_atomic(path, sb.s ? sb.s : "", sb.len, NULL);
    sb_free(&sb);
    return rc;
}
