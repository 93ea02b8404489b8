/* Multipath names the guest gave its disks: /etc/multipath/bindings
 * ("alias wwid" per line, what user_friendly_names writes) and the alias
 * keywords of /etc/multipath.conf and multipath.conf.d.  A filesystem named
 * by one of them is named by the old disk's WWID. */
#include "nitro_int.h"

#include <stdlib.h>
#include <string.h>

static int first_words(char *line, char **a, char **b)
{
    char *save = NULL;
    *a = strtok_r(line, " \t", &save);
    *b = *a ? strtok_r(NULL, " \t", &save) : NULL;
    return *a != NULL;
}

static int bindings_line(char *raw, void *opaque)
{
    char *line = trim(raw), *alias, *wwid;
    if (*line == '#' || !first_words(line, &alias, &wwid) || !wwid)
        return 0;
    naming_add_alias(opaque, alias);
    return 0;
}

static int conf_line(char *raw, void *opaque)
{
    char *line = trim(raw), *key, *val;
    if (*line == '#' || !first_words(line, &key, &val) || !val || strcmp(key, "alias"))
        return 0;
    size_t l = strlen(val);
    if (l >= 2 && (val[0] == '"' || val[0] == '\'') && val[l - 1] == val[0]) {
        val[l - 1] = '\0';
        val++;
    }
    naming_add_alias(opaque, val);
    return 0;
}

void naming_read(vfs *v, struct naming *nm)
{
    char **names = NULL, p[600];
    memset(nm, 0, sizeof *nm);
    for_each_config_line(v, "/etc/multipath/bindings", bindings_line, nm);
    for_each_config_line(v, "/var/lib/multipath/bindings", bindings_line, nm);
    for_each_config_line(v, "/etc/multipath.conf", conf_line, nm);
    if (vfs_list(v, "/etc/multipath/conf.d", &names) == 0) {
        for (char **n = names; *n; n++) {
            size_t l = strlen(*n);
            if (l < 6 || strcmp(*n + l - 5, ".conf"))
                continue;
            str_fmt(p, sizeof p, "/etc/multipath/conf.d/%s", *n);
            for_each_config_line(v, p, conf_line, nm);
        }
        vfs_free_names(names);
    }
}
