#include "mdadm_conf.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int md_uuid_hex(const char *in, char out[33])
{
    size_t n = 0;
    for (; *in && !isspace((unsigned char)*in); in++) {
        if (*in == ':' || *in == '-' || *in == '.')
            continue;
        if (!isxdigit((unsigned char)*in) || n == 32)
            return -1;
        out[n++] = (char)tolower((unsigned char)*in);
    }
    out[n] = '\0';
    return n == 32 ? 0 : -1;
}

/* Copies one blank-separated word of at most cap-1 bytes; returns its length. */
static size_t word(const char *p, size_t avail, char *dst, size_t cap)
{
    size_t n = 0;
    while (n < avail && p[n] && !isspace((unsigned char)p[n]))
        n++;
    snprintf(dst, cap, "%.*s", (int)(n < cap ? n : cap - 1), p);
    return n;
}

/* The words of one logical line, from p up to end: the first is the
 * keyword, the second the device for ARRAY, the rest key=value. */
static void array_words(const char *p, const char *end, struct md_conf_array *a)
{
    char w[256];
    int k = 0;
    while (p < end) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p >= end || *p == '#')
            break;
        size_t n = word(p, (size_t)(end - p), w, sizeof w);
        if (k == 1 && w[0] == '/')
            snprintf(a->devname, sizeof a->devname, "%.127s", w);
        else if (!strncasecmp(w, "uuid=", 5) && md_uuid_hex(w + 5, a->uuid) < 0)
            a->uuid[0] = '\0';
        else if (!strncasecmp(w, "name=", 5))
            snprintf(a->name, sizeof a->name, "%.127s", w + 5);
        k++;
        p += n;
    }
}

size_t mdadm_conf_parse(const char *text, struct md_conf_array *out, size_t max)
{
    size_t count = 0;
    const char *line = text;
    while (line && *line && count < max) {
        /* A logical line: this one and those that begin with a blank. */
        const char *end = line;
        do {
            const char *nl = strchr(end, '\n');
            end = nl ? nl + 1 : end + strlen(end);
        } while (*end == ' ' || *end == '\t');
        if (!strncasecmp(line, "ARRAY", 5) && isspace((unsigned char)line[5])) {
            struct md_conf_array *a = &out[count];
            memset(a, 0, sizeof *a);
            array_words(line, end, a);
            if (a->devname[0] || a->uuid[0])
                count++;
        }
        line = *end ? end : NULL;
    }
    return count;
}
