/* --elf-list FILE: the ELF inventory as JSON Lines, one elf_files entry
 * per line, for tools that stream a large inventory instead of loading the
 * whole report.  The report keeps its elf_files too. */
#include "reports.h"

#include <errno.h>
#include <string.h>

int write_elf_list(json_object *doc, const char *path)
{
    json_object *files;
    struct strbuf sb;
    int rc = -1;

    sb_init(&sb);
    if (json_object_object_get_ex(doc, "elf_files", &files) &&
        json_object_is_type(files, json_type_array)) {
        size_t n = json_object_array_length(files);
        for (size_t i = 0; i < n; i++) {
            /* Plain: no newline inside a record, whatever the names hold. */
            sb_puts(&sb, json_object_to_json_string_ext(json_object_array_get_idx(files, i),
                                                        JSON_C_TO_STRING_PLAIN |
                                                        JSON_C_TO_STRING_NOSLASHESCAPE));
            sb_puts(&sb, "\n");
        }
    }
    if (sb.oom)
        errno = ENOMEM;
    else
        rc = write_file_atomic(path, sb.s ? sb.s : "", sb.len, NULL);
    sb_free(&sb);
    return rc;
}
