/* Names applications the way the people running them do: after the unit,
 * init script, upstart job or xinetd service that starts them ("tomcat" for
 * /opt/apache-tomcat-9.0.85 started by tomcat.service), else after their
 * install root.  Cron jobs, inittab lines and rc.local start many things
 * and name none of them. */
#include <string.h>

#include "model/jdoc.h"
#include "scanners/apps/apps_int.h"

/* The service name an entry point's file gives, or 0 when it gives none. */
static size_t service_name(json_object *e, const char **name)
{
    const char *kind = doc_str(e, "kind"), *src = doc_str(e, "source");
    if (!kind || !src)
        return 0;
    int named = !strcmp(kind, "systemd") || !strcmp(kind, "upstart") || !strcmp(kind, "xinetd") ||
                (!strcmp(kind, "sysv") && strstr(src, "/init.d/"));
    if (!named)
        return 0;
    const char *b = strrchr(src, '/');
    b = b ? b + 1 : src;
    size_t n = strlen(b);
    static const char *const suffixes[] = {".service", ".conf", NULL};
    for (int i = 0; suffixes[i]; i++) {
        size_t m = strlen(suffixes[i]);
        if (n > m && !strcmp(b + n - m, suffixes[i]))
            n -= m;
    }
    /* A template unit, "worker@.service": its prefix. */
    if (n && b[n - 1] == '@')
        n--;
    *name = b;
    return n;
}

/* The first entry point that runs at boot names it, else the first one. */
static size_t pick(json_object *eps, const char **name, const char **src)
{
    for (int want_enabled = 1; want_enabled >= 0; want_enabled--) {
        for (size_t i = 0; i < json_object_array_length(eps); i++) {
            json_object *e = json_object_array_get_idx(eps, i);
            const char *state = doc_str(e, "state");
            size_t n = service_name(e, name);
            if (n && (!want_enabled || (state && !strcmp(state, "enabled")))) {
                *src = doc_str(e, "source");
                return n;
            }
        }
    }
    return 0;
}

static int name_taken(const struct apps *a, const char *name, size_t n)
{
    for (size_t i = 0; i < a->n; i++) {
        const char *other = doc_str(a->v[i].o, "name");
        if (other && strlen(other) == n && !memcmp(other, name, n))
            return 1;
    }
    return 0;
}

void apps_name_by_entry(struct apps *a)
{
    for (size_t i = 0; i < a->n; i++) {
        json_object *app = a->v[i].o;
        const char *name = NULL, *src = NULL, *cur = doc_str(app, "name");
        size_t n = pick(doc_get(app, "entry_points"), &name, &src);
        char buf[256];
        if (!n || n >= sizeof buf || !cur)
            continue;
        /* Two applications started by one unit keep their roots' names. */
        if ((strlen(cur) != n || memcmp(cur, name, n)) && name_taken(a, name, n))
            continue;
        memcpy(buf, name, n);
        buf[n] = 0;
        doc_put(app, "name", jstr(buf));
        doc_put(app, "named_from", jstr(src));
    }
}
